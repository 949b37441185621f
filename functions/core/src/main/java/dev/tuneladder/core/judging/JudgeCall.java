package dev.tuneladder.core.judging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.TokenUsage;
import dev.tuneladder.core.model.ChatMessage;
import dev.tuneladder.core.model.ChatRequest;
import dev.tuneladder.core.model.ChatResponse;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.planner.ModelJson;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks a judge model for one JSON object, with exactly one repair attempt.
 *
 * <p>The output is read with {@link ModelJson#firstObject} and then checked by a validator. When either fails,
 * one follow-up request repeats the conversation, adds the invalid output as the assistant's turn and a user
 * message that quotes the error and the expected shape. A second invalid output ends the call with an error.
 */
final class JudgeCall {

    private static final Logger LOG = LoggerFactory.getLogger(JudgeCall.class);

    /** Start of the repair message; tests and audits look for it. */
    static final String REPAIR_PREFIX = "Your previous reply could not be used: ";

    private JudgeCall() {
    }

    /**
     * The result of one call with its possible repair.
     *
     * @param object the validated object (after the validator's normalization), or null on error
     * @param steps one step per model call that returned
     * @param error why no object was produced, or null
     */
    record Outcome(ObjectNode object, List<JudgeStep> steps, String error, long latencyMillis, TokenUsage usage) {

        boolean failed() {
            return error != null;
        }
    }

    /** Checks a parsed object: returns the object to keep (possibly trimmed), or throws with the reason. */
    @FunctionalInterface
    interface Validator extends Function<ObjectNode, ObjectNode> {
    }

    /** Thrown by a validator; the message is quoted back to the model in the repair request. */
    static final class InvalidOutput extends RuntimeException {

        InvalidOutput(String message) {
            super(message);
        }
    }

    static Outcome ask(JudgeModel model, String system, String user, String step, String expectedShape,
            Validator validator) {
        List<ChatMessage> messages = new ArrayList<>(List.of(ChatMessage.user(user)));
        List<JudgeStep> steps = new ArrayList<>();
        Totals totals = new Totals();

        ChatResponse first;
        try {
            first = totals.add(model.client().chat(request(model, system, messages)));
        } catch (ModelCallException e) {
            return totals.failed(steps, failure(e));
        }
        Attempt attempt = read(first.text(), validator);
        if (attempt.object() != null) {
            steps.add(new JudgeStep(step, first.text(), attempt.object(), null));
            return totals.succeeded(attempt.object(), steps);
        }
        steps.add(new JudgeStep(step, first.text(), null, attempt.error()));

        messages.add(ChatMessage.assistant(first.text().isBlank() ? "(empty reply)" : first.text()));
        messages.add(ChatMessage.user(REPAIR_PREFIX + attempt.error() + ". Reply again with only one valid JSON"
                + " object of this form and no other text: " + expectedShape));
        ChatResponse second;
        try {
            second = totals.add(model.client().chat(request(model, system, messages)));
        } catch (ModelCallException e) {
            return totals.failed(steps, failure(e));
        }
        Attempt repaired = read(second.text(), validator);
        steps.add(new JudgeStep(step + "-repair", second.text(), repaired.object(), repaired.error()));
        if (repaired.object() != null) {
            return totals.succeeded(repaired.object(), steps);
        }
        LOG.debug("judge step {} gave invalid output twice: {}", step, repaired.error());
        return totals.failed(steps, "invalid judge output after one repair attempt: " + repaired.error());
    }

    private static ChatRequest request(JudgeModel model, String system, List<ChatMessage> messages) {
        return new ChatRequest(model.modelId(), system, messages, List.of(), model.settings(), true);
    }

    private static Attempt read(String text, Validator validator) {
        ModelJson.Extraction extraction = ModelJson.firstObject(text);
        if (!extraction.found()) {
            return new Attempt(null, extraction.error());
        }
        try {
            return new Attempt(validator.apply(extraction.object()), null);
        } catch (InvalidOutput e) {
            return new Attempt(null, e.getMessage());
        }
    }

    private static String failure(ModelCallException e) {
        LOG.debug("judge model call failed: {} {}", e.kind(), e.getMessage());
        return "judge model call failed (" + e.kind() + (e.statusCode() > 0 ? ", HTTP " + e.statusCode() : "")
                + "): " + e.getMessage();
    }

    private record Attempt(ObjectNode object, String error) {
    }

    /** Sums latency and tokens over the calls that returned. */
    private static final class Totals {
        private long latencyMillis;
        private TokenUsage usage;

        ChatResponse add(ChatResponse response) {
            latencyMillis += response.latencyMillis();
            usage = sum(usage, response.usage());
            return response;
        }

        Outcome succeeded(ObjectNode object, List<JudgeStep> steps) {
            return new Outcome(object, List.copyOf(steps), null, latencyMillis, usage);
        }

        Outcome failed(List<JudgeStep> steps, String error) {
            return new Outcome(null, List.copyOf(steps), error, latencyMillis, usage);
        }
    }

    /** Adds two outcomes' usage, either of which may be null. */
    static TokenUsage sum(TokenUsage a, TokenUsage b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return new TokenUsage(a.inputTokens() + b.inputTokens(), a.outputTokens() + b.outputTokens(),
                a.cacheReadTokens() + b.cacheReadTokens(), a.cacheWriteTokens() + b.cacheWriteTokens());
    }
}
