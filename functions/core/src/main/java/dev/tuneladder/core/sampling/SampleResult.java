package dev.tuneladder.core.sampling;

import dev.tuneladder.core.data.Interaction;
import java.util.List;
import java.util.Objects;

/**
 * A random sample per stratum.
 *
 * @param sample the drawn rows, ordered by stratum name, then input order
 * @param manifest counts, config and provenance
 */
public record SampleResult(List<Interaction> sample, SampleManifest manifest) {

    public SampleResult {
        sample = List.copyOf(sample);
        Objects.requireNonNull(manifest, "manifest");
        if (sample.size() != manifest.totals().sample()) {
            throw new IllegalArgumentException("sample size " + sample.size() + " does not match the manifest total "
                    + manifest.totals().sample());
        }
    }
}
