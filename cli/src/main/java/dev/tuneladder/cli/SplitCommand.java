package dev.tuneladder.cli;

import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.sampling.SamplerConfig;
import dev.tuneladder.core.sampling.SplitResult;
import dev.tuneladder.core.sampling.SplitWriter;
import dev.tuneladder.core.sampling.StratifiedSampler;
import java.io.PrintWriter;
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

/** Splits a dataset into train and eval and draws golden few-shot examples, stratified and clustered. */
@Command(name = "split", mixinStandardHelpOptions = true,
        description = {
            "Embeds every interaction, groups rows by a stratum field, clusters each stratum with k-means "
                    + "(k-means++ seeding), keeps near-duplicates on one side, and writes train.jsonl, eval.jsonl, "
                    + "sample.jsonl (the drawn few-shot examples, from train only) and manifest.json.",
            "The same input, options and seed give byte-identical outputs."
        })
final class SplitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Mixin
    EmbeddingOptions embedding = new EmbeddingOptions();

    @Mixin
    BedrockOptions bedrock = new BedrockOptions();

    @Option(names = "--dataset", required = true, paramLabel = "FILE",
            description = "Interactions (JSON Lines, as written by 'tuneladder import').")
    Path dataset;

    @Option(names = "--stratify-by", paramLabel = "FIELD", defaultValue = SamplerConfig.DEFAULT_STRATIFY_BY,
            description = "Stratum field: intent, or metadata.<key>. Default: ${DEFAULT-VALUE}.")
    String stratifyBy;

    @Option(names = "--clusters", paramLabel = "K", defaultValue = "10",
            description = "k-means clusters per stratum (fewer when a stratum is smaller). Default: ${DEFAULT-VALUE}.")
    int clusters;

    @Option(names = "--per-cluster", paramLabel = "N", defaultValue = "1",
            description = "Examples drawn per cluster into sample.jsonl: nearest to the centroid first, the rest "
                    + "at random. 0 draws none. Default: ${DEFAULT-VALUE}.")
    int perCluster;

    @Option(names = "--eval-fraction", paramLabel = "F", defaultValue = "0.2",
            description = "Share of each stratum put in eval.jsonl, from 0 up to but not including 1. "
                    + "Default: ${DEFAULT-VALUE}.")
    double evalFraction;

    @Option(names = "--near-duplicate-threshold", paramLabel = "COSINE", defaultValue = "0.95",
            description = "Rows of one stratum with cosine similarity above this stay on the same side of the "
                    + "split; identical texts do across strata too. Default: ${DEFAULT-VALUE}.")
    double nearDuplicateThreshold;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of clustering, split and draws. "
            + "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--max-iterations", paramLabel = "N", defaultValue = "50",
            description = "k-means iteration cap per stratum. Default: ${DEFAULT-VALUE}.")
    int maxIterations;

    @Override
    public Integer call() {
        bedrock.rejectEndpointWithoutBedrock(embedding.usesBedrock());
        SamplerConfig config = new SamplerConfig(stratifyBy, clusters, perCluster, evalFraction,
                nearDuplicateThreshold, seed, maxIterations);
        RunFolder run = RunFolder.create(common.out, RunFolder.datasetName(dataset), Clock.systemUTC());
        BadRows badRows = new BadRows(common.maxBadRows);
        List<Interaction> rows = InputFiles.readInteractions(dataset, "--dataset", row -> null, badRows);

        SplitResult result;
        try (EmbedderComponents.OpenEmbedder embedder = EmbedderComponents.open(embedding, bedrock)) {
            List<float[]> vectors = LocalComponents.embed(embedder, rows, "embedding " + dataset.getFileName());
            result = StratifiedSampler.split(rows, vectors, config, embedder.modelId(),
                    Map.of(dataset.getFileName().toString(), RunFolder.sha256(dataset)));
        }

        run.writeJsonLines(SplitWriter.TRAIN_FILE, result.train());
        run.writeJsonLines(SplitWriter.EVAL_FILE, result.eval());
        run.writeJsonLines(SplitWriter.SAMPLE_FILE, result.sample());
        run.writeText(SplitWriter.MANIFEST_FILE, SplitWriter.manifestJson(result.manifest()) + "\n");
        run.recordInput("dataset", dataset);
        run.writeRejects(badRows);
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("dataset", dataset.toString());
        options.put("sampler", config);
        embedding.describeInto(options, bedrock);
        options.put("maxBadRows", common.maxBadRows);
        run.writeConfig("split", options);
        run.writeRunManifest();

        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "Split %,d rows into %,d train and %,d eval; drew %,d examples into %s%n", rows.size(),
                result.train().size(), result.eval().size(), result.sample().size(), SplitWriter.SAMPLE_FILE);
        Reports.printFooter(out, run, badRows);
        return 0;
    }
}
