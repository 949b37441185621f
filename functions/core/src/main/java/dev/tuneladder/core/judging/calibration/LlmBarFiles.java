package dev.tuneladder.core.judging.calibration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.Json;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads LLMBar files (Zeng et al., "Evaluating Large Language Models at Evaluating Instruction Following", 2023).
 *
 * <p>{@code dataset.json} is a JSON array of {@code {"input", "output_1", "output_2", "label"}} objects, where
 * label is the integer 1 or 2 naming the better output. An evaluator's {@code result.json} repeats those fields
 * and adds {@code "results": [{"swap = False": {"completion": [...], "winner": "1"}, "swap = True": {...}}]}.
 * The winner is a string, and in both orders it names the output in the item's own numbering: LLMBar maps the
 * swapped answer back before writing it. The recorded completions show this. Under "swap = True", "Output (a)"
 * (the first position, which shows output_2) comes with winner "2". The reader checks that mapping whenever a
 * completion is exactly "Output (a)" or "Output (b)".
 *
 * <p>LLMBar items have no ids, so an item's id is its 0-based position in the array; a result.json matches a
 * dataset.json element by element. Elements that break the schema go to {@link BadRows} with their line.
 */
public final class LlmBarFiles {

    static final String ORIGINAL_KEY = "swap = False";
    static final String SWAPPED_KEY = "swap = True";
    private static final String DATASET_CONTENT = "LLMBar items {\"input\", \"output_1\", \"output_2\", \"label\"}";
    private static final String RESULT_CONTENT = "LLMBar items with \"results\" holding the \"" + ORIGINAL_KEY
            + "\" and \"" + SWAPPED_KEY + "\" verdicts";

    private LlmBarFiles() {
    }

    /**
     * One LLMBar item.
     *
     * @param itemId the 0-based position in the file, as text
     * @param line the line where the element starts
     * @param label the gold label: 1 or 2
     */
    public record Item(String itemId, long line, int label, String input, String output1, String output2) {

        /** Returns the item's fields as a dataset.json element, for rejected-row records. */
        String toJson() {
            ObjectNode node = Json.mapper().createObjectNode();
            node.put("input", input).put("output_1", output1).put("output_2", output2).put("label", label);
            return node.toString();
        }
    }

    /**
     * One item of a result.json with the judge's winners, each 1 or 2 in the item's own numbering, or null when
     * the file lacks that order.
     */
    public record Judgement(Item item, Integer originalWinner, Integer swappedWinner) {
    }

    /** Reads a dataset.json. */
    public static List<Item> readDataset(Reader input, String source, BadRows badRows) {
        List<Item> items = new ArrayList<>();
        JsonArrayElements.read(input, source, DATASET_CONTENT, badRows,
                (index, line, element) -> items.add(item(index, line, element)));
        return items;
    }

    /** Reads an evaluator's result.json. */
    public static List<Judgement> readResults(Reader input, String source, BadRows badRows) {
        List<Judgement> judgements = new ArrayList<>();
        JsonArrayElements.read(input, source, RESULT_CONTENT, badRows, (index, line, element) -> {
            Item item = item(index, line, element);
            JsonNode results = element.get("results");
            if (results == null || !results.isArray() || results.size() != 1 || !results.get(0).isObject()) {
                throw new IllegalArgumentException("'results' must be an array of exactly one object with the \""
                        + ORIGINAL_KEY + "\" and \"" + SWAPPED_KEY + "\" verdicts, got "
                        + (results == null ? "nothing" : describeShape(results)));
            }
            JsonNode orders = results.get(0);
            Integer original = winner(orders.get(ORIGINAL_KEY), false);
            Integer swapped = winner(orders.get(SWAPPED_KEY), true);
            if (original == null && swapped == null) {
                throw new IllegalArgumentException("results[0] has neither \"" + ORIGINAL_KEY + "\" nor \""
                        + SWAPPED_KEY + "\"");
            }
            judgements.add(new Judgement(item, original, swapped));
        });
        return judgements;
    }

    /**
     * Keeps the judgements whose item matches the reference item at the same position (same texts and label),
     * and rejects the others into {@code badRows} under {@code source}, the result file.
     *
     * @param reference the items of the dataset.json, or of another result.json of the same LLMBar subset
     */
    public static List<Judgement> matchItems(List<Judgement> judgements, String source, List<Item> reference,
            String referenceSource, BadRows badRows) {
        Map<String, Item> byId = new HashMap<>();
        reference.forEach(item -> byId.put(item.itemId(), item));
        List<Judgement> kept = new ArrayList<>();
        for (Judgement judgement : judgements) {
            Item item = judgement.item();
            Item expected = byId.get(item.itemId());
            String mismatch = expected == null
                    ? "no element [" + item.itemId() + "] in " + referenceSource + ", which has " + reference.size() + " elements"
                    : differingField(item, expected);
            if (mismatch == null) {
                kept.add(judgement);
                continue;
            }
            badRows.reject(source, item.line(), "element [" + item.itemId() + "]: " + mismatch
                    + "; pass files of the same LLMBar subset", item.toJson());
        }
        return kept;
    }

    /**
     * Returns the verdicts of a judge: one per order present, in the item's own numbering (see the class comment),
     * so a swapped verdict keeps the winner as written.
     */
    public static List<Verdict> verdicts(String judge, List<Judgement> judgements) {
        List<Verdict> verdicts = new ArrayList<>(2 * judgements.size());
        for (Judgement judgement : judgements) {
            String itemId = judgement.item().itemId();
            if (judgement.originalWinner() != null) {
                verdicts.add(new Verdict(itemId, judge, RaterKind.JUDGE, judgement.originalWinner(), false));
            }
            if (judgement.swappedWinner() != null) {
                verdicts.add(new Verdict(itemId, judge, RaterKind.JUDGE, judgement.swappedWinner(), true));
            }
        }
        return verdicts;
    }

    private static Item item(int index, long line, JsonNode element) {
        if (!element.isObject()) {
            throw new IllegalArgumentException("expected a JSON object, got " + describeShape(element));
        }
        String input = JsonArrayElements.requireText(element, "input");
        String output1 = JsonArrayElements.requireText(element, "output_1");
        String output2 = JsonArrayElements.requireText(element, "output_2");
        JsonNode label = element.get("label");
        if (label == null || label.isNull()) {
            throw new IllegalArgumentException("missing required field 'label'; expected the integer 1 or 2");
        }
        if (!label.isIntegralNumber() || (label.asInt() != 1 && label.asInt() != 2)) {
            throw new IllegalArgumentException("invalid gold 'label' " + label + "; expected the integer 1 or 2");
        }
        return new Item(Integer.toString(index), line, label.asInt(), input, output1, output2);
    }

    /** Returns the winner of one order, or null when the order is absent. */
    private static Integer winner(JsonNode order, boolean swapped) {
        String key = swapped ? SWAPPED_KEY : ORIGINAL_KEY;
        if (order == null || order.isNull()) {
            return null;
        }
        if (!order.isObject()) {
            throw new IllegalArgumentException("results[0][\"" + key + "\"] must be an object, got "
                    + describeShape(order));
        }
        int winner = VerdictScale.PAIRWISE.code(order.get("winner"), "results[0][\"" + key + "\"].winner");
        Integer shownPosition = completionPosition(order.get("completion"));
        int expectedPosition = swapped ? 3 - winner : winner;
        if (shownPosition != null && shownPosition != expectedPosition) {
            throw new IllegalArgumentException("results[0][\"" + key + "\"] has completion \""
                    + order.get("completion").get(0).asText() + "\" (position " + shownPosition + ") but winner \""
                    + winner + "\", which is position " + expectedPosition + " in this order; the winner must name"
                    + " the output in the item's own numbering");
        }
        return winner;
    }

    /** Returns 1 or 2 when the completion is exactly "Output (a)" or "Output (b)", else null (free text). */
    private static Integer completionPosition(JsonNode completion) {
        if (completion == null || !completion.isArray() || completion.isEmpty() || !completion.get(0).isTextual()) {
            return null;
        }
        String text = completion.get(0).asText().trim();
        return text.equals("Output (a)") ? Integer.valueOf(1) : text.equals("Output (b)") ? Integer.valueOf(2) : null;
    }

    private static String differingField(Item item, Item expected) {
        if (!item.input().equals(expected.input())) {
            return "field 'input' differs from the element at the same position";
        }
        if (!item.output1().equals(expected.output1())) {
            return "field 'output_1' differs from the element at the same position";
        }
        if (!item.output2().equals(expected.output2())) {
            return "field 'output_2' differs from the element at the same position";
        }
        if (item.label() != expected.label()) {
            return "label " + item.label() + " differs from gold label " + expected.label();
        }
        return null;
    }

    private static String describeShape(JsonNode node) {
        if (node.isArray()) {
            return "an array of " + node.size();
        }
        return node.getNodeType().toString().toLowerCase(Locale.ROOT);
    }
}
