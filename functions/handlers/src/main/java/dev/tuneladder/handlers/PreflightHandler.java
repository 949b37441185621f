package dev.tuneladder.handlers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.aws.s3.S3BlobStoreSettings;
import dev.tuneladder.core.storage.BlobStore;
import dev.tuneladder.core.training.ArtifactPreflight;
import dev.tuneladder.core.training.ModelModality;
import dev.tuneladder.core.training.PreflightProblem;
import dev.tuneladder.core.training.PreflightReport;
import dev.tuneladder.core.training.RequestDocuments;
import dev.tuneladder.core.training.LoraTrainingSpec;
import dev.tuneladder.core.training.TrainingDataPreflight;
import dev.tuneladder.core.training.TrainingDataReport;
import dev.tuneladder.core.training.TrainingDataSettings;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Step Functions task with two checks, chosen by {@code check}: {@code TRAINING_INPUTS} checks the exported
 * training files and settings before a training job is paid for; {@code MERGED_ARTIFACTS} (the default) checks
 * merged model artifacts in S3 against Custom Model Import's rules before an import job is started, since a failed
 * import costs minutes and says less.
 *
 * <p>{@code TRAINING_INPUTS} input {@code {runId, check, export: {trainingDataS3Uri, validationDataS3Uri?},
 * training: {...}, job: {roleArn, trainingImageUri, sourceUri, outputUri}}}, with {@code training} as
 * {@link TrainingInputs} describes and {@code job} filled in by the state machine. It builds the
 * {@link LoraTrainingSpec} (an invalid one throws {@link InvalidTaskInput} naming the field) and runs
 * {@link TrainingDataPreflight}. Output {@code {runId, check, passed, location, files, trainExamples,
 * validationExamples, bytes, warnings[], trainingJobRequest, modelUri}}: {@code trainingJobRequest} is the
 * CreateTrainingJob request of {@link RequestDocuments#createTrainingJob}, with {@code Tags} always present so
 * that the state machine can pass every field on, and {@code modelUri} is where the job's uncompressed
 * {@code /opt/ml/model} will land. A report with errors throws {@link TrainingDataPreflightFailed}.
 *
 * <p>{@code MERGED_ARTIFACTS} input {@code {runId, artifactsUri, modality?}}: {@code artifactsUri} is the model folder,
 * {@code s3://bucket/prefix/}; {@code modality} is {@code TEXT} (default) or {@code MULTIMODAL}, which sets the
 * weight size limit. Output: the report, {@code {runId, location, passed, fileCount, weightBytes,
 * weightLimitBytes, errors[], warnings[]}}, each problem {@code {file, reason, fix}}. A report with errors throws
 * {@link ArtifactPreflightFailed} instead, listing them, for the state machine's Catch.
 */
public final class PreflightHandler extends StepTaskHandler {

    private static final Logger LOG = LoggerFactory.getLogger(PreflightHandler.class);

    private final Function<String, BlobStore> storeForBucket;

    /** Builds one S3 client from the environment (see {@link HandlerConfig}); it serves every bucket. */
    public PreflightHandler() {
        this(S3BlobStore.clientBuilder(HandlerConfig.fromEnvironment().aws()).build());
    }

    private PreflightHandler(S3Client client) {
        this(bucket -> new S3BlobStore(client, S3BlobStoreSettings.forBucket(bucket)));
    }

    /**
     * @param storeForBucket returns a store over the whole of the named bucket; closing it must leave shared
     *     clients open
     */
    PreflightHandler(Function<String, BlobStore> storeForBucket) {
        this.storeForBucket = Objects.requireNonNull(storeForBucket, "storeForBucket");
    }

    @Override
    String function() {
        return "preflight";
    }

    @Override
    ObjectNode handle(TaskInput input, String runId) {
        String check = input.has("check") ? input.text("check") : "MERGED_ARTIFACTS";
        return switch (check) {
            case "MERGED_ARTIFACTS" -> mergedArtifacts(input, runId);
            case "TRAINING_INPUTS" -> trainingInputs(input, runId);
            default -> throw input.invalid("check", "is '" + check + "'; use TRAINING_INPUTS or MERGED_ARTIFACTS");
        };
    }

    private ObjectNode trainingInputs(TaskInput input, String runId) {
        TaskInput export = input.object("export");
        TaskInput training = input.object("training");
        TaskInput job = input.object("job");
        String trainUri = export.text("trainingDataS3Uri");
        String validationUri = export.optionalText("validationDataS3Uri");
        Folder train = folder(export, "trainingDataS3Uri", trainUri);
        Folder validation = validationUri == null ? null : folder(export, "validationDataS3Uri", validationUri);
        if (validation != null && !validation.bucket().equals(train.bucket())) {
            throw export.invalid("validationDataS3Uri", "is in bucket '" + validation.bucket() + "' but the"
                    + " training data is in '" + train.bucket() + "'; export both to the run bucket");
        }
        TrainingDataSettings settings = TrainingInputs.settings(training);
        LoraTrainingSpec spec = TrainingInputs.spec(training, trainUri, validationUri, job);

        TrainingDataReport report;
        try (BlobStore store = store(export, "trainingDataS3Uri", train.bucket())) {
            report = TrainingDataPreflight.check(store, train.prefix(), validation == null ? null
                    : validation.prefix(), settings);
        }
        LOG.info("training inputs checked: passed={} files={} trainExamples={} validationExamples={} errors={}",
                report.passed(), report.files(), report.trainExamples(), report.validationExamples(),
                report.errors().size());
        if (!report.passed()) {
            throw new TrainingDataPreflightFailed(report);
        }

        ObjectNode request = RequestDocuments.createTrainingJob(spec);
        if (!request.has("Tags")) {
            request.putArray("Tags");
        }
        ObjectNode result = MAPPER.createObjectNode();
        result.put("runId", runId);
        result.put("check", "TRAINING_INPUTS");
        result.put("passed", true);
        result.put("location", report.location());
        result.put("files", report.files());
        result.put("trainExamples", report.trainExamples());
        result.put("validationExamples", report.validationExamples());
        result.put("bytes", report.bytes());
        problems(result.putArray("warnings"), report.warnings());
        result.set("trainingJobRequest", request);
        result.put("modelUri", RequestDocuments.uncompressedModelUri(spec));
        return result;
    }

    /** An S3 folder named by a task input field. */
    private record Folder(String bucket, String prefix) {
    }

    private static Folder folder(TaskInput input, String field, String uri) {
        int slash = uri.startsWith("s3://") ? uri.indexOf('/', "s3://".length()) : -1;
        if (slash < 0 || !uri.endsWith("/") || slash == uri.length() - 1) {
            throw input.invalid(field, "is '" + uri + "'; give the folder as s3://bucket/prefix/, ending with '/'");
        }
        return new Folder(uri.substring("s3://".length(), slash), uri.substring(slash + 1));
    }

    private ObjectNode mergedArtifacts(TaskInput input, String runId) {
        String uri = input.text("artifactsUri");
        if (!uri.startsWith("s3://") || uri.indexOf('/', "s3://".length()) < 0 || !uri.endsWith("/")) {
            throw input.invalid("artifactsUri", "is '" + uri + "'; give the model folder as s3://bucket/prefix/,"
                    + " ending with '/'");
        }
        int slash = uri.indexOf('/', "s3://".length());
        String bucket = uri.substring("s3://".length(), slash);
        String prefix = uri.substring(slash + 1);
        ModelModality modality = modality(input);

        PreflightReport report;
        try (BlobStore store = store(input, "artifactsUri", bucket)) {
            report = ArtifactPreflight.check(store, prefix, modality);
        } catch (IllegalArgumentException e) {
            throw new InvalidTaskInput(input.path("artifactsUri"), "task input field 'artifactsUri' is invalid: "
                    + e.getMessage(), e);
        }
        LOG.info("preflight done: passed={} files={} errors={} warnings={}", report.passed(), report.fileCount(),
                report.errors().size(), report.warnings().size());
        if (!report.passed()) {
            throw new ArtifactPreflightFailed(report);
        }
        return toJson(runId, report);
    }

    private BlobStore store(TaskInput input, String field, String bucket) {
        try {
            return storeForBucket.apply(bucket);
        } catch (IllegalArgumentException e) {
            throw new InvalidTaskInput(input.path(field), "task input field '" + input.path(field) + "' names an"
                    + " invalid bucket: " + e.getMessage(), e);
        }
    }

    private static ModelModality modality(TaskInput input) {
        String value = input.optionalText("modality");
        if (value == null) {
            return ModelModality.TEXT;
        }
        try {
            return ModelModality.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw input.invalid("modality", "is '" + value + "'; use TEXT or MULTIMODAL");
        }
    }

    static ObjectNode toJson(String runId, PreflightReport report) {
        ObjectNode result = MAPPER.createObjectNode();
        result.put("runId", runId);
        result.put("location", report.location());
        result.put("passed", report.passed());
        result.put("fileCount", report.fileCount());
        result.put("weightBytes", report.weightBytes());
        result.put("weightLimitBytes", report.weightLimitBytes());
        problems(result.putArray("errors"), report.errors());
        problems(result.putArray("warnings"), report.warnings());
        return result;
    }

    private static void problems(ArrayNode array, List<PreflightProblem> problems) {
        for (PreflightProblem problem : problems) {
            ObjectNode item = array.addObject();
            item.put("file", problem.file());
            item.put("reason", problem.reason());
            item.put("fix", problem.fix());
        }
    }
}
