package dev.tuneladder.cli;

import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.TokenUsage;
import dev.tuneladder.core.index.SearchHit;
import dev.tuneladder.core.index.VectorIndex;
import dev.tuneladder.core.planner.FewShotRetriever;
import dev.tuneladder.core.planner.LlmPlanner;
import dev.tuneladder.core.planner.PlannerConfig;
import dev.tuneladder.core.planner.PlannerRun;
import dev.tuneladder.core.planner.PromptTemplate;
import dev.tuneladder.core.planner.RoutingPrompts;
import dev.tuneladder.core.planner.RoutingTool;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** Runs the LLM planner as a router over many rows, for the route and ladder commands. */
final class ModelRouting {

    /** The built-in routing prompt; the fine-tuning export uses the same text. */
    static final PromptTemplate BUILT_IN_PROMPT = RoutingPrompts.BUILT_IN;

    /** Above this many examples, labels are not read from the index: give --labels instead. */
    static final int MAX_INDEX_SCAN = 100_000;

    private ModelRouting() {
    }

    /** Returns the template in {@code file} (UTF-8), named by its file name, or the built-in one when null. */
    static PromptTemplate prompt(Path file) {
        if (file == null) {
            return BUILT_IN_PROMPT;
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--prompt " + file + " does not exist or is not a file");
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (text.isBlank()) {
                throw new IllegalArgumentException("--prompt " + file + " is empty; write the system prompt in it");
            }
            return new PromptTemplate(file.getFileName().toString(), text);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read --prompt " + file, e);
        }
    }

    /**
     * Returns the sorted distinct labels of every example in the index. The index port has no scan, so this
     * searches for all {@code size} examples at once and checks that the search returned each of them.
     *
     * @throws IllegalArgumentException when the index is empty, too large to scan, or the search missed examples
     */
    static List<String> labelsOf(VectorIndex index, int dimensions, String option) {
        long size = index.size();
        if (size == 0) {
            throw new IllegalArgumentException(option + " contains no examples to take labels from; fill it with"
                    + " 'tuneladder index' or give --labels");
        }
        if (size > MAX_INDEX_SCAN) {
            throw new IllegalArgumentException(option + " holds " + size + " examples, too many to read the labels"
                    + " from; give --labels FILE with a JSON array of every label");
        }
        float[] query = new float[dimensions];
        query[0] = 1f;
        List<SearchHit> hits = index.search(query, (int) size, null);
        if (hits.size() < size) {
            throw new IllegalArgumentException("reading labels from " + option + " returned " + hits.size() + " of "
                    + size + " examples; give --labels FILE with a JSON array of every label");
        }
        TreeSet<String> labels = new TreeSet<>();
        hits.forEach(hit -> labels.add(hit.label()));
        return List.copyOf(labels);
    }

    /** Returns the sorted distinct intents of labelled rows. */
    static List<String> labelsOf(List<Interaction> rows) {
        TreeSet<String> labels = new TreeSet<>();
        for (Interaction row : rows) {
            if (row.intent() != null) {
                labels.add(row.intent());
            }
        }
        return List.copyOf(labels);
    }

    /** Routes every row with the model, in input order, with progress on standard error. */
    static PlannerRun.Result route(ModelComponents.ConfiguredModel model, PromptTemplate prompt, List<String> labels,
            FewShotRetriever retriever, List<Interaction> rows, int workers, String task) {
        LlmPlanner planner = LlmPlanner.forRouting(model.client(), PlannerConfig.of(model.modelId(), prompt),
                RoutingTool.of(labels), retriever);
        try (Progress progress = Progress.start(task, rows.size())) {
            return new PlannerRun(planner, workers).run(rows, (finished, total) -> progress.update(finished));
        }
    }

    /** Returns the run's totals for metrics.json and config extras. */
    static Map<String, Object> totals(PlannerRun.Result result, String modelId, PromptTemplate prompt) {
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("modelId", modelId);
        totals.put("promptVersion", prompt.version());
        totals.put("errorRows", result.errorRows());
        TokenUsage usage = result.totalUsage();
        totals.put("inputTokens", usage.inputTokens());
        totals.put("outputTokens", usage.outputTokens());
        totals.put("cacheReadTokens", usage.cacheReadTokens());
        totals.put("cacheWriteTokens", usage.cacheWriteTokens());
        return totals;
    }

    /** Prints the error rows and token totals of a model run. */
    static void printTotals(PrintWriter out, String name, PlannerRun.Result result) {
        TokenUsage usage = result.totalUsage();
        out.printf(Locale.ROOT, "%s: %,d rows, error rows: %,d (counted as wrong; reasons in the 'error' field of"
                + " the predictions); tokens: %,d input, %,d output, %,d cache read, %,d cache write%n", name,
                result.predictions().size(), result.errorRows(), usage.inputTokens(), usage.outputTokens(),
                usage.cacheReadTokens(), usage.cacheWriteTokens());
    }

    /** Returns the error reasons and how often each occurred, most frequent first, at most {@code limit}. */
    static List<String> topErrors(PlannerRun.Result result, int limit) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        result.predictions().forEach(prediction -> {
            if (prediction.error() != null) {
                counts.merge(errorKind(prediction.error()), 1, Integer::sum);
            }
        });
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Integer> entry : entries.subList(0, Math.min(limit, entries.size()))) {
            lines.add(String.format(Locale.ROOT, "%,d x %s", entry.getValue(), entry.getKey()));
        }
        return lines;
    }

    /** Returns an error's kind without row-specific text: the part before the first colon. */
    private static String errorKind(String error) {
        int colon = error.indexOf(':');
        return colon < 0 ? error : error.substring(0, colon);
    }
}
