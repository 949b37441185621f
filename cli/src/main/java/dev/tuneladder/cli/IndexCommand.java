package dev.tuneladder.cli;

import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.index.IndexedExample;
import dev.tuneladder.local.LuceneHnswIndex;
import java.io.PrintWriter;
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

/** Builds or updates the local few-shot index from golden examples. */
@Command(name = "index", mixinStandardHelpOptions = true,
        description = {
            "Embeds golden examples and upserts them into a Lucene HNSW index on disk (cosine similarity).",
            "Rows with an id already in the index replace it. The index records the embedding model and refuses "
                    + "vectors of another one."
        })
final class IndexCommand implements Callable<Integer> {

    static final String INDEX_FOLDER = "index";

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

    @Option(names = "--dataset", required = true, paramLabel = "FILE",
            description = "Golden examples: interactions (JSON Lines) whose intent is the label they vote for.")
    Path dataset;

    @Option(names = "--index", paramLabel = "DIR",
            description = "Index folder, created when missing. Default: <output folder>/index.")
    Path indexFolder;

    @Override
    public Integer call() {
        bedrock.rejectEndpointWithoutBedrock(embedding.usesBedrock());
        RunFolder run = RunFolder.create(common.out, RunFolder.datasetName(dataset), Clock.systemUTC());
        BadRows badRows = new BadRows(common.maxBadRows);
        List<Interaction> rows = InputFiles.readInteractions(dataset, "--dataset", row -> row.intent() == null
                ? "row '" + row.id() + "' has no intent label; golden examples need the label they vote for"
                : null, badRows);
        Path folder = indexFolder != null ? indexFolder : run.resolve(INDEX_FOLDER);

        long size;
        try (EmbedderComponents.OpenEmbedder embedder = EmbedderComponents.open(embedding, bedrock);
                LuceneHnswIndex index = LocalComponents.openIndex(folder, embedder, indexOptions)) {
            List<float[]> vectors = LocalComponents.embed(embedder, rows, "embedding " + dataset.getFileName());
            index.upsert(examples(rows, vectors));
            index.commit();
            size = index.size();
        }

        run.recordInput("dataset", dataset);
        run.recordOutput(folder);
        run.writeRejects(badRows);
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("dataset", dataset.toString());
        options.put("index", folder.toString());
        options.put("hnswM", indexOptions.maxConnections);
        options.put("hnswBeamWidth", indexOptions.beamWidth);
        embedding.describeInto(options, bedrock);
        options.put("maxBadRows", common.maxBadRows);
        run.writeConfig("index", options);
        run.writeRunManifest();

        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "Upserted %,d examples; the index at %s holds %,d%n", rows.size(), folder, size);
        Reports.printFooter(out, run, badRows);
        return 0;
    }

    /** Pairs each interaction with its vector as an index entry keyed by the interaction id. */
    static List<IndexedExample> examples(List<Interaction> rows, List<float[]> vectors) {
        List<IndexedExample> examples = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Interaction row = rows.get(i);
            examples.add(new IndexedExample(row.id(), row.lastUserText(), row.intent(), vectors.get(i)));
        }
        return examples;
    }
}
