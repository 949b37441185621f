package dev.tuneladder.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Pins the integer-threshold weight lookup to the reference search over the double-valued Poisson(1) CDF. */
class PoissonWeightThresholdTest {

    private static final double UNIT_53 = 0x1.0p-53;

    @Test
    void weightOf53Bits_nearThresholds_matchesSearch() {
        for (int k = 0; k < 18; k++) {
            double cdf = cdfAt(k);
            long threshold = (long) Math.ceil(cdf / UNIT_53);
            for (long bits = threshold - 3; bits <= Math.min(threshold + 3, (1L << 53) - 1); bits++) {
                assertThat(PoissonBootstrap.weightOf53Bits(bits)).as("bits %d near the k=%d threshold", bits, k)
                        .isEqualTo(PoissonBootstrap.poissonOneQuantile(bits * UNIT_53));
            }
        }
    }

    @Test
    void weightOf53Bits_extremes_matchSearch() {
        for (long bits : new long[] {0, 1, (1L << 52), (1L << 53) - 1}) {
            assertThat(PoissonBootstrap.weightOf53Bits(bits)).as("bits %d", bits)
                    .isEqualTo(PoissonBootstrap.poissonOneQuantile(bits * UNIT_53));
        }
    }

    @Test
    void weightOf53Bits_randomBits_matchSearch() {
        SplittableRandom random = new SplittableRandom(53);
        for (int i = 0; i < 2_000_000; i++) {
            long bits = random.nextLong() >>> 11;
            int expected = PoissonBootstrap.poissonOneQuantile(bits * UNIT_53);
            if (PoissonBootstrap.weightOf53Bits(bits) != expected) {
                assertThat(PoissonBootstrap.weightOf53Bits(bits)).as("bits %d", bits).isEqualTo(expected);
            }
        }
    }

    /** Returns the k-th entry of the CDF table as PoissonBootstrap builds it, found through the reference search. */
    private static double cdfAt(int k) {
        double low = 0;
        double high = 1;
        // Bisect for the smallest u with quantile(u) > k, which is CDF[k].
        for (int i = 0; i < 200 && low < high; i++) {
            double middle = low + (high - low) / 2;
            if (middle == low || middle == high) {
                break;
            }
            if (PoissonBootstrap.poissonOneQuantile(middle) > k) {
                high = middle;
            } else {
                low = middle;
            }
        }
        return high;
    }
}
