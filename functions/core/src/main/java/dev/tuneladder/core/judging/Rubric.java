package dev.tuneladder.core.judging;

import dev.tuneladder.core.planner.PromptTemplate;
import java.util.Locale;
import java.util.Objects;

/**
 * Scoring criteria with a numeric scale and the threshold at which a score passes.
 *
 * @param name a label for reports; not part of the version
 * @param criteria what each score means, shown to the judge
 * @param minScore the lowest score, for example 1 or 0
 * @param maxScore the highest score, for example 5 or 1
 * @param passThreshold a score at or above it passes; within [minScore, maxScore]
 * @param wholeNumbers whether scores must be whole numbers, as on a 1–5 scale
 */
public record Rubric(
        String name, String criteria, double minScore, double maxScore, double passThreshold, boolean wholeNumbers) {

    public Rubric {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(criteria, "criteria");
        if (criteria.isBlank()) {
            throw new IllegalArgumentException("rubric '" + name + "' has blank criteria");
        }
        if (!(minScore < maxScore)) {
            throw new IllegalArgumentException("rubric '" + name + "' needs minScore < maxScore, got " + minScore
                    + " and " + maxScore);
        }
        if (!(passThreshold >= minScore && passThreshold <= maxScore)) {
            throw new IllegalArgumentException("rubric '" + name + "' has passThreshold " + passThreshold
                    + " outside its scale [" + minScore + ", " + maxScore + "]");
        }
    }

    /** Returns the version of the rubric text shown to the judge: the criteria and the scale, not the threshold. */
    public String version() {
        return PromptTemplate.contentHash(criteria, scaleText());
    }

    /** Returns the scale as shown to the judge, for example {@code a whole number from 1 to 5}. */
    public String scaleText() {
        return (wholeNumbers ? "a whole number from " : "a number from ") + format(minScore) + " to "
                + format(maxScore);
    }

    /** Returns why {@code score} is not on the scale, or null when it is. */
    String invalidScore(double score) {
        if (Double.isNaN(score) || score < minScore || score > maxScore) {
            return "score " + format(score) + " is outside the scale; expected " + scaleText();
        }
        if (wholeNumbers && score != Math.rint(score)) {
            return "score " + format(score) + " is not a whole number; expected " + scaleText();
        }
        return null;
    }

    boolean passes(double score) {
        return score >= passThreshold;
    }

    static String format(double value) {
        return value == Math.rint(value) && !Double.isInfinite(value)
                ? String.format(Locale.ROOT, "%d", (long) value)
                : String.format(Locale.ROOT, "%s", value);
    }
}
