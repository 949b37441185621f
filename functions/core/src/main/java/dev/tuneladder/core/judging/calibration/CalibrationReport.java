package dev.tuneladder.core.judging.calibration;

import dev.tuneladder.core.metrics.ConfidenceInterval;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link CalibrationResult} as calibration.md and as the rows of the terminal summary. Numbers use
 * {@link Locale#ROOT}, so the output is the same under every default locale. "n/a" marks an undefined value.
 */
public final class CalibrationReport {

    /** Column headers of {@link #judgeRows}. */
    public static final List<String> JUDGE_HEADERS = List.of("judge", "order", "accuracy (correct/gold) [95% CI]",
            "kappa", "swap consistency", "positional preference");

    private static final List<String> REVIEWER_HEADERS = List.of("reviewer", "verdicts", "accuracy (correct/gold)",
            "kappa", "agrees with majority", "mean positive", "others' mean", "leniency");

    private static final List<String> AGREEMENT_HEADERS = List.of("rater A", "rater B", "pairs", "agreement",
            "kappa");

    private CalibrationReport() {
    }

    /**
     * Returns one row per judge and order: original, swapped and both pooled. Swap consistency and positional
     * preference describe the pair of orders, so only the pooled row carries them.
     */
    public static List<List<String>> judgeRows(CalibrationResult result) {
        List<List<String>> rows = new ArrayList<>();
        for (JudgeCalibration judge : result.judges()) {
            rows.add(List.of(judge.judge(), "original", accuracy(judge.original()), kappa(judge.original().kappa()),
                    "", ""));
            if (judge.swapped().verdicts() > 0) {
                rows.add(List.of(judge.judge(), "swapped", accuracy(judge.swapped()),
                        kappa(judge.swapped().kappa()), "", ""));
            }
            SwapConsistency swap = judge.swapConsistency();
            rows.add(List.of(judge.judge(), "both", accuracy(judge.all()), kappa(judge.all().kappa()),
                    swap == null ? "n/a" : ratio(swap.consistencyRate(), swap.consistent(), swap.pairs()),
                    swap == null ? "n/a" : positional(swap)));
        }
        return rows;
    }

    /** Returns the report as Markdown text ending in a line break. */
    public static String markdown(CalibrationResult result, String title) {
        StringBuilder out = new StringBuilder();
        out.append("# Judge calibration: ").append(cell(title)).append("\n\n");
        out.append(String.format(Locale.ROOT, "Scale: %s. Items: %d, %d with a gold label.%n%n", result.scale(),
                result.items(), result.itemsWithGold()));

        if (!result.judges().isEmpty()) {
            out.append("## Judges\n\n");
            table(out, JUDGE_HEADERS, judgeRows(result));
            out.append("\nAccuracy intervals are the 2.5th and 97.5th percentiles of ")
                    .append(result.bootstrapReplicates()).append(" Poisson bootstrap replicates over items (seed ")
                    .append(result.seed()).append("). Swap consistency counts the items judged in both orders")
                    .append(" where the judge preferred the same answer. Positional preference splits the")
                    .append(" inconsistent ones into those where the first position won both times and those")
                    .append(" where the second did.\n");
            appendJudgeReviewerAgreement(out, result);
        }
        if (!result.reviewers().isEmpty()) {
            out.append("\n## Reviewers\n\n");
            List<List<String>> rows = new ArrayList<>();
            for (ReviewerCalibration reviewer : result.reviewers()) {
                rows.add(List.of(reviewer.reviewer(), Long.toString(reviewer.verdicts()),
                        ratio(reviewer.accuracy(), reviewer.correct(), reviewer.withGold()), kappa(reviewer.kappa()),
                        ratio(reviewer.majorityAgreement(), reviewer.agreesWithMajority(), reviewer.majorityItems()),
                        number(reviewer.meanPositiveValue()), number(reviewer.othersMeanPositiveValue()),
                        signed(reviewer.leniency())));
            }
            table(out, REVIEWER_HEADERS, rows);
            out.append("\nThe majority is that of the other reviewers on the item. Leniency is the reviewer's mean")
                    .append(" positive value (pass rate, mean score, or rate of preferring the second answer) minus")
                    .append(" the others' on the items they share; positive is more lenient.\n");
            appendReviewerAgreement(out, result);
        }
        return out.toString();
    }

    private static void appendJudgeReviewerAgreement(StringBuilder out, CalibrationResult result) {
        List<List<String>> rows = new ArrayList<>();
        for (JudgeCalibration judge : result.judges()) {
            judge.reviewers().forEach(agreement -> rows.add(agreementRow(agreement)));
        }
        if (!rows.isEmpty()) {
            out.append("\n### Judges against reviewers\n\n");
            table(out, AGREEMENT_HEADERS, rows);
        }
    }

    private static void appendReviewerAgreement(StringBuilder out, CalibrationResult result) {
        if (result.reviewerAgreement().isEmpty()) {
            return;
        }
        out.append("\n### Between reviewers\n\n");
        List<List<String>> rows = new ArrayList<>();
        result.reviewerAgreement().forEach(agreement -> rows.add(agreementRow(agreement)));
        table(out, AGREEMENT_HEADERS, rows);
        out.append(String.format(Locale.ROOT, "%nFleiss' kappa over the %d items with two or more reviewers: %s.%n",
                result.fleissItems(), kappa(result.fleissKappa())));
    }

    private static List<String> agreementRow(RaterAgreement agreement) {
        return List.of(agreement.raterA(), agreement.raterB(), Long.toString(agreement.pairs()),
                ratio(agreement.agreementRate(), agreement.agreements(), agreement.pairs()),
                kappa(agreement.kappa()));
    }

    private static String accuracy(OrderScores scores) {
        String text = ratio(scores.accuracy(), scores.correct(), scores.withGold());
        ConfidenceInterval interval = scores.accuracyCi95();
        return interval == null ? text : text + String.format(Locale.ROOT, " [%.3f, %.3f]", interval.low(),
                interval.high());
    }

    private static String positional(SwapConsistency swap) {
        if (swap.inconsistent() == 0) {
            return "none inconsistent";
        }
        return String.format(Locale.ROOT, "first %d, second %d of %d", swap.firstPositionBoth(),
                swap.secondPositionBoth(), swap.inconsistent());
    }

    private static String ratio(Double rate, long numerator, long denominator) {
        if (rate == null) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.3f (%d/%d)", rate, numerator, denominator);
    }

    private static String kappa(Double kappa) {
        return kappa == null ? "n/a" : String.format(Locale.ROOT, "%.3f", kappa);
    }

    private static String number(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static String signed(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%+.3f", value);
    }

    private static void table(StringBuilder out, List<String> headers, List<List<String>> rows) {
        out.append("| ").append(String.join(" | ", headers)).append(" |\n|");
        for (int i = 0; i < headers.size(); i++) {
            out.append(i < 2 ? "---|" : "---:|");
        }
        out.append('\n');
        for (List<String> row : rows) {
            out.append("|");
            row.forEach(value -> out.append(' ').append(cell(value)).append(" |"));
            out.append('\n');
        }
    }

    /** Escapes a pipe and removes line breaks, so that ids cannot break the table. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace('\n', ' ').replace('\r', ' ');
    }
}
