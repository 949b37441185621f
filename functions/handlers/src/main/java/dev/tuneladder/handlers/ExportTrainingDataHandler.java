package dev.tuneladder.handlers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.aws.s3.S3BlobStoreSettings;
import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.DatasetFormatException;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.RejectedRow;
import dev.tuneladder.core.planner.PromptTemplate;
import dev.tuneladder.core.storage.BlobKeys;
import dev.tuneladder.core.storage.BlobNotFoundException;
import dev.tuneladder.core.storage.BlobStore;
import dev.tuneladder.core.training.ChatExamples;
import dev.tuneladder.core.training.TrainingDataSettings;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step Functions task {@code export-training-data}: turns a run's train split into the training files that the
 * LoRA training script reads, in the {@link ChatExamples} format.
 *
 * <p>Input {@code {runId, dataset: {trainKey}, training: {...}}}: {@code trainKey} is the train split's JSON Lines
 * of interactions in the run bucket, as the sampling task writes it ({@code runs/{runId}/split/train.jsonl});
 * {@code training} is read as {@link TrainingInputs} describes (this task uses {@code validationFraction},
 * {@code seed}, {@code labels} and {@code prompt}).
 *
 * <p>Writes under {@code runs/{runId}/training-data/}: {@code train/train.jsonl}, {@code validation/validation.jsonl}
 * when {@code validationFraction} is above 0, {@code rejects.jsonl} when a row cannot become an example, and
 * {@code manifest.json}. Each channel is a folder of its own, so the training job copies only examples. Output
 * {@code {runId, trainingDataS3Uri, validationDataS3Uri?, format, trainExamples, validationExamples, rejected,
 * rejectsKey?, manifestKey, labels, promptVersion}}.
 *
 * <p>A rejected row is one that is not valid JSON or not an interaction, or that has neither an intent label nor
 * concrete gold tool calls; each goes to {@code rejects.jsonl} with its line or id and the reason. Whether too
 * few examples remain is the training-inputs preflight's decision. A retry rewrites the same keys and deletes
 * anything else under the folder.
 */
public final class ExportTrainingDataHandler extends StepTaskHandler {

    static final String FOLDER = "training-data/";
    static final String TRAIN_FILE = "train/train.jsonl";
    static final String VALIDATION_FILE = "validation/validation.jsonl";
    static final String REJECTS_FILE = "rejects.jsonl";
    static final String MANIFEST_FILE = "manifest.json";

    private static final Logger LOG = LoggerFactory.getLogger(ExportTrainingDataHandler.class);

    private final BlobStore store;

    /** Builds the run bucket's store from the environment (see {@link HandlerConfig}). */
    public ExportTrainingDataHandler() {
        this(HandlerConfig.fromEnvironment());
    }

    private ExportTrainingDataHandler(HandlerConfig config) {
        this(S3BlobStore.create(config.aws(), S3BlobStoreSettings.forBucket(config.bucket())));
    }

    ExportTrainingDataHandler(BlobStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    String function() {
        return "export-training-data";
    }

    @Override
    ObjectNode handle(TaskInput input, String runId) {
        TaskInput dataset = input.object("dataset");
        String trainKey = dataset.text("trainKey");
        try {
            BlobKeys.requireValidKey(trainKey);
        } catch (IllegalArgumentException e) {
            throw new InvalidTaskInput(dataset.path("trainKey"), "task input field '" + dataset.path("trainKey")
                    + "' is not an object key: " + e.getMessage(), e);
        }
        TaskInput training = input.object("training");
        TrainingDataSettings settings = TrainingInputs.settings(training);
        PromptTemplate prompt = TrainingInputs.prompt(training);
        List<String> givenLabels = TrainingInputs.labels(training);

        BadRows badRows = new BadRows(Integer.MAX_VALUE);
        List<Interaction> rows = read(dataset, trainKey, badRows);
        List<String> labels = givenLabels != null ? givenLabels : sortedIntents(rows);
        ChatExamples examples;
        try {
            examples = new ChatExamples(prompt, labels);
        } catch (IllegalArgumentException e) {
            throw training.invalid("labels", "is not a usable label list: " + e.getMessage());
        }

        List<Map<String, Object>> rejects = new ArrayList<>();
        for (RejectedRow bad : badRows.rejected()) {
            rejects.add(reject(bad.source(), bad.line(), null, bad.reason(), bad.raw()));
        }
        List<Interaction> train = new ArrayList<>();
        List<Interaction> validation = new ArrayList<>();
        for (Interaction row : rows) {
            try {
                examples.example(row);
            } catch (IllegalArgumentException e) {
                rejects.add(reject(store.location(trainKey), 0, row.id(), e.getMessage(), null));
                continue;
            }
            (settings.inValidation(row.id()) ? validation : train).add(row);
        }

        String folder = "runs/" + runId + "/" + FOLDER;
        Set<String> written = new HashSet<>();
        written.add(write(folder + TRAIN_FILE, train, examples));
        if (!validation.isEmpty()) {
            written.add(write(folder + VALIDATION_FILE, validation, examples));
        }
        String rejectsKey = null;
        if (!rejects.isEmpty()) {
            rejectsKey = folder + REJECTS_FILE;
            store.writeJsonLines(rejectsKey, rejects);
            written.add(rejectsKey);
        }

        ObjectNode result = MAPPER.createObjectNode();
        result.put("runId", runId);
        result.put("trainingDataS3Uri", folderUri(folder + "train/"));
        if (!validation.isEmpty()) {
            result.put("validationDataS3Uri", folderUri(folder + "validation/"));
        }
        result.put("format", ChatExamples.FORMAT);
        result.put("trainExamples", train.size());
        result.put("validationExamples", validation.size());
        result.put("rejected", rejects.size());
        if (rejectsKey != null) {
            result.put("rejectsKey", rejectsKey);
        }
        String manifestKey = folder + MANIFEST_FILE;
        result.put("manifestKey", manifestKey);
        result.put("labels", labels.size());
        result.put("promptVersion", prompt.version());

        ObjectNode manifest = result.deepCopy();
        manifest.remove("runId");
        manifest.put("trainKey", trainKey);
        manifest.put("validationFraction", settings.validationFraction());
        manifest.put("seed", settings.seed());
        labels.forEach(manifest.putArray("labelList")::add);
        manifest.put("prompt", prompt.text());
        store.write(manifestKey, manifest.toPrettyString().getBytes(StandardCharsets.UTF_8));
        written.add(manifestKey);
        deleteOthers(folder, written);

        LOG.info("training data exported: train={} validation={} rejected={} labels={}", train.size(),
                validation.size(), rejects.size(), labels.size());
        return result;
    }

    private List<Interaction> read(TaskInput dataset, String trainKey, BadRows badRows) {
        try {
            return store.readJsonLines(trainKey, Interaction.class, badRows);
        } catch (BlobNotFoundException e) {
            throw new InvalidTaskInput(dataset.path("trainKey"), "task input field '" + dataset.path("trainKey")
                    + "' names " + store.location(trainKey) + ", which does not exist; run the sampling task first"
                    + " or give the key of the run's train.jsonl");
        } catch (DatasetFormatException e) {
            throw new InvalidTaskInput(dataset.path("trainKey"), e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new InvalidTaskInput(dataset.path("trainKey"), store.location(trainKey) + " could not be read as"
                    + " UTF-8 JSON Lines: " + e.getMessage(), e);
        }
    }

    private static List<String> sortedIntents(List<Interaction> rows) {
        TreeSet<String> intents = new TreeSet<>();
        for (Interaction row : rows) {
            if (row.intent() != null) {
                intents.add(row.intent());
            }
        }
        return List.copyOf(intents);
    }

    /** Writes the examples of {@code rows}, built again one at a time so the file streams to S3. */
    private String write(String key, List<Interaction> rows, ChatExamples examples) {
        Iterable<ObjectNode> lines = () -> rows.stream().map(examples::example).iterator();
        store.writeJsonLines(key, lines);
        return key;
    }

    private static Map<String, Object> reject(String source, long line, String id, String reason, String raw) {
        Map<String, Object> reject = new LinkedHashMap<>();
        reject.put("source", source);
        if (line > 0) {
            reject.put("line", line);
        }
        if (id != null) {
            reject.put("id", id);
        }
        reject.put("reason", reason);
        if (raw != null) {
            reject.put("raw", raw);
        }
        return reject;
    }

    private String folderUri(String prefix) {
        return store.name() + (store.name().endsWith("/") ? "" : "/") + prefix;
    }

    private void deleteOthers(String folder, Set<String> written) {
        List<String> stale;
        try (Stream<String> keys = store.list(folder)) {
            stale = keys.filter(key -> !written.contains(key)).toList();
        }
        stale.forEach(store::delete);
    }
}
