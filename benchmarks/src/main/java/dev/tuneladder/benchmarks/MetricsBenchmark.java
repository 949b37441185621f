package dev.tuneladder.benchmarks;

import dev.tuneladder.core.comparison.PairedComparison;
import dev.tuneladder.core.comparison.PairedComparisonState;
import dev.tuneladder.core.metrics.RoutingMetrics;
import dev.tuneladder.core.metrics.RoutingMetricsState;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures the mergeable metric states at scale and prints a Markdown table. The main figure is routing metrics
 * with 1,000 Poisson bootstrap replicates over 1,000,000 synthetic rows of 77 labels, on 1 thread and on 2 threads
 * (one partial state per thread, merged at the end). The table also gives the cost of one merge, the heap, and
 * the paired comparison of two runs over the same rows.
 *
 * <p>Rows are generated on the fly from their index (about 90% routed correctly), so no row list is held and the
 * heap stays flat as the row count grows. Each measured pass follows one warmup pass on 100,000 rows. Timings use
 * {@link System#nanoTime()}. Run it from the repository root (the optional first argument is the row count):
 *
 * <pre>
 * mvn -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -Xmx1g -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *     dev.tuneladder.benchmarks.MetricsBenchmark
 * </pre>
 */
public final class MetricsBenchmark {

    private static final int LABELS = 77;
    private static final int REPLICATES = 1000;
    private static final long SEED = 42L;
    private static final int WARMUP_ROWS = 100_000;
    private static final int MERGED_STATES = 200;
    private static final String[] LABEL_NAMES = labelNames();

    private final Map<String, String> results = new LinkedHashMap<>();

    private MetricsBenchmark() {
    }

    public static void main(String[] args) throws InterruptedException, ExecutionException {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        new MetricsBenchmark().run(rows);
    }

    private void run(int rows) throws InterruptedException, ExecutionException {
        results.put("rows / labels / replicates", String.format(Locale.ROOT, "%,d / %d / %,d", rows, LABELS,
                REPLICATES));
        fill(new RoutingMetricsState(REPLICATES, SEED), 0, WARMUP_ROWS).result();

        resetPeakHeap();
        long start = System.nanoTime();
        RoutingMetricsState singleState = fill(new RoutingMetricsState(REPLICATES, SEED), 0, rows);
        RoutingMetrics single = singleState.result();
        results.put("routing metrics + CIs, 1 thread", seconds(System.nanoTime() - start));
        results.put("peak heap, 1 thread (young-generation garbage included)", peakHeapMiB());
        results.put("live heap after GC, holding the filled state", liveHeapMiB(singleState));

        resetPeakHeap();
        start = System.nanoTime();
        RoutingMetrics twoThreads = fillInParallel(rows, 2);
        results.put("routing metrics + CIs, 2 threads (2 partial states merged)", seconds(System.nanoTime() - start));
        results.put("peak heap, 2 threads", peakHeapMiB());
        results.put("2-thread result equals 1-thread result", Boolean.toString(twoThreads.equals(single)));
        results.put("accuracy [95% CI]", String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", single.accuracy(),
                single.ci95().accuracy().low(), single.ci95().accuracy().high()));

        measureMerge();
        measurePairedComparison(rows);
        printTable();
    }

    private static RoutingMetricsState fill(RoutingMetricsState state, int from, int to) {
        for (int i = from; i < to; i++) {
            long bits = mix(i);
            int gold = (int) Long.remainderUnsigned(bits, LABELS);
            int predicted = (bits >>> 40) % 10 == 0 ? (gold + 1 + (int) ((bits >>> 20) % (LABELS - 1))) % LABELS
                    : gold;
            state.add("row-" + i, LABEL_NAMES[gold], LABEL_NAMES[predicted]);
        }
        return state;
    }

    private static RoutingMetrics fillInParallel(int rows, int threads)
            throws InterruptedException, ExecutionException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<RoutingMetricsState>> parts = new ArrayList<>();
            int chunk = (rows + threads - 1) / threads;
            for (int t = 0; t < threads; t++) {
                int from = t * chunk;
                int to = Math.min(rows, from + chunk);
                parts.add(pool.submit(() -> fill(new RoutingMetricsState(REPLICATES, SEED), from, to)));
            }
            RoutingMetricsState merged = parts.get(0).get();
            for (int t = 1; t < threads; t++) {
                merged.merge(parts.get(t).get());
            }
            return merged.result();
        } finally {
            pool.shutdown();
        }
    }

    /** Merges many small partial states, as the aggregate step of a Distributed Map would, and times each merge. */
    private void measureMerge() {
        List<RoutingMetricsState> partials = new ArrayList<>(MERGED_STATES);
        for (int p = 0; p < MERGED_STATES; p++) {
            partials.add(fill(new RoutingMetricsState(REPLICATES, SEED), p * 500, (p + 1) * 500));
        }
        RoutingMetricsState warm = new RoutingMetricsState(REPLICATES, SEED);
        partials.forEach(warm::merge);

        RoutingMetricsState total = new RoutingMetricsState(REPLICATES, SEED);
        long start = System.nanoTime();
        partials.forEach(total::merge);
        long nanos = System.nanoTime() - start;
        results.put("merge of one partial state (77 labels, 1,000 replicates)",
                String.format(Locale.ROOT, "%.1f µs (mean of %d)", nanos / 1e3 / MERGED_STATES, MERGED_STATES));

        start = System.nanoTime();
        total.result();
        results.put("result() of a merged state (percentiles of 1,000 replicates)",
                String.format(Locale.ROOT, "%.1f ms", (System.nanoTime() - start) / 1e6));
    }

    private void measurePairedComparison(int rows) {
        PairedComparisonState state = new PairedComparisonState(REPLICATES, SEED, List.of(), 1000);
        long start = System.nanoTime();
        for (int i = 0; i < rows; i++) {
            long bits = mix(i);
            int gold = (int) Long.remainderUnsigned(bits, LABELS);
            int baseline = (bits >>> 40) % 10 == 0 ? (gold + 1) % LABELS : gold;
            int candidate = (bits >>> 44) % 12 == 0 ? (gold + 2) % LABELS : gold;
            state.add("row-" + i, LABEL_NAMES[gold], LABEL_NAMES[gold], LABEL_NAMES[baseline],
                    LABEL_NAMES[candidate]);
        }
        PairedComparison comparison = state.result();
        results.put("paired comparison, 1 thread (accuracy, macro-F1, McNemar, flips)",
                seconds(System.nanoTime() - start));
        results.put("paired accuracy difference [95% CI]", String.format(Locale.ROOT, "%+.4f [%+.4f, %+.4f]",
                comparison.metric("accuracy").difference(), comparison.metric("accuracy").ci95().low(),
                comparison.metric("accuracy").ci95().high()));
    }

    private static long mix(long index) {
        long z = index * 0x9e3779b97f4a7c15L + 0x632be59bd9b4e019L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static String[] labelNames() {
        String[] names = new String[LABELS];
        for (int i = 0; i < LABELS; i++) {
            names[i] = "intent_" + i;
        }
        return names;
    }

    private static void resetPeakHeap() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** Returns the heap in use after a full collection while {@code state} is still reachable. */
    private static String liveHeapMiB(Object state) {
        System.gc();
        long bytes = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        Reference.reachabilityFence(state);
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    /** Returns the sum of the heap pools' peaks since the last reset, an upper bound of the live heap. */
    private static String peakHeapMiB() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    private void printTable() {
        System.out.printf(Locale.ROOT, "| measure | value |%n|---|---|%n");
        results.forEach((measure, value) -> System.out.printf(Locale.ROOT, "| %s | %s |%n", measure, value));
        System.out.printf(Locale.ROOT, "%nJava %s, %d available processors, max heap %.0f MiB%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() / 1048576.0);
    }
}
