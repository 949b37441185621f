package dev.tuneladder.core.training;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A LoRA fine-tuning job: the base model, the data channels, the adapter and optimizer settings, and the SageMaker
 * resources that run it.
 *
 * <p>The job runs our own PEFT training script inside {@code trainingImageUri}; the script reads the settings from
 * the hyperparameters that {@link #hyperParameters()} renders. A base model given as an S3 URI travels as the
 * {@code model} input channel, and one given as a model hub id as the {@code base_model} hyperparameter.
 *
 * @param jobName the SageMaker TrainingJobName, unique in the account and Region
 * @param baseModel a model hub id such as {@code meta-llama/Llama-3.1-8B-Instruct}, or the S3 URI of its weights
 * @param trainDataUri the S3 prefix of the training JSON Lines files (the {@code train} channel)
 * @param validationDataUri the S3 prefix of the validation files (the {@code validation} channel), or null for none
 * @param outputUri the S3 prefix under which SageMaker writes the job's artifacts
 * @param outputKmsKeyId the KMS key that encrypts the artifacts, or null for the bucket's default encryption
 * @param loraRank the adapter rank r, 8 to 16
 * @param loraAlpha the LoRA scaling numerator alpha; the update is scaled by alpha / r
 * @param loraDropout the dropout on the adapter's input, at least 0 and below 1
 * @param targetModules the module names that get an adapter, by default the attention projections
 * @param epochs passes over the training data
 * @param learningRate the peak learning rate
 * @param batchSize examples per device per optimizer step
 * @param maxSequenceLength the longest tokenized example kept, in tokens
 * @param instanceType the SageMaker ML instance type, such as {@code ml.g5.12xlarge}
 * @param instanceCount the number of instances
 * @param volumeSizeInGb the ML storage volume per instance, in GB
 * @param maxRuntimeSeconds the stopping condition, 1 second to 28 days
 * @param trainingImageUri the ECR URI of the training container
 * @param roleArn the IAM role SageMaker assumes to read the data and write the artifacts
 * @param extraHyperParameters more script settings, sent as they are; none may repeat a rendered key
 * @param tags cost allocation tags for the job
 */
public record LoraTrainingSpec(
        String jobName,
        String baseModel,
        String trainDataUri,
        String validationDataUri,
        String outputUri,
        String outputKmsKeyId,
        int loraRank,
        int loraAlpha,
        double loraDropout,
        List<String> targetModules,
        int epochs,
        double learningRate,
        int batchSize,
        int maxSequenceLength,
        String instanceType,
        int instanceCount,
        int volumeSizeInGb,
        int maxRuntimeSeconds,
        String trainingImageUri,
        String roleArn,
        Map<String, String> extraHyperParameters,
        Map<String, String> tags) {

    /** The attention projections of Llama-style decoders, the usual LoRA targets. */
    public static final List<String> ATTENTION_PROJECTIONS = List.of("q_proj", "k_proj", "v_proj", "o_proj");

    public static final int MIN_LORA_RANK = 8;
    public static final int MAX_LORA_RANK = 16;

    /** SageMaker accepts at most 100 hyperparameters, each key and value at most 256 characters. */
    public static final int MAX_HYPERPARAMETERS = 100;
    public static final int MAX_HYPERPARAMETER_CHARS = 256;

    private static final Pattern MODULE_NAME = Pattern.compile("[A-Za-z0-9_.]+");

    public LoraTrainingSpec {
        AwsConstraints.requireTrainingJobName(jobName);
        requireBaseModel(baseModel);
        AwsConstraints.requireS3Uri("trainDataUri", trainDataUri);
        if (validationDataUri != null) {
            AwsConstraints.requireS3Uri("validationDataUri", validationDataUri);
        }
        AwsConstraints.requireS3Uri("outputUri", outputUri);
        if (outputKmsKeyId != null && (outputKmsKeyId.isBlank() || outputKmsKeyId.length() > 2048)) {
            throw new IllegalArgumentException("outputKmsKeyId '" + outputKmsKeyId + "' must have 1 to 2048"
                    + " characters, or be null for the bucket's default encryption");
        }

        if (loraRank < MIN_LORA_RANK || loraRank > MAX_LORA_RANK) {
            throw new IllegalArgumentException("loraRank must be " + MIN_LORA_RANK + " to " + MAX_LORA_RANK
                    + ", got " + loraRank);
        }
        requirePositive("loraAlpha", loraAlpha);
        if (!(loraDropout >= 0 && loraDropout < 1)) {
            throw new IllegalArgumentException("loraDropout must be at least 0 and below 1, got " + loraDropout);
        }
        targetModules = requireTargetModules(targetModules);

        requirePositive("epochs", epochs);
        if (!(learningRate > 0 && learningRate <= 1)) {
            throw new IllegalArgumentException("learningRate must be above 0 and at most 1, got " + learningRate
                    + "; LoRA runs typically use 1e-4 to 3e-4");
        }
        requirePositive("batchSize", batchSize);
        requirePositive("maxSequenceLength", maxSequenceLength);

        Objects.requireNonNull(instanceType, "instanceType");
        if (!instanceType.startsWith("ml.") || instanceType.length() < 4) {
            throw new IllegalArgumentException("instanceType '" + instanceType + "' is not a SageMaker ML instance"
                    + " type: give one such as ml.g5.12xlarge");
        }
        requirePositive("instanceCount", instanceCount);
        requirePositive("volumeSizeInGb", volumeSizeInGb);
        if (maxRuntimeSeconds < 1 || maxRuntimeSeconds > AwsConstraints.MAX_RUNTIME_SECONDS) {
            throw new IllegalArgumentException("maxRuntimeSeconds must be 1 to " + AwsConstraints.MAX_RUNTIME_SECONDS
                    + " (28 days), got " + maxRuntimeSeconds);
        }
        Objects.requireNonNull(trainingImageUri, "trainingImageUri");
        if (trainingImageUri.isBlank() || trainingImageUri.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("trainingImageUri '" + trainingImageUri + "' must be an ECR image URI"
                    + " without spaces, such as 763104351884.dkr.ecr.us-east-1.amazonaws.com/"
                    + "huggingface-pytorch-training:<tag>");
        }
        AwsConstraints.requireRoleArn("roleArn", roleArn);

        Objects.requireNonNull(extraHyperParameters, "extraHyperParameters");
        extraHyperParameters = Collections.unmodifiableMap(new TreeMap<>(extraHyperParameters));
        tags = AwsConstraints.requireTags("tags", tags, AwsConstraints.MAX_TRAINING_TAGS);
        checkHyperParameters(jobName, renderedHyperParameters(baseModel, loraRank, loraAlpha, loraDropout,
                targetModules, epochs, learningRate, batchSize, maxSequenceLength), extraHyperParameters);
    }

    /** Returns a builder with the defaults listed on {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns whether the base model comes from S3 (the {@code model} channel) rather than a model hub. */
    public boolean baseModelInS3() {
        return baseModel.startsWith("s3://");
    }

    /**
     * Returns the HyperParameters map of the CreateTrainingJob request, sorted by key, every value a string as
     * SageMaker requires. The names follow the SageMaker JumpStart text-generation scripts where those have one
     * ({@code epoch}, {@code learning_rate}, {@code per_device_train_batch_size}, {@code lora_r}, {@code lora_alpha},
     * {@code lora_dropout}, {@code max_input_length}); {@code base_model} and {@code target_modules} are our script's.
     */
    public Map<String, String> hyperParameters() {
        Map<String, String> all = new TreeMap<>(renderedHyperParameters(baseModel, loraRank, loraAlpha, loraDropout,
                targetModules, epochs, learningRate, batchSize, maxSequenceLength));
        all.putAll(extraHyperParameters);
        return Collections.unmodifiableMap(all);
    }

    /**
     * Returns the input channels by name, in request order: {@code train}, then {@code validation} and
     * {@code model} when present, each mapped to its S3 prefix.
     */
    public Map<String, String> channels() {
        Map<String, String> channels = new LinkedHashMap<>();
        channels.put("train", trainDataUri);
        if (validationDataUri != null) {
            channels.put("validation", validationDataUri);
        }
        if (baseModelInS3()) {
            channels.put("model", baseModel);
        }
        return Collections.unmodifiableMap(channels);
    }

    private static Map<String, String> renderedHyperParameters(String baseModel, int loraRank, int loraAlpha,
            double loraDropout, List<String> targetModules, int epochs, double learningRate, int batchSize,
            int maxSequenceLength) {
        Map<String, String> rendered = new TreeMap<>();
        if (!baseModel.startsWith("s3://")) {
            rendered.put("base_model", baseModel);
        }
        rendered.put("epoch", Integer.toString(epochs));
        rendered.put("learning_rate", plain(learningRate));
        rendered.put("per_device_train_batch_size", Integer.toString(batchSize));
        rendered.put("lora_r", Integer.toString(loraRank));
        rendered.put("lora_alpha", Integer.toString(loraAlpha));
        rendered.put("lora_dropout", plain(loraDropout));
        rendered.put("target_modules", String.join(",", targetModules));
        rendered.put("max_input_length", Integer.toString(maxSequenceLength));
        return rendered;
    }

    /** Formats without an exponent ({@code 0.0001}, not {@code 1.0E-4}), so any script's float parser reads it. */
    private static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static void checkHyperParameters(String jobName, Map<String, String> rendered,
            Map<String, String> extra) {
        for (Map.Entry<String, String> entry : extra.entrySet()) {
            if (rendered.containsKey(entry.getKey())) {
                throw new IllegalArgumentException("extraHyperParameters key '" + entry.getKey() + "' of job '"
                        + jobName + "' repeats a hyperparameter the spec renders: set the spec's own field instead");
            }
        }
        int count = rendered.size() + extra.size();
        if (count > MAX_HYPERPARAMETERS) {
            throw new IllegalArgumentException("job '" + jobName + "' has " + count + " hyperparameters, more than"
                    + " the " + MAX_HYPERPARAMETERS + " SageMaker accepts: drop some extraHyperParameters");
        }
        Map<String, String> all = new TreeMap<>(rendered);
        all.putAll(extra);
        all.forEach((key, value) -> {
            if (key.isEmpty() || key.length() > MAX_HYPERPARAMETER_CHARS) {
                throw new IllegalArgumentException("hyperparameter key '" + key + "' must have 1 to "
                        + MAX_HYPERPARAMETER_CHARS + " characters");
            }
            if (value == null || value.length() > MAX_HYPERPARAMETER_CHARS) {
                throw new IllegalArgumentException("hyperparameter '" + key + "' needs a value of at most "
                        + MAX_HYPERPARAMETER_CHARS + " characters, got "
                        + (value == null ? "null" : value.length() + " characters"));
            }
        });
    }

    private static void requireBaseModel(String baseModel) {
        Objects.requireNonNull(baseModel, "baseModel");
        if (baseModel.startsWith("s3://")) {
            AwsConstraints.requireS3Uri("baseModel", baseModel);
            return;
        }
        if (baseModel.isBlank() || baseModel.length() > MAX_HYPERPARAMETER_CHARS
                || baseModel.chars().anyMatch(Character::isWhitespace) || baseModel.contains("://")) {
            throw new IllegalArgumentException("baseModel '" + baseModel + "' is neither a model hub id such as"
                    + " meta-llama/Llama-3.1-8B-Instruct (at most 256 characters, no spaces) nor an S3 URI");
        }
    }

    private static List<String> requireTargetModules(List<String> modules) {
        Objects.requireNonNull(modules, "targetModules");
        if (modules.isEmpty()) {
            throw new IllegalArgumentException("targetModules is empty: name at least one module, such as "
                    + String.join(",", ATTENTION_PROJECTIONS));
        }
        Set<String> seen = new HashSet<>();
        for (String module : modules) {
            if (module == null || !MODULE_NAME.matcher(module).matches()) {
                throw new IllegalArgumentException("targetModules entry '" + module + "' is not a module name:"
                        + " use letters, digits, '_' and '.', such as q_proj");
            }
            if (!seen.add(module)) {
                throw new IllegalArgumentException("targetModules lists '" + module + "' twice: list it once");
            }
        }
        return List.copyOf(modules);
    }

    private static void requirePositive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be at least 1, got " + value);
        }
    }

    /**
     * Builds a {@link LoraTrainingSpec}. Defaults: rank 8, alpha 32, dropout 0.05, 5 epochs, learning rate 1e-4,
     * batch size 4 (the JumpStart Llama 3 sample's values); 1,024-token sequences (JumpStart's
     * {@code max_input_length=-1} means the smaller of 1,024 and the tokenizer's maximum); the attention projections; one ml.g5.12xlarge
     * (a type JumpStart tested Llama 3 8B on); a 1-day runtime limit (SageMaker's own default); no validation
     * channel, KMS key, extra hyperparameters or tags. Job name, base model, train and output URIs, image and role
     * have no default.
     */
    public static final class Builder {

        private String jobName;
        private String baseModel;
        private String trainDataUri;
        private String validationDataUri;
        private String outputUri;
        private String outputKmsKeyId;
        private int loraRank = 8;
        private int loraAlpha = 32;
        private double loraDropout = 0.05;
        private List<String> targetModules = ATTENTION_PROJECTIONS;
        private int epochs = 5;
        private double learningRate = 1e-4;
        private int batchSize = 4;
        private int maxSequenceLength = 1024;
        private String instanceType = "ml.g5.12xlarge";
        private int instanceCount = 1;
        // NOTE: 100 GB is our estimate for an 8B model: base weights, a merged copy and checkpoints, in bf16.
        private int volumeSizeInGb = 100;
        private int maxRuntimeSeconds = 24 * 3600;
        private String trainingImageUri;
        private String roleArn;
        private Map<String, String> extraHyperParameters = Map.of();
        private Map<String, String> tags = Map.of();

        private Builder() {
        }

        public Builder jobName(String value) {
            jobName = value;
            return this;
        }

        public Builder baseModel(String value) {
            baseModel = value;
            return this;
        }

        public Builder trainDataUri(String value) {
            trainDataUri = value;
            return this;
        }

        public Builder validationDataUri(String value) {
            validationDataUri = value;
            return this;
        }

        public Builder outputUri(String value) {
            outputUri = value;
            return this;
        }

        public Builder outputKmsKeyId(String value) {
            outputKmsKeyId = value;
            return this;
        }

        public Builder loraRank(int value) {
            loraRank = value;
            return this;
        }

        public Builder loraAlpha(int value) {
            loraAlpha = value;
            return this;
        }

        public Builder loraDropout(double value) {
            loraDropout = value;
            return this;
        }

        public Builder targetModules(List<String> value) {
            targetModules = value;
            return this;
        }

        public Builder epochs(int value) {
            epochs = value;
            return this;
        }

        public Builder learningRate(double value) {
            learningRate = value;
            return this;
        }

        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        public Builder maxSequenceLength(int value) {
            maxSequenceLength = value;
            return this;
        }

        public Builder instanceType(String value) {
            instanceType = value;
            return this;
        }

        public Builder instanceCount(int value) {
            instanceCount = value;
            return this;
        }

        public Builder volumeSizeInGb(int value) {
            volumeSizeInGb = value;
            return this;
        }

        public Builder maxRuntimeSeconds(int value) {
            maxRuntimeSeconds = value;
            return this;
        }

        public Builder trainingImageUri(String value) {
            trainingImageUri = value;
            return this;
        }

        public Builder roleArn(String value) {
            roleArn = value;
            return this;
        }

        public Builder extraHyperParameters(Map<String, String> value) {
            extraHyperParameters = value;
            return this;
        }

        public Builder tags(Map<String, String> value) {
            tags = value;
            return this;
        }

        /** Builds the spec, validating every field. */
        public LoraTrainingSpec build() {
            return new LoraTrainingSpec(jobName, baseModel, trainDataUri, validationDataUri, outputUri, outputKmsKeyId,
                    loraRank, loraAlpha, loraDropout, targetModules, epochs, learningRate, batchSize,
                    maxSequenceLength, instanceType, instanceCount, volumeSizeInGb, maxRuntimeSeconds,
                    trainingImageUri, roleArn, extraHyperParameters, tags);
        }
    }
}
