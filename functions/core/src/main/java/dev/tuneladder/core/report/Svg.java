package dev.tuneladder.core.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Shared pieces of the SVG charts: the document frame, text, colours, number formatting and axis ticks.
 *
 * <p>Text widths are estimated, not measured, because the page is built without a font engine. A character is
 * taken as {@value #CHAR_WIDTH_EM} em, an estimate at or a little above the mean advance of DejaVu Sans on
 * snake_case labels as Chromium renders them. DejaVu Sans is wider than Arial or Helvetica, so the layout leaves
 * room for labels in the common sans-serif fonts.
 */
final class Svg {

    static final int WIDTH = 760;
    static final double CHAR_WIDTH_EM = 0.6;
    static final double LABEL_SIZE = 11;
    static final double SMALL_SIZE = 10;
    static final double TITLE_SIZE = 14;
    /** The y of the first pixel below the chart title. */
    static final double TITLE_BOTTOM = 34;

    static final String TEXT = "#1f2328";
    static final String MUTED = "#57606a";
    static final String GRID = "#d8dee4";
    static final String AXIS = "#6e7781";
    static final String EMPTY_CELL = "#f6f8fa";
    static final String FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif";

    /**
     * Series colours: Okabe and Ito's blue and vermillion, then Paul Tol's green, purple, indigo and wine, all
     * from palettes designed to stay apart under the common colour-vision deficiencies. Each has at least 3.8:1
     * contrast on white, above the WCAG 2.1 minimum of 3:1 for graphics.
     */
    static final List<String> SERIES_COLOURS = List.of("#0072b2", "#d55e00", "#117733", "#aa4499", "#332288",
            "#882255");

    /** ColorBrewer's sequential "Blues", light to dark, from its third class on so the lowest count stays visible. */
    private static final int[][] SEQUENTIAL = {
        {0xc6, 0xdb, 0xef}, {0x9e, 0xca, 0xe1}, {0x6b, 0xae, 0xd6}, {0x42, 0x92, 0xc6}, {0x21, 0x71, 0xb5},
        {0x08, 0x51, 0x9c}, {0x08, 0x30, 0x6b}};

    private Svg() {
    }

    /** Opens an SVG document of the given size with its accessible name and visible title. */
    static StringBuilder open(double width, double height, String title) {
        StringBuilder out = new StringBuilder(4096);
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(num(width))
                .append("\" height=\"").append(num(height))
                .append("\" viewBox=\"0 0 ").append(num(width)).append(' ').append(num(height))
                .append("\" role=\"img\" aria-label=\"").append(Markup.escape(title))
                .append("\" font-family=\"").append(FONT).append("\" font-size=\"").append(num(LABEL_SIZE))
                .append("\" fill=\"").append(TEXT).append("\">\n");
        out.append("<title>").append(Markup.escape(title)).append("</title>\n");
        out.append("<rect class=\"background\" width=\"").append(num(width)).append("\" height=\"")
                .append(num(height)).append("\" fill=\"#ffffff\"/>\n");
        out.append("<text class=\"chart-title\" x=\"12\" y=\"22\" font-size=\"").append(num(TITLE_SIZE))
                .append("\" font-weight=\"600\">").append(Markup.escape(title)).append("</text>\n");
        return out;
    }

    static String close(StringBuilder out) {
        return out.append("</svg>\n").toString();
    }

    /** Returns a small chart that shows only its title and {@code message}, for inputs with nothing to draw. */
    static String empty(String title, String message) {
        StringBuilder out = open(WIDTH, 64, title);
        text(out, "no-data", 12, 50, "start", LABEL_SIZE, MUTED, message);
        return close(out);
    }

    /** Appends a text element; {@code anchor} is start, middle or end. */
    static void text(StringBuilder out, String cssClass, double x, double y, String anchor, double size,
            String fill, String content) {
        out.append("<text class=\"").append(cssClass).append("\" x=\"").append(num(x)).append("\" y=\"")
                .append(num(y)).append("\" text-anchor=\"").append(anchor).append("\" font-size=\"")
                .append(num(size)).append("\" fill=\"").append(fill).append("\">")
                .append(Markup.escape(content)).append("</text>\n");
    }

    /**
     * Appends a small value label with a white outline drawn under the glyphs, so that grid lines behind it do not
     * cut through the digits.
     */
    static void valueText(StringBuilder out, double x, double y, String anchor, String content) {
        out.append("<text class=\"value\" x=\"").append(num(x)).append("\" y=\"").append(num(y))
                .append("\" text-anchor=\"").append(anchor).append("\" font-size=\"").append(num(SMALL_SIZE))
                .append("\" fill=\"").append(MUTED)
                .append("\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">")
                .append(Markup.escape(content)).append("</text>\n");
    }

    /** Appends a text element turned by {@code degrees} around its anchor point. */
    static void rotatedText(StringBuilder out, String cssClass, double x, double y, double degrees, String anchor,
            double size, String fill, String content) {
        out.append("<text class=\"").append(cssClass).append("\" x=\"").append(num(x)).append("\" y=\"")
                .append(num(y)).append("\" transform=\"rotate(").append(num(degrees)).append(' ').append(num(x))
                .append(' ').append(num(y)).append(")\" text-anchor=\"").append(anchor).append("\" font-size=\"")
                .append(num(size)).append("\" fill=\"").append(fill).append("\">")
                .append(Markup.escape(content)).append("</text>\n");
    }

    /** Appends a category label cut to {@code maxChars}; a cut label keeps its full text in a tooltip. */
    static void label(StringBuilder out, double x, double y, String anchor, double degrees, int maxChars,
            String content) {
        String shown = truncate(content, maxChars);
        boolean cut = !shown.equals(content);
        if (cut) {
            out.append("<g><title>").append(Markup.escape(content)).append("</title>");
        }
        if (degrees == 0) {
            text(out, "label", x, y, anchor, LABEL_SIZE, TEXT, shown);
        } else {
            rotatedText(out, "label", x, y, degrees, anchor, LABEL_SIZE, TEXT, shown);
        }
        if (cut) {
            out.append("</g>\n");
        }
    }

    static void line(StringBuilder out, String cssClass, double x1, double y1, double x2, double y2, String stroke,
            double strokeWidth) {
        out.append("<line class=\"").append(cssClass).append("\" x1=\"").append(num(x1)).append("\" y1=\"")
                .append(num(y1)).append("\" x2=\"").append(num(x2)).append("\" y2=\"").append(num(y2))
                .append("\" stroke=\"").append(stroke).append("\" stroke-width=\"").append(num(strokeWidth))
                .append("\"/>\n");
    }

    /** Appends a rectangle; a non-null {@code tooltip} becomes its title child. */
    static void rect(StringBuilder out, String cssClass, double x, double y, double width, double height,
            String fill, String tooltip) {
        out.append("<rect class=\"").append(cssClass).append("\" x=\"").append(num(x)).append("\" y=\"")
                .append(num(y)).append("\" width=\"").append(num(width)).append("\" height=\"").append(num(height))
                .append("\" fill=\"").append(fill).append('"');
        if (tooltip == null) {
            out.append("/>\n");
        } else {
            out.append("><title>").append(Markup.escape(tooltip)).append("</title></rect>\n");
        }
    }

    /** Returns the estimated width in pixels of {@code text} at {@code fontSize}. */
    static double textWidth(String text, double fontSize) {
        return text.codePointCount(0, text.length()) * CHAR_WIDTH_EM * fontSize;
    }

    /** Returns the estimated width of the longest of {@code texts}, each cut to {@code maxChars}. */
    static double maxTextWidth(List<String> texts, int maxChars, double fontSize) {
        double width = 0;
        for (String text : texts) {
            width = Math.max(width, textWidth(truncate(text, maxChars), fontSize));
        }
        return width;
    }

    /** Cuts {@code text} to {@code maxChars} code points, the last being an ellipsis when anything was cut. */
    static String truncate(String text, int maxChars) {
        int length = text.codePointCount(0, text.length());
        if (length <= maxChars) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, maxChars - 1)) + "\u2026";
    }

    /** Formats a coordinate with one decimal. */
    static String num(double value) {
        return String.format(Locale.ROOT, "%.1f", value + 0.0);
    }

    /** Formats {@code value} with {@code decimals} decimals; adding 0.0 turns -0.0 into 0.0. */
    static String format(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value + 0.0);
    }

    /** Formats a count with thousands separators, for example "12,345". */
    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /**
     * Returns the colour of {@code value} on a sequential scale from {@code 0} to {@code max}, by piecewise
     * linear interpolation between the ColorBrewer stops.
     */
    static String sequentialColour(double value, double max) {
        double t = max <= 0 ? 1 : Math.min(1, Math.max(0, value / max));
        double position = t * (SEQUENTIAL.length - 1);
        int index = Math.min(SEQUENTIAL.length - 2, (int) Math.floor(position));
        double fraction = position - index;
        int[] rgb = new int[3];
        for (int channel = 0; channel < 3; channel++) {
            double low = SEQUENTIAL[index][channel];
            double high = SEQUENTIAL[index + 1][channel];
            rgb[channel] = (int) Math.round(low + (high - low) * fraction);
        }
        return String.format(Locale.ROOT, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
    }

    /** Returns white or the body text colour, whichever contrasts more with {@code background} ("#rrggbb"). */
    static String textColourOn(String background) {
        double luminance = luminance(background);
        double whiteContrast = 1.05 / (luminance + 0.05);
        double darkContrast = (luminance + 0.05) / (luminance(TEXT) + 0.05);
        return whiteContrast >= darkContrast ? "#ffffff" : TEXT;
    }

    /** Returns relative luminance as WCAG 2.1 defines it: sRGB channels linearized, weighted 0.2126, 0.7152, 0.0722. */
    private static double luminance(String colour) {
        double[] weights = {0.2126, 0.7152, 0.0722};
        double sum = 0;
        for (int channel = 0; channel < 3; channel++) {
            double c = Integer.parseInt(colour.substring(1 + 2 * channel, 3 + 2 * channel), 16) / 255.0;
            double linear = c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
            sum += weights[channel] * linear;
        }
        return sum;
    }

    /**
     * Axis ticks on round steps: the smallest of 1, 2, 5 or 10 times a power of ten that is at least the data
     * range divided by the target number of intervals.
     *
     * @param min the axis start, a multiple of {@code step} at or below the data
     * @param max the axis end, a multiple of {@code step} at or above the data
     * @param step the distance between ticks
     * @param decimals the decimals that show every tick exactly
     */
    record Ticks(double min, double max, double step, int decimals) {

        /** Returns ticks covering [low, high] with about {@code target} intervals; low must not exceed high. */
        static Ticks covering(double low, double high, int target) {
            if (high - low < 1e-12) {
                double pad = Math.abs(low) > 1e-12 ? Math.abs(low) * 0.1 : 0.5;
                low -= pad;
                high += pad;
            }
            double step = niceStep((high - low) / target);
            double min = Math.floor(low / step + 1e-9) * step;
            double max = Math.ceil(high / step - 1e-9) * step;
            int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
            return new Ticks(min, max, step, decimals);
        }

        private static double niceStep(double raw) {
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double fraction = raw / magnitude;
            if (fraction <= 1) {
                return magnitude;
            }
            if (fraction <= 2) {
                return 2 * magnitude;
            }
            if (fraction <= 5) {
                return 5 * magnitude;
            }
            return 10 * magnitude;
        }

        /** Returns the tick values from min to max; computed from integers so steps do not accumulate error. */
        List<Double> values() {
            List<Double> values = new ArrayList<>();
            long first = Math.round(min / step);
            long last = Math.round(max / step);
            for (long i = first; i <= last; i++) {
                values.add(i * step);
            }
            return values;
        }

        String label(double value) {
            return format(value, decimals);
        }
    }
}
