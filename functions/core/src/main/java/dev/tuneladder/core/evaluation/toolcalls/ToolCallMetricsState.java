package dev.tuneladder.core.evaluation.toolcalls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.AcceptedCall;
import dev.tuneladder.core.data.Expected;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.data.ToolCall;
import dev.tuneladder.core.metrics.AveragedScores;
import dev.tuneladder.core.metrics.ConfidenceInterval;
import dev.tuneladder.core.metrics.LabelScores;
import dev.tuneladder.core.metrics.MetricsFormatException;
import dev.tuneladder.core.metrics.StateJsonFields;
import dev.tuneladder.core.metrics.PoissonBootstrap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Mergeable counts behind {@link ToolCallMetrics}: per-tool call counts, exact plan matches, failure reasons, hard
 * fails, and exact matches per Poisson bootstrap replicate.
 *
 * <p>Per-tool counts compare the multisets of produced and reference tool names of each row, ignoring arguments:
 * for a tool called p times where the reference calls it r times, tp = min(p, r), fp = p − tp and fn = r − tp.
 * Precision, recall and F1 follow from these as in scikit-learn with zero_division=0, over the union of the tools
 * seen in produced and reference calls. An exact plan match is a row that passes {@link ToolCallChecker}.
 *
 * <p>Merging the states of any partition of the rows gives exactly the state of a single pass: every count is an
 * integer sum, each row's bootstrap weights depend only on the seed and its row id, and the sample row ids kept per
 * hard fail are the smallest ids rather than the first seen. Row ids should be unique. Not thread-safe: give each
 * thread its own state and merge them. {@link #toJson()} and {@link #fromJson} carry a state between processes,
 * such as the batches of a distributed map and the task that merges them.
 */
public final class ToolCallMetricsState {

    public static final int DEFAULT_REPLICATES = 1000;
    public static final long DEFAULT_SEED = 42L;
    /** Row ids kept per hard fail when the constructor sets no cap. */
    public static final int DEFAULT_SAMPLE_ROW_IDS = 20;

    private static final double LOWER_PERCENTILE = 0.025;
    private static final double UPPER_PERCENTILE = 0.975;

    private final int replicates;
    private final long seed;
    private final int maxSampleRowIds;

    private long rows;
    private long exactMatches;
    /** Tool name to {true positives, false positives, false negatives} over calls. */
    private final Map<String, long[]> toolCounts = new HashMap<>();
    private final EnumMap<FailureReason, Long> failureReasons = new EnumMap<>(FailureReason.class);
    private final Map<HardFailKey, HardFailCounts> hardFails = new HashMap<>();
    private final long[] weightedRows;
    private final long[] weightedExactMatches;
    private final int[] rowWeights;

    private record HardFailKey(List<String> referenceTools, String calledTool) {
    }

    private static final class HardFailCounts {
        long calls;
        long rows;
        final TreeSet<String> sampleRowIds = new TreeSet<>();
    }

    /** Creates a state with {@value #DEFAULT_REPLICATES} replicates, seed {@value #DEFAULT_SEED} and the default cap. */
    public ToolCallMetricsState() {
        this(DEFAULT_REPLICATES, DEFAULT_SEED, DEFAULT_SAMPLE_ROW_IDS);
    }

    /**
     * Creates an empty state.
     *
     * @param replicates the number of bootstrap replicates, at least 1
     * @param seed the seed of the bootstrap weights
     * @param maxSampleRowIds how many row ids to keep per hard fail, 0 or more
     */
    public ToolCallMetricsState(int replicates, long seed, int maxSampleRowIds) {
        if (replicates < 1) {
            throw new IllegalArgumentException("bootstrap replicates must be at least 1, got " + replicates
                    + "; the default is " + DEFAULT_REPLICATES);
        }
        if (maxSampleRowIds < 0) {
            throw new IllegalArgumentException("maxSampleRowIds must be 0 or more, got " + maxSampleRowIds);
        }
        this.replicates = replicates;
        this.seed = seed;
        this.maxSampleRowIds = maxSampleRowIds;
        this.weightedRows = new long[replicates];
        this.weightedExactMatches = new long[replicates];
        this.rowWeights = new int[replicates];
    }

    public long rows() {
        return rows;
    }

    /**
     * Checks a row and adds it. The reference comes from {@link Expected#acceptedCalls()}, or, when that is empty,
     * from {@link Expected#toolCalls()} taken as exact values (see {@link AcceptedValues#exactly}); a row whose
     * expected outcome lists neither expects no call.
     *
     * @param prediction the planner's output, or null when there is none, which counts as no calls
     * @throws IllegalArgumentException when the row has no expected outcome or its function documents are invalid
     */
    public PlanCheck add(Interaction row, Prediction prediction) {
        Objects.requireNonNull(row, "row");
        Expected expected = row.expected();
        if (expected == null) {
            throw new IllegalArgumentException("row '" + row.id() + "' has no expected outcome, so its tool calls"
                    + " cannot be scored; add expected tool calls or remove the row");
        }
        if (prediction != null && !prediction.id().equals(row.id())) {
            throw new IllegalArgumentException("prediction '" + prediction.id() + "' was passed for row '" + row.id()
                    + "'; join predictions to rows by id");
        }
        List<AcceptedCall> reference = expected.acceptedCalls().isEmpty()
                ? expected.toolCalls().stream().map(AcceptedValues::exactly).toList()
                : expected.acceptedCalls();
        List<ToolCall> produced = prediction == null ? List.of() : prediction.toolCalls();
        return add(row.id(), produced, reference, row.tools());
    }

    /**
     * Checks a row against the offered function documents in their JSON form and adds it.
     *
     * @throws IllegalArgumentException when the row id is blank or a function document is invalid
     */
    public PlanCheck add(String rowId, List<ToolCall> produced, List<AcceptedCall> reference, List<JsonNode> tools) {
        Map<String, FunctionDoc> offered;
        try {
            offered = FunctionDoc.byName(tools);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("row '" + rowId + "': " + e.getMessage(), e);
        }
        return add(rowId, produced, reference, offered);
    }

    /**
     * Checks a row with {@link ToolCallChecker#checkPlan} and adds it; returns the check, whose pairing
     * {@link ArgumentSimilarity} can reuse.
     *
     * @param rowId the row's unique id; it alone determines the row's bootstrap weights
     */
    public PlanCheck add(
            String rowId, List<ToolCall> produced, List<AcceptedCall> reference, Map<String, FunctionDoc> offered) {
        if (rowId == null || rowId.isBlank()) {
            throw new IllegalArgumentException("row id is missing or blank; every row needs a unique id because"
                    + " the id determines its bootstrap weights");
        }
        PlanCheck check = ToolCallChecker.checkPlan(produced, reference, offered);

        rows++;
        PoissonBootstrap.fillWeights(seed, rowId, rowWeights);
        addTo(weightedRows, rowWeights);
        if (check.isExactMatch()) {
            exactMatches++;
            addTo(weightedExactMatches, rowWeights);
        } else {
            failureReasons.merge(check.reason(), 1L, Long::sum);
        }

        Map<String, Integer> producedCounts = countNames(produced.stream().map(ToolCall::name).toList());
        Map<String, Integer> referenceCounts = countNames(reference.stream().map(AcceptedCall::name).toList());
        addToolCounts(producedCounts, referenceCounts);
        addHardFails(rowId, produced, referenceCounts);
        return check;
    }

    private static Map<String, Integer> countNames(List<String> names) {
        Map<String, Integer> counts = new TreeMap<>();
        names.forEach(name -> counts.merge(name, 1, Integer::sum));
        return counts;
    }

    private void addToolCounts(Map<String, Integer> producedCounts, Map<String, Integer> referenceCounts) {
        TreeSet<String> tools = new TreeSet<>(producedCounts.keySet());
        tools.addAll(referenceCounts.keySet());
        for (String tool : tools) {
            int producedCount = producedCounts.getOrDefault(tool, 0);
            int referenceCount = referenceCounts.getOrDefault(tool, 0);
            int truePositives = Math.min(producedCount, referenceCount);
            long[] counts = toolCounts.computeIfAbsent(tool, name -> new long[3]);
            counts[0] += truePositives;
            counts[1] += producedCount - truePositives;
            counts[2] += referenceCount - truePositives;
        }
    }

    private void addHardFails(String rowId, List<ToolCall> produced, Map<String, Integer> referenceCounts) {
        List<String> referenceTools = List.copyOf(referenceCounts.keySet());
        Map<String, Integer> strayCalls = new TreeMap<>();
        for (ToolCall call : produced) {
            if (!referenceCounts.containsKey(call.name())) {
                strayCalls.merge(call.name(), 1, Integer::sum);
            }
        }
        for (Map.Entry<String, Integer> stray : strayCalls.entrySet()) {
            HardFailCounts counts = hardFails.computeIfAbsent(
                    new HardFailKey(referenceTools, stray.getKey()), key -> new HardFailCounts());
            counts.calls += stray.getValue();
            counts.rows++;
            addSampleRowId(counts.sampleRowIds, rowId);
        }
    }

    private void addSampleRowId(TreeSet<String> sample, String rowId) {
        sample.add(rowId);
        if (sample.size() > maxSampleRowIds) {
            sample.pollLast();
        }
    }

    /**
     * Adds every count of {@code other} to this state and returns this state; {@code other} is not changed.
     *
     * @throws IllegalArgumentException when the states differ in seed, replicate count or sample cap
     */
    public ToolCallMetricsState merge(ToolCallMetricsState other) {
        Objects.requireNonNull(other, "other");
        if (other == this) {
            throw new IllegalArgumentException("cannot merge a tool call metrics state with itself; that would count"
                    + " every row twice");
        }
        if (other.seed != seed || other.replicates != replicates || other.maxSampleRowIds != maxSampleRowIds) {
            throw new IllegalArgumentException("cannot merge tool call metrics states with different settings: this"
                    + " state has seed " + seed + ", " + replicates + " replicates and " + maxSampleRowIds
                    + " sample row ids, the other has seed " + other.seed + ", " + other.replicates
                    + " replicates and " + other.maxSampleRowIds + ". Create every partial state with the same"
                    + " settings.");
        }

        rows += other.rows;
        exactMatches += other.exactMatches;
        addTo(weightedRows, other.weightedRows);
        addTo(weightedExactMatches, other.weightedExactMatches);
        other.failureReasons.forEach((reason, count) -> failureReasons.merge(reason, count, Long::sum));
        other.toolCounts.forEach((tool, counts) -> {
            long[] mine = toolCounts.computeIfAbsent(tool, name -> new long[3]);
            for (int i = 0; i < 3; i++) {
                mine[i] += counts[i];
            }
        });
        other.hardFails.forEach((key, counts) -> {
            HardFailCounts mine = hardFails.computeIfAbsent(key, k -> new HardFailCounts());
            mine.calls += counts.calls;
            mine.rows += counts.rows;
            counts.sampleRowIds.forEach(rowId -> addSampleRowId(mine.sampleRowIds, rowId));
        });
        return this;
    }

    /** Version of the JSON form written by {@link #toJson()}; {@link #fromJson} rejects any other. */
    public static final int JSON_FORMAT_VERSION = 1;

    /** The writer that format errors name as the fix. */
    private static final String WRITER = "ToolCallMetricsState.toJson()";

    /**
     * Returns every count of this state as JSON. {@link #fromJson} of the result gives a state that merges and
     * computes exactly as this one does. Tools, failure reasons and hard fails are written in sorted order, so equal
     * states give equal JSON; the weighted counts are arrays of {@code replicates} integers.
     */
    public ObjectNode toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("format", JSON_FORMAT_VERSION);
        root.put("replicates", replicates);
        root.put("seed", seed);
        root.put("maxSampleRowIds", maxSampleRowIds);
        root.put("rows", rows);
        root.put("exactMatches", exactMatches);
        putLongs(root.putArray("weightedRows"), weightedRows);
        putLongs(root.putArray("weightedExactMatches"), weightedExactMatches);

        ArrayNode tools = root.putArray("tools");
        new TreeMap<>(toolCounts).forEach((tool, counts) -> tools.addObject()
                .put("tool", tool).put("tp", counts[0]).put("fp", counts[1]).put("fn", counts[2]));
        ObjectNode reasons = root.putObject("failureReasons");
        failureReasons.forEach((reason, count) -> reasons.put(reason.name(), count));

        ArrayNode hardFailArray = root.putArray("hardFails");
        for (HardFail hardFail : hardFailList()) {
            ObjectNode item = hardFailArray.addObject();
            hardFail.referenceTools().forEach(item.putArray("referenceTools")::add);
            item.put("calledTool", hardFail.calledTool());
            item.put("calls", hardFail.calls());
            item.put("rows", hardFail.rows());
            hardFail.sampleRowIds().forEach(item.putArray("sampleRowIds")::add);
        }
        return root;
    }

    /**
     * Reads a state written by {@link #toJson()}.
     *
     * @param source names the input in error messages, for example an S3 key
     * @throws MetricsFormatException when a field is missing or malformed, naming the field and the source
     */
    public static ToolCallMetricsState fromJson(JsonNode json, String source) {
        Objects.requireNonNull(json, "json");
        long format = requireLong(json, "format", source);
        if (format != JSON_FORMAT_VERSION) {
            throw new MetricsFormatException(source + ": tool call metrics state has format " + format + "; this"
                    + " version reads format " + JSON_FORMAT_VERSION + ". Recompute the partial state with this"
                    + " version.", null);
        }
        ToolCallMetricsState state;
        try {
            state = new ToolCallMetricsState(Math.toIntExact(requireLong(json, "replicates", source)),
                    requireLong(json, "seed", source), Math.toIntExact(requireLong(json, "maxSampleRowIds", source)));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new MetricsFormatException(source + ": invalid settings: " + e.getMessage(), e);
        }
        state.rows = requireLong(json, "rows", source);
        state.exactMatches = requireLong(json, "exactMatches", source);
        readLongs(json, "weightedRows", state.weightedRows, source);
        readLongs(json, "weightedExactMatches", state.weightedExactMatches, source);

        JsonNode tools = requireArray(json, "tools", source);
        for (int i = 0; i < tools.size(); i++) {
            String field = source + " tools[" + i + "]";
            String tool = requireText(tools.get(i), "tool", field);
            long[] counts = {requireLong(tools.get(i), "tp", field), requireLong(tools.get(i), "fp", field),
                    requireLong(tools.get(i), "fn", field)};
            if (state.toolCounts.put(tool, counts) != null) {
                throw new MetricsFormatException(field + ": tool '" + tool + "' appears twice; each tool may appear"
                        + " once", null);
            }
        }

        JsonNode reasons = json.get("failureReasons");
        if (reasons == null || !reasons.isObject()) {
            throw new MetricsFormatException(source + ": field 'failureReasons' is missing or not an object; write"
                    + " the state with ToolCallMetricsState.toJson()", null);
        }
        for (var it = reasons.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            FailureReason reason;
            try {
                reason = FailureReason.valueOf(name);
            } catch (IllegalArgumentException e) {
                throw new MetricsFormatException(source + ": failureReasons has unknown reason '" + name + "'; the"
                        + " reasons are " + Arrays.toString(FailureReason.values()), e);
            }
            state.failureReasons.put(reason, requireLong(reasons, name, source + " failureReasons"));
        }

        JsonNode hardFailArray = requireArray(json, "hardFails", source);
        for (int i = 0; i < hardFailArray.size(); i++) {
            JsonNode item = hardFailArray.get(i);
            String field = source + " hardFails[" + i + "]";
            HardFailKey key = new HardFailKey(requireTexts(item, "referenceTools", field),
                    requireText(item, "calledTool", field));
            HardFailCounts counts = new HardFailCounts();
            counts.calls = requireLong(item, "calls", field);
            counts.rows = requireLong(item, "rows", field);
            counts.sampleRowIds.addAll(requireTexts(item, "sampleRowIds", field));
            if (state.hardFails.put(key, counts) != null) {
                throw new MetricsFormatException(field + ": the hard fail of tool '" + key.calledTool()
                        + "' for reference " + key.referenceTools() + " appears twice; each may appear once", null);
            }
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

    private static String requireText(JsonNode node, String field, String source) {
        return StateJsonFields.requireText(node, field, source, WRITER);
    }

    private static List<String> requireTexts(JsonNode node, String field, String source) {
        return StateJsonFields.requireTexts(node, field, source, WRITER);
    }

    private static JsonNode requireArray(JsonNode node, String field, String source) {
        return StateJsonFields.requireArray(node, field, source, WRITER);
    }

    private static void readLongs(JsonNode node, String field, long[] target, String source) {
        StateJsonFields.readLongs(node, field, target, source, WRITER);
    }

    /**
     * Computes the metrics of the rows added so far. Tools are processed in sorted order, so the result does not
     * depend on the order in which rows were added or states merged. When no tool appears in any call, the micro
     * and macro scores are 0.
     *
     * @throws IllegalStateException when no row was added
     */
    public ToolCallMetrics result() {
        if (rows == 0) {
            throw new IllegalStateException("no rows were added to the tool call metrics state; metrics of an empty"
                    + " evaluation are undefined");
        }
        TreeMap<String, LabelScores> perTool = new TreeMap<>();
        long tpSum = 0;
        long fpSum = 0;
        long fnSum = 0;
        double precisionSum = 0;
        double recallSum = 0;
        double f1Sum = 0;
        for (Map.Entry<String, long[]> entry : new TreeMap<>(toolCounts).entrySet()) {
            long[] counts = entry.getValue();
            LabelScores scores = scores(counts[0], counts[1], counts[2]);
            perTool.put(entry.getKey(), scores);
            tpSum += counts[0];
            fpSum += counts[1];
            fnSum += counts[2];
            precisionSum += scores.precision();
            recallSum += scores.recall();
            f1Sum += scores.f1();
        }
        int tools = perTool.size();
        LabelScores microScores = scores(tpSum, fpSum, fnSum);
        AveragedScores micro = new AveragedScores(microScores.precision(), microScores.recall(), microScores.f1());
        AveragedScores macro = tools == 0 ? new AveragedScores(0, 0, 0)
                : new AveragedScores(clampRate(precisionSum / tools), clampRate(recallSum / tools),
                        clampRate(f1Sum / tools));

        double exactMatchRate = (double) exactMatches / rows;
        return new ToolCallMetrics(rows, exactMatches, exactMatchRate, exactMatchInterval(exactMatchRate), perTool,
                micro, macro, failureReasons, hardFailList(), replicates, seed);
    }

    /**
     * Takes the 2.5th and 97.5th percentiles of the exact match rate over the replicates (see
     * {@link PoissonBootstrap#percentile}). Replicates whose rows all drew weight 0 are skipped; when all are, both
     * bounds equal the point estimate.
     */
    private ConfidenceInterval exactMatchInterval(double exactMatchRate) {
        double[] rates = new double[replicates];
        int kept = 0;
        for (int b = 0; b < replicates; b++) {
            if (weightedRows[b] > 0) {
                rates[kept++] = (double) weightedExactMatches[b] / weightedRows[b];
            }
        }
        if (kept == 0) {
            return new ConfidenceInterval(exactMatchRate, exactMatchRate);
        }
        double[] keptRates = Arrays.copyOf(rates, kept);
        double low = PoissonBootstrap.percentile(keptRates, LOWER_PERCENTILE);
        double high = PoissonBootstrap.percentile(keptRates, UPPER_PERCENTILE);
        return new ConfidenceInterval(clampRate(low), clampRate(high));
    }

    private List<HardFail> hardFailList() {
        List<HardFail> list = new ArrayList<>();
        hardFails.forEach((key, counts) -> list.add(new HardFail(key.referenceTools(), key.calledTool(), counts.calls,
                counts.rows, List.copyOf(counts.sampleRowIds))));
        list.sort(Comparator.comparingLong(HardFail::calls).reversed()
                .thenComparing(hardFail -> String.join("\u0000", hardFail.referenceTools()))
                .thenComparing(HardFail::calledTool));
        return list;
    }

    /** Precision, recall and F1 with zero_division=0; support is tp + fn. */
    private static LabelScores scores(long tp, long fp, long fn) {
        return new LabelScores(divide(tp, tp + fp), divide(tp, tp + fn), divide(2 * tp, 2 * tp + fp + fn), tp + fn);
    }

    private static double divide(long numerator, long denominator) {
        return denominator == 0 ? 0.0 : (double) numerator / denominator;
    }

    /** Absorbs rounding: a mean of values in [0, 1] can land a few ulps outside it, which the records reject. */
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
}
