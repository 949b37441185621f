package dev.tuneladder.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.comparison.RowOutcome;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.data.JsonLines;
import dev.tuneladder.core.data.TokenUsage;
import dev.tuneladder.core.metrics.MarkdownReport;
import dev.tuneladder.core.metrics.MetricsDocument;
import dev.tuneladder.core.metrics.RoutingMetrics;
import dev.tuneladder.core.metrics.RoutingMetricsState;
import dev.tuneladder.core.report.HtmlReport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Measures the aggregate step of a Distributed Map evaluation: how long one partial state takes to parse and
 * merge, how large it is, and how much heap the merged run keeps. From these figures follow how many partials one
 * aggregate invocation can merge within Lambda's 15 minutes, and so which batch size an evaluation should use.
 *
 * <p>Each partial is built with the real classes as evaluate-batch builds it in model mode: a
 * {@link RoutingMetricsState} of 1,000 replicates over the 77 BANKING77 labels, plus one {@link RowOutcome} per row
 * with latency, token usage and model id, serialized with the platform's {@link Json#mapper()}. About 90% of the
 * rows are routed correctly and 1% have no prediction. The merge repeats AggregateHandler's loop per partial:
 * {@code readTree} of the bytes, the format checks, {@link RoutingMetricsState#fromJson}, {@code merge}, one
 * {@code treeToValue} per outcome and the duplicate-id check, keeping every outcome for {@code outcomes.jsonl}.
 * Partials are read from memory, so S3 time is not included. The finish (metrics, both reports and the
 * {@code outcomes.jsonl} bytes) is timed once per batch size, written to a stream that only counts bytes.
 *
 * <p>NOTE: the partial layout and the merge loop copy EvaluateBatchHandler and AggregateHandler, which this module
 * cannot depend on because the handlers artifact is a shaded jar. Change this class when either handler changes.
 *
 * <p>Per batch size, one warmup pass and {@value #PASSES} timed passes merge {@value #ROWS_PER_PASS} rows, then an
 * untimed pass measures the live heap after a full collection at a quarter, half and all of the partials. The
 * serialized partials stay in memory for the whole run (about 380 MiB at 100 rows per partial), and the heap
 * figures leave them out. Run it
 * from the repository root (the optional arguments are batch sizes, default 100 500 2000):
 *
 * <pre>
 * mvn -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -Xmx2g -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *     dev.tuneladder.benchmarks.AggregateBenchmark
 * </pre>
 */
public final class AggregateBenchmark {

    private static final ObjectMapper MAPPER = Json.mapper();
    private static final Path LABELS_FILE = Path.of("datasets/banking77/categories.json");
    private static final int REPLICATES = RoutingMetricsState.DEFAULT_REPLICATES;
    private static final long SEED = RoutingMetricsState.DEFAULT_SEED;
    private static final int ROWS_PER_PASS = 100_000;
    private static final int PASSES = 3;
    private static final String RUN_ID = "bench-run";

    /** The value of EvaluateBatchHandler.PartialState.FORMAT, the partial layout this class writes. */
    private static final int PARTIAL_FORMAT = 3;

    /** A made-up imported-model ARN of realistic length. No model is called. */
    private static final String MODEL_ID = "arn:aws:bedrock:us-east-1:123456789012:imported-model/a1b2c3d4e5f6";

    private final String[] labels;
    private final List<String> table = new ArrayList<>();

    private AggregateBenchmark(String[] labels) {
        this.labels = labels;
    }

    public static void main(String[] args) throws IOException {
        int[] batchSizes = args.length == 0 ? new int[] {100, 500, 2000}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        String[] labels = MAPPER.readValue(Files.readString(LABELS_FILE), String[].class);
        AggregateBenchmark benchmark = new AggregateBenchmark(labels);
        for (int batchSize : batchSizes) {
            benchmark.measure(batchSize);
        }
        benchmark.printTable();
    }

    private void measure(int batchSize) {
        int partialCount = ROWS_PER_PASS / batchSize;
        List<byte[]> partials = new ArrayList<>(partialCount);
        long bytes = 0;
        for (int p = 0; p < partialCount; p++) {
            byte[] partial = serializedPartial((long) p * batchSize, batchSize);
            partials.add(partial);
            bytes += partial.length;
        }

        new Aggregation().mergeAll(partials);
        resetPeakHeap();
        long parseNanos = 0;
        long stateNanos = 0;
        long outcomeNanos = 0;
        long slowestNanos = 0;
        Aggregation last = null;
        for (int pass = 0; pass < PASSES; pass++) {
            last = new Aggregation();
            last.mergeAll(partials);
            parseNanos += last.parseNanos;
            stateNanos += last.stateNanos;
            outcomeNanos += last.outcomeNanos;
            slowestNanos = Math.max(slowestNanos, last.slowestNanos);
        }
        String peakHeap = String.format(Locale.ROOT, "%.0f MiB", (peakHeapBytes() - bytes) / 1048576.0);
        long merged = (long) PASSES * partialCount;
        double perPartialMillis = (parseNanos + stateNanos + outcomeNanos) / 1e6 / merged;

        long start = System.nanoTime();
        long outcomesBytes = last.finish();
        double finishSeconds = (System.nanoTime() - start) / 1e9;
        last = null;

        String heap = liveHeapGrowth(partials);

        table.add(String.format(Locale.ROOT, "| %,d | %,d | %.2f MiB | %.2f / %.2f / %.2f ms | %.1f ms | %.1f ms"
                        + " | %,.0f | %,.0f | %s | %s | %.2f s, %.1f MiB |",
                batchSize, partialCount, bytes / 1048576.0 / partialCount,
                parseNanos / 1e6 / merged, stateNanos / 1e6 / merged, outcomeNanos / 1e6 / merged,
                perPartialMillis, slowestNanos / 1e6, 60_000 / perPartialMillis,
                batchSize * 1000 / perPartialMillis, peakHeap, heap, finishSeconds, outcomesBytes / 1048576.0));
    }

    /**
     * Returns the bytes that evaluate-batch writes to {@code runs/{runId}/partials/{batchKey}.json} for a batch of
     * {@code rows} rows in model mode, the rows numbered from {@code firstRow}.
     */
    private byte[] serializedPartial(long firstRow, int rows) {
        RoutingMetricsState state = new RoutingMetricsState(REPLICATES, SEED);
        List<RowOutcome> outcomes = new ArrayList<>(rows);
        long inputTokens = 0;
        long outputTokens = 0;
        for (long i = firstRow; i < firstRow + rows; i++) {
            long bits = mix(i);
            String id = new UUID(bits, mix(~i)).toString();
            String gold = labels[(int) Long.remainderUnsigned(bits, labels.length)];
            String predicted = predictedLabel(bits, gold);
            TokenUsage usage = new TokenUsage(850 + (bits >>> 52) % 200, 4 + (bits >>> 48) % 6, 0, 0);
            state.add(id, gold, predicted);
            outcomes.add(new RowOutcome(id, gold, predicted, gold.equals(predicted), null,
                    150 + (bits >>> 32) % 700, usage, MODEL_ID));
            inputTokens += usage.inputTokens();
            outputTokens += usage.outputTokens();
        }

        ObjectNode partial = MAPPER.createObjectNode();
        partial.put("format", PARTIAL_FORMAT);
        partial.put("runId", RUN_ID);
        partial.put("batchKey", String.format(Locale.ROOT, "%016x%016x", mix(firstRow), mix(firstRow + 1)));
        partial.put("items", rows);
        partial.put("rows", state.rows());
        partial.put("missingPredictions", 0);
        partial.put("failedPredictions", outcomes.stream().filter(o -> o.predicted() == null).count());
        partial.put("rejected", 0);
        partial.put("modelId", MODEL_ID);
        partial.put("promptVersion", "route-v1");
        partial.put("predictionsKey", "runs/" + RUN_ID + "/predictions/" + firstRow + ".jsonl");
        partial.put("modelErrorRows", 0);
        partial.put("inputTokens", inputTokens);
        partial.put("outputTokens", outputTokens);
        partial.put("labelsSource", "trainingManifestKey");
        partial.put("labels", labels.length);
        partial.set("state", state.toJson());
        partial.set("outcomes", MAPPER.valueToTree(outcomes));
        try {
            return MAPPER.writeValueAsBytes(partial);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("failed to serialize a partial state", e);
        }
    }

    /** Returns null (no prediction) for 1% of rows, a wrong label for 9% and the gold label otherwise. */
    private String predictedLabel(long bits, String gold) {
        long draw = (bits >>> 40) % 100;
        if (draw == 0) {
            return null;
        }
        if (draw < 10) {
            String wrong = labels[(int) ((bits >>> 20) % labels.length)];
            return wrong.equals(gold) ? labels[(int) (((bits >>> 20) + 1) % labels.length)] : wrong;
        }
        return gold;
    }

    /**
     * Returns the live heap after a full collection, less the serialized partials, at a quarter, half and all of
     * the partials merged, so a heap that grows with the merged rows shows as growing figures.
     */
    private static String liveHeapGrowth(List<byte[]> partials) {
        int count = partials.size();
        long baseline = liveHeapBytes(partials);
        Aggregation aggregation = new Aggregation();
        List<String> figures = new ArrayList<>();
        int merged = 0;
        for (int checkpoint : new int[] {count / 4, count / 2, count}) {
            aggregation.mergeAll(partials.subList(merged, checkpoint));
            merged = checkpoint;
            figures.add(String.format(Locale.ROOT, "%.1f", (liveHeapBytes(aggregation) - baseline) / 1048576.0));
        }
        long perRow = (liveHeapBytes(aggregation) - baseline) / aggregation.outcomes.size();
        return String.join(" / ", figures) + " MiB (" + perRow + " B per row)";
    }

    /**
     * The state of one aggregate invocation, updated partial by partial as AggregateHandler's loop does, with the
     * time of each step.
     */
    private static final class Aggregation {

        RoutingMetricsState merged;
        final List<RowOutcome> outcomes = new ArrayList<>();
        final Map<String, String> partialById = new HashMap<>();
        long rejected;
        long missing;
        long failed;
        long parseNanos;
        long stateNanos;
        long outcomeNanos;
        long slowestNanos;
        int partials;

        void mergeAll(List<byte[]> serialized) {
            for (byte[] bytes : serialized) {
                merge(bytes);
            }
        }

        void merge(byte[] bytes) {
            String source = "s3://bench/runs/" + RUN_ID + "/partials/" + partials + ".json";
            long start = System.nanoTime();
            JsonNode partial;
            try (InputStream input = new ByteArrayInputStream(bytes)) {
                partial = MAPPER.readTree(input);
            } catch (IOException e) {
                throw new UncheckedIOException("failed to read " + source, e);
            }
            long parsed = System.nanoTime();

            if (partial.path("format").asInt(-1) != PARTIAL_FORMAT || !RUN_ID.equals(partial.path("runId")
                    .asText(null)) || !partial.path("state").isObject()) {
                throw new IllegalStateException(source + " is not a partial state of run " + RUN_ID + " in format "
                        + PARTIAL_FORMAT + "; serializedPartial and this check disagree");
            }
            RoutingMetricsState state = RoutingMetricsState.fromJson(partial.get("state"), source);
            merged = merged == null ? state : merged.merge(state);
            long stateMerged = System.nanoTime();

            JsonNode array = partial.get("outcomes");
            for (int i = 0; i < array.size(); i++) {
                RowOutcome outcome;
                try {
                    outcome = MAPPER.treeToValue(array.get(i), RowOutcome.class);
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(source + ": outcomes[" + i + "] is not a row outcome", e);
                }
                String earlier = partialById.putIfAbsent(outcome.id(), source);
                if (earlier != null) {
                    throw new IllegalStateException("row " + outcome.id() + " is in " + earlier + " and " + source);
                }
                outcomes.add(outcome);
            }
            rejected += partial.path("rejected").asLong();
            missing += partial.path("missingPredictions").asLong();
            failed += partial.path("failedPredictions").asLong();
            long end = System.nanoTime();

            partials++;
            parseNanos += parsed - start;
            stateNanos += stateMerged - parsed;
            outcomeNanos += end - stateMerged;
            slowestNanos = Math.max(slowestNanos, end - start);
        }

        /**
         * Computes the metrics and renders what AggregateHandler writes after its loop, and returns the size of
         * {@code outcomes.jsonl}.
         */
        long finish() {
            RoutingMetrics metrics = merged.result();
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("runId", RUN_ID);
            extra.put("partials", partials);
            extra.put("rejectedItems", rejected);
            extra.put("missingPredictions", missing);
            extra.put("failedPredictions", failed);
            MetricsDocument document = MetricsDocument.of(MetricsDocument.Run.of(RUN_ID, metrics, extra));
            CountingStream sink = new CountingStream();
            try (Writer writer = new OutputStreamWriter(sink, StandardCharsets.UTF_8)) {
                JsonLines.write(writer, outcomes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            long outcomesBytes = sink.count;
            sink.write(document.toJson().getBytes(StandardCharsets.UTF_8));
            sink.write(MarkdownReport.render(document).getBytes(StandardCharsets.UTF_8));
            sink.write(HtmlReport.render(document).getBytes(StandardCharsets.UTF_8));
            return outcomesBytes;
        }
    }

    /** An output stream that discards its bytes and counts them. */
    private static final class CountingStream extends OutputStream {

        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b) {
            count += b.length;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    private static long mix(long index) {
        long z = index * 0x9e3779b97f4a7c15L + 0x632be59bd9b4e019L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Returns the heap in use after a full collection while {@code reachable} is still reachable. */
    private static long liveHeapBytes(Object reachable) {
        System.gc();
        long bytes = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        Reference.reachabilityFence(reachable);
        return bytes;
    }

    private static void resetPeakHeap() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** Returns the sum of the heap pools' peaks since the last reset, an upper bound of the live heap. */
    private static long peakHeapBytes() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes;
    }

    private void printTable() {
        System.out.printf(Locale.ROOT, "%,d rows per pass, %d labels, %,d replicates, %d timed passes%n%n",
                ROWS_PER_PASS, labels.length, REPLICATES, PASSES);
        System.out.printf(Locale.ROOT, "| rows per partial | partials | bytes per partial | parse / state merge"
                + " / outcomes per partial | total per partial | slowest partial | partials per CPU-minute"
                + " | rows per CPU-second | peak heap less the serialized partials"
                + " | live heap after 1/4, 1/2, all partials | finish, outcomes.jsonl |"
                + "%n|---:|---:|---:|---|---:|---:|---:|---:|---:|---|---|%n");
        table.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "%nJava %s, %d available processors, max heap %.0f MiB%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() / 1048576.0);
    }
}
