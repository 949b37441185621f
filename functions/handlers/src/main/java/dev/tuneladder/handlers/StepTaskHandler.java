package dev.tuneladder.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.Json;
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
 * type, which a state's Retry and Catch match. {@link InvalidTaskInput} marks input that no retry can fix; a
 * failed AWS call surfaces as {@code dev.tuneladder.core.model.ModelCallException}, which the state machine
 * retries.
 *
 * <p>TODO: this base class and its input-error type duplicate TaskHandler and TaskInputException, which were written in
 * parallel; fold them into one so the state machines match a single error name for bad input.
 */
abstract class StepTaskHandler implements RequestStreamHandler {

    static final ObjectMapper MAPPER = Json.mapper();

    private static final Logger LOG = LoggerFactory.getLogger(StepTaskHandler.class);

    /** The function name written in log lines. */
    abstract String function();

    /** Runs the task on an input whose {@code runId} was already checked; returns the task's result. */
    abstract ObjectNode handle(TaskInput input, String runId);

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try (Invocation ignored = Invocation.start(context, function())) {
            long started = System.nanoTime();
            TaskInput task = TaskInput.root(parse(input));
            String runId = task.runId();
            Invocation.runId(runId);

            ObjectNode result = handle(task, runId);
            MAPPER.writeValue(output, result);
            LOG.info("task done: millis={}", (System.nanoTime() - started) / 1_000_000);
        }
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
