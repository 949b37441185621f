package dev.tuneladder.core.model.resilience;

import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.ModelCallException.Kind;
import dev.tuneladder.core.model.resilience.AdaptiveConcurrencyLimiter.Outcome;
import dev.tuneladder.core.model.resilience.AdaptiveConcurrencyLimiter.Permit;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs provider calls under a shared {@link AdaptiveConcurrencyLimiter} and retries the ones that fail with a
 * retryable {@link ModelCallException} (throttled, server error, model not ready, timeout) by a {@link RetryPolicy}.
 *
 * <p>Each attempt holds a permit only while it runs, never during the backoff wait. A wait lasts the policy's jittered
 * backoff, or the provider's {@code Retry-After} when that is longer. An interrupt, while waiting for a permit, during
 * a backoff, or surfacing from the call as {@link Kind#CANCELLED}, ends the call with {@link Kind#CANCELLED}, with no
 * further attempt, the permit released and the thread's interrupt status set again.
 *
 * <p>Retries of throttled calls are logged at DEBUG, because a throttling storm makes many of them. Other retries are
 * logged at INFO. A log line names the operation, attempt, kind and status, never the request. Thread-safe when the
 * random generator is.
 */
public final class ResilientCaller {

    private static final Logger LOG = LoggerFactory.getLogger(ResilientCaller.class);

    private final RetryPolicy policy;
    private final AdaptiveConcurrencyLimiter limiter;
    private final MonotonicClock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;

    /** Creates a caller with the system clock, real sleeps and a thread-safe {@link Random}. */
    public ResilientCaller(RetryPolicy policy, AdaptiveConcurrencyLimiter limiter) {
        this(policy, limiter, MonotonicClock.SYSTEM, Sleeper.SYSTEM, new Random());
    }

    /**
     * @param random the jitter source; it must be thread-safe when several threads share this caller
     */
    public ResilientCaller(RetryPolicy policy, AdaptiveConcurrencyLimiter limiter, MonotonicClock clock,
            Sleeper sleeper, RandomGenerator random) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
    }

    public AdaptiveConcurrencyLimiter limiter() {
        return limiter;
    }

    public RetryPolicy policy() {
        return policy;
    }

    /**
     * Runs {@code call} until it succeeds, fails with a kind that is not retried, or the policy's attempts or deadline
     * run out. Exceptions other than {@link ModelCallException} are not retried and pass through unchanged.
     *
     * @param operation a short name for log lines and messages, such as {@code chat model-id}; never request text
     * @throws ModelCallException the call's own exception when its first attempt fails with a kind that is not
     *     retried. Otherwise a new exception with the last failure's kind, status, {@code Retry-After} and raw
     *     response, the last failure as its cause, and the number of attempts and the reason retries stopped in its
     *     message.
     */
    public <T> T call(String operation, Supplier<T> call) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(call, "call");
        long deadlineNanos = clock.nanoTime() + policy.deadline().toNanos();

        for (int attempt = 1; ; attempt++) {
            ModelCallException failure;
            Permit permit = acquirePermit(operation, attempt);
            try {
                T result = call.get();
                permit.release(Outcome.SUCCESS);
                return result;
            } catch (ModelCallException e) {
                permit.release(e.kind() == Kind.THROTTLED ? Outcome.THROTTLED : Outcome.FAILED);
                failure = e;
            } finally {
                permit.close();
            }

            if (!failure.retryable()) {
                throw finalFailure(operation, failure, attempt, "kind " + failure.kind() + " is not retried");
            }
            if (attempt >= policy.maxAttempts()) {
                throw finalFailure(operation, failure, attempt,
                        "the limit of " + policy.maxAttempts() + " attempts was reached");
            }

            Duration wait = waitBefore(attempt, failure);
            long remainingNanos = deadlineNanos - clock.nanoTime();
            if (saturatedNanos(wait) >= remainingNanos) {
                throw finalFailure(operation, failure, attempt, "a wait of " + wait.toMillis()
                        + " ms would pass the deadline of " + policy.deadline().toMillis() + " ms");
            }

            logRetry(operation, attempt, failure, wait);
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw cancelled(operation, attempt, "during the backoff wait", e);
            }
        }
    }

    private Permit acquirePermit(String operation, int attempt) {
        try {
            return limiter.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cancelled(operation, attempt - 1, "while waiting for a concurrency permit", e);
        }
    }

    /** Returns the jittered backoff before the retry that follows attempt {@code attempt}, or Retry-After if longer. */
    private Duration waitBefore(int attempt, ModelCallException failure) {
        Duration backoff = policy.backoff(attempt - 1, random);
        return failure.retryAfter().filter(retryAfter -> retryAfter.compareTo(backoff) > 0).orElse(backoff);
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static void logRetry(String operation, int attempt, ModelCallException failure, Duration wait) {
        String format = "{}: attempt {} failed with {} (status {}); retrying in {} ms";
        if (failure.kind() == Kind.THROTTLED) {
            LOG.debug(format, operation, attempt, failure.kind(), failure.statusCode(), wait.toMillis());
        } else {
            LOG.info(format, operation, attempt, failure.kind(), failure.statusCode(), wait.toMillis());
        }
    }

    private static ModelCallException finalFailure(String operation, ModelCallException last, int attempts,
            String reason) {
        if (attempts == 1 && !last.retryable()) {
            return last;
        }
        String message = operation + " failed after " + attempts + (attempts == 1 ? " attempt" : " attempts")
                + " because " + reason + "; last failure: " + last.getMessage();
        return new ModelCallException(last.kind(), last.statusCode(), message, last,
                last.retryAfter().orElse(null), last.rawResponse().orElse(null));
    }

    private static ModelCallException cancelled(String operation, int attemptsMade, String when,
            InterruptedException cause) {
        return new ModelCallException(Kind.CANCELLED, 0, operation + " was cancelled " + when + " after "
                + attemptsMade + (attemptsMade == 1 ? " attempt" : " attempts"), cause);
    }
}
