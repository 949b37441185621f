package dev.tuneladder.handlers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.planner.PromptTemplate;
import dev.tuneladder.core.planner.RoutingPrompts;
import dev.tuneladder.core.training.LoraTrainingSpec;
import dev.tuneladder.core.training.TrainingDataSettings;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the {@code training} object of the {@code fine-tuning} state machine's input, which the export task and
 * the training-inputs preflight share.
 *
 * <p>It contains the {@link LoraTrainingSpec} fields by their record names (see {@link TrainingLaunchHandler}) except
 * those the state machine fills in ({@value #FILLED}), plus the data fields {@code validationFraction},
 * {@code seed}, {@code minExamples}, {@code maxExamples}, {@code maxExampleBytes}, {@code maxTotalBytes} (see
 * {@link TrainingDataSettings}), {@code labels} (the route tool's intents, in order; default the sorted intents of
 * the train split) and {@code prompt} (the planner's system prompt text; default {@link RoutingPrompts#BUILT_IN}).
 */
final class TrainingInputs {

    /** The spec fields that come from the export and the deployment, not from the run's input. */
    static final String FILLED = "trainDataUri, validationDataUri, outputUri, trainingImageUri, roleArn";

    /** The training script's file name inside the source archive; the container runs it as the entry point. */
    static final String ENTRY_POINT = "train.py";

    private static final Set<String> FILLED_FIELDS = Set.of("trainDataUri", "validationDataUri", "outputUri",
            "trainingImageUri", "roleArn");
    private static final Set<String> DATA_FIELDS = Set.of("validationFraction", "seed", "minExamples",
            "maxExamples", "maxExampleBytes", "maxTotalBytes", "labels", "prompt");

    /**
     * The hyperparameters through which the SageMaker training toolkit in the Hugging Face training containers
     * finds the script: the entry point's file name and the S3 URI of the tar.gz archive that contains it.
     */
    // NOTE: the values go as plain strings, while the SageMaker Python SDK sends JSON-encoded ones ("\"train.py\"").
    // Whether the toolkit's entry-point lookup takes the plain form has not been tried on a real job.
    static final String PROGRAM_HYPERPARAMETER = "sagemaker_program";
    static final String SUBMIT_DIRECTORY_HYPERPARAMETER = "sagemaker_submit_directory";

    private TrainingInputs() {
    }

    static TrainingDataSettings settings(TaskInput training) {
        TrainingDataSettings defaults = TrainingDataSettings.defaults();
        double fraction = training.has("validationFraction") ? training.number("validationFraction")
                : defaults.validationFraction();
        long seed = training.has("seed") ? training.integer("seed") : defaults.seed();
        int minExamples = training.has("minExamples") ? training.integer("minExamples") : defaults.minExamples();
        int maxExamples = training.has("maxExamples") ? training.integer("maxExamples") : defaults.maxExamples();
        int maxExampleBytes = training.has("maxExampleBytes") ? training.integer("maxExampleBytes")
                : defaults.maxExampleBytes();
        long maxTotalBytes = training.has("maxTotalBytes") ? (long) training.number("maxTotalBytes")
                : defaults.maxTotalBytes();
        try {
            return new TrainingDataSettings(fraction, seed, minExamples, maxExamples, maxExampleBytes, maxTotalBytes);
        } catch (IllegalArgumentException e) {
            String field = e.getMessage().split(" ", 2)[0];
            String path = training.path(DATA_FIELDS.contains(field) ? field : "");
            throw new InvalidTaskInput(path, "task input field '" + path + "' is invalid: " + e.getMessage(), e);
        }
    }

    static PromptTemplate prompt(TaskInput training) {
        if (!training.has("prompt")) {
            return RoutingPrompts.BUILT_IN;
        }
        try {
            return new PromptTemplate("input", training.text("prompt"));
        } catch (IllegalArgumentException e) {
            throw training.invalid("prompt", "is not a usable prompt: " + e.getMessage());
        }
    }

    /** Returns the labels the input lists, or null when it lists none. */
    static List<String> labels(TaskInput training) {
        return training.has("labels") ? training.textList("labels") : null;
    }

    /**
     * Builds the spec of the run's training job.
     *
     * @param trainDataUri the training channel's folder
     * @param validationDataUri the validation channel's folder, or null
     * @param job the state machine's {@code {roleArn, trainingImageUri, sourceUri, outputUri}}
     */
    static LoraTrainingSpec spec(TaskInput training, String trainDataUri, String validationDataUri, TaskInput job) {
        ObjectNode fields = training.copy();
        for (String filled : FILLED_FIELDS) {
            if (fields.has(filled)) {
                throw training.invalid(filled, "is set by the state machine (" + FILLED + "); remove it from the"
                        + " run's input");
            }
        }
        DATA_FIELDS.forEach(fields::remove);

        fields.put("trainDataUri", trainDataUri);
        if (validationDataUri != null) {
            fields.put("validationDataUri", validationDataUri);
        }
        fields.put("outputUri", job.text("outputUri"));
        fields.put("trainingImageUri", job.text("trainingImageUri"));
        fields.put("roleArn", job.text("roleArn"));

        Map<String, String> extra = new TreeMap<>();
        if (training.has("extraHyperParameters")) {
            extra.putAll(training.textMap("extraHyperParameters"));
        }
        for (String reserved : List.of(PROGRAM_HYPERPARAMETER, SUBMIT_DIRECTORY_HYPERPARAMETER)) {
            if (extra.containsKey(reserved)) {
                throw training.invalid("extraHyperParameters." + reserved, "is set by the state machine, which"
                        + " runs the repository's training script; remove it");
            }
        }
        extra.put(PROGRAM_HYPERPARAMETER, ENTRY_POINT);
        extra.put(SUBMIT_DIRECTORY_HYPERPARAMETER, job.text("sourceUri"));
        ObjectNode extraNode = fields.putObject("extraHyperParameters");
        extra.forEach(extraNode::put);

        ObjectNode wrapper = StepTaskHandler.MAPPER.createObjectNode();
        wrapper.set("training", fields);
        return TrainingLaunchHandler.spec(TaskInput.root(wrapper).object("training"));
    }
}
