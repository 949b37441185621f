package dev.tuneladder.core.model.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneladder.core.model.resilience.AdaptiveConcurrencyLimiter.Outcome;
import dev.tuneladder.core.model.resilience.AdaptiveConcurrencyLimiter.Permit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class AdaptiveConcurrencyLimiterTest {

    @Test
    void acquire_givesInitialLimitPermitsWithoutBlocking() throws InterruptedException {
        AdaptiveConcurrencyLimiter limiter = new AdaptiveConcurrencyLimiter(1, 10, 3, 0.5);

        List<Permit> permits = acquire(limiter, 3);

        assertThat(limiter.snapshot()).isEqualTo(new AdaptiveConcurrencyLimiter.Snapshot(3, 3, 0));
        permits.forEach(permit -> permit.release(Outcome.FAILED));
        assertThat(limiter.snapshot().inFlight()).isZero();
    }

    @Test
    void success_beforeFirstThrottleDoublesLimitPerWindow() throws InterruptedException {
        AdaptiveConcurrencyLimiter limiter = new AdaptiveConcurrencyLimiter(1, 20, 4, 0.5);
        List<Permit> permits = acquire(limiter, 4);

        // Slow start: each success at a full limiter adds one permit, and the new permit is taken at once.
        for (int i = 0; i < 4; i++) {
            permits.remove(0).release(Outcome.SUCCESS);
            permits.add(limiter.acquire());
            permits.add(limiter.acquire());
        }

        assertThat(limiter.limit()).isEqualTo(8);
        assertThat(limiter.snapshot().inFlight()).isEqualTo(8);
    }

    @Test
    void success_afterThrottleAddsOnePerWindow() throws InterruptedException {
        AdaptiveConcurrencyLimiter limiter = new AdaptiveConcurrencyLimiter(1, 10, 8, 0.5);
        limiter.acquire().release(Outcome.THROTTLED);
        List<Permit> permits = acquire(limiter, 4);

        // Each success at a full limiter adds 1/limit: 4 -> 4.25 -> 4.49 -> 4.71 -> 4.92 -> 5.12.
        for (int i = 0; i < 4; i++) {
            permits.remove(0).release(Outcome.SUCCESS);
            permits.add(limiter.acquire());
        }
        assertThat(limiter.limit()).isEqualTo(4);

        permits.remove(0).release(Outcome.SUCCESS);
        assertThat(limiter.limit()).isEqualTo(5);
    }

    @Test
    void success_withSparePermitsKeepsLimit() throws InterruptedException {
        AdaptiveConcurrencyLimiter limiter = new AdaptiveConcurrencyLimiter(1, 10, 4, 0.5);

        for (int i = 0; i < 50; i++) {
            limiter.acquire().release(Outcome.SUCCESS);
        }

        assertThat(limiter.limit()).isEqualTo(4);
    }

    @Test
    void success_neverRaisesLimitAboveMax() throws InterruptedException {
        AdaptiveConcurrencyLimiter limiter = new AdaptiveConcurrencyLimiter(1, 3, 3, 0.5);
        List<Permit> permits = acquire(limiter, 3);

        for (int i = 0; i < 30; i++) {
            permits.remove(0).release(Outcome.SUCCESS);
            permits.add(limiter.acquire());
        }

        assertThat(limiter.limit()).isEqualTo(3);
    }

    @Test
    void throttled_multipliesLimitByDecreaseFactor() throws InterruptedException {
        AdaptiveConcurrencyLimiter limiter = new AdaptiveConcurrencyLimiter(1, 20, 10, 0.5);

        limiter.acquire().release(Outcome.THROTTLED);
        assertThat(limiter.limit()).isEqualTo(5);

        limiter.acquire().release(Outcome.THROTTLED);
        assertThat(limiter.limit()).isEqualTo(2);
    }

    @Test
    void throttled_sameWindowDecreasesOnce() throws InterruptedException {
        AdaptiveConcurrencyLimiter limiter = new AdaptiveConcurrencyLimiter(1, 20, 8, 0.5);
        List<Permit> window = acquire(limiter, 8);

        window.forEach(permit -> permit.release(Outcome.THROTTLED));

        assertThat(limiter.limit()).isEqualTo(4);
    }

    @Test
    void throttled_neverLowersLimitBelowMin() throws InterruptedException {
        AdaptiveConcurrencyLimiter limiter = new AdaptiveConcurrencyLimiter(2, 20, 3, 0.5);

        for (int i = 0; i < 5; i++) {
            limiter.acquire().release(Outcome.THROTTLED);
        }

        assertThat(limiter.limit()).isEqualTo(2);
    }

    @Test
    void failed_keepsLimit() throws InterruptedException {
        AdaptiveConcurrencyLimiter limiter = new AdaptiveConcurrencyLimiter(1, 20, 6, 0.5);
        List<Permit> permits = acquire(limiter, 6);

        permits.forEach(permit -> permit.release(Outcome.FAILED));

        assertThat(limiter.limit()).isEqualTo(6);
    }

    @Test
    void release_twiceRejected() throws InterruptedException {
        AdaptiveConcurrencyLimiter limiter = new AdaptiveConcurrencyLimiter(1, 4, 2, 0.5);
        Permit permit = limiter.acquire();

        permit.release(Outcome.SUCCESS);
        permit.close();

        assertThatThrownBy(() -> permit.release(Outcome.SUCCESS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("released twice");
        assertThat(limiter.snapshot().inFlight()).isZero();
    }

    @Test
    void constructor_rejectsInvalidBounds() {
        assertThatThrownBy(() -> new AdaptiveConcurrencyLimiter(0, 4, 2, 0.5)).hasMessageContaining("minLimit");
        assertThatThrownBy(() -> new AdaptiveConcurrencyLimiter(3, 2, 2, 0.5)).hasMessageContaining("below minLimit");
        assertThatThrownBy(() -> new AdaptiveConcurrencyLimiter(1, 4, 5, 0.5)).hasMessageContaining("outside [1, 4]");
        assertThatThrownBy(() -> new AdaptiveConcurrencyLimiter(1, 4, 2, 1.0)).hasMessageContaining("(0, 1)");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void acquire_concurrentThreadsNeverExceedLimit() throws Exception {
        AdaptiveConcurrencyLimiter limiter = new AdaptiveConcurrencyLimiter(1, 10, 3, 0.5);
        int threads = 8;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        CountDownLatch firstThreeRunning = new CountDownLatch(3);
        CountDownLatch proceed = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    Permit permit = limiter.acquire();
                    try {
                        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                        firstThreeRunning.countDown();
                        proceed.await();
                        running.decrementAndGet();
                        completed.incrementAndGet();
                    } finally {
                        permit.release(Outcome.FAILED);
                    }
                    return null;
                }));
            }

            firstThreeRunning.await();
            awaitWaiting(limiter, threads - 3);
            assertThat(running.get()).isEqualTo(3);
            assertThat(limiter.snapshot()).isEqualTo(new AdaptiveConcurrencyLimiter.Snapshot(3, 3, threads - 3));

            proceed.countDown();
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(completed.get()).isEqualTo(threads);
        assertThat(maxRunning.get()).isEqualTo(3);
        assertThat(limiter.snapshot()).isEqualTo(new AdaptiveConcurrencyLimiter.Snapshot(3, 0, 0));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void acquire_interruptWhileWaitingTakesNoPermit() throws Exception {
        AdaptiveConcurrencyLimiter limiter = new AdaptiveConcurrencyLimiter(1, 4, 1, 0.5);
        Permit held = limiter.acquire();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                limiter.acquire().release(Outcome.SUCCESS);
            } catch (InterruptedException e) {
                thrown.set(e);
            }
        });

        waiter.start();
        awaitWaiting(limiter, 1);
        waiter.interrupt();
        waiter.join();

        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(limiter.snapshot()).isEqualTo(new AdaptiveConcurrencyLimiter.Snapshot(1, 1, 0));
        held.release(Outcome.SUCCESS);
        assertThat(limiter.snapshot().inFlight()).isZero();
    }

    private static List<Permit> acquire(AdaptiveConcurrencyLimiter limiter, int count) throws InterruptedException {
        List<Permit> permits = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            permits.add(limiter.acquire());
        }
        return permits;
    }

    /** Spins until {@code count} threads wait for a permit; the test's timeout bounds the spin. */
    static void awaitWaiting(AdaptiveConcurrencyLimiter limiter, int count) {
        while (limiter.snapshot().waiting() != count) {
            Thread.yield();
        }
    }
}
