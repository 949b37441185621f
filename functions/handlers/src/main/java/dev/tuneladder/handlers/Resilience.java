package dev.tuneladder.handlers;

import dev.tuneladder.aws.bedrock.BedrockTitanEmbedder;
import dev.tuneladder.core.embedding.Embedder;
import dev.tuneladder.core.embedding.EmbeddingException;
import dev.tuneladder.core.embedding.RetryingEmbedder;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.resilience.AdaptiveConcurrencyLimiter;
import dev.tuneladder.core.model.resilience.MonotonicClock;
import dev.tuneladder.core.model.resilience.ResilientCaller;
import dev.tuneladder.core.model.resilience.RetryPolicy;
import dev.tuneladder.core.model.resilience.Sleeper;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.random.RandomGenerator;

/** Retry settings of the API functions and the jitter source that stays unique across SnapStart restores. */
final class Resilience {

    /**
     * Retries for calls made while API Gateway waits: its integration timeout is 29 seconds, so the whole retry
     * sequence ends within 20.
     */
    static final RetryPolicy API_POLICY =
            new RetryPolicy(4, Duration.ofMillis(200), Duration.ofSeconds(4), Duration.ofSeconds(20));

    /**
     * Retries of one model call made by a Step Functions task. A task runs outside API Gateway's 29-second limit,
     * so it waits out longer throttling than the API functions do. Give such a function a timeout well above the
     * 2-minute deadline.
     */
    static final RetryPolicy TASK_POLICY =
            new RetryPolicy(8, Duration.ofMillis(250), Duration.ofSeconds(20), Duration.ofMinutes(2));

    /** Concurrent model calls per container; one invocation runs at a time, so this bounds a single request. */
    static final int MAX_CONCURRENCY = 4;

    private Resilience() {
    }

    static ResilientCaller apiCaller() {
        return new ResilientCaller(API_POLICY, AdaptiveConcurrencyLimiter.withMaxLimit(MAX_CONCURRENCY),
                MonotonicClock.SYSTEM, Sleeper.SYSTEM, RestoreSafeRandom.INSTANCE);
    }

    /** Returns a caller with {@link #TASK_POLICY} and at most {@code maxConcurrency} calls at a time. */
    static ResilientCaller taskCaller(int maxConcurrency) {
        return new ResilientCaller(TASK_POLICY, AdaptiveConcurrencyLimiter.withMaxLimit(maxConcurrency),
                MonotonicClock.SYSTEM, Sleeper.SYSTEM, RestoreSafeRandom.INSTANCE);
    }

    /**
     * Jitter drawn from {@link SecureRandom}, whose seed the Lambda Java runtime makes unique after a SnapStart
     * restore. A {@link java.util.Random} seeded before the snapshot would give every restored container the same
     * backoff sequence, so throttled containers would retry in lockstep.
     */
    enum RestoreSafeRandom implements RandomGenerator {
        INSTANCE;

        @Override
        public long nextLong() {
            return Holder.RANDOM.nextLong();
        }

        /** Created on first use, which for a function with SnapStart is after the restore. */
        private static final class Holder {
            static final SecureRandom RANDOM = new SecureRandom();
        }
    }

    /** Builds the configured Bedrock Titan embedder with its calls retried by {@code caller}. */
    static Embedder titanEmbedder(HandlerConfig config, ResilientCaller caller) {
        return retrying(new BedrockTitanEmbedder(config.aws().bedrockRuntime(), config.embedding()), caller);
    }

    /**
     * Retries an embedder's calls, one whole call per retry: a handler's batch is already the unit that Step
     * Functions retries. After the last attempt the failure reaches the handler as an {@link EmbeddingException}
     * caused by the {@link ModelCallException}.
     */
    static Embedder retrying(Embedder delegate, ResilientCaller caller) {
        return new RetryingEmbedder(delegate, caller, Integer.MAX_VALUE);
    }

    /** Returns the model call failure in the cause chain, or null. */
    static ModelCallException modelFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ModelCallException failure) {
                return failure;
            }
        }
        return null;
    }
}
