package dev.tuneladder.core.evaluation.toolcalls;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneladder.core.data.AcceptedCall;
import dev.tuneladder.core.data.ToolCall;
import dev.tuneladder.core.embedding.Embedder;
import dev.tuneladder.core.embedding.Vectors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Scores how close produced argument values are in meaning to the reference values, by the cosine similarity of
 * their text embeddings. It complements the structured check, which only reports whether a value is accepted:
 * "NYC, New York" for "New York City" fails the check but scores high here, "Paris" scores low.
 *
 * <p>Only calls that the structured check paired and that name the same function are compared. For each argument
 * of the reference call whose first accepted value is not the omission marker, the reference text is that first
 * value rendered by {@link #argumentText} (after {@link AcceptedValues#firstChoice}), and the produced text is the
 * produced value rendered the same way. A row's score is the mean over its arguments; a row whose mean is below
 * the threshold is flagged.
 *
 * <p>All texts of one {@link #score(List)} call are embedded together, each distinct text once, in batches of the
 * configured size. Not thread-safe unless the embedder is.
 */
public final class ArgumentSimilarity {

    /** Texts per embedder call when the constructor sets none. */
    public static final int DEFAULT_BATCH_SIZE = 256;

    private final Embedder embedder;
    private final double lowSimilarityThreshold;
    private final int batchSize;

    /** One row to score: its calls and the pairing that {@link ToolCallChecker#checkPlan} returned for them. */
    public record RowCalls(String rowId, List<ToolCall> produced, List<AcceptedCall> reference, PlanCheck check) {

        public RowCalls {
            Objects.requireNonNull(rowId, "rowId");
            produced = List.copyOf(produced);
            reference = List.copyOf(reference);
            Objects.requireNonNull(check, "check");
        }
    }

    public ArgumentSimilarity(Embedder embedder, double lowSimilarityThreshold) {
        this(embedder, lowSimilarityThreshold, DEFAULT_BATCH_SIZE);
    }

    /**
     * @param lowSimilarityThreshold rows whose mean cosine is below this are flagged, in [-1, 1]; the right value
     *     depends on the embedding model
     * @param batchSize the maximum number of texts per embedder call, at least 1
     */
    public ArgumentSimilarity(Embedder embedder, double lowSimilarityThreshold, int batchSize) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        if (!(lowSimilarityThreshold >= -1 && lowSimilarityThreshold <= 1)) {
            throw new IllegalArgumentException("lowSimilarityThreshold must be a cosine in [-1, 1], got "
                    + lowSimilarityThreshold);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        this.lowSimilarityThreshold = lowSimilarityThreshold;
        this.batchSize = batchSize;
    }

    public double lowSimilarityThreshold() {
        return lowSimilarityThreshold;
    }

    /** Scores one row; prefer {@link #score(List)} for many rows, which batches their embeddings together. */
    public RowSimilarity score(RowCalls row) {
        return score(List.of(row)).get(0);
    }

    /**
     * Scores the rows, in order.
     *
     * @throws dev.tuneladder.core.embedding.EmbeddingException when the embedder fails
     */
    public List<RowSimilarity> score(List<RowCalls> rows) {
        List<List<TextPair>> pairsByRow = new ArrayList<>(rows.size());
        Map<String, Integer> textIndex = new LinkedHashMap<>();
        for (RowCalls row : rows) {
            List<TextPair> pairs = textPairs(row);
            pairsByRow.add(pairs);
            for (TextPair pair : pairs) {
                if (pair.needsEmbedding()) {
                    textIndex.putIfAbsent(pair.producedText(), textIndex.size());
                    textIndex.putIfAbsent(pair.referenceText(), textIndex.size());
                }
            }
        }
        List<float[]> vectors = embedInBatches(new ArrayList<>(textIndex.keySet()));

        List<RowSimilarity> results = new ArrayList<>(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            List<ArgumentScore> scores = new ArrayList<>();
            double sum = 0;
            for (TextPair pair : pairsByRow.get(r)) {
                double cosine = pair.fixedCosine() != null ? pair.fixedCosine() : clampCosine(Vectors.cosine(
                        vectors.get(textIndex.get(pair.producedText())),
                        vectors.get(textIndex.get(pair.referenceText()))));
                scores.add(new ArgumentScore(pair.referenceIndex(), pair.function(), pair.argument(), cosine));
                sum += cosine;
            }
            Double mean = scores.isEmpty() ? null : sum / scores.size();
            boolean low = mean != null && mean < lowSimilarityThreshold;
            results.add(new RowSimilarity(rows.get(r).rowId(), scores, mean, low));
        }
        return results;
    }

    /**
     * One argument to compare. {@code fixedCosine} is set when no embedding is needed: 1 for texts equal after
     * normalization, 0 for an argument the produced call omits.
     */
    private record TextPair(int referenceIndex, String function, String argument, String producedText,
                            String referenceText, Double fixedCosine) {

        boolean needsEmbedding() {
            return fixedCosine == null;
        }
    }

    private static List<TextPair> textPairs(RowCalls row) {
        List<TextPair> pairs = new ArrayList<>();
        for (MatchedCall match : row.check().matches()) {
            ToolCall produced = row.produced().get(match.producedIndex());
            AcceptedCall reference = row.reference().get(match.referenceIndex());
            if (!produced.name().equals(reference.name())) {
                continue;
            }
            JsonNode arguments = produced.arguments();
            for (Map.Entry<String, List<JsonNode>> argument : reference.acceptedValues().entrySet()) {
                List<JsonNode> accepted = argument.getValue();
                if (accepted.isEmpty() || AcceptedValues.isOmissionMarker(accepted.get(0))) {
                    continue;
                }
                String referenceText = argumentText(AcceptedValues.firstChoice(accepted.get(0)));
                JsonNode producedValue = arguments.get(argument.getKey());
                String producedText = producedValue == null ? null : argumentText(producedValue);
                Double fixed = null;
                if (producedText == null) {
                    fixed = 0.0;
                } else if (AcceptedValues.normalize(producedText).equals(AcceptedValues.normalize(referenceText))) {
                    fixed = 1.0;
                }
                pairs.add(new TextPair(match.referenceIndex(), reference.name(), argument.getKey(), producedText,
                        referenceText, fixed));
            }
        }
        return pairs;
    }

    private List<float[]> embedInBatches(List<String> texts) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int start = 0; start < texts.size(); start += batchSize) {
            List<String> batch = texts.subList(start, Math.min(texts.size(), start + batchSize));
            List<float[]> embedded = embedder.embedAll(batch);
            if (embedded.size() != batch.size()) {
                throw new IllegalStateException("embedder " + embedder.modelId() + " returned " + embedded.size()
                        + " vectors for " + batch.size() + " texts; an embedder must return one vector per text");
            }
            vectors.addAll(embedded);
        }
        return vectors;
    }

    /**
     * Renders an argument value as text for embedding: a string as is, a number in plain decimal without trailing
     * zeros ({@code 25.0} as {@code 25}), a boolean or null as its JSON literal, an array as its rendered elements
     * joined by {@code ", "}, and an object as {@code key: value} entries joined by {@code ", "}.
     */
    public static String argumentText(JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isNumber()) {
            return value.decimalValue().stripTrailingZeros().toPlainString();
        }
        if (value.isArray()) {
            List<String> elements = new ArrayList<>();
            value.forEach(element -> elements.add(argumentText(element)));
            return String.join(", ", elements);
        }
        if (value.isObject()) {
            List<String> entries = new ArrayList<>();
            value.properties().forEach(entry -> entries.add(entry.getKey() + ": " + argumentText(entry.getValue())));
            return String.join(", ", entries);
        }
        return value.toString();
    }

    /** Absorbs rounding: the cosine of float vectors can land a few ulps outside [-1, 1]. */
    private static double clampCosine(double cosine) {
        return Math.min(1.0, Math.max(-1.0, cosine));
    }
}
