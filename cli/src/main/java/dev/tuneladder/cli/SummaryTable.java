package dev.tuneladder.cli;

import dev.tuneladder.core.metrics.MetricsDocument;
import dev.tuneladder.core.metrics.RoutingSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders runs side by side as a fixed-width text table for the terminal. */
final class SummaryTable {

    private static final String[] HEADERS = {"run", "accuracy [95% CI]", "macro-F1 [95% CI]", "micro-F1",
        "weighted-F1", "rows"};

    private SummaryTable() {
    }

    static String render(MetricsDocument document) {
        List<String[]> lines = new ArrayList<>();
        lines.add(HEADERS);
        for (MetricsDocument.Run run : document.runs()) {
            RoutingSummary routing = run.routing();
            lines.add(new String[] {
                run.name(),
                withInterval(routing.accuracy(), routing.ci95().accuracy().low(), routing.ci95().accuracy().high()),
                withInterval(routing.macroF1(), routing.ci95().macroF1().low(), routing.ci95().macroF1().high()),
                String.format(Locale.ROOT, "%.4f", routing.microF1()),
                String.format(Locale.ROOT, "%.4f", routing.weightedF1()),
                String.format(Locale.ROOT, "%,d", routing.rows())
            });
        }

        int[] widths = new int[HEADERS.length];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (int row = 0; row < lines.size(); row++) {
            String[] line = lines.get(row);
            for (int i = 0; i < line.length; i++) {
                String cell = i == 0 ? pad(line[i], widths[i], false) : pad(line[i], widths[i], true);
                table.append(i == 0 ? "" : "  ").append(cell);
            }
            table.append(System.lineSeparator());
            if (row == 0) {
                int total = widths.length * 2 - 2;
                for (int width : widths) {
                    total += width;
                }
                table.append("-".repeat(total)).append(System.lineSeparator());
            }
        }
        return table.toString();
    }

    private static String withInterval(double value, double low, double high) {
        return String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", value, low, high);
    }

    private static String pad(String text, int width, boolean right) {
        String padding = " ".repeat(width - text.length());
        return right ? padding + text : text + padding;
    }
}
