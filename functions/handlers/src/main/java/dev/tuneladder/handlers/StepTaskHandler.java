package dev.tuneladder.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.aws.s3.S3BlobStoreSettings;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda side shared by the Step Functions task handlers: the state's input arrives as a plain JSON object
 * with a {@code runId}, the task's result leaves as a plain JSON object (both well under Step Functions' 256 KiB
 * payload limit). The stream form keeps the Lambda runtime's own serializer out of the way, so the JSON read and
 * written is exactly what these classes build.
 *
 * <p>Failures are thrown, not returned: the Lambda Java runtime reports the exception's class name as the error
 * type, which a state's Retry and Catch match. {@link InvalidTaskInput} marks input that no retry can fix, so the
 * state machines catch it and leave it out of Retry. Any other exception is a failure that a later attempt may
 * not repeat, such as a failed S3 or Bedrock call.
 *
 * <p>The run id is read from {@code runId}, or from {@code BatchInput.runId} when the input is a Distributed Map
 * batch ({@code {Items, BatchInput}}), so that the run id is in every log line of the invocation.
 */
abstract class StepTaskHandler implements RequestStreamHandler {

    static final ObjectMapper MAPPER = Json.mapper();

    private static final Logger LOG = LoggerFactory.getLogger(StepTaskHandler.class);

    /** The function name written in log lines. */
    abstract String function();

    /** Runs the task on an input whose run id was already checked; returns the task's result. */
    abstract ObjectNode handle(TaskInput input, String runId);

    /**
     * Runs the task with the invocation's Lambda context, for tasks that must finish before the function's timeout
     * ({@link Context#getRemainingTimeInMillis()}). The context is null when a caller has none.
     */
    ObjectNode handle(TaskInput input, String runId, Context context) {
        return handle(input, runId);
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try (Invocation ignored = Invocation.start(context, function())) {
            long started = System.nanoTime();
            ObjectNode result;
            try {
                TaskInput task = TaskInput.root(parse(input));
                String runId = runId(task);
                Invocation.runId(runId);
                result = handle(task, runId, context);
            } catch (InvalidTaskInput e) {
                LOG.warn("task input rejected: field={}", e.field());
                throw e;
            } catch (RuntimeException e) {
                // The class only: messages of lower layers may quote dataset rows.
                LOG.error("task failed: exception={}", e.getClass().getName());
                throw e;
            }
            MAPPER.writeValue(output, result);
            LOG.info("task done: millis={}", (System.nanoTime() - started) / 1_000_000);
        }
    }

    /**
     * Returns the store of the configured bucket. The S3 client opens no connection before its first call, so a
     * SnapStart snapshot taken after construction contains none.
     */
    static BlobStore runStore(HandlerConfig config) {
        return S3BlobStore.create(config.aws(), S3BlobStoreSettings.forBucket(config.bucket()));
    }

    /** Returns the store key of an object of a run: {@code runs/{runId}/{path}}. */
    static String runKey(String runId, String path) {
        return "runs/" + runId + "/" + path;
    }

    /** Returns true for the shape a Distributed Map's ItemBatcher passes: {@code {Items, BatchInput}}. */
    static boolean isMapBatch(TaskInput input) {
        return input.has("Items");
    }

    private static String runId(TaskInput input) {
        return isMapBatch(input) ? input.object("BatchInput").runId() : input.runId();
    }

    private static JsonNode parse(InputStream input) throws IOException {
        try {
            JsonNode node = MAPPER.readTree(input);
            if (node == null || node.isMissingNode()) {
                throw new InvalidTaskInput(null, "the task input is empty; pass a JSON object with a runId");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new InvalidTaskInput(null, "the task input is not valid JSON (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                    + "); pass a JSON object with a runId");
        }
    }
}
