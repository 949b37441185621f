package dev.tuneladder.core.comparison;

/**
 * A scalar metric computed from a run's counts, so that a paired comparison can evaluate it on the exact counts
 * and on every bootstrap replicate's weighted counts.
 */
public interface CountMetric {

    /** Fraction of rows whose prediction equals the gold label. */
    CountMetric ACCURACY = new CountMetric() {
        @Override
        public String name() {
            return "accuracy";
        }

        @Override
        public boolean needsLabels() {
            return false;
        }

        @Override
        public double value(RunCounts counts) {
            return counts.rows() == 0 ? 0.0 : (double) counts.correct() / counts.rows();
        }
    };

    /**
     * Unweighted mean over the label set of F1 = 2 TP / (2 TP + FP + FN), with F1 = 0 for a label whose
     * denominator is 0. The same definition as RoutingMetricsState and scikit-learn's
     * {@code f1_score(average="macro", zero_division=0)} given the full label list.
     */
    CountMetric MACRO_F1 = new CountMetric() {
        @Override
        public String name() {
            return "macroF1";
        }

        @Override
        public boolean needsLabels() {
            return true;
        }

        @Override
        public double value(RunCounts counts) {
            int labels = counts.labelCount();
            if (labels == 0) {
                return 0.0;
            }
            double sum = 0;
            for (int i = 0; i < labels; i++) {
                long tp = counts.truePositives(i);
                long denominator = 2 * tp + counts.falsePositives(i) + counts.falseNegatives(i);
                sum += denominator == 0 ? 0.0 : (double) (2 * tp) / denominator;
            }
            return Math.min(1.0, Math.max(0.0, sum / labels));
        }
    };

    /** Returns the key of this metric in results and reports, for example "accuracy". */
    String name();

    /** Returns whether the metric reads per-label counts, which only rows added with labels provide. */
    boolean needsLabels();

    /** Computes the metric; it must be a pure function of the counts. */
    double value(RunCounts counts);
}
