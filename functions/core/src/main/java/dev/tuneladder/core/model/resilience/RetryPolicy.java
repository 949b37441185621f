package dev.tuneladder.core.model.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How often and how long a failed call is retried: exponential backoff with full jitter, bounded by a number of
 * attempts and an overall deadline.
 *
 * @param maxAttempts the maximum number of attempts, the first one included; 1 disables retries
 * @param baseDelay the backoff cap before the first retry; the cap doubles with each retry
 * @param maxDelay the largest backoff cap
 * @param deadline the time budget of all attempts and waits together, counted from the first attempt. No wait begins
 *     that would end after it. An attempt already running may pass it by up to the client's request timeout.
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration deadline) {

    /**
     * Defaults for a run against a throttled provider: 8 attempts, 250 ms base, 20 s cap, 5 minutes overall. The AWS
     * SDKs retry Bedrock's ModelNotReadyException up to 5 times by default, and Bedrock documents that a restoring
     * imported model serves a request within about 5 minutes, so the deadline covers one restore.
     */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(8, Duration.ofMillis(250), Duration.ofSeconds(20), Duration.ofMinutes(5));

    /** One attempt, no retries. */
    public static final RetryPolicy NO_RETRIES = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ofDays(1));

    public RetryPolicy {
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(deadline, "deadline");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (baseDelay.isNegative() || maxDelay.isNegative()) {
            throw new IllegalArgumentException("baseDelay and maxDelay must not be negative, got " + baseDelay
                    + " and " + maxDelay);
        }
        if (baseDelay.compareTo(maxDelay) > 0) {
            throw new IllegalArgumentException("baseDelay " + baseDelay + " is larger than maxDelay " + maxDelay
                    + "; raise maxDelay or lower baseDelay");
        }
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive, got " + deadline);
        }
    }

    /**
     * Returns the backoff cap before retry number {@code retry} (0 for the first retry): min(maxDelay, baseDelay ×
     * 2^retry), computed without overflow.
     */
    public Duration backoffCap(int retry) {
        if (retry < 0) {
            throw new IllegalArgumentException("retry must not be negative, got " + retry);
        }
        long baseNanos = baseDelay.toNanos();
        long maxNanos = maxDelay.toNanos();
        if (baseNanos == 0) {
            return Duration.ZERO;
        }
        if (retry >= Long.SIZE - 1 || baseNanos > (maxNanos >> retry)) {
            return maxDelay;
        }
        return Duration.ofNanos(Math.min(maxNanos, baseNanos << retry));
    }

    /**
     * Draws the wait before retry number {@code retry} (0 for the first retry) with "full jitter": a uniform draw from
     * [0, min(maxDelay, baseDelay × 2^retry)]. Source: Marc Brooker, "Exponential Backoff And Jitter", AWS
     * Architecture Blog, 2015, which shows that full jitter spreads retries of competing clients best.
     */
    public Duration backoff(int retry, RandomGenerator random) {
        long capNanos = backoffCap(retry).toNanos();
        if (capNanos == 0) {
            return Duration.ZERO;
        }
        long boundNanos = capNanos == Long.MAX_VALUE ? capNanos : capNanos + 1;
        return Duration.ofNanos(random.nextLong(boundNanos));
    }
}
