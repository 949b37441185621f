package dev.tuneladder.core.metrics;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Deterministic Poisson bootstrap weights and the percentile rule for bootstrap intervals.
 *
 * <p>Resampling n rows with replacement gives each row a Binomial(n, 1/n) count, which tends to Poisson(1) as n
 * grows. The Poisson bootstrap draws that count independently per row and replicate, so no pass needs n in
 * advance. Here each weight is a pure function of (seed, row id, replicate). Every partition of the rows
 * therefore draws the same weights, and partial states merge into exactly the single-pass result.
 *
 * <p>Derivation: the row id's UTF-8 bytes are hashed with 64-bit FNV-1a and mixed with the seed into a row key.
 * Replicate b takes the (b + 1)-th output of a SplitMix64 generator whose state starts at the row key. SplitMix64
 * is from Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014, with Stafford's
 * "Mix13" output constants. The top 53 bits of that output make a uniform u in [0, 1). The weight is the
 * smallest k with P(X ≤ k) &gt; u for X ~ Poisson(1).
 */
public final class PoissonBootstrap {

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final double UNIT_53 = 0x1.0p-53;

    /**
     * Cumulative distribution of Poisson(1) at k = 0, 1, 2, .... StrictMath makes the table, and therefore every
     * weight, the same on every JVM. The table ends at k = 18, the first sum that rounds to 1.0, so every
     * uniform in [0, 1) finds an entry. The true P(X ≥ 18) ≈ 6e-17 is below the 2^-53 resolution of u.
     */
    private static final double[] POISSON_1_CDF = poissonOneCdf();

    /**
     * The same table on the 53-bit integer scale: u &lt; CDF[k] exactly when bits &lt; THRESHOLDS[k], where u = bits ·
     * 2^-53. Scaling by 2^53 is exact in binary floating point, and for an integer bits, bits &lt; x is true exactly when
     * bits &lt; ⌈x⌉. Integer compares without branches run about three times faster than the search over doubles,
     * and give the same weight for every input.
     */
    private static final long[] THRESHOLDS = integerThresholds(POISSON_1_CDF);

    /** THRESHOLDS[k] - 1 for k ≤ 3: (LAST_BELOW_k - bits) is negative exactly when bits ≥ THRESHOLDS[k]. */
    private static final long LAST_BELOW_0 = THRESHOLDS[0] - 1;
    private static final long LAST_BELOW_1 = THRESHOLDS[1] - 1;
    private static final long LAST_BELOW_2 = THRESHOLDS[2] - 1;
    private static final long LAST_BELOW_3 = THRESHOLDS[3] - 1;

    private PoissonBootstrap() {
    }

    /** Returns the key of a row under a seed: a stable 64-bit hash of the row id's UTF-8 bytes mixed with the seed. */
    public static long rowKey(long seed, String rowId) {
        Objects.requireNonNull(rowId, "rowId");
        long hash = FNV_OFFSET_BASIS;
        for (byte b : rowId.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return mix64(mix64(hash) ^ mix64(seed + GOLDEN_GAMMA));
    }

    /** Returns the Poisson(1) weight of the row with {@code rowKey} in bootstrap replicate {@code replicate}. */
    public static int weight(long rowKey, int replicate) {
        if (replicate < 0) {
            throw new IllegalArgumentException("replicate must be 0 or more, got " + replicate);
        }
        return weightOf53Bits(mix64(rowKey + (replicate + 1L) * GOLDEN_GAMMA) >>> 11);
    }

    /** Fills {@code weights[b]} with the weight of the row in replicate b, for b = 0 .. weights.length - 1. */
    public static void fillWeights(long seed, String rowId, int[] weights) {
        long key = rowKey(seed, rowId);
        for (int b = 0; b < weights.length; b++) {
            weights[b] = weightOf53Bits(mix64(key + (b + 1L) * GOLDEN_GAMMA) >>> 11);
        }
    }

    /**
     * Returns the Poisson(1) quantile of the uniform bits · 2^-53, the same value as
     * {@code poissonOneQuantile(bits * 2^-53)}. Weights 0 to 4 (98% of draws) come from four branch-free compares;
     * the rest continue the search.
     */
    static int weightOf53Bits(long bits) {
        int weight = (int) (((LAST_BELOW_0 - bits) >>> 63) + ((LAST_BELOW_1 - bits) >>> 63)
                + ((LAST_BELOW_2 - bits) >>> 63) + ((LAST_BELOW_3 - bits) >>> 63));
        if (weight == 4) {
            while (weight < THRESHOLDS.length - 1 && bits >= THRESHOLDS[weight]) {
                weight++;
            }
        }
        return weight;
    }

    /**
     * Returns the p-quantile of {@code values} by linear interpolation between order statistics: with the values
     * sorted as v[0] ≤ ... ≤ v[n-1] and h = (n - 1) p, the result is v[⌊h⌋] + (h - ⌊h⌋)(v[⌊h⌋+1] - v[⌊h⌋]).
     * This is definition 7 of Hyndman and Fan (1996), which numpy.percentile uses by default (method "linear").
     * The array is sorted in place.
     */
    public static double percentile(double[] values, double p) {
        if (values.length == 0) {
            throw new IllegalArgumentException("percentile of an empty array is undefined");
        }
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("percentile p must be in [0, 1], got " + p);
        }
        Arrays.sort(values);
        double h = (values.length - 1) * p;
        int lower = (int) Math.floor(h);
        if (lower >= values.length - 1) {
            return values[values.length - 1];
        }
        return values[lower] + (h - lower) * (values[lower + 1] - values[lower]);
    }

    static int poissonOneQuantile(double uniform) {
        for (int k = 0; k < POISSON_1_CDF.length; k++) {
            if (uniform < POISSON_1_CDF[k]) {
                return k;
            }
        }
        return POISSON_1_CDF.length - 1;
    }

    /** Mixes 64 bits bijectively with SplitMix64's output function (Stafford's Mix13 constants). */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static long[] integerThresholds(double[] cdf) {
        long[] thresholds = new long[cdf.length];
        for (int k = 0; k < cdf.length; k++) {
            thresholds[k] = (long) Math.ceil(cdf[k] / UNIT_53);
        }
        return thresholds;
    }

    private static double[] poissonOneCdf() {
        double[] cdf = new double[32];
        double probability = StrictMath.exp(-1);
        double cumulative = 0;
        int k = 0;
        while (k < cdf.length) {
            cumulative += probability;
            cdf[k] = cumulative;
            k++;
            if (cumulative >= 1.0) {
                break;
            }
            probability /= k;
        }
        return Arrays.copyOf(cdf, k);
    }
}
