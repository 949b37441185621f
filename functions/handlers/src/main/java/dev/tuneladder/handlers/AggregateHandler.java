package dev.tuneladder.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.metrics.MarkdownReport;
import dev.tuneladder.core.metrics.MetricsDocument;
import dev.tuneladder.core.metrics.MetricsFormatException;
import dev.tuneladder.core.metrics.RoutingMetrics;
import dev.tuneladder.core.metrics.RoutingMetricsState;
import dev.tuneladder.core.report.HtmlReport;
import dev.tuneladder.core.storage.BlobNotFoundException;
import dev.tuneladder.core.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step Functions task {@code aggregate}: merges the partial states that evaluate-batch wrote for a run and writes
 * the run's {@code metrics.json}, {@code report.md} and {@code report.html} under {@code runs/{runId}/}.
 *
 * <p>Input: {@code {runId, name?, partialKeys?}}. {@code partialKeys} lists keys as strings or as the
 * evaluate-batch outputs ({@code {partialKey, ...}}), so a Map state's result array can be passed as it is;
 * without it, every object under {@code runs/{runId}/partials/} is merged (the Distributed Map path, whose results
 * go to a ResultWriter instead of the state output). Keys are merged once each, so a batch listed twice is not
 * counted twice. {@code name} is the run name in the report; default the run id.
 *
 * <p>Output: {@code {runId, metricsKey, reportKey, htmlKey, rows, accuracy, macroF1, partials, rejected,
 * missingPredictions, failedPredictions}}. Merging is exact: the merged metrics equal those of a single pass over
 * all rows (see {@link RoutingMetricsState}).
 */
public final class AggregateHandler extends StepTaskHandler {

    static final String METRICS_FILE = "metrics.json";
    static final String MARKDOWN_FILE = "report.md";
    static final String HTML_FILE = "report.html";

    private static final Logger LOG = LoggerFactory.getLogger(AggregateHandler.class);

    private final BlobStore store;

    /** Builds the S3 client from the environment (see {@link HandlerConfig}). */
    public AggregateHandler() {
        this(runStore(HandlerConfig.fromEnvironment()));
    }

    AggregateHandler(BlobStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    String function() {
        return "aggregate";
    }

    @Override
    ObjectNode handle(TaskInput input, String runId) {
        String name = input.has("name") ? input.text("name") : runId;
        String prefix = runKey(runId, "partials/");
        TreeSet<String> keys = partialKeys(input, prefix);
        if (keys.isEmpty()) {
            throw new InvalidTaskInput("partialKeys", "run '" + runId + "' has no partial states under "
                    + store.name() + prefix + "; run evaluate-batch on the run's items first");
        }

        RoutingMetricsState merged = null;
        long rejected = 0;
        long missing = 0;
        long failed = 0;
        for (String key : keys) {
            JsonNode partial = read(key);
            String source = store.location(key);
            if (partial.path("format").asInt(-1) != EvaluateBatchHandler.PartialState.FORMAT
                    || !runId.equals(partial.path("runId").asText(null)) || !partial.path("state").isObject()) {
                throw new InvalidTaskInput("partialKeys", source + " is not a partial state of run '" + runId
                        + "' in format " + EvaluateBatchHandler.PartialState.FORMAT + "; list only the keys that"
                        + " evaluate-batch returned for this run");
            }
            RoutingMetricsState state;
            try {
                state = RoutingMetricsState.fromJson(partial.get("state"), source);
            } catch (MetricsFormatException e) {
                throw new InvalidTaskInput("partialKeys", e.getMessage());
            }
            try {
                merged = merged == null ? state : merged.merge(state);
            } catch (IllegalArgumentException e) {
                throw new InvalidTaskInput("partialKeys", source + ": " + e.getMessage());
            }
            rejected += partial.path("rejected").asLong();
            missing += partial.path("missingPredictions").asLong();
            failed += partial.path("failedPredictions").asLong();
        }
        if (merged.rows() == 0) {
            throw new InvalidTaskInput("partialKeys", "run '" + runId + "' has no scorable rows: all " + rejected
                    + " items were rejected; see " + store.name() + runKey(runId, "rejects/"));
        }

        RoutingMetrics metrics = merged.result();
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("runId", runId);
        extra.put("partials", keys.size());
        extra.put("rejectedItems", rejected);
        extra.put("missingPredictions", missing);
        extra.put("failedPredictions", failed);
        MetricsDocument document = MetricsDocument.of(MetricsDocument.Run.of(name, metrics, extra));
        String metricsKey = runKey(runId, METRICS_FILE);
        String reportKey = runKey(runId, MARKDOWN_FILE);
        String htmlKey = runKey(runId, HTML_FILE);
        store.write(metricsKey, document.toJson().getBytes(StandardCharsets.UTF_8));
        store.write(reportKey, MarkdownReport.render(document).getBytes(StandardCharsets.UTF_8));
        store.write(htmlKey, HtmlReport.render(document).getBytes(StandardCharsets.UTF_8));
        LOG.info("run aggregated: partials={} rows={} rejected={} accuracy={} macroF1={}", keys.size(),
                metrics.rows(), rejected, metrics.accuracy(), metrics.macro().f1());

        ObjectNode result = MAPPER.createObjectNode();
        result.put("runId", runId);
        result.put("metricsKey", metricsKey);
        result.put("reportKey", reportKey);
        result.put("htmlKey", htmlKey);
        result.put("rows", metrics.rows());
        result.put("accuracy", metrics.accuracy());
        result.put("macroF1", metrics.macro().f1());
        result.put("partials", keys.size());
        result.put("rejected", rejected);
        result.put("missingPredictions", missing);
        result.put("failedPredictions", failed);
        return result;
    }

    private TreeSet<String> partialKeys(TaskInput input, String prefix) {
        TreeSet<String> keys = new TreeSet<>();
        JsonNode listed = input.value("partialKeys");
        if (listed == null) {
            try (Stream<String> stream = store.list(prefix)) {
                stream.filter(key -> key.endsWith(".json")).forEach(keys::add);
            }
            return keys;
        }
        if (!listed.isArray()) {
            throw input.invalid("partialKeys", "must be an array of keys or of evaluate-batch outputs"
                    + " {partialKey}");
        }
        for (int i = 0; i < listed.size(); i++) {
            JsonNode element = listed.get(i);
            JsonNode key = element.isObject() ? element.get("partialKey") : element;
            String field = "partialKeys[" + i + "]" + (element.isObject() ? ".partialKey" : "");
            if (key == null || !key.isTextual() || !key.asText().startsWith(prefix)) {
                throw input.invalid(field, "must be a key under " + prefix + "; got "
                        + (key == null ? "nothing" : key.toString()));
            }
            keys.add(key.asText());
        }
        return keys;
    }

    private JsonNode read(String key) {
        try (InputStream input = store.open(key)) {
            return MAPPER.readTree(input);
        } catch (BlobNotFoundException e) {
            throw new InvalidTaskInput("partialKeys", store.location(key) + " does not exist; list only the keys"
                    + " that evaluate-batch returned, or run it again for the missing batch");
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read " + store.location(key), e);
        }
    }
}
