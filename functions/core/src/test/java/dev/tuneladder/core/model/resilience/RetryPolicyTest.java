package dev.tuneladder.core.model.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final RetryPolicy POLICY =
            new RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofMinutes(1));

    @Test
    void backoffCap_doublesFromBaseUntilMaxDelay() {
        assertThat(POLICY.backoffCap(0)).isEqualTo(Duration.ofMillis(100));
        assertThat(POLICY.backoffCap(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(POLICY.backoffCap(3)).isEqualTo(Duration.ofMillis(800));
        assertThat(POLICY.backoffCap(4)).isEqualTo(Duration.ofMillis(1600));
        assertThat(POLICY.backoffCap(5)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void backoffCap_largeRetryNumbersDoNotOverflow() {
        assertThat(POLICY.backoffCap(62)).isEqualTo(Duration.ofSeconds(2));
        assertThat(POLICY.backoffCap(63)).isEqualTo(Duration.ofSeconds(2));
        assertThat(POLICY.backoffCap(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void backoff_staysWithinZeroAndCap() {
        Random random = new Random(7);
        for (int retry = 0; retry < 8; retry++) {
            Duration cap = POLICY.backoffCap(retry);
            for (int draw = 0; draw < 500; draw++) {
                Duration wait = POLICY.backoff(retry, random);
                assertThat(wait).isBetween(Duration.ZERO, cap);
            }
        }
    }

    @Test
    void backoff_spreadsOverTheWholeRange() {
        Random random = new Random(11);
        long capNanos = POLICY.backoffCap(3).toNanos();
        long below = 0;
        long above = 0;
        for (int draw = 0; draw < 1000; draw++) {
            long nanos = POLICY.backoff(3, random).toNanos();
            if (nanos < capNanos / 4) {
                below++;
            }
            if (nanos > capNanos * 3 / 4) {
                above++;
            }
        }

        // Full jitter is uniform on [0, cap]: each quarter should hold about 250 of 1,000 draws.
        assertThat(below).isBetween(180L, 320L);
        assertThat(above).isBetween(180L, 320L);
    }

    @Test
    void backoff_sameSeedGivesSameWaits() {
        assertThat(draws(new Random(42))).isEqualTo(draws(new Random(42)));
        assertThat(draws(new Random(42))).isNotEqualTo(draws(new Random(43)));
    }

    @Test
    void backoff_zeroBaseNeverWaits() {
        RetryPolicy noWait = new RetryPolicy(3, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1));

        assertThat(noWait.backoff(0, new Random(1))).isZero();
        assertThat(noWait.backoff(5, new Random(1))).isZero();
    }

    @Test
    void constructor_rejectsInvalidValues() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("maxAttempts must be at least 1, got 0");
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1),
                Duration.ofSeconds(1)))
                .hasMessageContaining("baseDelay PT2S is larger than maxDelay PT1S");
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofMillis(-1), Duration.ofSeconds(1),
                Duration.ofSeconds(1)))
                .hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ZERO, Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("deadline must be positive");
        assertThatThrownBy(() -> POLICY.backoffCap(-1)).hasMessageContaining("retry must not be negative");
    }

    private static List<Duration> draws(Random random) {
        List<Duration> waits = new ArrayList<>();
        for (int retry = 0; retry < 6; retry++) {
            waits.add(POLICY.backoff(retry, random));
        }
        return waits;
    }
}
