package dev.tuneladder.core.planner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.data.ToolCall;
import dev.tuneladder.core.data.Turn;
import dev.tuneladder.core.embedding.EmbeddingException;
import dev.tuneladder.core.index.SearchHit;
import dev.tuneladder.core.model.ChatMessage;
import dev.tuneladder.core.model.ChatRequest;
import dev.tuneladder.core.model.ChatResponse;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.ModelClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The planner stage backed by a language model: system prompt, tool specifications, retrieved few-shot
 * examples and the conversation go to a {@link ModelClient}; the tool calls that come back become a
 * {@link Prediction}.
 *
 * <p>Few-shot layout: the examples are a text block in the system prompt, at the template's
 * {@value PromptTemplate#EXAMPLES_PLACEHOLDER}, most similar first, one {@link ExampleRenderer} paragraph each.
 * They are not replayed as earlier user and assistant turns, because a replayed tool call must be followed by a
 * tool result carrying the call's id on both Bedrock Converse and OpenAI-compatible servers, and the
 * provider-neutral {@link ChatMessage} has no id for an assistant's calls. The retrieval query is the
 * interaction's last user text.
 *
 * <p>Every row yields exactly one prediction; nothing is thrown for a row's failure. A failed row has
 * {@link Prediction#error()} set, no tool calls and no label, so it is never scored as correct:
 * <ul>
 *   <li>malformed output (no tool call when one is required, an unknown tool name, arguments that are not a JSON
 *       object, a routing intent outside the label set): {@link Prediction#answer()} keeps the model's raw output
 *       as the JSON object {@code {"text", "toolCalls", "stopReason"}}, tool names as the model sent them, and
 *       usage and latency are recorded;
 *   <li>a {@link ModelCallException} after the client's retries: the error names the kind, the HTTP status and
 *       the message, and latency is the time until the exception;
 *   <li>function documents that do not convert to tool schemas, or a failed few-shot retrieval: the error names the
 *       cause and no model is called.
 * </ul>
 *
 * <p>{@link Prediction#promptVersion()} is the template's {@link PromptTemplate#version()}. Successful rows take
 * {@link Prediction#latencyMillis()} from the client's response, which excludes retries, and keep any text the
 * model wrote beside its calls in {@link Prediction#answer()}. Thread-safe when the client is.
 */
public final class LlmPlanner {

    private static final Logger LOG = LoggerFactory.getLogger(LlmPlanner.class);

    private final ModelClient client;
    private final PlannerConfig config;
    private final FewShotRetriever retriever;
    private final RoutingTool routing;
    private final Function<Interaction, ToolSet> toolsOf;

    private LlmPlanner(ModelClient client, PlannerConfig config, FewShotRetriever retriever, RoutingTool routing,
            Function<Interaction, ToolSet> toolsOf) {
        this.client = Objects.requireNonNull(client, "client");
        this.config = Objects.requireNonNull(config, "config");
        this.retriever = Objects.requireNonNull(retriever, "retriever");
        this.routing = routing;
        this.toolsOf = toolsOf;
        if (retriever.k() > 0 && !config.prompt().hasExamplesPlaceholder()) {
            throw new IllegalArgumentException("prompt template '" + config.prompt().name() + "' has no "
                    + PromptTemplate.EXAMPLES_PLACEHOLDER + " placeholder, so the " + retriever.k()
                    + " retrieved examples have nowhere to go; add it to the template or retrieve none");
        }
    }

    /**
     * Creates a planner that routes each interaction to one intent through the {@code route} tool; predictions
     * carry the intent as {@link Prediction#label()} and the call as their only tool call.
     */
    public static LlmPlanner forRouting(
            ModelClient client, PlannerConfig config, RoutingTool routing, FewShotRetriever retriever) {
        ToolSet tools = routing.toolSet();
        return new LlmPlanner(client, config, retriever, Objects.requireNonNull(routing, "routing"), row -> tools);
    }

    /**
     * Creates a planner that offers each interaction its own function documents ({@link Interaction#tools()},
     * converted by {@link BfclToolSchemas}) and predicts tool calls named as in those documents.
     */
    public static LlmPlanner forFunctionCalling(ModelClient client, PlannerConfig config, FewShotRetriever retriever) {
        return new LlmPlanner(client, config, retriever, null, row -> BfclToolSchemas.toToolSet(row.tools()));
    }

    public String promptVersion() {
        return config.prompt().version();
    }

    public String modelId() {
        return config.modelId();
    }

    /** Plans one interaction; see the class documentation for how failures become error rows. */
    public Prediction predict(Interaction interaction) {
        long start = System.nanoTime();
        ToolSet tools;
        List<SearchHit> examples;
        try {
            tools = toolsOf.apply(interaction);
        } catch (ToolSchemaException e) {
            return failed(interaction, "invalid function documents: " + e.getMessage(), start);
        }
        try {
            examples = retriever.retrieve(interaction);
        } catch (EmbeddingException e) {
            return failed(interaction, "few-shot retrieval failed: " + e.getMessage(), start);
        }
        if (tools.specs().isEmpty() && config.requireToolCall()) {
            return failed(interaction, "the interaction offers no tools but a tool call is required; add function"
                    + " documents to its 'tools'", start);
        }

        ChatRequest request;
        try {
            request = request(interaction, tools, examples);
        } catch (IllegalArgumentException e) {
            return failed(interaction, e.getMessage(), start);
        }
        ChatResponse response;
        try {
            response = client.chat(request);
        } catch (ModelCallException e) {
            String reason = "model call failed (" + e.kind() + (e.statusCode() > 0 ? ", HTTP " + e.statusCode() : "")
                    + "): " + e.getMessage();
            return failed(interaction, reason, start);
        }
        return interpret(interaction, tools, response);
    }

    /**
     * Builds the request sent for one interaction with the given examples. Public so that a caller can inspect
     * or log the exact prompt of a row.
     *
     * @throws IllegalArgumentException when a turn's role cannot be sent (a {@code tool} turn has no call id)
     */
    public ChatRequest request(Interaction interaction, ToolSet tools, List<SearchHit> examples) {
        StringBuilder system = new StringBuilder(config.prompt().render(retriever.render(examples)));
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < interaction.turns().size(); i++) {
            Turn turn = interaction.turns().get(i);
            switch (turn.role()) {
                case "user" -> messages.add(ChatMessage.user(turn.content()));
                case "assistant" -> messages.add(ChatMessage.assistant(turn.content()));
                case "system" -> system.append("\n\n").append(turn.content());
                default -> throw new IllegalArgumentException("turn " + i + " of interaction '" + interaction.id()
                        + "' has role '" + turn.role() + "', which the planner cannot send; a tool result needs"
                        + " the id of the call it answers, which the interaction record does not store");
            }
        }
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("interaction '" + interaction.id() + "' has no user or assistant turn"
                    + " to send");
        }
        // NOTE: with retrieved examples nothing is cached, because ChatRequest carries one system string. A system
        // prompt split into a static part and a per-row part would let clients cache the static part.
        boolean cache = config.cacheStaticPrefix() && retriever.k() == 0;
        return new ChatRequest(config.modelId(), system.toString(), messages, tools.specs(), config.settings(), cache);
    }

    private Prediction interpret(Interaction interaction, ToolSet tools, ChatResponse response) {
        List<ToolCall> calls = response.toolCalls();
        if (calls.isEmpty() && config.toolCallsInText() && !response.text().isBlank()) {
            ToolCallOrError fromText = toolCallInText(response.text());
            if (fromText.error() != null) {
                return malformed(interaction, response, fromText.error());
            }
            calls = List.of(fromText.call());
        }
        if (calls.isEmpty() && config.requireToolCall()) {
            return malformed(interaction, response, "the model returned no tool call (stop reason "
                    + response.stopReason() + ")");
        }

        List<ToolCall> named = new ArrayList<>(calls.size());
        for (ToolCall call : calls) {
            String original = tools.originalName(call.name());
            if (original == null) {
                return malformed(interaction, response, "the model called unknown tool '" + call.name()
                        + "'; offered: " + tools.originalNameByToolName().keySet());
            }
            named.add(new ToolCall(original, call.arguments()));
        }

        String label = null;
        if (routing != null) {
            LabelOrError routed = routedLabel(named);
            if (routed.error() != null) {
                return malformed(interaction, response, routed.error());
            }
            label = routed.label();
        }
        return new Prediction(interaction.id(), label, null, named, response.text().isEmpty() ? null : response.text(),
                response.latencyMillis(), response.usage(), modelIdOf(response), promptVersion(), null);
    }

    private LabelOrError routedLabel(List<ToolCall> calls) {
        String label = null;
        for (ToolCall call : calls) {
            JsonNode intent = call.arguments().get(RoutingTool.INTENT_ARGUMENT);
            if (intent == null || !intent.isTextual()) {
                return new LabelOrError(null, "the route call has no text argument '" + RoutingTool.INTENT_ARGUMENT
                        + "'");
            }
            if (!routing.isLabel(intent.asText())) {
                return new LabelOrError(null, "the route call names intent '" + intent.asText()
                        + "', which is not one of the " + routing.labels().size() + " labels");
            }
            if (label != null && !label.equals(intent.asText())) {
                return new LabelOrError(null, "the model routed to two intents, '" + label + "' and '"
                        + intent.asText() + "'");
            }
            label = intent.asText();
        }
        return new LabelOrError(label, label == null ? "the model returned no route call" : null);
    }

    private static ToolCallOrError toolCallInText(String text) {
        ModelJson.Extraction extraction = ModelJson.firstObject(text);
        if (!extraction.found()) {
            return new ToolCallOrError(null, "the model returned no tool call, and its text contains none: "
                    + extraction.error());
        }
        JsonNode name = extraction.object().get("name");
        JsonNode arguments = extraction.object().get("arguments");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            return new ToolCallOrError(null, "the tool call in the text has no 'name' text");
        }
        if (arguments != null && !arguments.isObject()) {
            return new ToolCallOrError(null, "the arguments of the tool call '" + name.asText() + "' in the text are "
                    + arguments.getNodeType().toString().toLowerCase(Locale.ROOT)
                    + ", not a JSON object");
        }
        return new ToolCallOrError(new ToolCall(name.asText(), (ObjectNode) arguments), null);
    }

    private Prediction malformed(Interaction interaction, ChatResponse response, String reason) {
        LOG.debug("planner row {} has malformed output: {}", interaction.id(), reason);
        return new Prediction(interaction.id(), null, null, null, rawOutput(response), response.latencyMillis(),
                response.usage(), modelIdOf(response), promptVersion(), "malformed model output: " + reason);
    }

    private Prediction failed(Interaction interaction, String reason, long startNanos) {
        LOG.debug("planner row {} failed: {}", interaction.id(), reason);
        long latencyMillis = (System.nanoTime() - startNanos) / 1_000_000L;
        return new Prediction(interaction.id(), null, null, null, null, latencyMillis, null, config.modelId(),
                promptVersion(), reason);
    }

    private String modelIdOf(ChatResponse response) {
        return response.modelId() == null || response.modelId().isBlank() ? config.modelId() : response.modelId();
    }

    /** Returns the response as the JSON text {@code {"text", "toolCalls", "stopReason"}} kept on error rows. */
    static String rawOutput(ChatResponse response) {
        ObjectNode raw = JsonNodeFactory.instance.objectNode().put("text", response.text());
        ArrayNode calls = raw.putArray("toolCalls");
        for (ToolCall call : response.toolCalls()) {
            calls.addObject().put("name", call.name()).set("arguments", call.arguments());
        }
        raw.put("stopReason", response.stopReason());
        try {
            return Json.mapper().writeValueAsString(raw);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("failed to write a JSON tree as text", e);
        }
    }

    private record LabelOrError(String label, String error) {
    }

    private record ToolCallOrError(ToolCall call, String error) {
    }
}
