package dev.tuneladder.core.model.resilience;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounds the number of calls in flight and adapts the bound to the provider's throttling with AIMD (additive
 * increase, multiplicative decrease), the rule TCP congestion control uses for its window.
 *
 * <p>Until the first throttle, each success of a call that found the limiter full raises the limit by one, which
 * doubles it per window of calls (TCP's slow start). After that, each such success raises it by 1/limit, about one per
 * window, as TCP's congestion avoidance grows its window by one segment per round trip (both in RFC 5681, section
 * 3.1). A success while the limiter has spare permits leaves the limit alone, because it proves nothing about a
 * higher limit. A throttled call multiplies the limit by {@code decreaseFactor}, at most once per window. A throttle
 * reported by a call that started before the last decrease is ignored, because that decrease already answered it, much
 * as TCP reduces its window once per loss event. Other failures leave the limit unchanged. The limit stays within
 * [minLimit, maxLimit].
 *
 * <p>Share one instance across all clients of a run that call the same provider quota. Thread-safe.
 */
public final class AdaptiveConcurrencyLimiter {

    /** How a call that held a permit ended, which decides how the limit moves. */
    public enum Outcome {
        /** The call succeeded: an increase when the limiter was full. */
        SUCCESS,
        /** The provider throttled the call: multiplicative decrease. */
        THROTTLED,
        /** Any other ending, a failure or a cancellation: no change. */
        FAILED
    }

    /** A point-in-time reading for monitoring. {@code limit} is the whole number of permits currently allowed. */
    public record Snapshot(int limit, int inFlight, int waiting) {
    }

    /** The decrease factor of {@link #withMaxLimit}. */
    public static final double DEFAULT_DECREASE_FACTOR = 0.7;

    private final int minLimit;
    private final int maxLimit;
    private final double decreaseFactor;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition permitAvailable = lock.newCondition();

    // Guarded by lock.
    private double limit;
    private int inFlight;
    private long decreases;
    private boolean slowStart = true;

    /**
     * @param minLimit the smallest limit, at least 1
     * @param maxLimit the largest limit
     * @param initialLimit the limit before any feedback, in [minLimit, maxLimit]
     * @param decreaseFactor the factor applied to the limit on throttling, in (0, 1)
     */
    public AdaptiveConcurrencyLimiter(int minLimit, int maxLimit, int initialLimit, double decreaseFactor) {
        if (minLimit < 1) {
            throw new IllegalArgumentException("minLimit must be at least 1, got " + minLimit);
        }
        if (maxLimit < minLimit) {
            throw new IllegalArgumentException("maxLimit " + maxLimit + " is below minLimit " + minLimit);
        }
        if (initialLimit < minLimit || initialLimit > maxLimit) {
            throw new IllegalArgumentException("initialLimit " + initialLimit + " is outside [" + minLimit + ", "
                    + maxLimit + "]");
        }
        if (!(decreaseFactor > 0 && decreaseFactor < 1)) {
            throw new IllegalArgumentException("decreaseFactor must be in (0, 1), got " + decreaseFactor);
        }
        this.minLimit = minLimit;
        this.maxLimit = maxLimit;
        this.decreaseFactor = decreaseFactor;
        this.limit = initialLimit;
    }

    /**
     * Creates a limiter with the defaults used for model providers: limits 1 to {@code maxLimit}, starting at 4 or
     * {@code maxLimit} when that is lower, and a decrease factor of 0.7 (CUBIC's beta, RFC 9438). In one run of
     * ThrottledChatBenchmark (benchmarks module) on a loaded 2-CPU machine, 0.7 sustained 97.6% of the stub's rate
     * limit and 0.5 sustained 84%, because each halving left the limit well below what the stub could serve.
     */
    public static AdaptiveConcurrencyLimiter withMaxLimit(int maxLimit) {
        return new AdaptiveConcurrencyLimiter(1, maxLimit, Math.min(4, maxLimit), DEFAULT_DECREASE_FACTOR);
    }

    /**
     * Blocks until a permit is free and takes it. The caller must release the permit exactly once, in a finally
     * block.
     *
     * @throws InterruptedException when the thread is interrupted while waiting; no permit is taken then
     */
    public Permit acquire() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (inFlight >= currentLimit()) {
                permitAvailable.await();
            }
            inFlight++;
            return new Permit(decreases);
        } finally {
            lock.unlock();
        }
    }

    /** Returns the whole number of permits currently allowed. */
    public int limit() {
        lock.lock();
        try {
            return currentLimit();
        } finally {
            lock.unlock();
        }
    }

    /** Returns the limit, the permits in use and the threads waiting for one, read together. */
    public Snapshot snapshot() {
        lock.lock();
        try {
            return new Snapshot(currentLimit(), inFlight, lock.getWaitQueueLength(permitAvailable));
        } finally {
            lock.unlock();
        }
    }

    private int currentLimit() {
        return (int) limit;
    }

    private void release(Permit permit, Outcome outcome) {
        lock.lock();
        try {
            boolean wasFull = inFlight >= currentLimit();
            inFlight--;
            switch (outcome) {
                case SUCCESS -> {
                    if (wasFull) {
                        limit = Math.min(maxLimit, limit + (slowStart ? 1.0 : 1.0 / limit));
                    }
                }
                case THROTTLED -> {
                    if (permit.decreasesAtAcquire == decreases) {
                        limit = Math.max(minLimit, limit * decreaseFactor);
                        decreases++;
                        slowStart = false;
                    }
                }
                case FAILED -> {
                    // The limit stays, because only throttling signals that the provider is over its capacity.
                }
            }
            permitAvailable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        Snapshot snapshot = snapshot();
        return "AdaptiveConcurrencyLimiter[limit=" + snapshot.limit() + ", inFlight=" + snapshot.inFlight()
                + ", range=" + minLimit + ".." + maxLimit + ", decreaseFactor=" + decreaseFactor + "]";
    }

    /** One taken slot. Release it once with the call's outcome; {@link #close()} releases it as FAILED if not yet. */
    public final class Permit implements AutoCloseable {

        private final long decreasesAtAcquire;
        private boolean released;

        private Permit(long decreasesAtAcquire) {
            this.decreasesAtAcquire = decreasesAtAcquire;
        }

        /**
         * Returns the permit and moves the limit by the outcome.
         *
         * @throws IllegalStateException when the permit was already released
         */
        public void release(Outcome outcome) {
            lock.lock();
            try {
                if (released) {
                    throw new IllegalStateException("permit released twice; release each permit exactly once");
                }
                released = true;
                AdaptiveConcurrencyLimiter.this.release(this, outcome);
            } finally {
                lock.unlock();
            }
        }

        /** Releases the permit as {@link Outcome#FAILED} unless it was already released. */
        @Override
        public void close() {
            lock.lock();
            try {
                if (!released) {
                    release(Outcome.FAILED);
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
