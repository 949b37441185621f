package dev.tuneladder.core.model.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.ModelCallException.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ResilientCallerTest {

    private static final RetryPolicy POLICY =
            new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMinutes(1));

    private final FakeTime time = new FakeTime();
    private final AdaptiveConcurrencyLimiter limiter = new AdaptiveConcurrencyLimiter(1, 16, 8, 0.5);
    private final AtomicInteger attempts = new AtomicInteger();

    @AfterEach
    void clearInterruptStatus() {
        Thread.interrupted();
    }

    @Test
    void call_firstAttemptSuccessReturnsWithoutWaiting() {
        String result = caller(POLICY, new Random(1)).call("op", () -> {
            attempts.incrementAndGet();
            return "ok";
        });

        assertThat(result).isEqualTo("ok");
        assertThat(attempts.get()).isEqualTo(1);
        assertThat(time.waits).isEmpty();
        assertThat(limiter.snapshot().inFlight()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"THROTTLED", "SERVER_ERROR", "MODEL_NOT_READY", "TIMEOUT"})
    void call_retryableKindRetriedUntilSuccess(Kind kind) {
        String result = caller(POLICY, new Random(1)).call("op", failTimesThenSucceed(2, kind));

        assertThat(result).isEqualTo("ok");
        assertThat(attempts.get()).isEqualTo(3);
        assertThat(time.waits).hasSize(2);
        assertThat(limiter.snapshot().inFlight()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"MALFORMED_RESPONSE", "CLIENT_ERROR", "CANCELLED"})
    void call_nonRetryableKindThrownAtOnce(Kind kind) {
        ModelCallException failure = new ModelCallException(kind, 400, "rejected");

        Throwable thrown = catchThrowableOfType(ModelCallException.class, () -> caller(POLICY, new Random(1))
                .call("op", () -> {
                    attempts.incrementAndGet();
                    throw failure;
                }));

        assertThat(thrown).isSameAs(failure);
        assertThat(attempts.get()).isEqualTo(1);
        assertThat(time.waits).isEmpty();
        assertThat(limiter.snapshot().inFlight()).isZero();
    }

    @Test
    void call_nonRetryableAfterRetriesCountsAttempts() {
        ModelCallException rejected = new ModelCallException(Kind.CLIENT_ERROR, 400, "HTTP 400", null, null, "raw");

        ModelCallException thrown = catchThrowableOfType(ModelCallException.class,
                () -> caller(POLICY, new Random(1)).call("op", () -> {
                    if (attempts.incrementAndGet() == 1) {
                        throw new ModelCallException(Kind.SERVER_ERROR, 503, "HTTP 503");
                    }
                    throw rejected;
                }));

        assertThat(thrown.kind()).isEqualTo(Kind.CLIENT_ERROR);
        assertThat(thrown.statusCode()).isEqualTo(400);
        assertThat(thrown).hasCause(rejected);
        assertThat(thrown.getMessage()).isEqualTo(
                "op failed after 2 attempts because kind CLIENT_ERROR is not retried; last failure: HTTP 400");
        assertThat(thrown.rawResponse()).contains("raw");
    }

    @Test
    void call_stopsAtMaxAttemptsWithLastCause() {
        RetryPolicy threeAttempts = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50),
                Duration.ofMinutes(1));
        List<ModelCallException> failures = new ArrayList<>();

        ModelCallException thrown = catchThrowableOfType(ModelCallException.class,
                () -> caller(threeAttempts, new Random(1)).call("chat with model m", () -> {
                    ModelCallException failure = new ModelCallException(Kind.THROTTLED, 429,
                            "HTTP 429 number " + attempts.incrementAndGet());
                    failures.add(failure);
                    throw failure;
                }));

        assertThat(attempts.get()).isEqualTo(3);
        assertThat(time.waits).hasSize(2);
        assertThat(thrown.kind()).isEqualTo(Kind.THROTTLED);
        assertThat(thrown.statusCode()).isEqualTo(429);
        assertThat(thrown).hasCause(failures.get(2));
        assertThat(thrown.getMessage()).isEqualTo("chat with model m failed after 3 attempts because the limit of 3"
                + " attempts was reached; last failure: HTTP 429 number 3");
    }

    @Test
    void call_waitsDrawnFromInjectedRandom() {
        caller(POLICY, new Random(42)).call("op", failTimesThenSucceed(4, Kind.SERVER_ERROR));

        Random sameSeed = new Random(42);
        List<Duration> expected = new ArrayList<>();
        for (int retry = 0; retry < 4; retry++) {
            expected.add(POLICY.backoff(retry, sameSeed));
        }
        assertThat(time.waits).isEqualTo(expected);
        for (int retry = 0; retry < 4; retry++) {
            assertThat(time.waits.get(retry)).isBetween(Duration.ZERO, POLICY.backoffCap(retry));
        }
    }

    @Test
    void call_retryAfterIsMinimumWait() {
        Duration retryAfter = Duration.ofSeconds(3);

        caller(POLICY, new Random(1)).call("op", () -> {
            if (attempts.incrementAndGet() == 1) {
                throw new ModelCallException(Kind.THROTTLED, 429, "HTTP 429", null, retryAfter, null);
            }
            return "ok";
        });

        assertThat(time.waits).containsExactly(retryAfter);
    }

    @Test
    void call_backoffLongerThanRetryAfterWins() {
        caller(POLICY, new MaxDraw()).call("op", () -> {
            if (attempts.incrementAndGet() == 1) {
                throw new ModelCallException(Kind.THROTTLED, 429, "HTTP 429", null, Duration.ofMillis(1), null);
            }
            return "ok";
        });

        assertThat(time.waits).containsExactly(Duration.ofMillis(100));
    }

    @Test
    void call_stopsWhenWaitWouldPassDeadline() {
        RetryPolicy oneSecond = new RetryPolicy(10, Duration.ofMillis(400), Duration.ofMillis(400),
                Duration.ofSeconds(1));

        // Each attempt takes 300 ms and each wait the full 400 ms: the second attempt ends at 1,000 ms, the deadline.
        ModelCallException thrown = catchThrowableOfType(ModelCallException.class,
                () -> caller(oneSecond, new MaxDraw()).call("op", () -> {
                    attempts.incrementAndGet();
                    time.advance(Duration.ofMillis(300));
                    throw new ModelCallException(Kind.TIMEOUT, 0, "timed out");
                }));

        assertThat(attempts.get()).isEqualTo(2);
        assertThat(time.waits).containsExactly(Duration.ofMillis(400));
        assertThat(thrown.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(thrown.getMessage()).isEqualTo("op failed after 2 attempts because a wait of 400 ms would pass"
                + " the deadline of 1000 ms; last failure: timed out");
    }

    @Test
    void call_interruptDuringBackoffCancels() {
        Sleeper interrupted = duration -> {
            throw new InterruptedException("test interrupt");
        };
        ResilientCaller caller = new ResilientCaller(POLICY, limiter, time, interrupted, new Random(1));

        ModelCallException thrown = catchThrowableOfType(ModelCallException.class,
                () -> caller.call("op", failTimesThenSucceed(1, Kind.THROTTLED)));

        assertThat(thrown.kind()).isEqualTo(Kind.CANCELLED);
        assertThat(thrown.getMessage()).isEqualTo("op was cancelled during the backoff wait after 1 attempt");
        assertThat(attempts.get()).isEqualTo(1);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
        assertThat(limiter.snapshot().inFlight()).isZero();
    }

    @Test
    void call_interruptedThreadCancelsBeforeFirstAttempt() {
        Thread.currentThread().interrupt();

        ModelCallException thrown = catchThrowableOfType(ModelCallException.class,
                () -> caller(POLICY, new Random(1)).call("op", failTimesThenSucceed(0, Kind.THROTTLED)));

        assertThat(thrown.kind()).isEqualTo(Kind.CANCELLED);
        assertThat(attempts.get()).isZero();
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
        assertThat(limiter.snapshot().inFlight()).isZero();
    }

    @Test
    void call_throttlingLowersSharedLimit() {
        caller(POLICY, new Random(1)).call("op", failTimesThenSucceed(1, Kind.THROTTLED));

        assertThat(limiter.limit()).isEqualTo(4);
    }

    @Test
    void call_otherExceptionPassesThroughAndReleasesPermit() {
        IllegalStateException bug = new IllegalStateException("bug");

        assertThatThrownBy(() -> caller(POLICY, new Random(1)).call("op", () -> {
            attempts.incrementAndGet();
            throw bug;
        })).isSameAs(bug);
        assertThat(attempts.get()).isEqualTo(1);
        assertThat(limiter.snapshot().inFlight()).isZero();
    }

    private ResilientCaller caller(RetryPolicy policy, RandomGenerator random) {
        return new ResilientCaller(policy, limiter, time, time, random);
    }

    private java.util.function.Supplier<String> failTimesThenSucceed(int failures, Kind kind) {
        return () -> {
            if (attempts.incrementAndGet() <= failures) {
                throw new ModelCallException(kind, kind == Kind.THROTTLED ? 429 : 503, kind + " failure");
            }
            return "ok";
        };
    }

    /** A clock that moves only when a test advances it or sleeps on it; it records every sleep. */
    static final class FakeTime implements MonotonicClock, Sleeper {

        final List<Duration> waits = new ArrayList<>();
        private long nanos = 1_000_000_000L;

        @Override
        public synchronized long nanoTime() {
            return nanos;
        }

        @Override
        public synchronized void sleep(Duration duration) {
            waits.add(duration);
            nanos += duration.toNanos();
        }

        synchronized void advance(Duration duration) {
            nanos += duration.toNanos();
        }
    }

    /** A generator whose bounded draws are always the largest allowed value, so each wait equals its cap. */
    static final class MaxDraw implements RandomGenerator {

        @Override
        public long nextLong() {
            return Long.MAX_VALUE;
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    }
}
