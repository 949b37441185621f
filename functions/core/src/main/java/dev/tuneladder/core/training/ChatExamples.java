package dev.tuneladder.core.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.ToolCall;
import dev.tuneladder.core.model.ChatMessage;
import dev.tuneladder.core.model.ChatRequest;
import dev.tuneladder.core.model.ChatResponse;
import dev.tuneladder.core.model.ToolSpec;
import dev.tuneladder.core.planner.BfclToolSchemas;
import dev.tuneladder.core.planner.FewShotRetriever;
import dev.tuneladder.core.planner.LlmPlanner;
import dev.tuneladder.core.planner.PlannerConfig;
import dev.tuneladder.core.planner.PromptTemplate;
import dev.tuneladder.core.planner.RoutingTool;
import dev.tuneladder.core.planner.ToolSchemaException;
import dev.tuneladder.core.planner.ToolSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Turns labelled interactions into supervised fine-tuning examples, one JSON object per line:
 * <pre>
 * {"id": ..., "messages": [{"role": "system", "content": ...}, {"role": "user", "content": ...}, ...,
 *   {"role": "assistant", "content": "", "tool_calls": [{"type": "function",
 *     "function": {"name": ..., "arguments": {...}}}]}],
 *  "tools": [{"type": "function", "function": {"name": ..., "description": ..., "parameters": {...}}}]}
 * </pre>
 * This is the OpenAI chat shape that Hugging Face chat templates with tool support render through
 * {@code tokenizer.apply_chat_template(messages, tools=tools)}. The prompt (system text, turns and tools) is what
 * {@link LlmPlanner#request} sends for the row with no few-shot examples, so the model is tuned on the prompt it is
 * evaluated with. The completion, the last message, contains the gold tool calls.
 *
 * <p>A row with an intent label becomes a routing example: the {@code route} tool of {@link RoutingTool} over the
 * given labels, called with the row's intent. A row without an intent becomes a function-calling example when it
 * offers function documents and has concrete gold calls ({@code expected.toolCalls}); its tools are converted by
 * {@link BfclToolSchemas}, and the calls use the provider-safe tool names the planner would see.
 */
public final class ChatExamples {

    /** The format name recorded beside the files. */
    public static final String FORMAT = "chat-tool-calls";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> PROMPT_ROLES = Set.of("system", "user", "assistant");

    private final RoutingTool routing;
    private final LlmPlanner routingPlanner;
    private final LlmPlanner functionPlanner;

    /**
     * @param prompt the planner's system prompt; its {@value PromptTemplate#EXAMPLES_PLACEHOLDER}, if any, stays
     *     empty
     * @param labels the intents the route tool lists, in the order shown to the model; empty when no row is a
     *     routing row
     */
    public ChatExamples(PromptTemplate prompt, List<String> labels) {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(labels, "labels");
        PlannerConfig config = PlannerConfig.of("training-export", prompt);
        // The planners only build requests here, so their client rejects any call.
        this.routing = labels.isEmpty() ? null : RoutingTool.of(labels);
        this.routingPlanner = routing == null ? null
                : LlmPlanner.forRouting(ChatExamples::noModelCall, config, routing, FewShotRetriever.none());
        this.functionPlanner = LlmPlanner.forFunctionCalling(ChatExamples::noModelCall, config,
                FewShotRetriever.none());
    }

    private static ChatResponse noModelCall(ChatRequest request) {
        throw new IllegalStateException("exporting training examples builds prompts only and calls no model");
    }

    /**
     * Returns the example for one row.
     *
     * @throws IllegalArgumentException when the row cannot become an example; the message gives the reason without quoting
     *     the row's text
     */
    public ObjectNode example(Interaction row) {
        Objects.requireNonNull(row, "row");
        ToolSet tools;
        List<ToolCall> gold;
        LlmPlanner planner;
        if (row.intent() != null) {
            if (routing == null) {
                throw new IllegalArgumentException("row '" + row.id() + "' has an intent label, but no label list"
                        + " was given for the route tool");
            }
            if (!routing.isLabel(row.intent())) {
                throw new IllegalArgumentException("row '" + row.id() + "' has intent '" + row.intent() + "', which"
                        + " is not one of the " + routing.labels().size() + " labels of the route tool; add it to"
                        + " the label list or drop the row");
            }
            tools = routing.toolSet();
            ObjectNode arguments = NODES.objectNode().put(RoutingTool.INTENT_ARGUMENT, row.intent());
            gold = List.of(new ToolCall(RoutingTool.TOOL_NAME, arguments));
            planner = routingPlanner;
        } else {
            if (row.expected() == null || row.expected().toolCalls().isEmpty()) {
                throw new IllegalArgumentException("row '" + row.id() + "' has neither an intent label nor"
                        + " expected.toolCalls, so it has no completion to learn; label it or drop it");
            }
            if (row.tools().isEmpty()) {
                throw new IllegalArgumentException("row '" + row.id() + "' has expected tool calls but offers no"
                        + " function documents in 'tools'");
            }
            try {
                tools = BfclToolSchemas.toToolSet(row.tools());
            } catch (ToolSchemaException e) {
                throw new IllegalArgumentException("row '" + row.id() + "' has invalid function documents: "
                        + e.getMessage(), e);
            }
            gold = new ArrayList<>();
            for (ToolCall call : row.expected().toolCalls()) {
                String name = tools.toolName(call.name());
                if (name == null) {
                    throw new IllegalArgumentException("row '" + row.id() + "' expects a call of '" + call.name()
                            + "', which is not among its function documents");
                }
                gold.add(new ToolCall(name, call.arguments()));
            }
            planner = functionPlanner;
        }

        ChatRequest request = planner.request(row, tools, List.of());
        ObjectNode example = NODES.objectNode();
        example.put("id", row.id());
        ArrayNode messages = example.putArray("messages");
        if (!request.system().isEmpty()) {
            messages.addObject().put("role", "system").put("content", request.system());
        }
        for (ChatMessage message : request.messages()) {
            messages.addObject().put("role", message.role()).put("content", message.content());
        }
        ObjectNode completion = messages.addObject().put("role", "assistant").put("content", "");
        ArrayNode calls = completion.putArray("tool_calls");
        for (ToolCall call : gold) {
            ObjectNode function = calls.addObject().put("type", "function").putObject("function");
            function.put("name", call.name());
            function.set("arguments", call.arguments());
        }
        ArrayNode toolArray = example.putArray("tools");
        for (ToolSpec spec : request.tools()) {
            ObjectNode function = toolArray.addObject().put("type", "function").putObject("function");
            function.put("name", spec.name());
            function.put("description", spec.description());
            function.set("parameters", spec.inputSchema());
        }
        return example;
    }

    /**
     * Checks that a parsed line has the shape {@link #example} writes, so that the training script can render it.
     *
     * @return null when it does, else the first problem found, naming the field but never quoting its text
     */
    public static String problem(JsonNode line) {
        if (line == null || !line.isObject()) {
            return "the line is not a JSON object";
        }
        JsonNode messages = line.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            return "'messages' is missing or an empty array";
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            JsonNode role = message.get("role");
            if (role == null || !PROMPT_ROLES.contains(role.asText())) {
                return "messages[" + i + "].role must be system, user or assistant";
            }
            if (!message.path("content").isTextual()) {
                return "messages[" + i + "].content must be a string";
            }
        }
        JsonNode last = messages.get(messages.size() - 1);
        if (!last.path("role").asText().equals("assistant") || messages.size() < 2) {
            return "the last message must be the assistant's completion, after at least one prompt message";
        }
        JsonNode calls = last.get("tool_calls");
        if (calls == null || !calls.isArray() || calls.isEmpty()) {
            return "the completion has no 'tool_calls'";
        }

        JsonNode tools = line.get("tools");
        if (tools == null || !tools.isArray() || tools.isEmpty()) {
            return "'tools' is missing or an empty array";
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode function = tools.get(i).path("function");
            if (!tools.get(i).path("type").asText().equals("function") || !function.path("name").isTextual()
                    || !function.path("parameters").isObject()) {
                return "tools[" + i + "] must be {type: function, function: {name, parameters}}";
            }
            names.add(function.get("name").asText());
        }
        for (int i = 0; i < calls.size(); i++) {
            JsonNode function = calls.get(i).path("function");
            if (!calls.get(i).path("type").asText().equals("function") || !function.path("name").isTextual()
                    || !function.path("arguments").isObject()) {
                return "tool_calls[" + i + "] must be {type: function, function: {name, arguments: {...}}}";
            }
            if (!names.contains(function.get("name").asText())) {
                return "tool_calls[" + i + "] calls a tool that 'tools' does not offer";
            }
        }
        return null;
    }
}
