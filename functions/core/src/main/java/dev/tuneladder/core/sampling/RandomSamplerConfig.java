package dev.tuneladder.core.sampling;

/**
 * Settings of {@link RandomSampler}.
 *
 * @param stratifyBy the field that names a row's stratum: {@code intent} or {@code metadata.<key>}; rows without
 *     a value go to the stratum {@value Strata#MISSING}
 * @param perStratum rows drawn from each stratum; a smaller stratum is taken whole
 * @param seed seed of every random draw; the same input and seed give byte-identical outputs
 */
public record RandomSamplerConfig(String stratifyBy, int perStratum, long seed) {

    public RandomSamplerConfig {
        Strata.validateField(stratifyBy);
        if (perStratum < 1) {
            throw new IllegalArgumentException("perStratum is " + perStratum + "; set it to 1 or more");
        }
    }
}
