package dev.tuneladder.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.aws.s3.S3BlobStoreSettings;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Step Functions side shared by the task handlers: reads the state input as JSON, runs the task, and writes
 * its result as the state output. A failure is thrown, so that the state's Retry and Catch see it by class name:
 * {@link TaskInputException} for input the task cannot run on (catch it, do not retry it), anything else for
 * failures a retry may cure.
 *
 * <p>The handlers read and write JSON themselves, as a stream handler, because the Lambda runtime's own
 * serialisation cannot produce a Jackson tree.
 *
 * <p>TODO: this base class and its input-error type duplicate StepTaskHandler and InvalidTaskInput, which were written in
 * parallel; fold them into one so the state machines match a single error name for bad input.
 */
abstract class TaskHandler implements RequestStreamHandler {

    static final ObjectMapper MAPPER = Json.mapper();

    /** Run ids become S3 key segments and execution names: letters, digits, '-', '_' and '.', at most 80. */
    static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._-]{1,80}");

    private static final Logger LOG = LoggerFactory.getLogger(TaskHandler.class);

    /** The function name written in log lines. */
    abstract String function();

    /** Runs the task on a parsed input and returns the state output. */
    abstract JsonNode handle(JsonNode input);

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try (Invocation ignored = Invocation.start(context, function())) {
            long started = System.nanoTime();
            JsonNode result;
            try {
                JsonNode event = parse(input);
                Invocation.runId(runIdOrNull(event));
                result = handle(event);
            } catch (TaskInputException e) {
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

    private static JsonNode parse(InputStream input) throws IOException {
        try {
            JsonNode event = MAPPER.readTree(input);
            if (event == null || !event.isObject()) {
                throw new TaskInputException(null, "the task input is not a JSON object; pass the state input as"
                        + " described in the README and test-events/");
            }
            return event;
        } catch (JsonProcessingException e) {
            throw new TaskInputException(null, "the task input is not valid JSON (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
    }

    /** The run id for the log context, looked up where a Distributed Map batch carries it too. */
    private static String runIdOrNull(JsonNode event) {
        JsonNode runId = event.path("runId");
        if (!runId.isTextual()) {
            runId = event.path("BatchInput").path("runId");
        }
        return runId.isTextual() && RUN_ID.matcher(runId.asText()).matches() ? runId.asText() : null;
    }

    /** Returns the run id field of {@code node}, or throws naming it. */
    static String runId(JsonNode node, String field) {
        JsonNode value = node.get("runId");
        if (value == null || !value.isTextual() || !RUN_ID.matcher(value.asText()).matches()) {
            throw new TaskInputException(field, "input field '" + field + "' must be a run id of 1 to 80 letters,"
                    + " digits, '-', '_' or '.'; got " + (value == null ? "nothing" : value.toString()));
        }
        return value.asText();
    }

    /** Returns a text field, or {@code fallback} when it is absent or null; throws when it is not text. */
    static String optionalText(JsonNode node, String field, String fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new TaskInputException(field, "input field '" + field + "' must be a non-blank string; got "
                    + value);
        }
        return value.asText();
    }

    /** Returns an integer field within [min, max], or {@code fallback} when it is absent or null. */
    static long optionalLong(JsonNode node, String field, long fallback, long min, long max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < min
                || value.asLong() > max) {
            throw new TaskInputException(field, "input field '" + field + "' must be an integer from " + min
                    + " to " + max + "; got " + value);
        }
        return value.asLong();
    }

    /**
     * Returns the store of the configured bucket. The S3 client opens no connection before its first call, so a
     * SnapStart snapshot taken after construction holds none.
     */
    static BlobStore runStore(HandlerConfig config) {
        return S3BlobStore.create(config.aws(), S3BlobStoreSettings.forBucket(config.bucket()));
    }

    /** The store key of an object of a run: {@code runs/{runId}/{path}}. */
    static String runKey(String runId, String path) {
        return "runs/" + runId + "/" + path;
    }
}
