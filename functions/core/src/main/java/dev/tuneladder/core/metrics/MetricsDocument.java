package dev.tuneladder.core.metrics;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.tuneladder.core.data.Json;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The content of a metrics.json file: one entry per run, each with its routing and/or tool-call metrics, latency,
 * cost and free-form extras.
 *
 * <p>The JSON layout is a stable contract that reports and comparisons read:
 * <pre>{@code
 * {"runs": [{"name": "...",
 *            "routing": {"rows", "accuracy", "macroF1", "microF1", "weightedF1", "macroPrecision", "macroRecall",
 *                        "ci95": {"accuracy": {"low", "high"}, "macroF1": {"low", "high"}},
 *                        "perLabel": {label: {"precision", "recall", "f1", "support"}},
 *                        "topConfusions": [{"gold", "predicted", "count"}]},
 *            "toolCalls": {"rows", "exactMatches", "exactMatchRate", "exactMatchRateCi95": {"low", "high"},
 *                          "micro": {"precision", "recall", "f1"}, "macro": {...},
 *                          "failureReasons": {reason: rows},
 *                          "perTool": {tool: {"precision", "recall", "f1", "support"}},
 *                          "hardFails": [{"referenceTools", "calledTool", "calls", "rows", "sampleRowIds"}],
 *                          "argumentSimilarity": {"embeddingModel", "lowSimilarityThreshold", "rows",
 *                                                 "scoredRows", "meanRowCosine", "lowSimilarityRows",
 *                                                 "sampleLowSimilarityRowIds"}},
 *            "latency": {stage: {"count", "minMillis", "maxMillis", "meanMillis", "p50Millis", "p90Millis",
 *                                "p95Millis", "p99Millis"}},
 *            "latencyHistogram": [{"aboveMillis", "upToMillis", "count"}],
 *            "cost": {"rows", "correctRows", "tokens": {"inputTokens", "outputTokens", "cacheReadTokens",
 *                     "cacheWriteTokens"}, "currency", "cost", "costPerCorrect", "costByModel": {model: cost}},
 *            "extra": {...}}]}
 * }</pre>
 * A run has a routing section, a tool-call section or both. Every other section is left out when absent, so a
 * routing run without latency, cost or extras is written exactly as before those sections existed. Keys are
 * written in that order, map keys (labels, tools, reasons, stages and extras) sorted, two-space indents and "\n"
 * line ends on every platform, so the same metrics give the same bytes.
 *
 * @param runs the runs, at least one, with unique names
 */
@JsonPropertyOrder({"runs"})
public record MetricsDocument(List<Run> runs) {

    private static final ObjectWriter WRITER = Json.mapper().writer(prettyPrinter());

    public MetricsDocument {
        Objects.requireNonNull(runs, "metrics document field 'runs' is missing");
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("metrics document has no runs; it must list at least one run");
        }
        Set<String> names = new HashSet<>();
        for (Run run : runs) {
            Objects.requireNonNull(run, "metrics document lists a null run");
            if (!names.add(run.name())) {
                throw new IllegalArgumentException("metrics document has two runs named '" + run.name()
                        + "'; give each run a unique name");
            }
        }
        runs = List.copyOf(runs);
    }

    /** Creates a document of one run. */
    public static MetricsDocument of(Run run) {
        return new MetricsDocument(List.of(run));
    }

    /**
     * Returns the run named {@code name}.
     *
     * @throws IllegalArgumentException when there is none; the message lists the run names
     */
    public Run run(String name) {
        for (Run run : runs) {
            if (run.name().equals(name)) {
                return run;
            }
        }
        throw new IllegalArgumentException("no run named '" + name + "'; the runs are "
                + runs.stream().map(Run::name).toList());
    }

    /** Returns the document as pretty-printed JSON ending in a line break. */
    public String toJson() {
        try {
            return WRITER.writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metrics document could not be written as JSON: " + e.getOriginalMessage(),
                    e);
        }
    }

    /** Writes {@link #toJson()} to {@code out}; the caller owns and closes {@code out}. */
    public void write(Writer out) {
        try {
            out.write(toJson());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("failed to write the metrics document", e);
        }
    }

    /**
     * Reads a document written by {@link #write}. Unknown keys are rejected, so a typo does not silently drop a
     * field.
     *
     * @param source the file name used in error messages
     * @throws MetricsFormatException when the content is not valid JSON or breaks the contract
     */
    public static MetricsDocument read(Reader in, String source) {
        try {
            return Json.mapper().readValue(in, MetricsDocument.class);
        } catch (JsonProcessingException e) {
            String location = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new MetricsFormatException(source + " is not a valid metrics document" + location + ": "
                    + e.getOriginalMessage() + ". Regenerate it, or fix it to match the metrics.json layout.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read metrics document " + source, e);
        }
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER);
        return new DefaultPrettyPrinter(separators)
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
    }

    /**
     * One evaluated run.
     *
     * @param name the run's name, unique within the document
     * @param routing its routing metrics, or null when its rows carry no intent labels
     * @param toolCalls its planner metrics over tool calls, or null when its rows carry no expected tool calls
     * @param latency latency percentiles per stage (see {@link LatencyState}), such as
     *     {@value LatencyState#END_TO_END}; empty when no prediction recorded a latency
     * @param latencyHistogram end-to-end latencies in 1-2-5 bins (see {@link LatencyState#histogram}); empty
     *     when no prediction recorded a latency
     * @param cost token counts and their cost, or null when no price table was given
     * @param extra free-form JSON values such as the config and timings; empty when absent. Numbers read back as
     *     the smallest fitting type (Integer, Long, Double), so a Long that fits an int comes back as an Integer
     */
    @JsonPropertyOrder({"name", "routing", "toolCalls", "latency", "latencyHistogram", "cost", "extra"})
    public record Run(
            String name,
            @JsonInclude(JsonInclude.Include.NON_NULL) RoutingSummary routing,
            @JsonInclude(JsonInclude.Include.NON_NULL) ToolCallSummary toolCalls,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, LatencySummary> latency,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<LatencyBin> latencyHistogram,
            @JsonInclude(JsonInclude.Include.NON_NULL) UsageCost cost,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> extra) {

        @JsonCreator
        public Run {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("run name is missing or blank; give every run a name");
            }
            if (routing == null && toolCalls == null) {
                throw new IllegalArgumentException("run '" + name + "' has neither a 'routing' nor a 'toolCalls'"
                        + " section; every run needs at least one of them");
            }
            latency = latency == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(latency));
            for (Map.Entry<String, LatencySummary> entry : latency.entrySet()) {
                Objects.requireNonNull(entry.getValue(), () -> "run '" + name + "' latency stage '" + entry.getKey()
                        + "' is null");
            }
            latencyHistogram = latencyHistogram == null ? List.of() : List.copyOf(latencyHistogram);
            extra = extra == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(extra));
        }

        /** Creates a routing run with no tool-call, latency or cost section. */
        public Run(String name, RoutingSummary routing, Map<String, Object> extra) {
            this(name, routing, null, Map.of(), List.of(), null, extra);
        }

        /** Creates a run from metrics, keeping {@value RoutingSummary#DEFAULT_TOP_CONFUSIONS} confusions. */
        public static Run of(String name, RoutingMetrics metrics, Map<String, Object> extra) {
            return new Run(name, RoutingSummary.of(metrics), extra);
        }

        /** Returns a copy of this run with the latency percentiles per stage and the end-to-end histogram. */
        public Run withLatency(Map<String, LatencySummary> latencyByStage, List<LatencyBin> endToEndHistogram) {
            return new Run(name, routing, toolCalls, latencyByStage, endToEndHistogram, cost, extra);
        }

        /** Returns a copy of this run with {@code usageCost} as its cost section. */
        public Run withCost(UsageCost usageCost) {
            return new Run(name, routing, toolCalls, latency, latencyHistogram, usageCost, extra);
        }
    }
}
