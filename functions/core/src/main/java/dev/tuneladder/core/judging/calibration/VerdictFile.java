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
import java.util.Map;

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
 *   <li>{@code verdict} (required): a value on the calibration's {@link VerdictScale}, a string or integer.
 *   <li>{@code swapped} (optional, default false; pairwise only): true when the two answers were shown in reverse
 *       order. A pairwise verdict is the <em>position</em> picked as shown, so on a swapped row "1" means the
 *       item's answer 2 and "2" means answer 1. The reader stores {@code 3 - verdict} for swapped rows (see
 *       {@link Verdict}).
 *   <li>{@code gold} (optional): the item's gold label, in the item's own numbering and never swapped. Rows of
 *       the same item must not disagree on it.
 * </ul>
 *
 * <p>A judge gives at most one verdict per item and order, a reviewer one per item, and an id is either a judge or
 * a reviewer. A row that breaks a rule goes to {@link BadRows} with its line and reason. Unknown fields are
 * rejected, so a misspelt field does not silently drop data.
 */
public final class VerdictFile {

    private VerdictFile() {
    }

    /** One line of the verdict file, as written. */
    record Row(
            @JsonProperty("itemId") String itemId,
            @JsonProperty("judge") String judge,
            @JsonProperty("reviewer") String reviewer,
            @JsonProperty("verdict") JsonNode verdict,
            @JsonProperty("swapped") Boolean swapped,
            @JsonProperty("gold") JsonNode gold) {
    }

    /** One line of a gold file: {@code {"itemId": "q-17", "gold": "1"}}. */
    record GoldRow(@JsonProperty("itemId") String itemId, @JsonProperty("gold") JsonNode gold) {
    }

    /**
     * The verdicts and the gold labels read from a verdict file.
     *
     * @param verdicts the accepted verdicts, in file order
     * @param gold gold codes by item id, from the rows that carry one
     */
    public record Contents(List<Verdict> verdicts, Map<String, Integer> gold) {

        public Contents {
            verdicts = List.copyOf(verdicts);
            gold = Collections.unmodifiableMap(new LinkedHashMap<>(gold));
        }
    }

    /**
     * Reads a verdict file.
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
        List<Verdict> verdicts = JsonLines.readNumbered(input, source, (lineNumber, line) -> {
            Row row = Json.mapper().readValue(line, Row.class);
            if (row == null) {
                return null;
            }
            Verdict verdict = verdictOf(row, scale);
            Integer rowGold = row.gold() == null || row.gold().isNull() ? null : scale.code(row.gold(), "gold");

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
            return verdict;
        }, badRows);
        return new Contents(verdicts, gold);
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
            int code = scale.code(row.gold(), "gold");
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

    private static Verdict verdictOf(Row row, VerdictScale scale) {
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
        int code = scale.code(row.verdict(), "verdict");
        int value = swapped ? 3 - code : code;
        return new Verdict(row.itemId(), rater, hasJudge ? RaterKind.JUDGE : RaterKind.REVIEWER, value, swapped);
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
