package dev.tuneladder.core.sampling;

import dev.tuneladder.core.data.Interaction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Draws a fixed number of rows per stratum uniformly at random: the baseline that the cluster-based sample of
 * {@link StratifiedSampler} is compared with. Deterministic for a given input order and seed. Stateless and
 * thread-safe.
 */
public final class RandomSampler {

    public static final String METHOD = "random";

    private RandomSampler() {
    }

    /** Samples without provenance; the manifest's checksums are empty. */
    public static SampleResult sample(List<Interaction> interactions, RandomSamplerConfig config) {
        return sample(interactions, config, Map.of());
    }

    /**
     * Draws {@code perStratum} rows from each stratum without replacement, or the whole stratum when it is smaller.
     * The sample is ordered by stratum name, then input order.
     *
     * @param inputChecksums recorded in the manifest, for example {@code interactions.jsonl -> sha256:...}
     */
    public static SampleResult sample(
            List<Interaction> interactions, RandomSamplerConfig config, Map<String, String> inputChecksums) {
        Objects.requireNonNull(interactions, "interactions");
        Objects.requireNonNull(config, "config");

        SortedMap<String, List<Integer>> strata = Strata.group(interactions, config.stratifyBy());
        List<Interaction> sample = new ArrayList<>();
        Map<String, SampleManifest.Stratum> summaries = new TreeMap<>();
        int shortfall = 0;
        for (Map.Entry<String, List<Integer>> stratum : strata.entrySet()) {
            List<Integer> pool = new ArrayList<>(stratum.getValue());
            SplittableRandom random = new SplittableRandom(Strata.streamSeed(config.seed(), stratum.getKey(),
                    METHOD));
            int count = Math.min(config.perStratum(), pool.size());

            // Partial Fisher-Yates: the first count slots become a uniform draw without replacement.
            for (int j = 0; j < count; j++) {
                Collections.swap(pool, j, j + random.nextInt(pool.size() - j));
            }
            List<Integer> chosen = new ArrayList<>(pool.subList(0, count));
            Collections.sort(chosen);
            for (int row : chosen) {
                sample.add(interactions.get(row));
            }

            int stratumShortfall = config.perStratum() - count;
            summaries.put(stratum.getKey(), new SampleManifest.Stratum(pool.size(), count, stratumShortfall));
            shortfall += stratumShortfall;
        }

        List<Integer> missing = strata.get(Strata.MISSING);
        SampleManifest.Totals totals = new SampleManifest.Totals(interactions.size(), sample.size(), shortfall,
                strata.size(), missing == null ? 0 : missing.size());
        return new SampleResult(sample,
                new SampleManifest(METHOD, config.seed(), config, inputChecksums, totals, summaries));
    }
}
