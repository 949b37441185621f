package dev.tuneladder.cli;

import dev.tuneladder.core.comparison.RowOutcomes;
import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.evaluation.RoutingEvaluation;
import dev.tuneladder.core.index.ExactVectorIndex;
import dev.tuneladder.core.index.VectorIndex;
import dev.tuneladder.core.metrics.MetricsDocument;
import dev.tuneladder.core.metrics.RoutingMetricsState;
import dev.tuneladder.core.routing.RetrievalRouter;
import dev.tuneladder.core.sampling.RandomSampler;
import dev.tuneladder.core.sampling.RandomSamplerConfig;
import dev.tuneladder.core.sampling.SampleResult;
import dev.tuneladder.core.sampling.SamplerConfig;
import dev.tuneladder.core.sampling.SplitResult;
import dev.tuneladder.core.sampling.SplitWriter;
import dev.tuneladder.core.sampling.StratifiedSampler;
import dev.tuneladder.local.LuceneHnswIndex;
import dev.tuneladder.local.OnnxMiniLmEmbedder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The main local job: measures retrieval routers built from differently chosen golden examples. */
@Command(name = "ladder", mixinStandardHelpOptions = true,
        description = {
            "Imports a dataset's train and test files, embeds them once, and evaluates three retrieval routers "
                    + "on the test split side by side with 95% confidence intervals:",
            "  full-train   every training utterance in the index;",
            "  kmeans-N     N examples per intent chosen by the stratified k-means sampler;",
            "  random-N     N random examples per intent (same seed).",
            "Writes the imported data, samples, indexes, predictions, per-row outcomes (outcomes/<router>.jsonl, "
                    + "for 'tuneladder compare FOLDER#<router> ...'), metrics.json and report.md to the output "
                    + "folder and prints the summary table."
        })
final class LadderCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Mixin
    EmbeddingOptions embedding = new EmbeddingOptions();

    @Mixin
    IndexOptions indexOptions = new IndexOptions();

    @Option(names = "--dataset", required = true, paramLabel = "DIR",
            description = "Folder with train.csv and test.csv (BANKING77 layout, optional categories.json) or "
                    + "train.jsonl and test.jsonl (optional labels.json).")
    Path dataset;

    @Option(names = {"-k", "--neighbours"}, paramLabel = "K", defaultValue = "10",
            description = "Nearest golden examples that vote in every router. Default: ${DEFAULT-VALUE}.")
    int k;

    @Option(names = "--shots", paramLabel = "N", defaultValue = "10",
            description = "Golden examples per intent for the k-means and random routers. Default: ${DEFAULT-VALUE}.")
    int shots;

    @Option(names = "--seed", defaultValue = "42",
            description = "Seed of sampling, clustering and bootstrap. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--search", paramLabel = "KIND", defaultValue = "hnsw",
            description = "Nearest-neighbour search: hnsw (Lucene HNSW index on disk) or exact (compares every "
                    + "example in memory; the reference HNSW is measured against). Default: ${DEFAULT-VALUE}.")
    String search;

    @Option(names = "--bootstrap-replicates", paramLabel = "N", defaultValue = "1000",
            description = "Poisson bootstrap replicates for the 95% intervals. Default: ${DEFAULT-VALUE}.")
    int replicates;

    @Override
    public Integer call() {
        if (!search.equals("hnsw") && !search.equals("exact")) {
            throw new IllegalArgumentException("--search " + search + " is not a search kind; use hnsw or exact");
        }
        if (shots < 1) {
            throw new IllegalArgumentException("--shots must be at least 1, got " + shots);
        }
        RunFolder run = RunFolder.create(common.out, RunFolder.datasetName(dataset), Clock.systemUTC());
        BadRows badRows = new BadRows(common.maxBadRows);
        PrintWriter out = spec.commandLine().getOut();

        LadderDataset data = LadderDataset.read(dataset, badRows);
        data.files().forEach(file -> run.recordInput(file.getFileName().toString(), file));
        run.writeJsonLines("data/train.jsonl", data.train());
        run.writeJsonLines("data/test.jsonl", data.test());
        out.printf(Locale.ROOT, "Dataset %s: %,d train and %,d test rows, %s labels%n", dataset, data.train().size(),
                data.test().size(), data.labels() == null ? "unlisted" : String.valueOf(data.labels().size()));
        out.flush();

        List<MetricsDocument.Run> runs = new ArrayList<>();
        try (OnnxMiniLmEmbedder embedder = LocalComponents.embedder(embedding)) {
            List<float[]> trainVectors = LocalComponents.embed(embedder, data.train(), "embedding train");
            List<float[]> testVectors = LocalComponents.embed(embedder, data.test(), "embedding test");
            Map<String, float[]> vectorById = new HashMap<>();
            for (int i = 0; i < data.train().size(); i++) {
                vectorById.put(data.train().get(i).id(), trainVectors.get(i));
            }

            runs.add(evaluateRouter(run, embedder, "full-train", data.train(), vectorById, data, testVectors));

            SamplerConfig kmeansConfig = new SamplerConfig(SamplerConfig.DEFAULT_STRATIFY_BY, shots, 1, 0,
                    SamplerConfig.DEFAULT_NEAR_DUPLICATE_THRESHOLD, seed, SamplerConfig.defaults().maxIterations());
            SplitResult kmeans = StratifiedSampler.split(data.train(), trainVectors, kmeansConfig, embedder.modelId(),
                    checksums(data));
            String kmeansName = "kmeans-" + shots;
            run.writeJsonLines("samples/" + kmeansName + "/" + SplitWriter.SAMPLE_FILE, kmeans.sample());
            run.writeText("samples/" + kmeansName + "/" + SplitWriter.MANIFEST_FILE,
                    SplitWriter.manifestJson(kmeans.manifest()) + "\n");
            runs.add(evaluateRouter(run, embedder, kmeansName, kmeans.sample(), vectorById, data, testVectors));

            SampleResult random = RandomSampler.sample(data.train(),
                    new RandomSamplerConfig(SamplerConfig.DEFAULT_STRATIFY_BY, shots, seed), checksums(data));
            String randomName = "random-" + shots;
            run.writeJsonLines("samples/" + randomName + "/" + SplitWriter.SAMPLE_FILE, random.sample());
            run.writeText("samples/" + randomName + "/" + SplitWriter.MANIFEST_FILE,
                    SplitWriter.manifestJson(random.manifest()) + "\n");
            runs.add(evaluateRouter(run, embedder, randomName, random.sample(), vectorById, data, testVectors));
        }

        MetricsDocument document = new MetricsDocument(runs);
        Reports.write(run, document);
        run.writeRejects(badRows);
        run.writeConfig("ladder", options());
        run.writeRunManifest();

        out.println();
        out.print(SummaryTable.render(document));
        Reports.printFooter(out, run, badRows);
        return 0;
    }

    /** Indexes the examples, routes every test row and scores the predictions. */
    private MetricsDocument.Run evaluateRouter(RunFolder run, OnnxMiniLmEmbedder embedder, String name,
            List<Interaction> examples, Map<String, float[]> vectorById, LadderDataset data,
            List<float[]> testVectors) {
        List<float[]> exampleVectors = new ArrayList<>(examples.size());
        examples.forEach(example -> exampleVectors.add(vectorById.get(example.id())));
        Path indexFolder = run.resolve("indexes/" + name);

        List<Prediction> predictions;
        long indexMillis;
        long routeMillis;
        try (VectorIndex index = openIndex(indexFolder, embedder)) {
            long start = System.nanoTime();
            index.upsert(IndexCommand.examples(examples, exampleVectors));
            index.commit();
            if (index instanceof LuceneHnswIndex lucene) {
                lucene.forceMerge(1);
            }
            indexMillis = (System.nanoTime() - start) / 1_000_000L;

            start = System.nanoTime();
            RetrievalRouter router = new RetrievalRouter(index, k);
            predictions = Routing.predictAll(router, data.test(), testVectors,
                    Routing.modelId(k, embedder.modelId()), "routing test with " + name);
            routeMillis = (System.nanoTime() - start) / 1_000_000L;
        }
        run.recordOutput(indexFolder);
        run.writeJsonLines("predictions/" + name + ".jsonl", predictions);
        run.writeJsonLines("outcomes/" + name + ".jsonl", RowOutcomes.of(data.test(), predictions, row -> null));

        RoutingMetricsState state = new RoutingMetricsState(replicates, seed,
                data.labels() == null ? List.of() : data.labels());
        RoutingEvaluation.Result result = RoutingEvaluation.evaluate(data.test(), predictions, state);

        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("examples", examples.size());
        extra.put("k", k);
        extra.put("indexBuildMillis", indexMillis);
        extra.put("routeMillis", routeMillis);
        extra.put("missingPredictions", result.missingPredictions());
        extra.put("failedPredictions", result.failedPredictions());
        return MetricsDocument.Run.of(name, result.metrics(), extra);
    }

    private VectorIndex openIndex(Path folder, OnnxMiniLmEmbedder embedder) {
        switch (search) {
            case "hnsw":
                return LocalComponents.openIndex(folder, embedder, indexOptions);
            case "exact":
                return new ExactVectorIndex();
            default:
                throw new IllegalArgumentException("--search " + search + " is not a search kind; use hnsw or exact");
        }
    }

    private static Map<String, String> checksums(LadderDataset data) {
        Map<String, String> checksums = new LinkedHashMap<>();
        for (Path file : data.files()) {
            checksums.put(file.getFileName().toString(), RunFolder.sha256(file));
        }
        return checksums;
    }

    private Map<String, Object> options() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("dataset", dataset.toString());
        options.put("k", k);
        options.put("shots", shots);
        options.put("seed", seed);
        options.put("bootstrapReplicates", replicates);
        options.put("search", search);
        options.put("hnswM", indexOptions.maxConnections);
        options.put("hnswBeamWidth", indexOptions.beamWidth);
        options.put("searchCandidates", indexOptions.searchCandidates);
        options.put("threads", embedding.threads);
        options.put("batchSize", embedding.batchSize);
        options.put("maxBadRows", common.maxBadRows);
        return options;
    }
}
