package dev.tuneladder.core.sampling;

/**
 * Settings of {@link StratifiedSampler}. Build from {@link #defaults()} and the {@code with...} methods.
 *
 * @param stratifyBy the field that names a row's stratum: {@code intent} or {@code metadata.<key>}; rows without
 *     a value go to the stratum {@value Strata#MISSING}
 * @param clustersPerStratum k of the k-means run in each stratum, lowered to the stratum size when larger
 * @param perCluster rows drawn into the sample from the train side of each cluster; 0 draws no sample
 * @param evalFraction share of each stratum that goes to the eval split, 0 inclusive to 1 exclusive
 * @param nearDuplicateThreshold cosine similarity above which two rows of one stratum are near-duplicates, in
 *     (0, 1]
 * @param seed seed of every random draw; the same input and seed give byte-identical outputs
 * @param maxIterations cap on Lloyd iterations per stratum
 */
public record SamplerConfig(
        String stratifyBy,
        int clustersPerStratum,
        int perCluster,
        double evalFraction,
        double nearDuplicateThreshold,
        long seed,
        int maxIterations) {

    public static final String DEFAULT_STRATIFY_BY = Strata.INTENT;
    public static final int DEFAULT_CLUSTERS_PER_STRATUM = 10;
    public static final int DEFAULT_PER_CLUSTER = 1;
    public static final double DEFAULT_EVAL_FRACTION = 0.2;
    public static final double DEFAULT_NEAR_DUPLICATE_THRESHOLD = 0.95;
    public static final long DEFAULT_SEED = 42;

    public SamplerConfig {
        Strata.validateField(stratifyBy);
        if (clustersPerStratum < 1) {
            throw new IllegalArgumentException("clustersPerStratum is " + clustersPerStratum
                    + "; set it to 1 or more (default " + DEFAULT_CLUSTERS_PER_STRATUM + ")");
        }
        if (perCluster < 0) {
            throw new IllegalArgumentException("perCluster is " + perCluster
                    + "; set it to 0 or more (default " + DEFAULT_PER_CLUSTER + ")");
        }
        if (!(evalFraction >= 0 && evalFraction < 1)) {
            throw new IllegalArgumentException("evalFraction is " + evalFraction
                    + "; set it to at least 0 and below 1 (default " + DEFAULT_EVAL_FRACTION + ")");
        }
        if (!(nearDuplicateThreshold > 0 && nearDuplicateThreshold <= 1)) {
            throw new IllegalArgumentException("nearDuplicateThreshold is " + nearDuplicateThreshold
                    + "; set it to a cosine above 0 and at most 1 (default " + DEFAULT_NEAR_DUPLICATE_THRESHOLD + ")");
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations is " + maxIterations
                    + "; set it to 1 or more (default " + KMeans.DEFAULT_MAX_ITERATIONS + ")");
        }
    }

    /** Returns the defaults: stratify by intent, 10 clusters, 1 row per cluster, 20% eval, cosine 0.95, seed 42. */
    public static SamplerConfig defaults() {
        return new SamplerConfig(DEFAULT_STRATIFY_BY, DEFAULT_CLUSTERS_PER_STRATUM, DEFAULT_PER_CLUSTER,
                DEFAULT_EVAL_FRACTION, DEFAULT_NEAR_DUPLICATE_THRESHOLD, DEFAULT_SEED, KMeans.DEFAULT_MAX_ITERATIONS);
    }

    public SamplerConfig withStratifyBy(String value) {
        return new SamplerConfig(value, clustersPerStratum, perCluster, evalFraction, nearDuplicateThreshold, seed,
                maxIterations);
    }

    public SamplerConfig withClustersPerStratum(int value) {
        return new SamplerConfig(stratifyBy, value, perCluster, evalFraction, nearDuplicateThreshold, seed,
                maxIterations);
    }

    public SamplerConfig withPerCluster(int value) {
        return new SamplerConfig(stratifyBy, clustersPerStratum, value, evalFraction, nearDuplicateThreshold, seed,
                maxIterations);
    }

    public SamplerConfig withEvalFraction(double value) {
        return new SamplerConfig(stratifyBy, clustersPerStratum, perCluster, value, nearDuplicateThreshold, seed,
                maxIterations);
    }

    public SamplerConfig withNearDuplicateThreshold(double value) {
        return new SamplerConfig(stratifyBy, clustersPerStratum, perCluster, evalFraction, value, seed,
                maxIterations);
    }

    public SamplerConfig withSeed(long value) {
        return new SamplerConfig(stratifyBy, clustersPerStratum, perCluster, evalFraction, nearDuplicateThreshold,
                value, maxIterations);
    }

    public SamplerConfig withMaxIterations(int value) {
        return new SamplerConfig(stratifyBy, clustersPerStratum, perCluster, evalFraction, nearDuplicateThreshold,
                seed, value);
    }
}
