package dev.tuneladder.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneladder.core.planner.PromptTemplate;
import dev.tuneladder.core.planner.RoutingPrompts;
import dev.tuneladder.core.planner.RoutingTool;
import dev.tuneladder.core.storage.BlobKeys;
import dev.tuneladder.core.storage.BlobNotFoundException;
import dev.tuneladder.core.storage.BlobStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The model under evaluation of an evaluate-batch in model mode, with the route labels and system prompt that its
 * requests carry.
 *
 * <p>The labels must be the list the model was trained with, in the same order, because the route tool's schema
 * lists them and a fine-tuned model learned that exact tool. The sorted intents of a batch are not a substitute:
 * batches hold different intents, so their prompts would differ. The input therefore names the list in one of two
 * ways:
 * <ul>
 *   <li>{@code trainingManifestKey}: the {@code manifest.json} that export-training-data wrote for the model's
 *       training data. Its {@code labelList} and {@code prompt} are used, so the model sees the prompt it was
 *       trained on. The fine-tuning state machine passes this one.</li>
 *   <li>{@code labels}: the list itself, for a model that was not trained by this project; the prompt is then
 *       {@link RoutingPrompts#BUILT_IN}.</li>
 * </ul>
 *
 * @param modelId a Bedrock model id, inference profile id or ARN, or an imported-model ARN, as requests send it
 * @param labels the route tool's intents, in the order the model was trained with
 * @param prompt the planner's system prompt
 * @param labelsSource where the labels came from, for the partial object: {@code labels} or the manifest's location
 */
record ModelSettings(String modelId, List<String> labels, PromptTemplate prompt, String labelsSource) {

    static final String MODEL_ID = "modelId";
    static final String LABELS = "labels";
    static final String TRAINING_MANIFEST_KEY = "trainingManifestKey";

    /** The maximum model id length accepted, well above the length of any Bedrock model ARN. */
    static final int MAX_MODEL_ID_LENGTH = 2048;

    private static final Pattern MODEL_ID_CHARACTERS = Pattern.compile("[A-Za-z0-9:./_+-]+");

    ModelSettings {
        Objects.requireNonNull(modelId, "modelId");
        labels = List.copyOf(labels);
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(labelsSource, "labelsSource");
    }

    /**
     * Reads the model settings, each field from the input that {@code sourceOf} returns for it; returns null when
     * no {@value #MODEL_ID} is given, which means the items carry recorded predictions.
     *
     * @throws InvalidTaskInput when the model id is malformed, when neither or both of {@value #LABELS} and
     *     {@value #TRAINING_MANIFEST_KEY} are given, or when the manifest is missing or has no usable label list
     */
    static ModelSettings read(Function<String, TaskInput> sourceOf, BlobStore store) {
        TaskInput modelSource = sourceOf.apply(MODEL_ID);
        if (!modelSource.has(MODEL_ID)) {
            return null;
        }
        String modelId = modelSource.text(MODEL_ID);
        if (modelId.length() > MAX_MODEL_ID_LENGTH || !MODEL_ID_CHARACTERS.matcher(modelId).matches()) {
            throw modelSource.invalid(MODEL_ID, "is not a Bedrock model identifier; give a model id such as"
                    + " amazon.nova-micro-v1:0, an inference profile id, or an imported-model ARN such as"
                    + " arn:aws:bedrock:us-east-1:123456789012:imported-model/abc123");
        }

        TaskInput labelsSource = sourceOf.apply(LABELS);
        TaskInput manifestSource = sourceOf.apply(TRAINING_MANIFEST_KEY);
        boolean hasLabels = labelsSource.has(LABELS);
        boolean hasManifest = manifestSource.has(TRAINING_MANIFEST_KEY);
        if (hasLabels == hasManifest) {
            throw labelsSource.invalid(LABELS, "and '" + TRAINING_MANIFEST_KEY + "' are both "
                    + (hasLabels ? "given" : "missing") + "; a run with '" + MODEL_ID + "' needs exactly one:"
                    + " the route labels in the order the model was trained with, or the key of the training"
                    + " data's manifest.json that export-training-data wrote");
        }
        if (hasLabels) {
            List<String> labels = labelsSource.textList(LABELS);
            checkLabels(labels, message -> labelsSource.invalid(LABELS, message));
            return new ModelSettings(modelId, labels, RoutingPrompts.BUILT_IN, LABELS);
        }
        return fromManifest(modelId, manifestSource, store);
    }

    private static ModelSettings fromManifest(String modelId, TaskInput input, BlobStore store) {
        String key = input.text(TRAINING_MANIFEST_KEY);
        try {
            BlobKeys.requireValidKey(key);
        } catch (IllegalArgumentException e) {
            throw input.invalid(TRAINING_MANIFEST_KEY, "is not an object key: " + e.getMessage());
        }
        String location = store.location(key);
        JsonNode manifest;
        try {
            manifest = StepTaskHandler.MAPPER.readTree(store.readAllBytes(key));
        } catch (BlobNotFoundException e) {
            throw input.invalid(TRAINING_MANIFEST_KEY, "names " + location + ", which does not exist; give the"
                    + " manifestKey that export-training-data returned");
        } catch (IOException e) {
            throw input.invalid(TRAINING_MANIFEST_KEY, "names " + location + ", which is not valid JSON; give the"
                    + " manifestKey that export-training-data returned");
        }

        JsonNode labelList = manifest == null ? null : manifest.get("labelList");
        if (labelList == null || !labelList.isArray()) {
            throw input.invalid(TRAINING_MANIFEST_KEY, "names " + location + ", which has no 'labelList' array;"
                    + " give the manifestKey that export-training-data returned");
        }
        List<String> labels = new ArrayList<>();
        for (JsonNode label : labelList) {
            if (!label.isTextual()) {
                throw input.invalid(TRAINING_MANIFEST_KEY, "names " + location + ", whose 'labelList' contains a"
                        + " value that is not a string; write the labels as strings");
            }
            labels.add(label.asText());
        }
        checkLabels(labels, message -> input.invalid(TRAINING_MANIFEST_KEY, "names " + location + ", whose"
                + " 'labelList' " + message));

        JsonNode promptText = manifest.get("prompt");
        if (promptText == null || !promptText.isTextual() || promptText.asText().isBlank()) {
            throw input.invalid(TRAINING_MANIFEST_KEY, "names " + location + ", which has no 'prompt' text;"
                    + " give the manifestKey that export-training-data returned");
        }
        PromptTemplate prompt;
        try {
            prompt = new PromptTemplate("training-manifest", promptText.asText());
        } catch (IllegalArgumentException e) {
            throw input.invalid(TRAINING_MANIFEST_KEY, "names " + location + ", whose 'prompt' is not usable: "
                    + e.getMessage());
        }
        JsonNode version = manifest.get("promptVersion");
        if (version != null && !version.asText().equals(prompt.version())) {
            throw input.invalid(TRAINING_MANIFEST_KEY, "names " + location + ", whose 'promptVersion' "
                    + version.asText() + " does not match its 'prompt' (version " + prompt.version() + "); the"
                    + " manifest was edited, so export the training data again");
        }
        return new ModelSettings(modelId, labels, prompt, location);
    }

    /** Applies the route tool's own checks: at least one label, none blank, none twice. */
    private static void checkLabels(List<String> labels, Function<String, InvalidTaskInput> invalid) {
        try {
            RoutingTool.of(labels);
        } catch (IllegalArgumentException e) {
            throw invalid.apply("is not a usable label list: " + e.getMessage());
        }
    }
}
