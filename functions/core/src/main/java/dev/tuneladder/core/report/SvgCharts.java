package dev.tuneladder.core.report;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Chart builders that return standalone SVG documents as strings, for inlining in report.html or saving as .svg.
 *
 * <p>Every chart has a visible title, labelled axes and an accessible name (role="img" with aria-label), and every
 * data element carries a tooltip with its exact value. Data elements have a class per chart kind, so tests and
 * style sheets can find them: {@code bar}, {@code cell}, {@code point} and {@code bin}. The output references
 * nothing outside itself: no fonts, images, style sheets or scripts, and no {@code url(...)} paints. The same
 * input gives the same bytes under every default locale. Text is escaped with {@link Markup#escape}, so labels
 * may contain any characters.
 *
 * <p>Labels longer than the layout allows (about 34 to 44 characters, depending on the chart) are cut with an
 * ellipsis and keep their full text in a tooltip. Empty inputs give a small chart with the title and the text
 * "No data to show.".
 */
public final class SvgCharts {

    private SvgCharts() {
    }

    /**
     * Builds a horizontal bar chart with one band per category, top to bottom in the given order, and one bar per
     * series in each band. Bars start at 0; each is labelled with its value to three decimals.
     *
     * @param valueAxisLabel the label under the value axis, with its unit
     * @param categoryAxisLabel the label beside the category names
     * @param series one or more series, each with one value per category in [0, valueMax]
     * @param valueMax the end of the value axis (1 for rates), above 0
     * @throws IllegalArgumentException when a series has the wrong number of values or a value out of range
     */
    public static String horizontalBars(String title, String valueAxisLabel, String categoryAxisLabel,
            List<String> categories, List<BarSeries> series, double valueMax) {
        requireText(title, valueAxisLabel, categoryAxisLabel);
        Objects.requireNonNull(categories, "bar chart categories are missing");
        Objects.requireNonNull(series, "bar chart series are missing");
        if (!(valueMax > 0) || !Double.isFinite(valueMax)) {
            throw new IllegalArgumentException("bar chart '" + title + "' has value axis end " + valueMax
                    + "; pass a finite number above 0");
        }
        for (String category : categories) {
            Objects.requireNonNull(category, () -> "bar chart '" + title + "' has a null category");
        }
        for (BarSeries one : series) {
            Objects.requireNonNull(one, () -> "bar chart '" + title + "' has a null series");
            if (one.values().size() != categories.size()) {
                throw new IllegalArgumentException("bar series '" + one.name() + "' has " + one.values().size()
                        + " values for " + categories.size() + " categories; pass one value per category");
            }
            for (int i = 0; i < categories.size(); i++) {
                double value = one.values().get(i);
                if (value < 0 || value > valueMax) {
                    throw new IllegalArgumentException("bar series '" + one.name() + "' has value " + value
                            + " for '" + categories.get(i) + "', outside the axis [0, " + valueMax
                            + "]; raise valueMax or fix the value");
                }
            }
        }
        return BarChartSvg.render(title, valueAxisLabel, categoryAxisLabel, categories, series, valueMax);
    }

    /**
     * Builds a heatmap of counts, such as the top confusions with gold labels as rows and predicted labels as
     * columns. Rows and columns are ordered by their summed count, largest first, then by label. Each filled
     * cell shows its count and is darker for larger counts, and a legend shows the colour scale.
     *
     * @param cells the filled cells, at most one per (row, column); missing cells are drawn empty
     * @throws IllegalArgumentException when two cells share a row and column
     */
    public static String heatmap(String title, String rowAxisLabel, String columnAxisLabel,
            List<HeatmapCell> cells) {
        requireText(title, rowAxisLabel, columnAxisLabel);
        Objects.requireNonNull(cells, "heatmap cells are missing");
        Set<List<String>> positions = new HashSet<>();
        for (HeatmapCell cell : cells) {
            Objects.requireNonNull(cell, () -> "heatmap '" + title + "' has a null cell");
            if (!positions.add(List.of(cell.row(), cell.column()))) {
                throw new IllegalArgumentException("heatmap '" + title + "' has two cells for row '" + cell.row()
                        + "' and column '" + cell.column() + "'; sum them into one cell");
            }
        }
        return HeatmapSvg.render(title, rowAxisLabel, columnAxisLabel, cells);
    }

    /**
     * Builds a forest plot of named estimates with their intervals around a dashed zero line, as used for
     * differences between runs. Numbers are written to three decimals.
     *
     * @param valueAxisLabel the label under the value axis, for example "candidate − baseline"
     * @param rowAxisLabel the label beside the row names, for example "metric"
     */
    public static String forestPlot(String title, String valueAxisLabel, String rowAxisLabel, List<ForestRow> rows) {
        return forestPlot(title, valueAxisLabel, rowAxisLabel, rows, OptionalDouble.of(0));
    }

    /**
     * Builds a forest plot of named estimates with their intervals, top to bottom in the given order, with a
     * dashed line at {@code reference} when present. The axis covers every interval and the reference line, so it
     * need not start at 0. Numbers are written to three decimals.
     */
    public static String forestPlot(String title, String valueAxisLabel, String rowAxisLabel, List<ForestRow> rows,
            OptionalDouble reference) {
        requireText(title, valueAxisLabel, rowAxisLabel);
        Objects.requireNonNull(rows, "forest plot rows are missing");
        Objects.requireNonNull(reference, "forest plot reference is missing; pass OptionalDouble.empty() for none");
        if (reference.isPresent() && !Double.isFinite(reference.getAsDouble())) {
            throw new IllegalArgumentException("forest plot '" + title + "' has reference line "
                    + reference.getAsDouble() + "; pass a finite number or none");
        }
        for (ForestRow row : rows) {
            Objects.requireNonNull(row, () -> "forest plot '" + title + "' has a null row");
        }
        return ForestPlotSvg.render(title, valueAxisLabel, rowAxisLabel, rows, reference);
    }

    /**
     * Builds a histogram, such as latencies in milliseconds, with one equal-width column per bin whatever the
     * bin's range, so that uneven bins (fine near the median, coarse in the tail) stay readable.
     *
     * @param valueAxisLabel the label under the bins, with its unit, for example "latency (ms)"
     * @param countAxisLabel the label of the count axis, for example "requests"
     * @param lowerBound the exclusive lower bound of the first bin
     * @param bins the bins in order, with strictly increasing upper bounds above {@code lowerBound}
     * @throws IllegalArgumentException when the upper bounds do not increase
     */
    public static String histogram(String title, String valueAxisLabel, String countAxisLabel, double lowerBound,
            List<HistogramBin> bins) {
        requireText(title, valueAxisLabel, countAxisLabel);
        Objects.requireNonNull(bins, "histogram bins are missing");
        if (!Double.isFinite(lowerBound)) {
            throw new IllegalArgumentException("histogram '" + title + "' has lower bound " + lowerBound
                    + "; pass a finite number");
        }
        double previous = lowerBound;
        for (int i = 0; i < bins.size(); i++) {
            HistogramBin bin = Objects.requireNonNull(bins.get(i), "histogram '" + title + "' has a null bin");
            if (!(bin.upperBound() > previous)) {
                throw new IllegalArgumentException("histogram '" + title + "' bin " + i + " has upper bound "
                        + bin.upperBound() + ", not above the previous bound " + previous
                        + "; pass bins in increasing order of upper bound");
            }
            previous = bin.upperBound();
        }
        return HistogramSvg.render(title, valueAxisLabel, countAxisLabel, lowerBound, bins);
    }

    private static void requireText(String title, String firstLabel, String secondLabel) {
        Objects.requireNonNull(title, "chart title is missing");
        Objects.requireNonNull(firstLabel, () -> "chart '" + title + "' has no axis label");
        Objects.requireNonNull(secondLabel, () -> "chart '" + title + "' has no axis label");
    }
}
