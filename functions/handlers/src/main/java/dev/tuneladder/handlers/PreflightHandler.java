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
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Step Functions task: checks merged model artifacts in S3 against Custom Model Import's rules before an import
 * job is started, since a failed import costs minutes and says less.
 *
 * <p>Input {@code {runId, artifactsUri, modality?}}: {@code artifactsUri} is the model folder,
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
        try (BlobStore store = store(input, bucket)) {
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

    private BlobStore store(TaskInput input, String bucket) {
        try {
            return storeForBucket.apply(bucket);
        } catch (IllegalArgumentException e) {
            throw new InvalidTaskInput(input.path("artifactsUri"), "task input field 'artifactsUri' names an"
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
