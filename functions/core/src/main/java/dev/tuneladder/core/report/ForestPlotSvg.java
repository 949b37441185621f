package dev.tuneladder.core.report;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Lays out a forest plot: one row per estimate with its interval as a horizontal line, the estimate as a dot,
 * an optional dashed reference line (zero for differences), and the numbers on the right.
 */
final class ForestPlotSvg {

    private static final int MAX_NAME_CHARS = 40;
    private static final int DECIMALS = 3;
    private static final double ROW_HEIGHT = 26;
    private static final double CAP = 5;
    private static final double BOTTOM = 50;

    private ForestPlotSvg() {
    }

    static String render(String title, String valueAxisLabel, String rowAxisLabel, List<ForestRow> rows,
            OptionalDouble reference) {
        if (rows.isEmpty()) {
            return Svg.empty(title, "No data to show.");
        }
        double low = reference.orElse(Double.POSITIVE_INFINITY);
        double high = reference.orElse(Double.NEGATIVE_INFINITY);
        double numbersWidth = 0;
        for (ForestRow row : rows) {
            low = Math.min(low, row.low());
            high = Math.max(high, row.high());
            numbersWidth = Math.max(numbersWidth, Svg.textWidth(numbers(row), Svg.LABEL_SIZE));
        }
        Svg.Ticks ticks = Svg.Ticks.covering(low, high, 5);
        double left = 30 + Svg.maxTextWidth(rows.stream().map(ForestRow::name).toList(), MAX_NAME_CHARS,
                Svg.LABEL_SIZE) + 14;
        double right = numbersWidth + 24;
        double plotWidth = Svg.WIDTH - left - right;
        double top = Svg.TITLE_BOTTOM + 12;
        double plotHeight = rows.size() * ROW_HEIGHT;
        double bottom = top + plotHeight;
        double scale = plotWidth / (ticks.max() - ticks.min());

        StringBuilder out = Svg.open(Svg.WIDTH, bottom + BOTTOM, title);
        for (double tick : ticks.values()) {
            double x = left + (tick - ticks.min()) * scale;
            Svg.line(out, "grid", x, top, x, bottom, Svg.GRID, 1);
            Svg.text(out, "tick", x, bottom + 15, "middle", Svg.SMALL_SIZE, Svg.MUTED, ticks.label(tick));
        }
        Svg.line(out, "axis", left, bottom, left + plotWidth, bottom, Svg.AXIS, 1);
        if (reference.isPresent()) {
            double x = left + (reference.getAsDouble() - ticks.min()) * scale;
            out.append("<line class=\"reference\" x1=\"").append(Svg.num(x)).append("\" y1=\"")
                    .append(Svg.num(top - 4)).append("\" x2=\"").append(Svg.num(x)).append("\" y2=\"")
                    .append(Svg.num(bottom)).append("\" stroke=\"").append(Svg.TEXT)
                    .append("\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\"/>\n");
        }
        Svg.text(out, "axis-label", left + plotWidth / 2, bottom + 34, "middle", Svg.LABEL_SIZE, Svg.MUTED,
                valueAxisLabel);
        Svg.rotatedText(out, "axis-label", 14, top + plotHeight / 2, -90, "middle", Svg.LABEL_SIZE, Svg.MUTED,
                rowAxisLabel);
        Svg.text(out, "numbers-heading", Svg.WIDTH - 12, top - 4, "end", Svg.SMALL_SIZE, Svg.MUTED,
                "estimate [95% interval]");

        for (int i = 0; i < rows.size(); i++) {
            ForestRow row = rows.get(i);
            double y = top + i * ROW_HEIGHT + ROW_HEIGHT / 2;
            double xLow = left + (row.low() - ticks.min()) * scale;
            double xHigh = left + (row.high() - ticks.min()) * scale;
            double xEstimate = left + (row.estimate() - ticks.min()) * scale;
            String colour = Svg.SERIES_COLOURS.get(0);
            Svg.label(out, left - 10, y + 4, "end", 0, MAX_NAME_CHARS, row.name());
            Svg.line(out, "interval", xLow, y, xHigh, y, colour, 2);
            Svg.line(out, "interval-cap", xLow, y - CAP, xLow, y + CAP, colour, 2);
            Svg.line(out, "interval-cap", xHigh, y - CAP, xHigh, y + CAP, colour, 2);
            out.append("<circle class=\"point\" cx=\"").append(Svg.num(xEstimate)).append("\" cy=\"")
                    .append(Svg.num(y)).append("\" r=\"4.5\" fill=\"").append(colour)
                    .append("\" stroke=\"#ffffff\" stroke-width=\"1\"><title>")
                    .append(Markup.escape(row.name() + ": " + numbers(row))).append("</title></circle>\n");
            Svg.text(out, "numbers", Svg.WIDTH - 12, y + 4, "end", Svg.LABEL_SIZE, Svg.TEXT, numbers(row));
        }
        return Svg.close(out);
    }

    /** Formats a row as "estimate [low, high]". */
    static String numbers(ForestRow row) {
        return Svg.format(row.estimate(), DECIMALS) + " [" + Svg.format(row.low(), DECIMALS) + ", "
                + Svg.format(row.high(), DECIMALS) + "]";
    }
}
