package dev.tuneladder.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.tuneladder.core.embedding.Vectors;
import dev.tuneladder.core.index.IndexedExample;
import dev.tuneladder.core.index.SearchHit;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HNSW search against brute force on real BANKING77 utterances embedded with the real model. */
class LuceneHnswIndexRecallTest {

    private static final Path BANKING77 = Path.of("../../datasets/banking77");
    private static final int INDEXED_ROWS = 2_000;
    private static final int QUERIES = 200;
    private static final int K = 10;

    @TempDir
    Path folder;

    @Test
    void recallAt10_atLeast095AgainstBruteForce() throws IOException {
        List<CSVRecord> train = readRows(BANKING77.resolve("train.csv"), INDEXED_ROWS);
        List<CSVRecord> test = readRows(BANKING77.resolve("test.csv"), QUERIES);

        List<float[]> rowVectors;
        List<float[]> queryVectors;
        try (OnnxMiniLmEmbedder embedder = OnnxMiniLmEmbedder.builder().threads(2).build()) {
            rowVectors = embedder.embedAll(train.stream().map(r -> r.get("text")).toList());
            queryVectors = embedder.embedAll(test.stream().map(r -> r.get("text")).toList());
        }

        List<IndexedExample> examples = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            CSVRecord row = train.get(i);
            examples.add(new IndexedExample("train-" + i, row.get("text"), row.get("category"), rowVectors.get(i)));
        }

        int found = 0;
        try (LuceneHnswIndex index = LuceneHnswIndex.open(folder, OnnxMiniLmEmbedder.MODEL_ID,
                OnnxMiniLmEmbedder.DIMENSIONS)) {
            index.upsert(examples);
            index.commit();
            assertThat(index.size()).isEqualTo(INDEXED_ROWS);

            for (float[] query : queryVectors) {
                List<SearchHit> hits = index.search(query, K, null);
                Set<String> exact = bruteForceTopK(rowVectors, query);
                for (SearchHit hit : hits) {
                    if (exact.contains(hit.id())) {
                        found++;
                    }
                    int row = Integer.parseInt(hit.id().substring("train-".length()));
                    assertThat(hit.similarity()).isCloseTo(Vectors.dot(query, rowVectors.get(row)), offset(1e-5));
                }
            }
        }

        double recall = found / (double) (QUERIES * K);
        assertThat(recall).as("recall@%d over %d queries", K, QUERIES).isGreaterThanOrEqualTo(0.99);
    }

    private static Set<String> bruteForceTopK(List<float[]> rows, float[] query) {
        Set<String> ids = new HashSet<>();
        IntStream.range(0, rows.size())
                .boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> Vectors.dot(query, rows.get(i))).reversed())
                .limit(K)
                .forEach(i -> ids.add("train-" + i));
        return ids;
    }

    private static List<CSVRecord> readRows(Path csv, int limit) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            return format.parse(reader).stream().limit(limit).toList();
        }
    }
}
