package dev.tuneladder.core.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Mergeable counts behind {@link RoutingMetrics}: per-label true positives, false positives and false negatives,
 * (gold, predicted) confusion counts, and the same counts weighted per Poisson bootstrap replicate.
 *
 * <p>Merging the states of any partition of the rows gives exactly the state of a single pass, because every
 * count is an integer sum and each row's bootstrap weights depend only on the seed and its row id (see
 * {@link PoissonBootstrap}). Row ids should therefore be unique: two rows with the same id get the same weights.
 *
 * <p>The label set is the union of the labels given at construction, gold labels and predicted labels. Memory is
 * about 3 × replicates × labels longs (1.8 MiB for 1,000 replicates and 77 labels). Not thread-safe: give each
 * thread its own state and merge them.
 */
public final class RoutingMetricsState {

    public static final int DEFAULT_REPLICATES = 1000;
    public static final long DEFAULT_SEED = 42L;

    private static final double LOWER_PERCENTILE = 0.025;
    private static final double UPPER_PERCENTILE = 0.975;

    private final int replicates;
    private final long seed;

    private final Map<String, Integer> indexByLabel = new HashMap<>();
    private final List<LabelCounts> labelCounts = new ArrayList<>();

    /** Counts of wrong predictions keyed by {@code goldIndex << 32 | predictedIndex}. */
    private final Map<Long, Long> confusionCounts = new HashMap<>();

    private long rows;
    private long predictedRows;
    private long correctRows;

    /** Scratch space for one row's replicate weights. */
    private final int[] rowWeights;

    /** Creates a state with {@value #DEFAULT_REPLICATES} replicates and seed {@value #DEFAULT_SEED}. */
    public RoutingMetricsState() {
        this(DEFAULT_REPLICATES, DEFAULT_SEED);
    }

    /** Creates a state whose label set is the labels seen in the rows. */
    public RoutingMetricsState(int replicates, long seed) {
        this(replicates, seed, List.of());
    }

    /**
     * Creates a state whose label set contains {@code labels} even where they have no support and no predictions,
     * plus any other label seen in the rows.
     *
     * @param replicates the number of bootstrap replicates, at least 1
     * @param seed the seed of the bootstrap weights
     */
    public RoutingMetricsState(int replicates, long seed, Collection<String> labels) {
        if (replicates < 1) {
            throw new IllegalArgumentException("bootstrap replicates must be at least 1, got " + replicates
                    + "; the default is " + DEFAULT_REPLICATES);
        }
        Objects.requireNonNull(labels, "labels");
        this.replicates = replicates;
        this.seed = seed;
        this.rowWeights = new int[replicates];
        for (String label : labels) {
            if (label == null || label.isBlank()) {
                throw new IllegalArgumentException("the fixed label list " + labels + " contains a missing or"
                        + " blank label; remove it");
            }
            indexOf(label);
        }
    }

    public int replicates() {
        return replicates;
    }

    public long seed() {
        return seed;
    }

    public long rows() {
        return rows;
    }

    /**
     * Adds one row.
     *
     * @param rowId the row's unique id; it alone determines the row's bootstrap weights
     * @param goldLabel the correct label
     * @param predictedLabel the predicted label, or null when there is no prediction (for example the planner
     *     failed); null counts as wrong and as a false negative of {@code goldLabel}, and as no false positive
     */
    public void add(String rowId, String goldLabel, String predictedLabel) {
        if (rowId == null || rowId.isBlank()) {
            throw new IllegalArgumentException("row id is missing or blank; every row needs a unique id because"
                    + " the id determines its bootstrap weights");
        }
        requireLabel(rowId, "gold label", goldLabel);
        if (predictedLabel != null) {
            requireLabel(rowId, "predicted label", predictedLabel);
        }

        int gold = indexOf(goldLabel);
        int predicted = predictedLabel == null ? -1 : indexOf(predictedLabel);
        PoissonBootstrap.fillWeights(seed, rowId, rowWeights);
        int[] weights = rowWeights;

        rows++;
        LabelCounts goldCounts = labelCounts.get(gold);
        if (predicted == gold) {
            correctRows++;
            predictedRows++;
            goldCounts.truePositives++;
            addTo(goldCounts.weightedTruePositives, weights);
            return;
        }

        goldCounts.falseNegatives++;
        addTo(goldCounts.weightedFalseNegatives, weights);
        if (predicted >= 0) {
            predictedRows++;
            LabelCounts predictedCounts = labelCounts.get(predicted);
            predictedCounts.falsePositives++;
            addTo(predictedCounts.weightedFalsePositives, weights);
            confusionCounts.merge(pairKey(gold, predicted), 1L, Long::sum);
        }
    }

    /**
     * Adds every count of {@code other} to this state and returns this state; {@code other} is not changed.
     *
     * @throws IllegalArgumentException when the two states differ in seed or replicate count, since their
     *     bootstrap replicates would then not describe the same resamples
     */
    public RoutingMetricsState merge(RoutingMetricsState other) {
        Objects.requireNonNull(other, "other");
        if (other == this) {
            throw new IllegalArgumentException("cannot merge a routing metrics state with itself; that would count"
                    + " every row twice");
        }
        if (other.seed != seed || other.replicates != replicates) {
            throw new IllegalArgumentException("cannot merge routing metrics states with different bootstrap"
                    + " settings: this state has seed " + seed + " and " + replicates + " replicates, the other has"
                    + " seed " + other.seed + " and " + other.replicates + " replicates. Create every partial state"
                    + " with the same seed and replicate count.");
        }

        int otherLabelCount = other.labelCounts.size();
        int[] indexInThis = new int[otherLabelCount];
        for (int i = 0; i < otherLabelCount; i++) {
            indexInThis[i] = indexOf(other.labelCounts.get(i).label);
        }
        for (int i = 0; i < otherLabelCount; i++) {
            labelCounts.get(indexInThis[i]).add(other.labelCounts.get(i));
        }
        for (Map.Entry<Long, Long> entry : other.confusionCounts.entrySet()) {
            long key = entry.getKey();
            long translated = pairKey(indexInThis[(int) (key >>> 32)], indexInThis[(int) key]);
            confusionCounts.merge(translated, entry.getValue(), Long::sum);
        }

        rows += other.rows;
        predictedRows += other.predictedRows;
        correctRows += other.correctRows;
        return this;
    }

    /** Version of the JSON form written by {@link #toJson()}; {@link #fromJson} rejects any other. */
    public static final int JSON_FORMAT_VERSION = 1;

    /** The writer that format errors name as the fix. */
    private static final String WRITER = "RoutingMetricsState.toJson()";

    /**
     * Returns every count of this state as JSON, so partial states computed in separate processes (one per batch
     * of a distributed map) can be sent to the process that merges them. {@link #fromJson} of the result gives a
     * state that merges and computes exactly as this one does. Labels are written in first-seen order; the
     * weighted counts are arrays of {@link #replicates()} integers per label.
     */
    public ObjectNode toJson() {
        JsonNodeFactory factory = JsonNodeFactory.instance;
        ObjectNode root = factory.objectNode();
        root.put("format", JSON_FORMAT_VERSION);
        root.put("replicates", replicates);
        root.put("seed", seed);
        root.put("rows", rows);
        root.put("predictedRows", predictedRows);
        root.put("correctRows", correctRows);
        ArrayNode labels = root.putArray("labels");
        for (LabelCounts counts : labelCounts) {
            ObjectNode label = labels.addObject();
            label.put("label", counts.label);
            label.put("tp", counts.truePositives);
            label.put("fp", counts.falsePositives);
            label.put("fn", counts.falseNegatives);
            putLongs(label.putArray("weightedTp"), counts.weightedTruePositives);
            putLongs(label.putArray("weightedFp"), counts.weightedFalsePositives);
            putLongs(label.putArray("weightedFn"), counts.weightedFalseNegatives);
        }
        ArrayNode confusions = root.putArray("confusions");
        for (Map.Entry<Long, Long> entry : new TreeMap<>(confusionCounts).entrySet()) {
            long key = entry.getKey();
            ObjectNode confusion = confusions.addObject();
            confusion.put("gold", (int) (key >>> 32));
            confusion.put("predicted", (int) key);
            confusion.put("count", entry.getValue());
        }
        return root;
    }

    /**
     * Reads a state written by {@link #toJson()}.
     *
     * @param source names the input in error messages, for example an S3 key
     * @throws MetricsFormatException when a field is missing or malformed, naming the field and the source
     */
    public static RoutingMetricsState fromJson(JsonNode json, String source) {
        Objects.requireNonNull(json, "json");
        int format = (int) requireLong(json, "format", source);
        if (format != JSON_FORMAT_VERSION) {
            throw new MetricsFormatException(source + ": routing metrics state has format " + format + "; this"
                    + " version reads format " + JSON_FORMAT_VERSION + ". Recompute the partial state with this"
                    + " version.", null);
        }
        RoutingMetricsState state = new RoutingMetricsState((int) requireLong(json, "replicates", source),
                requireLong(json, "seed", source));
        state.rows = requireLong(json, "rows", source);
        state.predictedRows = requireLong(json, "predictedRows", source);
        state.correctRows = requireLong(json, "correctRows", source);
        JsonNode labels = requireArray(json, "labels", source);
        for (int i = 0; i < labels.size(); i++) {
            JsonNode label = labels.get(i);
            String field = "labels[" + i + "]";
            JsonNode name = label.get("label");
            if (name == null || !name.isTextual() || name.asText().isBlank()) {
                throw new MetricsFormatException(source + ": " + field + ".label is missing or blank; each label"
                        + " entry needs its label text", null);
            }
            if (state.indexByLabel.containsKey(name.asText())) {
                throw new MetricsFormatException(source + ": " + field + ".label '" + name.asText() + "' appears"
                        + " twice; each label may appear once", null);
            }
            LabelCounts counts = state.labelCounts.get(state.indexOf(name.asText()));
            counts.truePositives = requireLong(label, "tp", source + " " + field);
            counts.falsePositives = requireLong(label, "fp", source + " " + field);
            counts.falseNegatives = requireLong(label, "fn", source + " " + field);
            readLongs(label, "weightedTp", counts.weightedTruePositives, source + " " + field);
            readLongs(label, "weightedFp", counts.weightedFalsePositives, source + " " + field);
            readLongs(label, "weightedFn", counts.weightedFalseNegatives, source + " " + field);
        }
        JsonNode confusions = requireArray(json, "confusions", source);
        for (int i = 0; i < confusions.size(); i++) {
            JsonNode confusion = confusions.get(i);
            String field = source + " confusions[" + i + "]";
            long gold = requireLong(confusion, "gold", field);
            long predicted = requireLong(confusion, "predicted", field);
            if (gold < 0 || gold >= state.labelCounts.size() || predicted < 0
                    || predicted >= state.labelCounts.size()) {
                throw new MetricsFormatException(field + ": label index out of range [0, "
                        + state.labelCounts.size() + "); indexes refer to the labels array", null);
            }
            state.confusionCounts.put(pairKey((int) gold, (int) predicted), requireLong(confusion, "count", field));
        }
        return state;
    }

    private static void putLongs(ArrayNode array, long[] values) {
        for (long value : values) {
            array.add(value);
        }
    }

    private static long requireLong(JsonNode node, String field, String source) {
        return StateJsonFields.requireLong(node, field, source, WRITER);
    }

    private static JsonNode requireArray(JsonNode node, String field, String source) {
        return StateJsonFields.requireArray(node, field, source, WRITER);
    }

    private static void readLongs(JsonNode node, String field, long[] target, String source) {
        StateJsonFields.readLongs(node, field, target, source, WRITER);
    }

    /**
     * Computes the metrics of the rows added so far. Labels are processed in sorted order, so the floating-point
     * sums, and therefore the result, do not depend on the order in which rows were added or states merged.
     *
     * @throws IllegalStateException when no row was added
     */
    public RoutingMetrics result() {
        if (rows == 0) {
            throw new IllegalStateException("no rows were added to the routing metrics state; metrics of an empty"
                    + " evaluation are undefined");
        }
        List<LabelCounts> sorted = new ArrayList<>(labelCounts);
        sorted.sort((a, b) -> a.label.compareTo(b.label));

        TreeMap<String, LabelScores> perLabel = new TreeMap<>();
        long tpSum = 0;
        long fpSum = 0;
        long fnSum = 0;
        double precisionSum = 0;
        double recallSum = 0;
        double f1Sum = 0;
        double weightedPrecisionSum = 0;
        double weightedRecallSum = 0;
        double weightedF1Sum = 0;
        long supportSum = 0;
        for (LabelCounts counts : sorted) {
            LabelScores scores = counts.scores();
            perLabel.put(counts.label, scores);
            tpSum += counts.truePositives;
            fpSum += counts.falsePositives;
            fnSum += counts.falseNegatives;
            precisionSum += scores.precision();
            recallSum += scores.recall();
            f1Sum += scores.f1();
            weightedPrecisionSum += scores.support() * scores.precision();
            weightedRecallSum += scores.support() * scores.recall();
            weightedF1Sum += scores.support() * scores.f1();
            supportSum += scores.support();
        }

        int labelCount = sorted.size();
        AveragedScores micro = new AveragedScores(Rates.divide(tpSum, tpSum + fpSum),
                Rates.divide(tpSum, tpSum + fnSum), Rates.divide(2 * tpSum, 2 * tpSum + fpSum + fnSum));
        AveragedScores macro = new AveragedScores(clampRate(precisionSum / labelCount),
                clampRate(recallSum / labelCount), clampRate(f1Sum / labelCount));
        AveragedScores weighted = new AveragedScores(clampRate(weightedPrecisionSum / supportSum),
                clampRate(weightedRecallSum / supportSum), clampRate(weightedF1Sum / supportSum));
        double accuracy = Rates.divide(correctRows, rows);

        RoutingCi95 ci95 = bootstrapIntervals(sorted, accuracy, macro.f1());
        return new RoutingMetrics(rows, predictedRows, accuracy, micro, macro, weighted, perLabel, confusions(),
                ci95, replicates, seed);
    }

    /**
     * Computes accuracy and macro-F1 in every replicate and takes the 2.5th and 97.5th percentiles (see
     * {@link PoissonBootstrap#percentile}). Every row adds its weight to exactly one of its gold label's TP or FN.
     * So a replicate's weighted row count is the sum over labels of TP + FN and its weighted correct count the sum
     * of TP, and add() updates one or two arrays per row instead of keeping those sums too. Macro-F1 of a replicate averages over the full label set, so a label
     * whose rows all drew weight 0 contributes F1 = 0, as it would in scikit-learn given that label list.
     * Replicates whose rows all drew weight 0 have no accuracy and are skipped; that happens with probability
     * e^-n for n rows. When every replicate is skipped, both bounds equal the point estimate.
     */
    private RoutingCi95 bootstrapIntervals(List<LabelCounts> sortedLabels, double accuracy, double macroF1) {
        double[] f1Sums = new double[replicates];
        long[] weightedCorrect = new long[replicates];
        long[] weightedRows = new long[replicates];
        for (LabelCounts counts : sortedLabels) {
            long[] tp = counts.weightedTruePositives;
            long[] fp = counts.weightedFalsePositives;
            long[] fn = counts.weightedFalseNegatives;
            for (int b = 0; b < replicates; b++) {
                f1Sums[b] += Rates.divide(2 * tp[b], 2 * tp[b] + fp[b] + fn[b]);
                weightedCorrect[b] += tp[b];
                weightedRows[b] += tp[b] + fn[b];
            }
        }

        double[] accuracies = new double[replicates];
        double[] macroF1s = new double[replicates];
        int keptReplicates = 0;
        for (int b = 0; b < replicates; b++) {
            if (weightedRows[b] == 0) {
                continue;
            }
            accuracies[keptReplicates] = (double) weightedCorrect[b] / weightedRows[b];
            macroF1s[keptReplicates] = clampRate(f1Sums[b] / sortedLabels.size());
            keptReplicates++;
        }
        if (keptReplicates == 0) {
            return new RoutingCi95(new ConfidenceInterval(accuracy, accuracy), new ConfidenceInterval(macroF1, macroF1));
        }
        return new RoutingCi95(interval(Arrays.copyOf(accuracies, keptReplicates)),
                interval(Arrays.copyOf(macroF1s, keptReplicates)));
    }

    private static ConfidenceInterval interval(double[] replicateValues) {
        double low = PoissonBootstrap.percentile(replicateValues, LOWER_PERCENTILE);
        double high = PoissonBootstrap.percentile(replicateValues, UPPER_PERCENTILE);
        return new ConfidenceInterval(clampRate(low), clampRate(high));
    }

    private List<Confusion> confusions() {
        List<Confusion> confusions = new ArrayList<>(confusionCounts.size());
        for (Map.Entry<Long, Long> entry : confusionCounts.entrySet()) {
            long key = entry.getKey();
            String gold = labelCounts.get((int) (key >>> 32)).label;
            String predicted = labelCounts.get((int) key).label;
            confusions.add(new Confusion(gold, predicted, entry.getValue()));
        }
        return confusions;
    }

    private int indexOf(String label) {
        Integer index = indexByLabel.get(label);
        if (index != null) {
            return index;
        }
        int added = labelCounts.size();
        indexByLabel.put(label, added);
        labelCounts.add(new LabelCounts(label, replicates));
        return added;
    }

    private static long pairKey(int gold, int predicted) {
        return ((long) gold << 32) | (predicted & 0xffffffffL);
    }

    /**
     * Absorbs rounding: a mean of values in [0, 1] can land a few ulps outside it, which the records reject.
     */
    private static double clampRate(double value) {
        return Math.min(1.0, Math.max(0.0, value));
    }

    private static void addTo(long[] sums, int[] weights) {
        for (int b = 0; b < sums.length; b++) {
            sums[b] += weights[b];
        }
    }

    private static void addTo(long[] sums, long[] values) {
        for (int b = 0; b < sums.length; b++) {
            sums[b] += values[b];
        }
    }

    private static void requireLabel(String rowId, String field, String label) {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("row '" + rowId + "': " + field + " is " + (label == null ? "missing"
                    : "blank") + "; pass a non-blank label, or null as the predicted label when there is no"
                    + " prediction");
        }
    }

    /** Exact and per-replicate weighted counts of one label. */
    private static final class LabelCounts {

        final String label;
        long truePositives;
        long falsePositives;
        long falseNegatives;
        final long[] weightedTruePositives;
        final long[] weightedFalsePositives;
        final long[] weightedFalseNegatives;

        LabelCounts(String label, int replicates) {
            this.label = label;
            this.weightedTruePositives = new long[replicates];
            this.weightedFalsePositives = new long[replicates];
            this.weightedFalseNegatives = new long[replicates];
        }

        void add(LabelCounts other) {
            truePositives += other.truePositives;
            falsePositives += other.falsePositives;
            falseNegatives += other.falseNegatives;
            addTo(weightedTruePositives, other.weightedTruePositives);
            addTo(weightedFalsePositives, other.weightedFalsePositives);
            addTo(weightedFalseNegatives, other.weightedFalseNegatives);
        }

        LabelScores scores() {
            long tp = truePositives;
            return new LabelScores(Rates.divide(tp, tp + falsePositives), Rates.divide(tp, tp + falseNegatives),
                    Rates.divide(2 * tp, 2 * tp + falsePositives + falseNegatives), tp + falseNegatives);
        }
    }
}
