package dev.tuneladder.core.sampling;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The record of one stratified split: the config, the provenance of the inputs and the counts per stratum and
 * cluster. It carries no timestamps, so the same input and config give a byte-identical manifest. The compact
 * constructors reject counts that do not add up.
 *
 * @param method {@value StratifiedSampler#METHOD}
 * @param seed the seed of every random draw, repeated from the config for readers that look only here
 * @param config the settings the split ran with
 * @param embeddingModelId the model that produced the vectors, as given by the caller; null when not given
 * @param inputChecksums checksums of the input files by name, as given by the caller; sorted by name
 * @param totals counts over all strata
 * @param strata counts per stratum, sorted by stratum name
 */
public record SplitManifest(
        String method,
        long seed,
        SamplerConfig config,
        String embeddingModelId,
        Map<String, String> inputChecksums,
        Totals totals,
        Map<String, Stratum> strata) {

    public SplitManifest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(totals, "totals");
        inputChecksums = inputChecksums == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(inputChecksums));
        strata = strata == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(strata));

        int rows = 0;
        int train = 0;
        int eval = 0;
        int sample = 0;
        for (Stratum stratum : strata.values()) {
            rows += stratum.rows();
            train += stratum.train();
            eval += stratum.eval();
            sample += stratum.sample();
        }
        if (rows != totals.rows() || train != totals.train() || eval != totals.eval() || sample != totals.sample()
                || strata.size() != totals.strata()) {
            throw new IllegalArgumentException("manifest totals " + totals + " do not match the sums over "
                    + strata.size() + " strata: rows " + rows + ", train " + train + ", eval " + eval + ", sample "
                    + sample);
        }
    }

    /**
     * Counts over the whole dataset.
     *
     * @param rowsWithoutStratum rows whose stratum field had no value, all in the stratum {@value Strata#MISSING}
     * @param duplicateGroups groups of two or more rows kept on one side of the split
     * @param crossStratumGroups duplicate groups with rows in more than one stratum (identical texts)
     * @param rowsInDuplicateGroups rows that belong to a duplicate group
     */
    public record Totals(
            int rows,
            int train,
            int eval,
            int sample,
            int sampleShortfall,
            int strata,
            int rowsWithoutStratum,
            int duplicateGroups,
            int crossStratumGroups,
            int rowsInDuplicateGroups) {

        public Totals {
            if (train + eval != rows) {
                throw new IllegalArgumentException("total train " + train + " + eval " + eval + " is not rows "
                        + rows);
            }
        }
    }

    /**
     * Counts of one stratum.
     *
     * @param evalTarget round(evalFraction × rows), the eval count the split aimed at
     * @param sampleShortfall rows the sample lacks because clusters had fewer train rows than perCluster
     * @param duplicateGroups duplicate groups with at least one row in this stratum
     * @param rowsInDuplicateGroups rows of this stratum that belong to a duplicate group
     * @param clusteringIterations Lloyd iterations run by k-means in this stratum
     * @param clusteringConverged whether the assignments stopped changing before the iteration cap
     * @param clusters the k-means clusters in index order
     */
    public record Stratum(
            int rows,
            int train,
            int eval,
            int evalTarget,
            int sample,
            int sampleShortfall,
            int duplicateGroups,
            int rowsInDuplicateGroups,
            int clusteringIterations,
            boolean clusteringConverged,
            List<Cluster> clusters) {

        public Stratum {
            clusters = List.copyOf(clusters);
            if (train + eval != rows) {
                throw new IllegalArgumentException("stratum train " + train + " + eval " + eval + " is not rows "
                        + rows);
            }
            int size = 0;
            int clusterTrain = 0;
            int drawn = 0;
            int shortfall = 0;
            for (Cluster cluster : clusters) {
                size += cluster.size();
                clusterTrain += cluster.train();
                drawn += cluster.drawn();
                shortfall += cluster.shortfall();
            }
            if (size != rows || clusterTrain != train || drawn != sample || shortfall != sampleShortfall) {
                throw new IllegalArgumentException("cluster counts (size " + size + ", train " + clusterTrain
                        + ", drawn " + drawn + ", shortfall " + shortfall + ") do not match the stratum (rows " + rows
                        + ", train " + train + ", sample " + sample + ", shortfall " + sampleShortfall + ")");
            }
        }
    }

    /**
     * Counts of one k-means cluster.
     *
     * @param size rows of the stratum assigned to this cluster, train and eval
     * @param drawn rows drawn into the sample, all from the train side
     * @param shortfall perCluster minus drawn when the cluster had too few train rows, else 0
     * @param drawnIds ids of the drawn rows in draw order: the row nearest the centroid first
     */
    public record Cluster(int size, int train, int eval, int drawn, int shortfall, List<String> drawnIds) {

        public Cluster {
            drawnIds = List.copyOf(drawnIds);
            if (train + eval != size || drawn != drawnIds.size() || drawn > train) {
                throw new IllegalArgumentException("cluster counts do not add up: size " + size + ", train " + train
                        + ", eval " + eval + ", drawn " + drawn + " with " + drawnIds.size() + " ids");
            }
        }
    }
}
