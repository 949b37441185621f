package dev.tuneladder.handlers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.aws.sagemaker.SageMakerTrainingBackend;
import dev.tuneladder.core.training.LaunchedTrainingJob;
import dev.tuneladder.core.training.LoraTrainingSpec;
import dev.tuneladder.core.training.TrainingBackend;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * Step Functions task: starts a LoRA training job on SageMaker and returns at once.
 *
 * <p>Input {@code {runId, spec}}, where {@code spec} holds the fields of {@link LoraTrainingSpec} by their record
 * names ({@code jobName}, {@code baseModel}, {@code trainDataUri}, {@code outputUri}, {@code trainingImageUri} and
 * {@code roleArn} are required; the rest default as {@link LoraTrainingSpec.Builder} says). Output
 * {@code {runId, trainingJobName, trainingJobArn}}. An invalid spec throws {@link InvalidTaskInput} naming the
 * field before any call to SageMaker.
 *
 * <p>The {@code fine-tuning} state machine launches training with the {@code sagemaker:createTrainingJob.sync}
 * integration, which also waits for the job. This handler is for callers without that integration (an Express
 * workflow, which cannot use {@code .sync}, or a script); they poll DescribeTrainingJob themselves. One attempt:
 * a throttled or failed CreateTrainingJob surfaces as a {@code ModelCallException} for the state's Retry, and the
 * fixed job name makes a retry after a lost response fail with a client error rather than start a second job.
 */
public final class TrainingLaunchHandler extends StepTaskHandler {

    /** The spec fields an input may give; anything else is a typo that would otherwise be ignored. */
    static final Set<String> SPEC_FIELDS = Set.of("jobName", "baseModel", "trainDataUri", "validationDataUri",
            "outputUri", "outputKmsKeyId", "loraRank", "loraAlpha", "loraDropout", "targetModules", "epochs",
            "learningRate", "batchSize", "maxSequenceLength", "instanceType", "instanceCount", "volumeSizeInGb",
            "maxRuntimeSeconds", "trainingImageUri", "roleArn", "extraHyperParameters", "tags");

    private static final List<String> REQUIRED = List.of("jobName", "baseModel", "trainDataUri", "outputUri",
            "trainingImageUri", "roleArn");

    private static final Logger LOG = LoggerFactory.getLogger(TrainingLaunchHandler.class);

    private final TrainingBackend backend;

    /** Builds the SageMaker client from the environment (see {@link HandlerConfig}). */
    public TrainingLaunchHandler() {
        this(HandlerConfig.fromEnvironment());
    }

    private TrainingLaunchHandler(HandlerConfig config) {
        this(new SageMakerTrainingBackend(config.aws().configure(SageMakerClient.builder()).build()));
    }

    TrainingLaunchHandler(TrainingBackend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    @Override
    String function() {
        return "training-launch";
    }

    @Override
    ObjectNode handle(TaskInput input, String runId) {
        LoraTrainingSpec spec = spec(input.object("spec"));
        LaunchedTrainingJob job = backend.launch(spec);
        LOG.info("training job started: jobName={}", job.jobName());

        ObjectNode result = MAPPER.createObjectNode();
        result.put("runId", runId);
        result.put("trainingJobName", job.jobName());
        result.put("trainingJobArn", job.jobArn());
        return result;
    }

    /** Reads the spec, naming the field at fault for a wrong type, an unknown name or a rule of the record. */
    static LoraTrainingSpec spec(TaskInput spec) {
        for (String field : spec.fieldNames()) {
            if (!SPEC_FIELDS.contains(field)) {
                throw spec.invalid(field, "is not a training spec field; the fields are " + sorted(SPEC_FIELDS));
            }
        }
        for (String field : REQUIRED) {
            spec.text(field);
        }

        LoraTrainingSpec.Builder builder = LoraTrainingSpec.builder()
                .jobName(spec.text("jobName"))
                .baseModel(spec.text("baseModel"))
                .trainDataUri(spec.text("trainDataUri"))
                .validationDataUri(spec.optionalText("validationDataUri"))
                .outputUri(spec.text("outputUri"))
                .outputKmsKeyId(spec.optionalText("outputKmsKeyId"))
                .trainingImageUri(spec.text("trainingImageUri"))
                .roleArn(spec.text("roleArn"));
        if (spec.has("loraRank")) {
            builder.loraRank(spec.integer("loraRank"));
        }
        if (spec.has("loraAlpha")) {
            builder.loraAlpha(spec.integer("loraAlpha"));
        }
        if (spec.has("loraDropout")) {
            builder.loraDropout(spec.number("loraDropout"));
        }
        if (spec.has("targetModules")) {
            builder.targetModules(spec.textList("targetModules"));
        }
        if (spec.has("epochs")) {
            builder.epochs(spec.integer("epochs"));
        }
        if (spec.has("learningRate")) {
            builder.learningRate(spec.number("learningRate"));
        }
        if (spec.has("batchSize")) {
            builder.batchSize(spec.integer("batchSize"));
        }
        if (spec.has("maxSequenceLength")) {
            builder.maxSequenceLength(spec.integer("maxSequenceLength"));
        }
        if (spec.has("instanceType")) {
            builder.instanceType(spec.text("instanceType"));
        }
        if (spec.has("instanceCount")) {
            builder.instanceCount(spec.integer("instanceCount"));
        }
        if (spec.has("volumeSizeInGb")) {
            builder.volumeSizeInGb(spec.integer("volumeSizeInGb"));
        }
        if (spec.has("maxRuntimeSeconds")) {
            builder.maxRuntimeSeconds(spec.integer("maxRuntimeSeconds"));
        }
        if (spec.has("extraHyperParameters")) {
            builder.extraHyperParameters(spec.textMap("extraHyperParameters"));
        }
        if (spec.has("tags")) {
            builder.tags(spec.textMap("tags"));
        }

        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            String field = fieldOf(e.getMessage());
            String path = field == null ? spec.path("").substring(0, spec.path("").length() - 1) : spec.path(field);
            throw new InvalidTaskInput(path, "task input field '" + path + "' is invalid: " + e.getMessage(), e);
        }
    }

    /**
     * Returns the spec field a message of the record is about, or null. The record's messages start with the
     * field's name, such as "loraRank must be 8 to 16, got 32"; "hyperparameter ..." messages are about
     * extraHyperParameters.
     */
    static String fieldOf(String message) {
        if (message == null) {
            return null;
        }
        String first = message.split("[ ']", 2)[0];
        if (SPEC_FIELDS.contains(first)) {
            return first;
        }
        return first.equals("hyperparameter") ? "extraHyperParameters" : null;
    }

    private static String sorted(Set<String> names) {
        return String.join(", ", names.stream().sorted().toList());
    }
}
