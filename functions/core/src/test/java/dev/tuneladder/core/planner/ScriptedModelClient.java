package dev.tuneladder.core.planner;

import dev.tuneladder.core.data.TokenUsage;
import dev.tuneladder.core.data.ToolCall;
import dev.tuneladder.core.model.ChatRequest;
import dev.tuneladder.core.model.ChatResponse;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.ModelClient;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * An in-memory model client for tests: returns queued responses or throws queued exceptions in order, or, when
 * given a responder, computes each response from the request. Records every request it receives. Thread-safe.
 */
public final class ScriptedModelClient implements ModelClient {

    private final Deque<Object> script = new ArrayDeque<>();
    private final List<ChatRequest> requests = new ArrayList<>();
    private final Function<ChatRequest, ChatResponse> responder;

    public ScriptedModelClient() {
        this(null);
    }

    /** Creates a client that responds to each request with {@code responder}, which may throw. */
    public ScriptedModelClient(Function<ChatRequest, ChatResponse> responder) {
        this.responder = responder;
    }

    public synchronized ScriptedModelClient thenReturn(ChatResponse response) {
        script.add(response);
        return this;
    }

    public synchronized ScriptedModelClient thenText(String text) {
        return thenReturn(text(text));
    }

    public synchronized ScriptedModelClient thenThrow(ModelCallException failure) {
        script.add(failure);
        return this;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        Object next;
        synchronized (this) {
            requests.add(request);
            if (responder != null) {
                next = null;
            } else if (script.isEmpty()) {
                throw new AssertionError("the scripted client received request " + requests.size()
                        + " but has no response queued");
            } else {
                next = script.poll();
            }
        }
        if (responder != null) {
            return responder.apply(request);
        }
        if (next instanceof ModelCallException failure) {
            throw failure;
        }
        return (ChatResponse) next;
    }

    public synchronized List<ChatRequest> requests() {
        return List.copyOf(requests);
    }

    public synchronized ChatRequest lastRequest() {
        return requests.get(requests.size() - 1);
    }

    /** Returns a text-only response with fixed usage (10 in, 5 out) and 7 ms latency. */
    public static ChatResponse text(String text) {
        return new ChatResponse(text, null, null, "end_turn", new TokenUsage(10, 5, 0, 0), 7, "scripted-model");
    }

    /** Returns a tool-use response with fixed usage (12 in, 3 out) and 9 ms latency. */
    public static ChatResponse toolCalls(String text, ToolCall... calls) {
        return new ChatResponse(text, List.of(calls), null, "tool_use", new TokenUsage(12, 3, 0, 0), 9,
                "scripted-model");
    }
}
