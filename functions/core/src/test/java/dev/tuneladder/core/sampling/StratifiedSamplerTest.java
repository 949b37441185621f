package dev.tuneladder.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.data.Turn;
import dev.tuneladder.core.embedding.Vectors;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StratifiedSamplerTest {

    private static final List<String> STRATA = List.of("card_lost", "balance", Strata.MISSING, "refund");
    private static final List<Integer> SIZES = List.of(60, 41, 9, 23);

    private static SyntheticData.Dataset dataset(long seed, boolean crossStratumCopies) {
        return SyntheticData.dataset(seed, STRATA, SIZES, 5, crossStratumCopies);
    }

    @Test
    void split_sameInputAndSeed_byteIdenticalOutputs() {
        SyntheticData.Dataset data = dataset(1, true);
        SamplerConfig config = SamplerConfig.defaults().withClustersPerStratum(4).withPerCluster(2);
        Map<String, String> checksums = Map.of("interactions.jsonl", "sha256:abc", "vectors.bin", "sha256:def");

        List<String> first = serialize(StratifiedSampler.split(data.interactions(), data.vectors(), config,
                "all-MiniLM-L6-v2", checksums));
        List<String> second = serialize(StratifiedSampler.split(data.interactions(), data.vectors(), config,
                "all-MiniLM-L6-v2", checksums));

        assertThat(second.get(0)).isEqualTo(first.get(0));
        assertThat(second.get(1)).isEqualTo(first.get(1));
        assertThat(second.get(2)).isEqualTo(first.get(2));
        assertThat(second.get(3)).isEqualTo(first.get(3));
        assertThat(first.get(3)).contains("\"embeddingModelId\" : \"all-MiniLM-L6-v2\"", "sha256:abc")
                .doesNotContain("\r");
    }

    @Test
    void split_storedClusterings_sameAsOneCall() {
        SyntheticData.Dataset data = dataset(5, true);
        Map<String, String> checksums = Map.of("interactions.jsonl", "sha256:abc");
        // One iteration leaves most strata unconverged, which takes the other centroid path of KMeans.fit.
        for (SamplerConfig config : List.of(SamplerConfig.defaults().withClustersPerStratum(4).withPerCluster(2),
                SamplerConfig.defaults().withClustersPerStratum(6).withMaxIterations(1))) {
            List<String> oneCall = serialize(StratifiedSampler.split(data.interactions(), data.vectors(), config,
                    "model-x", checksums));

            SortedMap<String, Clustering> rebuilt = new TreeMap<>();
            StratifiedSampler.cluster(data.interactions(), data.vectors(), config).forEach((name, fitted) -> {
                List<float[]> points = new ArrayList<>();
                for (int row : Strata.group(data.interactions(), config.stratifyBy()).get(name)) {
                    points.add(data.vectors().get(row));
                }
                rebuilt.put(name, Clustering.fromAssignments(points, fitted.assignments(), fitted.iterations(),
                        fitted.converged()));
            });
            List<String> steps = serialize(StratifiedSampler.split(data.interactions(), data.vectors(), config,
                    "model-x", checksums, rebuilt));

            assertThat(steps.get(0)).as("train").isEqualTo(oneCall.get(0));
            assertThat(steps.get(1)).as("eval").isEqualTo(oneCall.get(1));
            assertThat(steps.get(2)).as("sample").isEqualTo(oneCall.get(2));
            assertThat(steps.get(3)).as("manifest").isEqualTo(oneCall.get(3));
        }
    }

    @Test
    void split_clusteringsOfOtherStrata_rejected() {
        SyntheticData.Dataset data = dataset(5, false);
        SamplerConfig config = SamplerConfig.defaults();
        SortedMap<String, Clustering> clusterings =
                StratifiedSampler.cluster(data.interactions(), data.vectors(), config);
        clusterings.remove("refund");

        assertThatThrownBy(() -> StratifiedSampler.split(data.interactions(), data.vectors(), config, null,
                Map.of(), clusterings))
                .hasMessageContaining("the clusterings cover the strata")
                .hasMessageContaining("refund");
    }

    @Test
    void split_differentSeed_changesEvalSplit() {
        SyntheticData.Dataset data = dataset(1, false);

        SplitResult first = StratifiedSampler.split(data.interactions(), data.vectors(), SamplerConfig.defaults());
        SplitResult second = StratifiedSampler.split(data.interactions(), data.vectors(),
                SamplerConfig.defaults().withSeed(43));

        assertThat(ids(second.eval())).isNotEqualTo(ids(first.eval()));
        assertThat(ids(second.eval())).doesNotContainAnyElementsOf(ids(second.train()));
    }

    @Test
    void split_nearAndExactDuplicates_neverStraddleSplit() {
        SyntheticData.Dataset data = dataset(2, true);
        List<Interaction> rows = data.interactions();
        assertThat(data.plantedPairs()).hasSizeGreaterThan(20);
        assertThat(data.crossStratumCopies()).hasSizeGreaterThan(5);

        for (long seed : new long[] {1, 2, 3, 4, 5}) {
            for (double fraction : new double[] {0.1, 0.2, 0.35, 0.5}) {
                SamplerConfig config = SamplerConfig.defaults().withSeed(seed).withEvalFraction(fraction);
                SplitResult result = StratifiedSampler.split(rows, data.vectors(), config);
                Set<String> eval = ids(result.eval());
                String run = "seed " + seed + ", evalFraction " + fraction;

                for (String[] pair : data.plantedPairs()) {
                    assertThat(eval.contains(pair[1])).as("near-duplicate %s of %s, %s", pair[1], pair[0], run)
                            .isEqualTo(eval.contains(pair[0]));
                }
                for (String[] pair : data.crossStratumCopies()) {
                    assertThat(eval.contains(pair[1])).as("text copy %s of %s, %s", pair[1], pair[0], run)
                            .isEqualTo(eval.contains(pair[0]));
                }
                assertEveryDuplicatePairOnOneSide(data, config.nearDuplicateThreshold(), eval, run);
                assertThat(eval).as("eval is not empty, %s", run).isNotEmpty();
            }
        }
    }

    @Test
    void split_plantedPairs_cosineAboveThresholdAndCounted() {
        SyntheticData.Dataset data = dataset(3, false);
        Map<String, Integer> index = indexById(data.interactions());

        SplitResult result = StratifiedSampler.split(data.interactions(), data.vectors(), SamplerConfig.defaults());

        for (String[] pair : data.plantedPairs()) {
            double cosine = Vectors.dot(data.vectors().get(index.get(pair[0])), data.vectors().get(index.get(pair[1])));
            assertThat(cosine).as("cosine of %s and %s", pair[0], pair[1]).isGreaterThan(0.98);
        }
        assertThat(result.manifest().totals().duplicateGroups()).isEqualTo(data.plantedPairs().size());
        assertThat(result.manifest().totals().rowsInDuplicateGroups()).isEqualTo(2 * data.plantedPairs().size());
        assertThat(result.manifest().totals().crossStratumGroups()).isZero();
    }

    @Test
    void split_crossStratumCopies_counted() {
        SyntheticData.Dataset data = dataset(3, true);

        SplitResult result = StratifiedSampler.split(data.interactions(), data.vectors(), SamplerConfig.defaults());

        assertThat(result.manifest().totals().crossStratumGroups()).isEqualTo(data.crossStratumCopies().size());
    }

    @Test
    void split_evalShare_withinOneGroup() {
        SyntheticData.Dataset data = dataset(4, false);

        for (double fraction : new double[] {0.1, 0.15, 0.2, 0.3, 0.5, 0.75}) {
            SplitResult result = StratifiedSampler.split(data.interactions(), data.vectors(),
                    SamplerConfig.defaults().withEvalFraction(fraction).withSeed(7));
            Map<String, Long> evalByStratum = countByStratum(result.eval());

            for (Map.Entry<String, SplitManifest.Stratum> entry : result.manifest().strata().entrySet()) {
                SplitManifest.Stratum stratum = entry.getValue();
                int target = (int) Math.round(fraction * stratum.rows());
                long eval = evalByStratum.getOrDefault(entry.getKey(), 0L);
                // Duplicate groups here are the planted pairs, so one group is at most two rows.
                assertThat(stratum.evalTarget()).isEqualTo(target);
                assertThat(eval).as("eval rows of %s at evalFraction %s", entry.getKey(), fraction)
                        .isBetween((long) target - 1, (long) target + 1);
                assertThat(stratum.eval()).isEqualTo((int) eval);
                if (stratum.rows() >= 1 / fraction) {
                    assertThat(eval).as("eval rows of %s at evalFraction %s", entry.getKey(), fraction)
                            .isPositive();
                }
            }
        }
    }

    @Test
    void split_onlyLargeGroups_takesSmallest() {
        // Ten rows in groups of three or four identical texts: a target of 1 can only be met by a whole group.
        List<Interaction> rows = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(5);
        int[] groupSizes = {4, 3, 3};
        for (int g = 0; g < groupSizes.length; g++) {
            float[] vector = SyntheticData.randomUnit(random, 8);
            for (int i = 0; i < groupSizes[g]; i++) {
                rows.add(Interaction.ofUtterance("g" + g + "-" + i, "text " + g, "only"));
                vectors.add(vector);
            }
        }

        SplitResult result = StratifiedSampler.split(rows, vectors, SamplerConfig.defaults().withEvalFraction(0.1));

        assertThat(result.eval()).hasSize(3);
        assertThat(result.eval()).extracting(Interaction::lastUserText).containsOnly(
                result.eval().get(0).lastUserText());
    }

    @Test
    void split_zeroEvalFraction_everythingInTrain() {
        SyntheticData.Dataset data = dataset(5, true);

        SplitResult result = StratifiedSampler.split(data.interactions(), data.vectors(),
                SamplerConfig.defaults().withEvalFraction(0));

        assertThat(result.eval()).isEmpty();
        assertThat(result.train()).hasSameSizeAs(data.interactions());
    }

    @Test
    void split_sample_clustersTimesPerCluster() {
        SyntheticData.Dataset data = dataset(6, false);
        SamplerConfig config = SamplerConfig.defaults().withClustersPerStratum(3).withPerCluster(2);

        SplitResult result = StratifiedSampler.split(data.interactions(), data.vectors(), config);
        Map<String, Long> sampleByStratum = countByStratum(result.sample());

        for (String stratum : List.of("balance", "card_lost", "refund")) {
            SplitManifest.Stratum counts = result.manifest().strata().get(stratum);
            assertThat(counts.clusters()).as("clusters of %s", stratum).hasSize(3);
            assertThat(sampleByStratum.get(stratum)).as("sample rows of %s", stratum).isEqualTo(6L);
            assertThat(counts.sample()).isEqualTo(6);
            assertThat(counts.sampleShortfall()).isZero();
        }
    }

    @Test
    void split_sample_nearestCentroidFirst() {
        SyntheticData.Dataset data = dataset(7, true);
        SamplerConfig config = SamplerConfig.defaults().withClustersPerStratum(4).withPerCluster(3);
        List<Interaction> rows = data.interactions();

        SplitResult result = StratifiedSampler.split(rows, data.vectors(), config);
        Set<String> train = ids(result.train());

        for (Map.Entry<String, SplitManifest.Stratum> entry : result.manifest().strata().entrySet()) {
            List<Integer> stratumRows = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                if (Strata.valueOf(rows.get(i), config.stratifyBy()).equals(entry.getKey())) {
                    stratumRows.add(i);
                }
            }
            List<float[]> stratumVectors = stratumRows.stream().map(data.vectors()::get).collect(Collectors.toList());
            Clustering clustering = KMeans.fit(stratumVectors, Math.min(4, stratumRows.size()),
                    StratifiedSampler.kMeansSeed(config.seed(), entry.getKey()), config.maxIterations());

            for (int c = 0; c < clustering.k(); c++) {
                String nearest = null;
                double nearestDistance = Double.MAX_VALUE;
                Set<String> trainMembers = new HashSet<>();
                for (int position : clustering.members(c)) {
                    Interaction row = rows.get(stratumRows.get(position));
                    if (!train.contains(row.id())) {
                        continue;
                    }
                    trainMembers.add(row.id());
                    double distance = clustering.squaredDistance(stratumVectors.get(position), c);
                    if (distance < nearestDistance) {
                        nearest = row.id();
                        nearestDistance = distance;
                    }
                }
                SplitManifest.Cluster cluster = entry.getValue().clusters().get(c);
                String where = entry.getKey() + " cluster " + c;
                assertThat(cluster.size()).as("size of %s", where).isEqualTo(clustering.clusterSize(c));
                assertThat(cluster.drawnIds()).as("draws of %s", where).isNotEmpty();
                assertThat(cluster.drawnIds().get(0)).as("first draw of %s", where).isEqualTo(nearest);
                assertThat(trainMembers).as("train rows of %s", where).containsAll(cluster.drawnIds());
                assertThat(cluster.drawn()).isEqualTo(Math.min(3, trainMembers.size()));
            }
        }
    }

    @Test
    void split_sample_onlyTrainRows() {
        SyntheticData.Dataset data = dataset(8, true);
        SamplerConfig config = SamplerConfig.defaults().withPerCluster(3).withEvalFraction(0.4);

        SplitResult result = StratifiedSampler.split(data.interactions(), data.vectors(), config);

        assertThat(ids(result.train())).containsAll(ids(result.sample()));
        assertThat(ids(result.sample())).doesNotContainAnyElementsOf(ids(result.eval()));
    }

    @Test
    void split_smallClusters_shortfallRecorded() {
        SyntheticData.Dataset data = dataset(9, false);
        SamplerConfig config = SamplerConfig.defaults().withClustersPerStratum(3).withPerCluster(50);

        SplitResult result = StratifiedSampler.split(data.interactions(), data.vectors(), config);

        for (SplitManifest.Stratum stratum : result.manifest().strata().values()) {
            assertThat(stratum.sample()).isEqualTo(stratum.train());
            assertThat(stratum.sampleShortfall()).isEqualTo(stratum.clusters().size() * 50 - stratum.train());
        }
        assertThat(result.sample()).hasSameSizeAs(result.train());
    }

    @Test
    void split_manifestCounts_addUp() {
        SyntheticData.Dataset data = dataset(10, true);

        SplitResult result = StratifiedSampler.split(data.interactions(), data.vectors(), SamplerConfig.defaults());
        SplitManifest manifest = result.manifest();

        int rows = 0;
        for (Map.Entry<String, SplitManifest.Stratum> entry : manifest.strata().entrySet()) {
            SplitManifest.Stratum stratum = entry.getValue();
            assertThat(stratum.train() + stratum.eval()).as("train + eval of %s", entry.getKey())
                    .isEqualTo(stratum.rows());
            assertThat(stratum.clusters().stream().mapToInt(SplitManifest.Cluster::size).sum())
                    .as("cluster sizes of %s", entry.getKey()).isEqualTo(stratum.rows());
            rows += stratum.rows();
        }
        assertThat(rows).isEqualTo(data.interactions().size());
        assertThat(manifest.totals().rows()).isEqualTo(data.interactions().size());
        assertThat(manifest.totals().train() + manifest.totals().eval()).isEqualTo(manifest.totals().rows());
        assertThat(result.train().size() + result.eval().size()).isEqualTo(data.interactions().size());
        assertThat(manifest.strata().keySet()).containsExactly(Strata.MISSING, "balance", "card_lost", "refund");
        assertThat(manifest.totals().rowsWithoutStratum()).isEqualTo(manifest.strata().get(Strata.MISSING).rows());
        assertThat(manifest.seed()).isEqualTo(42);
    }

    @Test
    void split_manifestJson_readsBackEqual() throws Exception {
        SyntheticData.Dataset data = dataset(11, true);
        SplitResult result = StratifiedSampler.split(data.interactions(), data.vectors(), SamplerConfig.defaults(),
                "model-x", Map.of("in.jsonl", "sha256:00"));

        String json = SplitWriter.manifestJson(result.manifest());

        assertThat(Json.mapper().readValue(json, SplitManifest.class)).isEqualTo(result.manifest());
    }

    @Test
    void split_outputs_orderedByStratumThenInput() {
        SyntheticData.Dataset data = dataset(12, true);
        Map<String, Integer> index = indexById(data.interactions());

        SplitResult result = StratifiedSampler.split(data.interactions(), data.vectors(), SamplerConfig.defaults());

        for (List<Interaction> rows : List.of(result.train(), result.eval(), result.sample())) {
            for (int i = 1; i < rows.size(); i++) {
                String previousStratum = Strata.valueOf(rows.get(i - 1), "intent");
                String stratum = Strata.valueOf(rows.get(i), "intent");
                assertThat(previousStratum.compareTo(stratum)).as("stratum order at %d", i).isNotPositive();
                if (previousStratum.equals(stratum)) {
                    assertThat(index.get(rows.get(i - 1).id())).as("input order at %d", i)
                            .isLessThan(index.get(rows.get(i).id()));
                }
            }
        }
    }

    @Test
    void split_metadataField_stratifiesByValueAndMissing() {
        SplittableRandom random = new SplittableRandom(3);
        List<Interaction> rows = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        String[] channels = {"chat", "email", null, "chat", "phone"};
        for (int i = 0; i < 50; i++) {
            String channel = channels[i % channels.length];
            Map<String, JsonNode> metadata = new HashMap<>();
            if (channel != null) {
                metadata.put("channel", Json.mapper().getNodeFactory().textNode(channel));
            }
            rows.add(new Interaction("r" + i, List.of(Turn.user("question " + i)), null,
                    null, null, metadata));
            vectors.add(SyntheticData.randomUnit(random, 16));
        }

        SplitResult result = StratifiedSampler.split(rows, vectors,
                SamplerConfig.defaults().withStratifyBy("metadata.channel"));

        Map<String, SplitManifest.Stratum> strata = result.manifest().strata();
        assertThat(strata.keySet()).containsExactly(Strata.MISSING, "chat", "email", "phone");
        assertThat(strata.get("chat").rows()).isEqualTo(20);
        assertThat(strata.get(Strata.MISSING).rows()).isEqualTo(10);
        assertThat(result.manifest().totals().rowsWithoutStratum()).isEqualTo(10);
    }

    @Test
    void split_invalidInput_rejectedWithReason() {
        List<Interaction> rows = List.of(Interaction.ofUtterance("a", "hi", "x"),
                Interaction.ofUtterance("b", "hello", "x"));
        List<float[]> unit = List.of(new float[] {1, 0}, new float[] {0, 1});
        SamplerConfig config = SamplerConfig.defaults();

        assertThatThrownBy(() -> StratifiedSampler.split(rows, unit.subList(0, 1), config))
                .hasMessageContaining("got 2 interactions and 1 vectors");
        assertThatThrownBy(() -> StratifiedSampler.split(rows, List.of(new float[] {1, 0}, new float[] {2, 0}),
                config)).hasMessageContaining("'b' at index 1 has L2 norm 2.0").hasMessageContaining("normalize");
        assertThatThrownBy(() -> StratifiedSampler.split(rows, List.of(new float[] {1, 0}, new float[] {1, 0, 0}),
                config)).hasMessageContaining("'b' at index 1 has 3 dimensions but vector 0 has 2");
        assertThatThrownBy(() -> StratifiedSampler.split(List.of(rows.get(0), rows.get(0)), unit, config))
                .hasMessageContaining("id 'a' at index 1 is used twice");
    }

    @Test
    void split_emptyInput_emptyResult() {
        SplitResult result = StratifiedSampler.split(List.of(), List.of(), SamplerConfig.defaults());

        assertThat(result.train()).isEmpty();
        assertThat(result.manifest().strata()).isEmpty();
        assertThat(result.manifest().totals().rows()).isZero();
    }

    /** Checks every pair the sampler must keep together, by brute force over all pairs. */
    private static void assertEveryDuplicatePairOnOneSide(
            SyntheticData.Dataset data, double threshold, Set<String> eval, String run) {
        List<Interaction> rows = data.interactions();
        for (int i = 0; i < rows.size(); i++) {
            for (int j = i + 1; j < rows.size(); j++) {
                Interaction a = rows.get(i);
                Interaction b = rows.get(j);
                boolean sameStratum = Strata.valueOf(a, "intent").equals(Strata.valueOf(b, "intent"));
                boolean near = sameStratum && Vectors.dot(data.vectors().get(i), data.vectors().get(j)) > threshold;
                boolean sameText = normalized(a).equals(normalized(b));
                if (near || sameText) {
                    assertThat(eval.contains(b.id())).as("%s and %s, %s", a.id(), b.id(), run)
                            .isEqualTo(eval.contains(a.id()));
                }
            }
        }
    }

    private static String normalized(Interaction interaction) {
        return interaction.lastUserText().trim().toLowerCase(Locale.ROOT);
    }

    private static List<String> serialize(SplitResult result) {
        StringWriter train = new StringWriter();
        StringWriter eval = new StringWriter();
        StringWriter sample = new StringWriter();
        StringWriter manifest = new StringWriter();
        SplitWriter.write(result, train, eval, sample, manifest);
        return List.of(train.toString(), eval.toString(), sample.toString(), manifest.toString());
    }

    private static Set<String> ids(List<Interaction> rows) {
        return rows.stream().map(Interaction::id).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, Integer> indexById(List<Interaction> rows) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            index.put(rows.get(i).id(), i);
        }
        return index;
    }

    private static Map<String, Long> countByStratum(List<Interaction> rows) {
        return rows.stream().collect(Collectors.groupingBy(row -> Strata.valueOf(row, "intent"),
                Collectors.counting()));
    }
}
