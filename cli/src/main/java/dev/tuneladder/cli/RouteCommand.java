package dev.tuneladder.cli;

import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.routing.RetrievalRouter;
import dev.tuneladder.local.LuceneHnswIndex;
import dev.tuneladder.local.OnnxMiniLmEmbedder;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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

/** Routes every interaction of a dataset with the retrieval router over a local index. */
@Command(name = "route", mixinStandardHelpOptions = true,
        description = {
            "Predicts each interaction's label by a similarity-weighted vote of its k nearest golden examples in "
                    + "the index, and writes predictions.jsonl with the label and the router's confidence.",
            "This is the planner used when no model is configured."
        })
final class RouteCommand implements Callable<Integer> {

    static final String OUTPUT_FILE = "predictions.jsonl";

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Mixin
    EmbeddingOptions embedding = new EmbeddingOptions();

    @Option(names = "--index", required = true, paramLabel = "DIR",
            description = "Index folder written by 'tuneladder index'.")
    Path indexFolder;

    @Option(names = "--dataset", required = true, paramLabel = "FILE",
            description = "Interactions to route (JSON Lines).")
    Path dataset;

    @Mixin
    IndexOptions indexOptions = new IndexOptions();

    @Option(names = {"-k", "--neighbours"}, paramLabel = "K", defaultValue = "10",
            description = "Nearest golden examples that vote. Default: ${DEFAULT-VALUE}.")
    int k;

    @Override
    public Integer call() {
        if (!Files.isDirectory(indexFolder)) {
            throw new IllegalArgumentException("--index " + indexFolder + " is not a folder; build one with "
                    + "'tuneladder index --dataset FILE --index " + indexFolder + "'");
        }
        RunFolder run = RunFolder.create(common.out, RunFolder.datasetName(dataset), Clock.systemUTC());
        BadRows badRows = new BadRows(common.maxBadRows);
        List<Interaction> rows = InputFiles.readInteractions(dataset, "--dataset", row -> null, badRows);

        List<Prediction> predictions;
        try (OnnxMiniLmEmbedder embedder = LocalComponents.embedder(embedding);
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
        options.put("threads", embedding.threads);
        options.put("batchSize", embedding.batchSize);
        options.put("maxBadRows", common.maxBadRows);
        run.writeConfig("route", options);
        run.writeRunManifest();

        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "Routed %,d interactions into %s%n", predictions.size(), run.root().resolve(OUTPUT_FILE));
        Reports.printFooter(out, run, badRows);
        return 0;
    }
}
