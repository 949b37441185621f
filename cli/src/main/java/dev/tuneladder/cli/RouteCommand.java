package dev.tuneladder.cli;

import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.planner.ExampleRenderer;
import dev.tuneladder.core.planner.FewShotRetriever;
import dev.tuneladder.core.planner.PlannerRun;
import dev.tuneladder.core.planner.PromptTemplate;
import dev.tuneladder.core.routing.RetrievalRouter;
import dev.tuneladder.local.LuceneHnswIndex;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
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

/** Routes every interaction of a dataset with the retrieval router over a local index, or with a model. */
@Command(name = "route", mixinStandardHelpOptions = true,
        description = {
            "Without --model: predicts each interaction's label by a similarity-weighted vote of its k nearest "
                    + "golden examples in the index, and writes predictions.jsonl with the label and the router's "
                    + "confidence. This is the planner used when no model is configured.",
            "With --model: the LLM planner routes each interaction by calling a 'route' tool whose 'intent' "
                    + "argument lists every label (from --labels, else from the index's examples). The system "
                    + "prompt gets the k golden examples nearest to the interaction, retrieved from the index "
                    + "(-k 0 sends none and needs no index when --labels is given). Each prediction records the "
                    + "label, tool call, latency, token usage, model id and prompt version. A row whose call fails "
                    + "or whose output is malformed is written with its reason in 'error' and counted; it is never "
                    + "dropped. --prompt replaces the built-in system prompt: a UTF-8 text file in which "
                    + "{{examples}}, once, marks where the retrieved examples go (required when k > 0)."
        })
final class RouteCommand implements Callable<Integer> {

    static final String OUTPUT_FILE = "predictions.jsonl";

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Mixin
    EmbeddingOptions embedding = new EmbeddingOptions();

    @Mixin
    BedrockOptions bedrock = new BedrockOptions();

    @Option(names = "--index", paramLabel = "DIR",
            description = "Index folder written by 'tuneladder index'. Required unless --model is given with "
                    + "-k 0 and --labels.")
    Path indexFolder;

    @Option(names = "--dataset", required = true, paramLabel = "FILE",
            description = "Interactions to route (JSON Lines).")
    Path dataset;

    @Mixin
    IndexOptions indexOptions = new IndexOptions();

    @Option(names = {"-k", "--neighbours"}, paramLabel = "K", defaultValue = "10",
            description = "Nearest golden examples that vote, or with --model that go into the prompt (0 for "
                    + "none). Default: ${DEFAULT-VALUE}.")
    int k;

    @Mixin
    ModelOptions model = new ModelOptions();

    @Option(names = "--labels", paramLabel = "FILE",
            description = "With --model: JSON array of every label the route tool offers. Default: the labels of "
                    + "the index's examples.")
    Path labels;

    @Option(names = "--prompt", paramLabel = "FILE",
            description = "With --model: system prompt template (UTF-8 text) replacing the built-in one; "
                    + "{{examples}} marks where the retrieved examples go.")
    Path prompt;

    @Override
    public Integer call() {
        bedrock.rejectEndpointWithoutBedrock(model.usesBedrock() || embedding.usesBedrock());
        if (model.configured()) {
            return routeWithModel();
        }
        if (labels != null || prompt != null) {
            throw new IllegalArgumentException("--labels and --prompt apply to the LLM planner; give --model too");
        }
        if (indexFolder == null) {
            throw new IllegalArgumentException("--index is required by the retrieval router; build one with"
                    + " 'tuneladder index', or give --model to route with a model");
        }
        requireIndexFolder();
        RunFolder run = RunFolder.create(common.out, RunFolder.datasetName(dataset), Clock.systemUTC());
        BadRows badRows = new BadRows(common.maxBadRows);
        List<Interaction> rows = InputFiles.readInteractions(dataset, "--dataset", row -> null, badRows);

        List<Prediction> predictions;
        try (EmbedderComponents.OpenEmbedder embedder = EmbedderComponents.open(embedding, bedrock);
                LuceneHnswIndex index = LocalComponents.openIndex(indexFolder, embedder, indexOptions)) {
            if (index.size() == 0) {
                throw new IllegalArgumentException("--index " + indexFolder + " contains no examples; fill it with "
                        + "'tuneladder index'");
            }
            List<float[]> vectors = LocalComponents.embed(embedder, rows, "embedding " + dataset.getFileName());
            RetrievalRouter router = new RetrievalRouter(index, k);
            predictions = Routing.predictAll(router, rows, vectors, Routing.modelId(k, embedder.modelId()),
                    "routing " + dataset.getFileName());
        }

        run.writeJsonLines(OUTPUT_FILE, predictions);
        run.recordInput("dataset", dataset);
        run.writeRejects(badRows);
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("index", indexFolder.toString());
        options.put("dataset", dataset.toString());
        options.put("k", k);
        options.put("searchCandidates", indexOptions.searchCandidates);
        embedding.describeInto(options, bedrock);
        options.put("maxBadRows", common.maxBadRows);
        run.writeConfig("route", options);
        run.writeRunManifest();

        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "Routed %,d interactions into %s%n", predictions.size(), run.root().resolve(OUTPUT_FILE));
        Reports.printFooter(out, run, badRows);
        return 0;
    }

    private Integer routeWithModel() {
        if (k < 0) {
            throw new IllegalArgumentException("-k must be 0 or more, got " + k);
        }
        boolean needsIndex = k > 0 || labels == null;
        if (needsIndex && indexFolder == null) {
            throw new IllegalArgumentException("--index is required with --model unless -k is 0 and --labels is"
                    + " given; build one with 'tuneladder index'");
        }
        if (indexFolder != null) {
            requireIndexFolder();
        }
        PromptTemplate template = ModelRouting.prompt(prompt);
        RunFolder run = RunFolder.create(common.out, RunFolder.datasetName(dataset), Clock.systemUTC());
        BadRows badRows = new BadRows(common.maxBadRows);
        List<Interaction> rows = InputFiles.readInteractions(dataset, "--dataset", row -> null, badRows);

        PlannerRun.Result result;
        List<String> labelList;
        try (ModelComponents.ConfiguredModel configured = ModelComponents.open(model, bedrock)) {
            if (!needsIndex) {
                labelList = new ArrayList<>(InputFiles.readLabels(labels, "--labels"));
                result = ModelRouting.route(configured, template, labelList, FewShotRetriever.none(), rows,
                        model.concurrency, "routing " + dataset.getFileName() + " with " + configured.modelId());
            } else {
                try (EmbedderComponents.OpenEmbedder embedder = EmbedderComponents.open(embedding, bedrock);
                        LuceneHnswIndex index = LocalComponents.openIndex(indexFolder, embedder, indexOptions)) {
                    labelList = labels != null ? new ArrayList<>(InputFiles.readLabels(labels, "--labels"))
                            : ModelRouting.labelsOf(index, embedder.dimensions(), "--index " + indexFolder);
                    if (k > 0 && index.size() == 0) {
                        throw new IllegalArgumentException("--index " + indexFolder + " contains no examples to"
                                + " retrieve; fill it with 'tuneladder index' or use -k 0");
                    }
                    FewShotRetriever retriever = k == 0 ? FewShotRetriever.none()
                            : new FewShotRetriever(embedder, index, k, ExampleRenderer.routing());
                    result = ModelRouting.route(configured, template, labelList, retriever, rows, model.concurrency,
                            "routing " + dataset.getFileName() + " with " + configured.modelId());
                }
            }
        }

        run.writeJsonLines(OUTPUT_FILE, result.predictions());
        run.recordInput("dataset", dataset);
        if (labels != null) {
            run.recordInput("labels", labels);
        }
        if (prompt != null) {
            run.recordInput("prompt", prompt);
        }
        run.writeRejects(badRows);
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("index", indexFolder == null ? null : indexFolder.toString());
        options.put("dataset", dataset.toString());
        options.put("k", k);
        options.put("labels", labels == null ? null : labels.toString());
        options.put("labelCount", labelList.size());
        options.put("prompt", prompt == null ? template.name() : prompt.toString());
        options.put("promptVersion", template.version());
        options.putAll(model.describe(bedrock));
        options.put("maxBadRows", common.maxBadRows);
        run.writeConfig("route", options);
        run.writeRunManifest();

        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "Routed %,d interactions with %s (prompt %s, %d examples each) into %s%n",
                result.predictions().size(), model.spec().spec(), template.version(), k,
                run.root().resolve(OUTPUT_FILE));
        ModelRouting.printTotals(out, "route", result);
        ModelRouting.topErrors(result, 5).forEach(line -> out.println("  " + line));
        Reports.printFooter(out, run, badRows);
        return 0;
    }

    private void requireIndexFolder() {
        if (!Files.isDirectory(indexFolder)) {
            throw new IllegalArgumentException("--index " + indexFolder + " is not a folder; build one with "
                    + "'tuneladder index --dataset FILE --index " + indexFolder + "'");
        }
    }
}
