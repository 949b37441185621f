package dev.tuneladder.core.judging.calibration;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.data.JsonLines;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the generic verdict file: JSON Lines, one verdict per line, from our own judges and human reviewers.
 *
 * <pre>{@code
 * {"itemId": "q-17", "judge": "rubric-v3", "verdict": "2", "swapped": true, "gold": "1"}
 * {"itemId": "q-17", "reviewer": "alice", "verdict": "1"}
 * }</pre>
 *
 * <ul>
 *   <li>{@code itemId} (required): the item; verdicts of all raters and the gold label join on it.
 *   <li>{@code judge} or {@code reviewer} (exactly one): the id of an automatic judge or of a human reviewer.
 *   <li>{@code verdict} (required): a value on the calibration's {@link VerdictScale}, a string or integer, or one
 *       of the unscored values below.
 *   <li>{@code swapped} (optional, default false; pairwise only): true when the two answers were shown in reverse
 *       order.
 *   <li>{@code gold} (optional): the item's gold label, in the item's own numbering and never swapped ("1" or
 *       "A" for answer 1 on the pairwise scale). Rows of the same item must not disagree on it.
 * </ul>
 *
 * <p>Pairwise verdicts come in two namings, told apart by the value. A digit, "1" or "2", is the <em>position</em>
 * picked as shown, so on a swapped row "1" means the item's answer 2: the reader stores {@code 3 - verdict} for
 * swapped digit rows (see {@link Verdict}). A letter, "A" or "B", names the item's own answer (A is answer 1), as
 * {@link dev.tuneladder.core.judging.JudgeVerdicts} files write it after mapping a swapped question back, so it is
 * stored as is whatever {@code swapped} says. Both namings give the same {@link Verdict}.
 *
 * <p>Files written by {@link dev.tuneladder.core.judging.JudgeVerdicts} are read as they are: their audit fields
 * ({@code score}, {@code passed}, {@code threshold}, {@code consistent}, {@code reason}, {@code promptVersion},
 * {@code modelId}, {@code error}, {@code steps}, {@code latencyMillis}, {@code usage}) are accepted and ignored.
 * Two verdict values are counted in {@link Contents} and not scored: {@code "error"} on any scale (a judge that
 * produced no verdict) and {@code "tie"} on the pairwise scale, which has no code for a tie.
 *
 * <p>A judge gives at most one verdict per item and order, a reviewer one per item, and an id is either a judge or
 * a reviewer; unscored rows count for these rules too. A row that breaks a rule goes to {@link BadRows} with its
 * line and reason. Unknown fields are rejected, so a misspelt field does not silently drop data.
 */
public final class VerdictFile {

    private static final Logger LOG = LoggerFactory.getLogger(VerdictFile.class);

    /** The verdict value of a judge that produced no verdict, as {@code JudgeVerdict.ERROR} writes it. */
    static final String ERROR_VERDICT = "error";

    /** The verdict value of a pairwise tie, as {@code JudgeVerdict.TIE} writes it. */
    static final String TIE_VERDICT = "tie";

    private VerdictFile() {
    }

    /**
     * One line of the verdict file, as written. The fields after {@code gold} are the audit fields of a
     * {@code JudgeVerdict} line; they are read so that such lines are accepted, and then ignored.
     */
    record Row(
            @JsonProperty("itemId") String itemId,
            @JsonProperty("judge") String judge,
            @JsonProperty("reviewer") String reviewer,
            @JsonProperty("verdict") JsonNode verdict,
            @JsonProperty("swapped") Boolean swapped,
            @JsonProperty("gold") JsonNode gold,
            @JsonProperty("score") JsonNode score,
            @JsonProperty("passed") JsonNode passed,
            @JsonProperty("threshold") JsonNode threshold,
            @JsonProperty("consistent") JsonNode consistent,
            @JsonProperty("reason") JsonNode reason,
            @JsonProperty("promptVersion") JsonNode promptVersion,
            @JsonProperty("modelId") JsonNode modelId,
            @JsonProperty("error") JsonNode error,
            @JsonProperty("steps") JsonNode steps,
            @JsonProperty("latencyMillis") JsonNode latencyMillis,
            @JsonProperty("usage") JsonNode usage) {
    }

    /** The outcome of one row: a verdict to score, or the unscored value it carried. */
    private record Parsed(Verdict verdict, String unscored) {
    }

    /** One line of a gold file: {@code {"itemId": "q-17", "gold": "1"}}. */
    record GoldRow(@JsonProperty("itemId") String itemId, @JsonProperty("gold") JsonNode gold) {
    }

    /**
     * The verdicts and the gold labels read from a verdict file.
     *
     * @param verdicts the accepted verdicts, in file order
     * @param gold gold codes by item id, from the rows that carry one
     * @param errorVerdicts rows with verdict {@code "error"}, which are counted and not scored
     * @param ties pairwise rows with verdict {@code "tie"}, which are counted and not scored
     */
    public record Contents(List<Verdict> verdicts, Map<String, Integer> gold, int errorVerdicts, int ties) {

        public Contents {
            verdicts = List.copyOf(verdicts);
            gold = Collections.unmodifiableMap(new LinkedHashMap<>(gold));
            if (errorVerdicts < 0 || ties < 0) {
                throw new IllegalArgumentException("unscored row counts must not be negative, got " + errorVerdicts
                        + " error verdicts and " + ties + " ties");
            }
        }

        /** Creates contents with no unscored rows. */
        public Contents(List<Verdict> verdicts, Map<String, Integer> gold) {
            this(verdicts, gold, 0, 0);
        }
    }

    /**
     * Reads a verdict file. Error verdicts and ties are counted in the result and logged at WARN with their
     * counts, never scored.
     *
     * @param knownGold gold codes already known (from a gold file or earlier verdict files); a row whose gold
     *     disagrees is rejected
     * @throws dev.tuneladder.core.data.DatasetFormatException when the file has no rows or too many bad rows
     */
    public static Contents read(Reader input, String source, VerdictScale scale, Map<String, Integer> knownGold,
            BadRows badRows) {
        Map<String, Long> firstLineByKey = new HashMap<>();
        Map<String, RaterKind> kindByRater = new HashMap<>();
        Map<String, Long> goldLine = new HashMap<>();
        Map<String, Integer> gold = new LinkedHashMap<>();
        List<Parsed> parsed = JsonLines.readNumbered(input, source, (lineNumber, line) -> {
            Row row = Json.mapper().readValue(line, Row.class);
            if (row == null) {
                return null;
            }
            String unscored = unscoredValue(row.verdict(), scale);
            Verdict verdict = verdictOf(row, scale, unscored != null);
            Integer rowGold = row.gold() == null || row.gold().isNull() ? null : goldCode(row.gold(), scale);

            RaterKind kind = kindByRater.get(verdict.rater());
            if (kind != null && kind != verdict.raterKind()) {
                throw new IllegalArgumentException("'" + verdict.rater() + "' appears as both judge and reviewer;"
                        + " give judges and reviewers distinct ids");
            }
            String key = verdict.itemId() + "\u0000" + verdict.rater() + "\u0000"
                    + (verdict.raterKind() == RaterKind.JUDGE && verdict.swapped() ? "swapped" : "");
            Long first = firstLineByKey.get(key);
            if (first != null) {
                throw new IllegalArgumentException("duplicate verdict by " + describe(verdict) + " on item '"
                        + verdict.itemId() + "', first given at line " + first);
            }
            if (rowGold != null) {
                checkGold(verdict.itemId(), rowGold, scale, knownGold, gold, goldLine);
                gold.putIfAbsent(verdict.itemId(), rowGold);
                goldLine.putIfAbsent(verdict.itemId(), lineNumber);
            }
            kindByRater.put(verdict.rater(), verdict.raterKind());
            firstLineByKey.put(key, lineNumber);
            return new Parsed(unscored == null ? verdict : null, unscored);
        }, badRows);

        List<Verdict> verdicts = new ArrayList<>(parsed.size());
        int errors = 0;
        int ties = 0;
        for (Parsed row : parsed) {
            if (row.verdict() != null) {
                verdicts.add(row.verdict());
            } else if (row.unscored().equals(ERROR_VERDICT)) {
                errors++;
            } else {
                ties++;
            }
        }
        if (errors > 0 || ties > 0) {
            LOG.warn("{}: {} error verdicts and {} ties were counted and not scored", source, errors, ties);
        }
        return new Contents(verdicts, gold, errors, ties);
    }

    /** Returns "error" or "tie" when the verdict is one that is counted and not scored on this scale, else null. */
    private static String unscoredValue(JsonNode verdict, VerdictScale scale) {
        if (verdict == null || !verdict.isTextual()) {
            return null;
        }
        String value = verdict.asText().trim().toLowerCase(Locale.ROOT);
        if (value.equals(ERROR_VERDICT)) {
            return ERROR_VERDICT;
        }
        if (value.equals(TIE_VERDICT) && scale.kind() == VerdictScale.Kind.PAIRWISE) {
            return TIE_VERDICT;
        }
        return null;
    }

    /**
     * Reads a gold file: JSON Lines of {@code {"itemId", "gold"}}, with the gold label in the item's own numbering.
     * A second row for the same item is rejected.
     */
    public static Map<String, Integer> readGold(Reader input, String source, VerdictScale scale, BadRows badRows) {
        Map<String, Long> firstLine = new HashMap<>();
        Map<String, Integer> gold = new LinkedHashMap<>();
        JsonLines.readNumbered(input, source, (lineNumber, line) -> {
            GoldRow row = Json.mapper().readValue(line, GoldRow.class);
            if (row == null) {
                return null;
            }
            if (row.itemId() == null || row.itemId().isBlank()) {
                throw new IllegalArgumentException("missing required field 'itemId'");
            }
            int code = goldCode(row.gold(), scale);
            Long first = firstLine.putIfAbsent(row.itemId(), lineNumber);
            if (first != null) {
                throw new IllegalArgumentException("duplicate gold label for item '" + row.itemId()
                        + "', first given at line " + first);
            }
            gold.put(row.itemId(), code);
            return row;
        }, badRows);
        return gold;
    }

    /**
     * Returns the row's verdict. For an unscored row the value is a placeholder on the scale, because the
     * verdict only serves the duplicate and rater-kind checks and is never added.
     */
    private static Verdict verdictOf(Row row, VerdictScale scale, boolean unscored) {
        if (row.itemId() == null || row.itemId().isBlank()) {
            throw new IllegalArgumentException("missing required field 'itemId'");
        }
        boolean hasJudge = row.judge() != null;
        boolean hasReviewer = row.reviewer() != null;
        if (hasJudge == hasReviewer) {
            throw new IllegalArgumentException(hasJudge
                    ? "the row has both 'judge' and 'reviewer'; give exactly one"
                    : "missing rater: give 'judge' (an automatic judge's id) or 'reviewer' (a human's id)");
        }
        String rater = hasJudge ? row.judge() : row.reviewer();
        if (rater.isBlank()) {
            throw new IllegalArgumentException("field '" + (hasJudge ? "judge" : "reviewer") + "' is blank");
        }
        boolean swapped = Boolean.TRUE.equals(row.swapped());
        if (swapped && scale.kind() != VerdictScale.Kind.PAIRWISE) {
            throw new IllegalArgumentException("'swapped' is true, but only pairwise verdicts have an order; the"
                    + " scale is " + scale.spec());
        }
        int value;
        if (unscored) {
            value = scale.kind() == VerdictScale.Kind.SCORE ? scale.minScore() : 1;
        } else if (scale.kind() == VerdictScale.Kind.PAIRWISE && isLetter(row.verdict())) {
            value = row.verdict().asText().trim().equalsIgnoreCase("A") ? 1 : 2;
        } else {
            int code = scale.code(row.verdict(), "verdict");
            value = swapped ? 3 - code : code;
        }
        return new Verdict(row.itemId(), rater, hasJudge ? RaterKind.JUDGE : RaterKind.REVIEWER, value, swapped);
    }

    /** Returns the code of a gold label; on the pairwise scale "A" and "B" name answers 1 and 2 too. */
    private static int goldCode(JsonNode gold, VerdictScale scale) {
        if (scale.kind() == VerdictScale.Kind.PAIRWISE && isLetter(gold)) {
            return gold.asText().trim().equalsIgnoreCase("A") ? 1 : 2;
        }
        return scale.code(gold, "gold");
    }

    /** Returns whether a pairwise verdict names the item's answer by letter, "A" or "B" in either case. */
    private static boolean isLetter(JsonNode verdict) {
        if (verdict == null || !verdict.isTextual()) {
            return false;
        }
        String value = verdict.asText().trim();
        return value.equalsIgnoreCase("A") || value.equalsIgnoreCase("B");
    }

    private static void checkGold(String itemId, int rowGold, VerdictScale scale, Map<String, Integer> knownGold,
            Map<String, Integer> gold, Map<String, Long> goldLine) {
        Integer known = knownGold.get(itemId);
        if (known != null && known != rowGold) {
            throw new IllegalArgumentException("gold " + scale.label(rowGold) + " for item '" + itemId
                    + "' disagrees with gold " + scale.label(known) + " given before this file (in the gold file or an"
                    + " earlier verdict file)");
        }
        Integer earlier = gold.get(itemId);
        if (earlier != null && earlier != rowGold) {
            throw new IllegalArgumentException("gold " + scale.label(rowGold) + " for item '" + itemId
                    + "' disagrees with gold " + scale.label(earlier) + " at line " + goldLine.get(itemId));
        }
    }

    private static String describe(Verdict verdict) {
        if (verdict.raterKind() == RaterKind.REVIEWER) {
            return "reviewer '" + verdict.rater() + "'";
        }
        return "judge '" + verdict.rater() + "' in the " + (verdict.swapped() ? "swapped" : "original") + " order";
    }
}
