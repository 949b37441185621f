package dev.tuneladder.core.report;

import java.util.Objects;

/**
 * One filled cell of a heatmap, such as how often rows of a gold label were predicted as another label.
 *
 * @param row the row label (the gold label for confusions)
 * @param column the column label (the predicted label for confusions)
 * @param count the number in the cell, at least 1
 */
public record HeatmapCell(String row, String column, long count) {

    public HeatmapCell {
        Objects.requireNonNull(row, "heatmap cell row label is missing");
        Objects.requireNonNull(column, "heatmap cell column label is missing");
        if (count < 1) {
            throw new IllegalArgumentException("heatmap cell (" + row + ", " + column + ") has count " + count
                    + "; leave empty cells out instead of passing a count below 1");
        }
    }
}
