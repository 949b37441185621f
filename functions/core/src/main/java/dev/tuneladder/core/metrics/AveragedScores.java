package dev.tuneladder.core.metrics;

/**
 * Precision, recall and F1 averaged over the label set in one way (micro, macro or weighted).
 *
 * @param precision averaged precision, in [0, 1]
 * @param recall averaged recall, in [0, 1]
 * @param f1 averaged F1, in [0, 1]; for macro and weighted it is the mean of per-label F1, not the F1 of the
 *     averaged precision and recall
 */
public record AveragedScores(double precision, double recall, double f1) {

    public AveragedScores {
        Rates.requireRate("precision", precision);
        Rates.requireRate("recall", recall);
        Rates.requireRate("f1", f1);
    }
}
