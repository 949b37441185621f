package dev.tuneladder.core.judging.calibration;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * The values a verdict may take, and their integer codes.
 *
 * <ul>
 *   <li>{@code pairwise}: "1" or "2", the answer preferred out of two (codes 1 and 2). Ties are not accepted.
 *   <li>{@code pass-fail}: "pass" or "fail" (codes 1 and 0).
 *   <li>{@code score:MIN-MAX}: an integer from MIN to MAX inclusive (the code is the score).
 * </ul>
 *
 * <p>The "positive value" of a code feeds leniency: 1 for pass and 0 for fail, the score itself, and for pairwise
 * 1 when the second answer is preferred and 0 otherwise. In a pairwise comparison the second answer is usually
 * the candidate under test, so a reviewer who prefers it more often than the others is the lenient one.
 *
 * @param kind the kind of scale
 * @param minScore the lowest score of a score scale; 0 for the other kinds
 * @param maxScore the highest score of a score scale; 0 for the other kinds
 */
public record VerdictScale(Kind kind, int minScore, int maxScore) {

    /** The kinds of scale. */
    public enum Kind {
        PAIRWISE,
        PASS_FAIL,
        SCORE
    }

    public static final VerdictScale PAIRWISE = new VerdictScale(Kind.PAIRWISE, 0, 0);
    public static final VerdictScale PASS_FAIL = new VerdictScale(Kind.PASS_FAIL, 0, 0);

    private static final String SPEC_FORMS = "pairwise, pass-fail or score:MIN-MAX (for example score:1-5)";

    public VerdictScale {
        if (kind == null) {
            throw new IllegalArgumentException("verdict scale kind is missing; use one of " + SPEC_FORMS);
        }
        if (kind == Kind.SCORE && minScore >= maxScore) {
            throw new IllegalArgumentException("score scale minimum " + minScore + " must be below its maximum "
                    + maxScore);
        }
        if (kind != Kind.SCORE && (minScore != 0 || maxScore != 0)) {
            throw new IllegalArgumentException("only a score scale has a score range; " + kind + " got "
                    + minScore + "-" + maxScore);
        }
    }

    /** Returns a score scale from {@code min} to {@code max} inclusive. */
    public static VerdictScale score(int min, int max) {
        return new VerdictScale(Kind.SCORE, min, max);
    }

    /**
     * Parses {@code pairwise}, {@code pass-fail} or {@code score:MIN-MAX}.
     *
     * @throws IllegalArgumentException when {@code spec} is none of these
     */
    public static VerdictScale parse(String spec) {
        if (spec == null) {
            throw new IllegalArgumentException("verdict scale is missing; use " + SPEC_FORMS);
        }
        String normalized = spec.trim().toLowerCase(Locale.ROOT);
        if (normalized.equals("pairwise")) {
            return PAIRWISE;
        }
        if (normalized.equals("pass-fail")) {
            return PASS_FAIL;
        }
        if (normalized.startsWith("score:")) {
            String range = normalized.substring("score:".length());
            int dash = range.indexOf('-', 1);
            if (dash > 0) {
                try {
                    return score(Integer.parseInt(range.substring(0, dash)),
                            Integer.parseInt(range.substring(dash + 1)));
                } catch (NumberFormatException e) {
                    // Falls through to the message that shows the expected form.
                }
            }
        }
        throw new IllegalArgumentException("unknown verdict scale '" + spec + "'; use " + SPEC_FORMS);
    }

    /** Returns the scale as {@link #parse} reads it: {@code pairwise}, {@code pass-fail} or {@code score:1-5}. */
    public String spec() {
        return switch (kind) {
            case PAIRWISE -> "pairwise";
            case PASS_FAIL -> "pass-fail";
            case SCORE -> "score:" + minScore + "-" + maxScore;
        };
    }

    /**
     * Returns the code of a JSON verdict value, or throws with the accepted values. A pairwise or score verdict
     * may be a JSON string or an integer number; a pass/fail verdict is a string, matched without regard to case.
     *
     * @param field the field name used in the message, such as "verdict" or "gold"
     * @throws IllegalArgumentException when the value is missing or not on this scale
     */
    public int code(JsonNode value, String field) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            throw new IllegalArgumentException("missing required field '" + field + "'; expected " + accepted());
        }
        Integer code = null;
        if (value.isTextual()) {
            code = codeOf(value.asText());
        } else if (value.isIntegralNumber() && kind != Kind.PASS_FAIL && value.canConvertToInt()) {
            code = codeOf(Integer.toString(value.intValue()));
        }
        if (code == null) {
            throw new IllegalArgumentException("unknown " + field + " value " + value + " for the " + spec()
                    + " scale; expected " + accepted());
        }
        return code;
    }

    /** Returns the code of a text verdict, or null when it is not on this scale. */
    public Integer codeOf(String text) {
        String trimmed = text.trim();
        switch (kind) {
            case PAIRWISE:
                return trimmed.equals("1") ? Integer.valueOf(1) : trimmed.equals("2") ? Integer.valueOf(2) : null;
            case PASS_FAIL:
                String lower = trimmed.toLowerCase(Locale.ROOT);
                return lower.equals("pass") ? Integer.valueOf(1) : lower.equals("fail") ? Integer.valueOf(0) : null;
            case SCORE:
                try {
                    int score = Integer.parseInt(trimmed);
                    return score >= minScore && score <= maxScore ? score : null;
                } catch (NumberFormatException e) {
                    return null;
                }
            default:
                throw new IllegalStateException("unhandled scale kind " + kind);
        }
    }

    /** Returns whether {@code code} is on this scale. */
    public boolean isValid(int code) {
        return switch (kind) {
            case PAIRWISE -> code == 1 || code == 2;
            case PASS_FAIL -> code == 0 || code == 1;
            case SCORE -> code >= minScore && code <= maxScore;
        };
    }

    /** Returns the text of a code: "1", "pass", "4". */
    public String label(int code) {
        if (kind == Kind.PASS_FAIL) {
            return code == 1 ? "pass" : "fail";
        }
        return Integer.toString(code);
    }

    /** Returns the positive value of a code used by leniency (see the class comment). */
    public double positiveValue(int code) {
        return switch (kind) {
            case PAIRWISE -> code == 2 ? 1 : 0;
            case PASS_FAIL, SCORE -> code;
        };
    }

    /** Returns the accepted values in words, for messages. */
    public String accepted() {
        return switch (kind) {
            case PAIRWISE -> "\"1\" or \"2\"";
            case PASS_FAIL -> "\"pass\" or \"fail\"";
            case SCORE -> "an integer from " + minScore + " to " + maxScore;
        };
    }
}
