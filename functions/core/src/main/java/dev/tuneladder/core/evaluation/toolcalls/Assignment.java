package dev.tuneladder.core.evaluation.toolcalls;

import java.util.Arrays;

/**
 * Minimum-cost one-to-one assignment on a square cost matrix, by the Hungarian method with row and column
 * potentials (Kuhn 1955, Munkres 1957) in its O(n³) form. Ties are broken the same way on every run, so the result
 * depends only on the matrix.
 */
final class Assignment {

    private Assignment() {
    }

    /**
     * Returns, for each row, the column assigned to it, such that the sum of the chosen costs is the minimum.
     *
     * @param cost an n × n matrix of costs, each at most {@code Long.MAX_VALUE / 4} in absolute value
     */
    static int[] minimumCost(long[][] cost) {
        int n = cost.length;
        long infinity = Long.MAX_VALUE / 2;
        // 1-based potentials; column 0 is a virtual column that contains the row being inserted.
        long[] rowPotential = new long[n + 1];
        long[] columnPotential = new long[n + 1];
        int[] rowOfColumn = new int[n + 1];
        int[] previousColumn = new int[n + 1];

        for (int row = 1; row <= n; row++) {
            rowOfColumn[0] = row;
            int column = 0;
            long[] minimumSlack = new long[n + 1];
            Arrays.fill(minimumSlack, infinity);
            boolean[] visited = new boolean[n + 1];

            // Grows a tree of tight edges from the new row until it reaches a free column.
            do {
                visited[column] = true;
                int treeRow = rowOfColumn[column];
                long delta = infinity;
                int nextColumn = 0;
                for (int j = 1; j <= n; j++) {
                    if (visited[j]) {
                        continue;
                    }
                    long slack = cost[treeRow - 1][j - 1] - rowPotential[treeRow] - columnPotential[j];
                    if (slack < minimumSlack[j]) {
                        minimumSlack[j] = slack;
                        previousColumn[j] = column;
                    }
                    if (minimumSlack[j] < delta) {
                        delta = minimumSlack[j];
                        nextColumn = j;
                    }
                }
                for (int j = 0; j <= n; j++) {
                    if (visited[j]) {
                        rowPotential[rowOfColumn[j]] += delta;
                        columnPotential[j] -= delta;
                    } else {
                        minimumSlack[j] -= delta;
                    }
                }
                column = nextColumn;
            } while (rowOfColumn[column] != 0);

            // Flips the augmenting path back to the virtual column.
            do {
                int previous = previousColumn[column];
                rowOfColumn[column] = rowOfColumn[previous];
                column = previous;
            } while (column != 0);
        }

        int[] columnOfRow = new int[n];
        for (int j = 1; j <= n; j++) {
            columnOfRow[rowOfColumn[j] - 1] = j - 1;
        }
        return columnOfRow;
    }
}
