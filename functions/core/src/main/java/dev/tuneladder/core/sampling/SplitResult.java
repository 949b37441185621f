package dev.tuneladder.core.sampling;

import dev.tuneladder.core.data.Interaction;
import java.util.List;
import java.util.Objects;

/**
 * A train/eval split with its few-shot sample. Each list is ordered by stratum name, then input order.
 *
 * @param train rows not in eval
 * @param eval the held-out rows
 * @param sample rows drawn per cluster from {@code train}; every one is also in {@code train}
 * @param manifest counts, config and provenance
 */
public record SplitResult(List<Interaction> train, List<Interaction> eval, List<Interaction> sample,
        SplitManifest manifest) {

    public SplitResult {
        train = List.copyOf(train);
        eval = List.copyOf(eval);
        sample = List.copyOf(sample);
        Objects.requireNonNull(manifest, "manifest");
        SplitManifest.Totals totals = manifest.totals();
        if (train.size() != totals.train() || eval.size() != totals.eval() || sample.size() != totals.sample()) {
            throw new IllegalArgumentException("split sizes (train " + train.size() + ", eval " + eval.size()
                    + ", sample " + sample.size() + ") do not match the manifest totals " + totals);
        }
    }
}
