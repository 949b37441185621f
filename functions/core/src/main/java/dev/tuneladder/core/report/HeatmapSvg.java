package dev.tuneladder.core.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lays out a heatmap of counts: rows down the left, columns along the bottom with labels at 45 degrees, a number
 * in every filled cell, and a legend of the colour scale.
 */
final class HeatmapSvg {

    private static final int MAX_LABEL_CHARS = 34;
    private static final double MIN_CELL = 24;
    private static final double MAX_CELL = 40;
    private static final double RIGHT = 16;
    private static final double SIN_45 = Math.sqrt(0.5);
    private static final int LEGEND_STEPS = 5;

    private HeatmapSvg() {
    }

    static String render(String title, String rowAxisLabel, String columnAxisLabel, List<HeatmapCell> cells) {
        if (cells.isEmpty()) {
            return Svg.empty(title, "No data to show.");
        }
        List<String> rows = byTotalDescending(cells, true);
        List<String> columns = byTotalDescending(cells, false);
        Map<String, HeatmapCell> byPosition = new HashMap<>();
        long min = Long.MAX_VALUE;
        long max = 0;
        for (HeatmapCell cell : cells) {
            byPosition.put(cell.row() + "\u0000" + cell.column(), cell);
            min = Math.min(min, cell.count());
            max = Math.max(max, cell.count());
        }

        double rowLabelWidth = Svg.maxTextWidth(rows, MAX_LABEL_CHARS, Svg.LABEL_SIZE);
        double columnLabelReach = Svg.maxTextWidth(columns, MAX_LABEL_CHARS, Svg.LABEL_SIZE) * SIN_45;
        double left = 30 + rowLabelWidth + 8;
        double cell = Math.max(MIN_CELL, Math.min(MAX_CELL, (Svg.WIDTH - left - RIGHT) / columns.size()));
        // A 45-degree column label reaches left of its column by its width times sin 45; keep the first inside.
        left = Math.max(left, columnLabelReach - cell / 2 + 8);
        double top = Svg.TITLE_BOTTOM + 8;
        double gridBottom = top + rows.size() * cell;
        double axisLabelY = gridBottom + 10 + columnLabelReach + 16;
        double legendY = axisLabelY + 24;
        double width = Math.max(Svg.WIDTH, left + columns.size() * cell + RIGHT);
        double height = legendY + 40;

        StringBuilder out = Svg.open(width, height, title);
        for (int r = 0; r < rows.size(); r++) {
            double y = top + r * cell;
            Svg.label(out, left - 6, y + cell / 2 + 3.5, "end", 0, MAX_LABEL_CHARS, rows.get(r));
            for (int c = 0; c < columns.size(); c++) {
                double x = left + c * cell;
                HeatmapCell filled = byPosition.get(rows.get(r) + "\u0000" + columns.get(c));
                if (filled == null) {
                    Svg.rect(out, "empty", x + 1, y + 1, cell - 2, cell - 2, Svg.EMPTY_CELL, null);
                    continue;
                }
                String fill = Svg.sequentialColour(filled.count(), max);
                Svg.rect(out, "cell", x + 1, y + 1, cell - 2, cell - 2, fill,
                        filled.row() + " \u2192 " + filled.column() + ": " + Svg.count(filled.count()));
                Svg.text(out, "cell-value", x + cell / 2, y + cell / 2 + 3.5, "middle", Svg.SMALL_SIZE,
                        Svg.textColourOn(fill), Svg.count(filled.count()));
            }
        }
        for (int c = 0; c < columns.size(); c++) {
            Svg.label(out, left + c * cell + cell / 2 + 3, gridBottom + 10, "end", -45, MAX_LABEL_CHARS,
                    columns.get(c));
        }
        Svg.rotatedText(out, "axis-label", 14, top + rows.size() * cell / 2, -90, "middle", Svg.LABEL_SIZE,
                Svg.MUTED, rowAxisLabel);
        Svg.text(out, "axis-label", left + columns.size() * cell / 2, axisLabelY, "middle", Svg.LABEL_SIZE,
                Svg.MUTED, columnAxisLabel);
        appendLegend(out, min, max, left, legendY);
        return Svg.close(out);
    }

    /** Orders row (or column) labels by their summed count, largest first, then by label. */
    private static List<String> byTotalDescending(List<HeatmapCell> cells, boolean rows) {
        Map<String, Long> totals = new TreeMap<>();
        for (HeatmapCell cell : cells) {
            totals.merge(rows ? cell.row() : cell.column(), cell.count(), Long::sum);
        }
        List<String> labels = new ArrayList<>(totals.keySet());
        labels.sort(Comparator.comparing((String label) -> totals.get(label)).reversed()
                .thenComparing(Comparator.naturalOrder()));
        return labels;
    }

    /** Draws swatches for up to {@value #LEGEND_STEPS} counts spread evenly from {@code min} to {@code max}. */
    private static void appendLegend(StringBuilder out, long min, long max, double x, double y) {
        List<Long> steps = new ArrayList<>();
        for (int i = 0; i < LEGEND_STEPS; i++) {
            long value = Math.round(min + i * (max - min) / (double) (LEGEND_STEPS - 1));
            if (steps.isEmpty() || steps.get(steps.size() - 1) != value) {
                steps.add(value);
            }
        }
        Svg.text(out, "legend", x, y + 10, "start", Svg.LABEL_SIZE, Svg.MUTED, "count");
        double swatchX = x + 46;
        for (long value : steps) {
            Svg.rect(out, "legend-swatch", swatchX, y, 30, 14, Svg.sequentialColour(value, max), null);
            Svg.text(out, "legend", swatchX + 15, y + 27, "middle", Svg.SMALL_SIZE, Svg.MUTED, Svg.count(value));
            swatchX += 34;
        }
    }
}
