package dev.tuneladder.benchmarks;

import dev.tuneladder.core.embedding.Vectors;
import dev.tuneladder.core.index.IndexedExample;
import dev.tuneladder.core.index.SearchHit;
import dev.tuneladder.local.LuceneHnswIndex;
import dev.tuneladder.local.OnnxMiniLmEmbedder;
import java.io.IOException;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Measures the local adapters on BANKING77 and prints a Markdown table. The train split gives embedding throughput
 * at 1 and 2 threads and the HNSW build and merge time. The test split gives single-query embedding latency, search
 * latency, and recall@10 against brute force. Peak memory closes the table.
 *
 * <p>Timings use {@link System#nanoTime()} after a warmup pass of each operation. Run it from the repository root
 * (the optional first argument is the BANKING77 folder, default {@code datasets/banking77}):
 *
 * <pre>
 * mvn -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -Xmx2g -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *     dev.tuneladder.benchmarks.LocalAdaptersBenchmark
 * </pre>
 */
public final class LocalAdaptersBenchmark {

    private static final int K = 10;
    private static final int WARMUP_TEXTS = 256;
    private static final int WARMUP_SEARCHES = 300;

    private final Map<String, String> results = new LinkedHashMap<>();

    private LocalAdaptersBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path banking77 = Path.of(args.length > 0 ? args[0] : "datasets/banking77");
        new LocalAdaptersBenchmark().run(banking77);
    }

    private void run(Path banking77) throws IOException {
        List<CSVRecord> train = readRows(banking77.resolve("train.csv"));
        List<CSVRecord> test = readRows(banking77.resolve("test.csv"));
        List<String> trainTexts = train.stream().map(row -> row.get("text")).toList();
        List<String> testTexts = test.stream().map(row -> row.get("text")).toList();
        results.put("train rows / test queries", train.size() + " / " + test.size());

        List<float[]> trainVectors = measureEmbedding(trainTexts);
        List<float[]> queryVectors = measureQueryEmbedding(testTexts);

        List<IndexedExample> examples = new ArrayList<>(train.size());
        for (int i = 0; i < train.size(); i++) {
            CSVRecord row = train.get(i);
            examples.add(new IndexedExample("train-" + i, row.get("text"), row.get("category"), trainVectors.get(i)));
        }
        measureIndex(examples, trainVectors, queryVectors);

        recordPeakMemory();
        printTable(banking77);
    }

    private List<float[]> measureEmbedding(List<String> texts) {
        List<float[]> oneThreadVectors;
        try (OnnxMiniLmEmbedder embedder = OnnxMiniLmEmbedder.builder().threads(1).build()) {
            embedder.embedAll(texts.subList(0, WARMUP_TEXTS));
            long start = System.nanoTime();
            oneThreadVectors = embedder.embedAll(texts);
            results.put("embedding throughput, 1 thread (batch 64)", rate(texts.size(), System.nanoTime() - start));
        }

        List<float[]> twoThreadVectors;
        try (OnnxMiniLmEmbedder embedder = OnnxMiniLmEmbedder.builder().threads(2).build()) {
            embedder.embedAll(texts.subList(0, WARMUP_TEXTS));
            long start = System.nanoTime();
            twoThreadVectors = embedder.embedAll(texts);
            results.put("embedding throughput, 2 threads (batch 64)", rate(texts.size(), System.nanoTime() - start));
        }

        int differing = 0;
        for (int i = 0; i < texts.size(); i++) {
            if (!Arrays.equals(oneThreadVectors.get(i), twoThreadVectors.get(i))) {
                differing++;
            }
        }
        results.put("train vectors differing between 1 and 2 threads", Integer.toString(differing));
        return oneThreadVectors;
    }

    /** Embeds each query alone, as a retrieval router would per request, and records the per-call latency. */
    private List<float[]> measureQueryEmbedding(List<String> queries) {
        try (OnnxMiniLmEmbedder embedder = new OnnxMiniLmEmbedder()) {
            for (String query : queries.subList(0, WARMUP_TEXTS)) {
                embedder.embed(query);
            }
            List<float[]> vectors = new ArrayList<>(queries.size());
            long[] nanos = new long[queries.size()];
            for (int i = 0; i < queries.size(); i++) {
                long start = System.nanoTime();
                vectors.add(embedder.embed(queries.get(i)));
                nanos[i] = System.nanoTime() - start;
            }
            results.put("single-query embedding latency p50 / p99", percentiles(nanos));
            return vectors;
        }
    }

    private void measureIndex(List<IndexedExample> examples, List<float[]> rowVectors, List<float[]> queries)
            throws IOException {
        Path folder = Files.createTempDirectory("tuneladder-bench-index");
        try (LuceneHnswIndex index = LuceneHnswIndex.open(folder, OnnxMiniLmEmbedder.MODEL_ID,
                OnnxMiniLmEmbedder.DIMENSIONS)) {
            long start = System.nanoTime();
            index.upsert(examples);
            index.commit();
            results.put("index build, " + examples.size() + " rows (M=16, beamWidth=100), upsert + commit",
                    seconds(System.nanoTime() - start));

            List<Set<String>> exact = bruteForce(rowVectors, queries);
            measureSearch(index, queries, exact, "before merge");

            start = System.nanoTime();
            index.forceMerge(1);
            index.commit();
            results.put("forceMerge(1) + commit", seconds(System.nanoTime() - start));
            results.put("index size on disk", String.format(Locale.ROOT, "%.1f MiB", folderBytes(folder) / 1048576.0));

            measureSearch(index, queries, exact, "after forceMerge(1)");
        } finally {
            deleteFolder(folder);
        }
    }

    private void measureSearch(LuceneHnswIndex index, List<float[]> queries, List<Set<String>> exact, String phase) {
        for (int i = 0; i < WARMUP_SEARCHES; i++) {
            index.search(queries.get(i % queries.size()), K, null);
        }

        long[] nanos = new long[queries.size()];
        long found = 0;
        for (int i = 0; i < queries.size(); i++) {
            long start = System.nanoTime();
            List<SearchHit> hits = index.search(queries.get(i), K, null);
            nanos[i] = System.nanoTime() - start;
            for (SearchHit hit : hits) {
                if (exact.get(i).contains(hit.id())) {
                    found++;
                }
            }
        }
        results.put("search latency k=10 p50 / p99, " + phase, percentiles(nanos));
        results.put("recall@10 vs brute force, " + phase,
                String.format(Locale.ROOT, "%.4f", found / (double) (queries.size() * K)));
    }

    /** Returns, for each query, the ids of the K rows with the highest dot product (exact search). */
    private static List<Set<String>> bruteForce(List<float[]> rows, List<float[]> queries) {
        List<Set<String>> exact = new ArrayList<>(queries.size());
        for (float[] query : queries) {
            PriorityQueue<double[]> top = new PriorityQueue<>(Comparator.comparingDouble((double[] e) -> e[0]));
            for (int i = 0; i < rows.size(); i++) {
                top.add(new double[] {Vectors.dot(query, rows.get(i)), i});
                if (top.size() > K) {
                    top.poll();
                }
            }
            Set<String> ids = new HashSet<>();
            for (double[] entry : top) {
                ids.add("train-" + (int) entry[1]);
            }
            exact.add(ids);
        }
        return exact;
    }

    /**
     * Records the sum of each heap pool's peak use, an upper bound on the true peak because the pools need not peak
     * at the same moment. Also records the process's peak resident set, which counts ONNX Runtime's native memory.
     */
    private void recordPeakMemory() throws IOException {
        long heapPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPeak += pool.getPeakUsage().getUsed();
            }
        }
        results.put("peak heap (sum of pool peaks), -Xmx " + Runtime.getRuntime().maxMemory() / 1048576 + " MiB",
                heapPeak / 1048576 + " MiB");

        Path status = Path.of("/proc/self/status");
        if (Files.exists(status)) {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    results.put("peak resident set (VmHWM)", kib / 1024 + " MiB");
                }
            }
        }
    }

    private void printTable(Path banking77) {
        System.out.println("Machine: " + Runtime.getRuntime().availableProcessors() + " CPUs, Java "
                + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + "; data: " + banking77);
        System.out.println();
        System.out.println("| measure | value |");
        System.out.println("|---|---|");
        results.forEach((measure, value) -> System.out.println("| " + measure + " | " + value + " |"));
    }

    private static List<CSVRecord> readRows(Path csv) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            return format.parse(reader).getRecords();
        }
    }

    private static String rate(int count, long nanos) {
        return String.format(Locale.ROOT, "%.0f sentences/s (%d in %.1f s)", count / (nanos / 1e9), count, nanos / 1e9);
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    /** Formats the 50th and 99th percentiles by the nearest-rank method, in milliseconds. */
    private static String percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "%.2f ms / %.2f ms", nearestRank(sorted, 0.50) / 1e6,
                nearestRank(sorted, 0.99) / 1e6);
    }

    private static long nearestRank(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    private static long folderBytes(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            long total = 0;
            for (Path file : files.toList()) {
                total += Files.size(file);
            }
            return total;
        }
    }

    private static void deleteFolder(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
