package dev.tuneladder.core.comparison;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegressionVerdictTest {

    private static PairedComparison comparisonWithInterval(double low, double high) {
        MetricDifference accuracy = new MetricDifference("accuracy", 0.8, 0.8 + (low + high) / 2, (low + high) / 2,
                new DifferenceInterval(low, high));
        return new PairedComparison(100, 1000, 42, Map.of("accuracy", accuracy), ExactMcNemar.of(0, 0),
                new FlippedRows(0, List.of()), new FlippedRows(0, List.of()), List.of());
    }

    @Test
    void judge_intervalBelowZero_regressed() {
        RegressionVerdict verdict = RegressionVerdict.judge(comparisonWithInterval(-0.05, -0.001), "accuracy", 0);

        assertThat(verdict.regressed()).isTrue();
        assertThat(verdict.describe()).startsWith("REGRESSION: accuracy").endsWith("lies entirely below 0");
    }

    @Test
    void judge_intervalTouchingZero_passes() {
        assertThat(RegressionVerdict.judge(comparisonWithInterval(-0.05, 0.0), "accuracy", 0).regressed()).isFalse();
    }

    @Test
    void judge_lossWithinTolerance_passes() {
        RegressionVerdict verdict = RegressionVerdict.judge(comparisonWithInterval(-0.05, -0.01), "accuracy", 0.02);

        assertThat(verdict.regressed()).isFalse();
        assertThat(verdict.describe()).endsWith("does not lie entirely below -0.0200");
    }

    @Test
    void judge_lossBeyondTolerance_regressed() {
        assertThat(RegressionVerdict.judge(comparisonWithInterval(-0.09, -0.03), "accuracy", 0.02).regressed())
                .isTrue();
    }

    @Test
    void judge_unknownMetric_listsMetrics() {
        assertThatThrownBy(() -> RegressionVerdict.judge(comparisonWithInterval(-0.1, 0.1), "macroF1", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[accuracy]");
    }

    @Test
    void judge_negativeTolerance_rejected() {
        assertThatThrownBy(() -> RegressionVerdict.judge(comparisonWithInterval(-0.1, 0.1), "accuracy", -0.01))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-0.01");
    }
}
