package dev.tuneladder.cli;

import dev.tuneladder.core.comparison.RowOutcomes;
import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.embedding.Embedder;
import dev.tuneladder.core.evaluation.RoutingEvaluation;
import dev.tuneladder.core.index.ExactVectorIndex;
import dev.tuneladder.core.index.VectorIndex;
import dev.tuneladder.core.metrics.MetricsDocument;
import dev.tuneladder.core.metrics.RoutingMetrics;
import dev.tuneladder.core.metrics.RoutingMetricsState;
import dev.tuneladder.core.planner.ExampleRenderer;
import dev.tuneladder.core.planner.FewShotRetriever;
import dev.tuneladder.core.planner.PlannerRun;
import dev.tuneladder.core.planner.PromptTemplate;
import dev.tuneladder.core.routing.RetrievalRouter;
import dev.tuneladder.core.sampling.RandomSampler;
import dev.tuneladder.core.sampling.RandomSamplerConfig;
import dev.tuneladder.core.sampling.SampleResult;
import dev.tuneladder.core.sampling.SamplerConfig;
import dev.tuneladder.core.sampling.SplitResult;
import dev.tuneladder.core.sampling.SplitWriter;
import dev.tuneladder.core.sampling.StratifiedSampler;
import dev.tuneladder.local.LuceneHnswIndex;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
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
                    + "on the test split side by side with 95%% confidence intervals.",
            "The routers:",
            "  full-train   every training utterance in the index;",
            "  kmeans-N     N examples per intent chosen by the stratified k-means sampler;",
            "  random-N     N random examples per intent (same seed).",
            "With --model, two LLM planner runs follow on the test split (capped by --test-limit):",
            "  llm-zero-shot    the model routes with the label list and no examples;",
            "  llm-kmeans-N     the prompt adds each row's k nearest examples from the kmeans-N index.",
            "The kmeans-N retrieval router is the floor each LLM run must beat, because it votes over the same "
                    + "golden examples the few-shot run sees and costs no model call: for each LLM run a line says "
                    + "whether its macro-F1 95%% interval lies above, overlaps or lies below the router's interval "
                    + "on the same test rows. Error rows of an LLM run count as wrong.",
            "Writes the imported data, samples, indexes, predictions, per-row outcomes (outcomes/<router>.jsonl, "
                    + "for 'tuneladder compare FOLDER#<router> ...'), metrics.json, report.md and report.html to the output "
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
    BedrockOptions bedrock = new BedrockOptions();

    @Mixin
    IndexOptions indexOptions = new IndexOptions();

    @Option(names = "--dataset", required = true, paramLabel = "DIR",
            description = "Folder with train.csv and test.csv (BANKING77 layout, optional categories.json) or "
                    + "train.jsonl and test.jsonl (optional labels.json).")
    Path dataset;

    @Option(names = {"-k", "--neighbours"}, paramLabel = "K", defaultValue = "10",
            description = "Nearest golden examples that vote in every router, and that go into the prompt of the "
                    + "few-shot LLM run. Default: ${DEFAULT-VALUE}.")
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
            description = "Poisson bootstrap replicates for the 95%% intervals. Default: ${DEFAULT-VALUE}.")
    int replicates;

    @Mixin
    ModelOptions model = new ModelOptions();

    @Option(names = "--test-limit", paramLabel = "N", defaultValue = "0",
            description = "With --model: send at most N test rows to the model, drawn at random with --seed (0 "
                    + "sends all). Fewer rows cost less and widen the LLM runs' 95%% intervals, roughly by "
                    + "sqrt(test rows / N); the floor comparison uses the router's predictions on the same rows, "
                    + "and macro averages then cover only the labels those rows contain. Default: all.")
    int testLimit;

    @Option(names = "--prompt", paramLabel = "FILE",
            description = "With --model: system prompt template (UTF-8 text) replacing the built-in one; "
                    + "{{examples}} marks where the retrieved examples go.")
    Path prompt;

    /** Index build time per router name, in milliseconds. */
    private final Map<String, Long> indexBuildMillis = new HashMap<>();

    /** A router's metrics entry with its predictions, kept for the floor comparison. */
    private record Evaluated(MetricsDocument.Run metrics, List<Prediction> predictions) {
    }

    @Override
    public Integer call() {
        bedrock.rejectEndpointWithoutBedrock(model.usesBedrock() || embedding.usesBedrock());
        if (!search.equals("hnsw") && !search.equals("exact")) {
            throw new IllegalArgumentException("--search " + search + " is not a search kind; use hnsw or exact");
        }
        if (shots < 1) {
            throw new IllegalArgumentException("--shots must be at least 1, got " + shots);
        }
        if (testLimit < 0) {
            throw new IllegalArgumentException("--test-limit must be 0 (all rows) or more, got " + testLimit);
        }
        if (!model.configured() && (testLimit > 0 || prompt != null)) {
            throw new IllegalArgumentException("--test-limit and --prompt apply to the LLM runs; give --model too");
        }
        PromptTemplate template = model.configured() ? ModelRouting.prompt(prompt) : null;
        if (model.configured()) {
            // Fails on a malformed --model, Region or API key variable now rather than after the routers ran.
            ModelComponents.open(model, bedrock).close();
        }
        RunFolder run = RunFolder.create(common.out, RunFolder.datasetName(dataset), Clock.systemUTC());
        BadRows badRows = new BadRows(common.maxBadRows);
        PrintWriter out = spec.commandLine().getOut();

        LadderDataset data = LadderDataset.read(dataset, badRows);
        data.files().forEach(file -> run.recordInput(file.getFileName().toString(), file));
        if (prompt != null) {
            run.recordInput("prompt", prompt);
        }
        run.writeJsonLines("data/train.jsonl", data.train());
        run.writeJsonLines("data/test.jsonl", data.test());
        out.printf(Locale.ROOT, "Dataset %s: %,d train and %,d test rows, %s labels%n", dataset, data.train().size(),
                data.test().size(), data.labels() == null ? "unlisted" : String.valueOf(data.labels().size()));
        out.flush();

        List<MetricsDocument.Run> runs = new ArrayList<>();
        List<String> floorLines = new ArrayList<>();
        try (EmbedderComponents.OpenEmbedder embedder = EmbedderComponents.open(embedding, bedrock)) {
            List<float[]> trainVectors = LocalComponents.embed(embedder, data.train(), "embedding train");
            List<float[]> testVectors = LocalComponents.embed(embedder, data.test(), "embedding test");
            Map<String, float[]> vectorById = new HashMap<>();
            for (int i = 0; i < data.train().size(); i++) {
                vectorById.put(data.train().get(i).id(), trainVectors.get(i));
            }

            try (VectorIndex index = buildIndex(run, embedder, "full-train", data.train(), vectorById)) {
                runs.add(evaluateRouter(run, embedder, "full-train", index, data.train(), data, testVectors)
                        .metrics());
            }

            SamplerConfig kmeansConfig = new SamplerConfig(SamplerConfig.DEFAULT_STRATIFY_BY, shots, 1, 0,
                    SamplerConfig.DEFAULT_NEAR_DUPLICATE_THRESHOLD, seed, SamplerConfig.defaults().maxIterations());
            SplitResult kmeans = StratifiedSampler.split(data.train(), trainVectors, kmeansConfig, embedder.modelId(),
                    checksums(data));
            String kmeansName = "kmeans-" + shots;
            run.writeJsonLines("samples/" + kmeansName + "/" + SplitWriter.SAMPLE_FILE, kmeans.sample());
            run.writeText("samples/" + kmeansName + "/" + SplitWriter.MANIFEST_FILE,
                    SplitWriter.manifestJson(kmeans.manifest()) + "\n");
            try (VectorIndex kmeansIndex = buildIndex(run, embedder, kmeansName, kmeans.sample(), vectorById)) {
                Evaluated floor = evaluateRouter(run, embedder, kmeansName, kmeansIndex, kmeans.sample(), data,
                        testVectors);
                runs.add(floor.metrics());

                SampleResult random = RandomSampler.sample(data.train(),
                        new RandomSamplerConfig(SamplerConfig.DEFAULT_STRATIFY_BY, shots, seed), checksums(data));
                String randomName = "random-" + shots;
                run.writeJsonLines("samples/" + randomName + "/" + SplitWriter.SAMPLE_FILE, random.sample());
                run.writeText("samples/" + randomName + "/" + SplitWriter.MANIFEST_FILE,
                        SplitWriter.manifestJson(random.manifest()) + "\n");
                try (VectorIndex index = buildIndex(run, embedder, randomName, random.sample(), vectorById)) {
                    runs.add(evaluateRouter(run, embedder, randomName, index, random.sample(), data, testVectors)
                            .metrics());
                }

                if (model.configured()) {
                    runModel(run, out, data, template, embedder, kmeansName, kmeansIndex, floor, runs, floorLines);
                }
            }
        }

        MetricsDocument document = new MetricsDocument(runs);
        Reports.write(run, document);
        run.writeRejects(badRows);
        run.writeConfig("ladder", options());
        run.writeRunManifest();

        out.println();
        out.print(SummaryTable.render(document));
        if (!floorLines.isEmpty()) {
            out.println();
            floorLines.forEach(out::println);
        }
        Reports.printFooter(out, run, badRows);
        return 0;
    }

    /** Indexes the examples in a new index under indexes/NAME and returns it open; the build time is kept. */
    private VectorIndex buildIndex(RunFolder run, Embedder embedder, String name,
            List<Interaction> examples, Map<String, float[]> vectorById) {
        List<float[]> exampleVectors = new ArrayList<>(examples.size());
        examples.forEach(example -> exampleVectors.add(vectorById.get(example.id())));
        Path indexFolder = run.resolve("indexes/" + name);

        long start = System.nanoTime();
        VectorIndex index = openIndex(indexFolder, embedder);
        try {
            index.upsert(IndexCommand.examples(examples, exampleVectors));
            index.commit();
            if (index instanceof LuceneHnswIndex lucene) {
                lucene.forceMerge(1);
            }
        } catch (RuntimeException e) {
            closeQuietly(index, e);
            throw e;
        }
        indexBuildMillis.put(name, (System.nanoTime() - start) / 1_000_000L);
        run.recordOutput(indexFolder);
        return index;
    }

    /** Routes every test row with the retrieval router over {@code index} and scores the predictions. */
    private Evaluated evaluateRouter(RunFolder run, Embedder embedder, String name, VectorIndex index,
            List<Interaction> examples, LadderDataset data, List<float[]> testVectors) {
        long start = System.nanoTime();
        RetrievalRouter router = new RetrievalRouter(index, k);
        List<Prediction> predictions = Routing.predictAll(router, data.test(), testVectors,
                Routing.modelId(k, embedder.modelId()), "routing test with " + name);
        long routeMillis = (System.nanoTime() - start) / 1_000_000L;
        run.writeJsonLines("predictions/" + name + ".jsonl", predictions);
        run.writeJsonLines("outcomes/" + name + ".jsonl", RowOutcomes.of(data.test(), predictions, row -> null));

        RoutingMetricsState state = new RoutingMetricsState(replicates, seed,
                data.labels() == null ? List.of() : data.labels());
        RoutingEvaluation.Result result = RoutingEvaluation.evaluate(data.test(), predictions, state);

        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("examples", examples.size());
        extra.put("k", k);
        extra.put("indexBuildMillis", indexBuildMillis.get(name));
        extra.put("routeMillis", routeMillis);
        extra.put("missingPredictions", result.missingPredictions());
        extra.put("failedPredictions", result.failedPredictions());
        return new Evaluated(MetricsDocument.Run.of(name, result.metrics(), extra), predictions);
    }

    /**
     * Runs the LLM planner zero-shot and with few-shot examples from the k-means index on the (capped) test
     * rows, adds both runs and one floor-comparison line per run.
     */
    private void runModel(RunFolder run, PrintWriter out, LadderDataset data, PromptTemplate template,
            Embedder embedder, String kmeansName, VectorIndex kmeansIndex, Evaluated floor,
            List<MetricsDocument.Run> runs, List<String> floorLines) {
        List<Interaction> testRows = testSubset(data.test(), testLimit, seed);
        boolean capped = testRows.size() < data.test().size();
        List<String> labels = data.labels() != null ? List.copyOf(new TreeSet<>(data.labels()))
                : ModelRouting.labelsOf(data.train());
        // Labels absent from a capped subset would count as zero-F1 labels in the macro average, so a capped run
        // averages over the labels its rows contain.
        List<String> fixedLabels = capped || data.labels() == null ? List.of() : List.copyOf(data.labels());
        run.writeJsonLines("data/llm-test.jsonl", testRows);
        out.printf(Locale.ROOT, "LLM runs with %s on %,d of %,d test rows%s%n", model.spec().spec(),
                testRows.size(), data.test().size(), capped ? " (--test-limit, seed " + seed + ")" : "");
        out.flush();

        RoutingEvaluation.Result floorResult = evaluateOn(testRows, floor.predictions(), fixedLabels);
        try (ModelComponents.ConfiguredModel configured = ModelComponents.open(model, bedrock)) {
            String zeroShotName = "llm-zero-shot";
            PlannerRun.Result zeroShot = ModelRouting.route(configured, template, labels, FewShotRetriever.none(),
                    testRows, model.concurrency, "routing test with " + zeroShotName);
            runs.add(modelRun(run, out, zeroShotName, 0, zeroShot, testRows, fixedLabels, configured, template,
                    kmeansName, floorResult, floorLines));

            String fewShotName = "llm-" + kmeansName;
            FewShotRetriever retriever = new FewShotRetriever(embedder, kmeansIndex, k, ExampleRenderer.routing());
            PlannerRun.Result fewShot = ModelRouting.route(configured, template, labels, retriever, testRows,
                    model.concurrency, "routing test with " + fewShotName);
            runs.add(modelRun(run, out, fewShotName, k, fewShot, testRows, fixedLabels, configured, template,
                    kmeansName, floorResult, floorLines));
        }
    }

    private MetricsDocument.Run modelRun(RunFolder run, PrintWriter out, String name, int examples,
            PlannerRun.Result result, List<Interaction> testRows, List<String> fixedLabels,
            ModelComponents.ConfiguredModel configured, PromptTemplate template, String floorName,
            RoutingEvaluation.Result floorResult, List<String> floorLines) {
        run.writeJsonLines("predictions/" + name + ".jsonl", result.predictions());
        run.writeJsonLines("outcomes/" + name + ".jsonl", RowOutcomes.of(testRows, result.predictions(), row -> null));
        RoutingEvaluation.Result evaluated = evaluateOn(testRows, result.predictions(), fixedLabels);
        ModelRouting.printTotals(out, name, result);
        out.flush();

        String versusFloor = versusFloor(evaluated.metrics(), floorResult.metrics());
        floorLines.add(String.format(Locale.ROOT, "%s vs the %s router on the same %,d test rows: macro-F1 %.3f"
                + " [%.3f, %.3f] vs %.3f [%.3f, %.3f]: %s", name, floorName, testRows.size(),
                evaluated.metrics().macro().f1(), evaluated.metrics().ci95().macroF1().low(),
                evaluated.metrics().ci95().macroF1().high(), floorResult.metrics().macro().f1(),
                floorResult.metrics().ci95().macroF1().low(), floorResult.metrics().ci95().macroF1().high(),
                switch (versusFloor) {
                    case "above" -> "above the floor";
                    case "below" -> "below the floor";
                    default -> "the intervals overlap, so no difference is shown at 95%";
                }));

        Map<String, Object> extra = new LinkedHashMap<>(ModelRouting.totals(result, configured.modelId(), template));
        extra.put("examples", examples);
        extra.put("fewShotIndex", examples == 0 ? null : floorName);
        extra.put("testRows", testRows.size());
        extra.put("missingPredictions", evaluated.missingPredictions());
        extra.put("failedPredictions", evaluated.failedPredictions());
        extra.put("floor", floorName);
        extra.put("floorMacroF1", floorResult.metrics().macro().f1());
        extra.put("versusFloor", versusFloor);
        extra.values().removeIf(Objects::isNull);
        return MetricsDocument.Run.of(name, evaluated.metrics(), extra);
    }

    /** Scores predictions restricted to {@code rows}. */
    private RoutingEvaluation.Result evaluateOn(List<Interaction> rows, List<Prediction> predictions,
            List<String> fixedLabels) {
        Set<String> ids = new HashSet<>();
        rows.forEach(row -> ids.add(row.id()));
        List<Prediction> kept = predictions.stream().filter(prediction -> ids.contains(prediction.id())).toList();
        return RoutingEvaluation.evaluate(rows, kept, new RoutingMetricsState(replicates, seed, fixedLabels));
    }

    /**
     * Returns "above" when the candidate's macro-F1 interval lies wholly above the floor's, "below" when wholly
     * below, else "overlapping". Non-overlapping 95% intervals imply a difference, but overlapping ones do not
     * rule one out; 'tuneladder compare' gives the paired interval of the difference.
     */
    static String versusFloor(RoutingMetrics candidate, RoutingMetrics floor) {
        if (candidate.ci95().macroF1().low() > floor.ci95().macroF1().high()) {
            return "above";
        }
        if (candidate.ci95().macroF1().high() < floor.ci95().macroF1().low()) {
            return "below";
        }
        return "overlapping";
    }

    /** Returns {@code limit} rows drawn at random with {@code seed}, in their file order; all rows when 0. */
    static List<Interaction> testSubset(List<Interaction> rows, int limit, long seed) {
        if (limit == 0 || limit >= rows.size()) {
            return rows;
        }
        List<Integer> positions = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            positions.add(i);
        }
        Collections.shuffle(positions, new Random(seed));
        List<Integer> chosen = new ArrayList<>(positions.subList(0, limit));
        Collections.sort(chosen);
        List<Interaction> subset = new ArrayList<>(limit);
        chosen.forEach(position -> subset.add(rows.get(position)));
        return subset;
    }

    private static void closeQuietly(VectorIndex index, RuntimeException failure) {
        try {
            index.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    private VectorIndex openIndex(Path folder, Embedder embedder) {
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
        embedding.describeInto(options, bedrock);
        options.put("maxBadRows", common.maxBadRows);
        if (model.configured()) {
            options.putAll(model.describe(bedrock));
            options.put("testLimit", testLimit);
            options.put("prompt", prompt == null ? ModelRouting.BUILT_IN_PROMPT.name() : prompt.toString());
            options.put("promptVersion", ModelRouting.prompt(prompt).version());
        }
        return options;
    }
}
