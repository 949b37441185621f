package dev.tuneladder.core.sampling;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The record of one random sample, in the style of {@link SplitManifest}: config, provenance and counts per
 * stratum, with no timestamps.
 *
 * @param method {@value RandomSampler#METHOD}
 * @param seed the seed of every random draw, repeated from the config
 * @param inputChecksums checksums of the input files by name, as given by the caller; sorted by name
 * @param strata counts per stratum, sorted by stratum name
 */
public record SampleManifest(
        String method,
        long seed,
        RandomSamplerConfig config,
        Map<String, String> inputChecksums,
        Totals totals,
        Map<String, Stratum> strata) {

    public SampleManifest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(totals, "totals");
        inputChecksums = inputChecksums == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(inputChecksums));
        strata = strata == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(strata));

        int rows = 0;
        int sample = 0;
        int shortfall = 0;
        for (Stratum stratum : strata.values()) {
            rows += stratum.rows();
            sample += stratum.sample();
            shortfall += stratum.shortfall();
        }
        if (rows != totals.rows() || sample != totals.sample() || shortfall != totals.shortfall()
                || strata.size() != totals.strata()) {
            throw new IllegalArgumentException("manifest totals " + totals + " do not match the sums over "
                    + strata.size() + " strata: rows " + rows + ", sample " + sample + ", shortfall " + shortfall);
        }
    }

    /**
     * Counts over the whole dataset.
     *
     * @param shortfall rows the sample lacks because strata were smaller than perStratum
     * @param rowsWithoutStratum rows whose stratum field had no value, all in the stratum {@value Strata#MISSING}
     */
    public record Totals(int rows, int sample, int shortfall, int strata, int rowsWithoutStratum) {
    }

    /**
     * Counts of one stratum.
     *
     * @param shortfall perStratum minus sample when the stratum was smaller, else 0
     */
    public record Stratum(int rows, int sample, int shortfall) {

        public Stratum {
            if (sample > rows || shortfall < 0) {
                throw new IllegalArgumentException("stratum counts do not add up: rows " + rows + ", sample " + sample
                        + ", shortfall " + shortfall);
            }
        }
    }
}
