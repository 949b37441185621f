package dev.tuneladder.core.model;

/**
 * Sends chat completion requests, with tools, to one model provider. Implementations are thread-safe.
 */
public interface ModelClient {

    /**
     * Sends one request and returns the model's response.
     *
     * @throws ModelCallException when the call fails; {@link ModelCallException#retryable()} tells whether the
     *     same request may succeed later
     */
    ChatResponse chat(ChatRequest request);
}
