package dev.tuneladder.core.sampling;

import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Turn;
import dev.tuneladder.core.embedding.Vectors;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Groups of rows that must stay on one side of a split: the connected components of the "duplicate" relation,
 * found with union-find. Two rows are duplicates when their conversations are equal after trimming and
 * lowercasing every turn (checked across the whole dataset), or when they are in the same stratum and the cosine
 * of their vectors is above the threshold.
 *
 * <p>NOTE: near-duplicates in different strata are caught only when their texts are identical. Comparing vectors
 * across strata means all pairs of the whole dataset, O(n²) dot products, where comparing within strata costs
 * the sum of the squared stratum sizes. Within one stratum the cost is still quadratic: a stratum of 10,000 rows
 * means 50 million dot products.
 */
final class DuplicateGroups {

    private final int[] parent;
    private final Map<Integer, List<Integer>> membersByRoot = new HashMap<>();

    private DuplicateGroups(int size) {
        parent = new int[size];
        for (int i = 0; i < size; i++) {
            parent[i] = i;
        }
    }

    /**
     * Finds the groups.
     *
     * @param strata input indices of each stratum
     * @param threshold cosine above which two rows of one stratum are near-duplicates
     */
    static DuplicateGroups find(
            List<Interaction> interactions, List<float[]> vectors, Collection<List<Integer>> strata,
            double threshold) {
        DuplicateGroups groups = new DuplicateGroups(interactions.size());

        Map<String, Integer> firstByText = new HashMap<>();
        for (int i = 0; i < interactions.size(); i++) {
            Integer first = firstByText.putIfAbsent(textKey(interactions.get(i)), i);
            if (first != null) {
                groups.union(first, i);
            }
        }

        for (List<Integer> rows : strata) {
            for (int a = 0; a < rows.size(); a++) {
                float[] vector = vectors.get(rows.get(a));
                for (int b = a + 1; b < rows.size(); b++) {
                    if (Vectors.dot(vector, vectors.get(rows.get(b))) > threshold) {
                        groups.union(rows.get(a), rows.get(b));
                    }
                }
            }
        }

        for (int i = 0; i < interactions.size(); i++) {
            groups.membersByRoot.computeIfAbsent(groups.root(i), root -> new ArrayList<>()).add(i);
        }
        return groups;
    }

    /** Returns the group id of row {@code i}: the lowest input index in its group. */
    int root(int i) {
        int node = i;
        while (parent[node] != node) {
            parent[node] = parent[parent[node]];
            node = parent[node];
        }
        return node;
    }

    /** Returns the input indices of the group whose id is {@code root}, ascending. */
    List<Integer> members(int root) {
        return membersByRoot.get(root);
    }

    /** Returns the number of groups with two or more rows. */
    int duplicateGroupCount() {
        int count = 0;
        for (List<Integer> members : membersByRoot.values()) {
            if (members.size() > 1) {
                count++;
            }
        }
        return count;
    }

    /** Keeps the lower root, so a group's id is its lowest index whatever order the unions come in. */
    private void union(int a, int b) {
        int rootA = root(a);
        int rootB = root(b);
        if (rootA < rootB) {
            parent[rootB] = rootA;
        } else if (rootB < rootA) {
            parent[rootA] = rootB;
        }
    }

    private static String textKey(Interaction interaction) {
        StringBuilder key = new StringBuilder();
        for (Turn turn : interaction.turns()) {
            key.append(turn.role()).append('\u0000')
                    .append(turn.content().trim().toLowerCase(Locale.ROOT)).append('\u0001');
        }
        return key.toString();
    }
}
