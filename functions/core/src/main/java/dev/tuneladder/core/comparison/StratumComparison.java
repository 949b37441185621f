package dev.tuneladder.core.comparison;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * Accuracy of two runs within one stratum of the rows.
 *
 * @param stratum the stratum's name (the gold label unless the runs were stratified otherwise)
 * @param rows rows in the stratum
 * @param baselineAccuracy the baseline's accuracy on those rows
 * @param candidateAccuracy the candidate's accuracy on those rows
 * @param difference candidateAccuracy − baselineAccuracy
 * @param fixed rows the baseline got wrong and the candidate got right
 * @param broken rows the baseline got right and the candidate got wrong
 */
@JsonPropertyOrder({"stratum", "rows", "baselineAccuracy", "candidateAccuracy", "difference", "fixed", "broken"})
public record StratumComparison(String stratum, long rows, double baselineAccuracy, double candidateAccuracy,
        double difference, long fixed, long broken) {

    public StratumComparison {
        Objects.requireNonNull(stratum, "stratum");
        if (rows < 1) {
            throw new IllegalArgumentException("stratum '" + stratum + "' has " + rows + " rows; it needs at least 1");
        }
        if (fixed < 0 || broken < 0 || fixed + broken > rows) {
            throw new IllegalArgumentException("stratum '" + stratum + "' has " + fixed + " fixed and " + broken
                    + " broken rows out of " + rows);
        }
    }
}
