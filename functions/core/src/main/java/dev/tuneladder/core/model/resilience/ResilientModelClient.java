package dev.tuneladder.core.model.resilience;

import dev.tuneladder.core.model.ChatRequest;
import dev.tuneladder.core.model.ChatResponse;
import dev.tuneladder.core.model.ModelClient;
import java.util.Objects;

/**
 * Decorates a {@link ModelClient} with a {@link ResilientCaller}: each chat call waits for a permit of the shared
 * concurrency limiter and is retried on throttling, server errors, model-not-ready and timeouts. The response's
 * {@code latencyMillis} stays the delegate's, the time of the successful attempt alone. Thread-safe when the delegate
 * is.
 */
public final class ResilientModelClient implements ModelClient {

    private final ModelClient delegate;
    private final ResilientCaller caller;

    public ResilientModelClient(ModelClient delegate, ResilientCaller caller) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.caller = Objects.requireNonNull(caller, "caller");
    }

    /**
     * Sends the request through the limiter and the retry policy.
     *
     * @throws dev.tuneladder.core.model.ModelCallException as {@link ResilientCaller#call} describes
     */
    @Override
    public ChatResponse chat(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        return caller.call("chat with model " + request.modelId(), () -> delegate.chat(request));
    }
}
