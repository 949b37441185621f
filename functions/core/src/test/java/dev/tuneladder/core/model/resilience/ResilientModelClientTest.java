package dev.tuneladder.core.model.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tuneladder.core.data.TokenUsage;
import dev.tuneladder.core.model.ChatMessage;
import dev.tuneladder.core.model.ChatRequest;
import dev.tuneladder.core.model.ChatResponse;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.ModelCallException.Kind;
import dev.tuneladder.core.model.ModelClient;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResilientModelClientTest {

    private static final ChatRequest REQUEST =
            new ChatRequest("small-model", "", List.of(ChatMessage.user("hello")), null, null, false);
    private static final RetryPolicy POLICY =
            new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofMinutes(1));

    private final ResilientCallerTest.FakeTime time = new ResilientCallerTest.FakeTime();
    private final AdaptiveConcurrencyLimiter limiter = new AdaptiveConcurrencyLimiter(1, 8, 2, 0.5);

    @Test
    void chat_retriesDelegateAndReturnsItsResponse() {
        AtomicInteger calls = new AtomicInteger();
        ChatResponse response = new ChatResponse("hi", null, null, "stop", new TokenUsage(3, 1, 0, 0), 12,
                "small-model");
        ModelClient flaky = request -> {
            if (calls.incrementAndGet() == 1) {
                throw new ModelCallException(Kind.SERVER_ERROR, 503, "HTTP 503");
            }
            return response;
        };

        ChatResponse returned = client(flaky).chat(REQUEST);

        assertThat(returned).isSameAs(response);
        assertThat(calls.get()).isEqualTo(2);
        assertThat(limiter.snapshot().inFlight()).isZero();
    }

    @Test
    void chat_finalFailureNamesModelNotPrompt() {
        ModelClient down = request -> {
            throw new ModelCallException(Kind.SERVER_ERROR, 500, "HTTP 500");
        };

        ModelCallException thrown = catchThrowableOfType(ModelCallException.class, () -> client(down).chat(REQUEST));

        assertThat(thrown.getMessage()).startsWith("chat with model small-model failed after 3 attempts");
        assertThat(thrown.getMessage()).doesNotContain("hello");
    }

    private ResilientModelClient client(ModelClient delegate) {
        return new ResilientModelClient(delegate, new ResilientCaller(POLICY, limiter, time, time, new Random(3)));
    }
}
