package dev.tuneladder.core.sampling;

import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.embedding.Vectors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits a dataset into train and eval with the same stratification, keeps duplicate groups on one side, and
 * draws a few-shot sample per k-means cluster from the train side.
 *
 * <p>Works on precomputed L2-normalized vectors, one per interaction in the same order, so it is pure and
 * deterministic: the same input in the same order with the same config gives byte-identical outputs. Stateless and
 * thread-safe.
 */
public final class StratifiedSampler {

    public static final String METHOD = "stratified-kmeans";

    /** Maximum allowed difference between a vector's squared L2 norm and 1. */
    static final double NORM_TOLERANCE = 1e-3;

    private static final Logger LOG = LoggerFactory.getLogger(StratifiedSampler.class);

    private StratifiedSampler() {
    }

    /** Splits without provenance; the manifest's embedding model id is null and its checksums empty. */
    public static SplitResult split(List<Interaction> interactions, List<float[]> vectors, SamplerConfig config) {
        return split(interactions, vectors, config, null, Map.of());
    }

    /**
     * Splits {@code interactions} into train and eval and draws the sample.
     *
     * <p>In each stratum, sorted by name: k-means fits min(clustersPerStratum, stratum size) clusters on all rows
     * of the stratum. The eval side takes whole duplicate groups in a seeded order that interleaves the clusters in
     * proportion to their sizes, until it reaches round(evalFraction × stratum size), within one group. The rest
     * is train. The sample takes perCluster train rows from each cluster: the one
     * nearest the centroid, then the rest at random. Eval rows are never drawn, although the clusters were fitted
     * on them too.
     *
     * <p>A duplicate group with rows in several strata (identical texts) is decided by the first of those strata
     * in name order, and its rows in later strata count toward their eval share as already placed.
     *
     * @param vectors L2-normalized embeddings, one per interaction in the same order
     * @param embeddingModelId recorded in the manifest; may be null
     * @param inputChecksums recorded in the manifest, for example {@code interactions.jsonl -> sha256:...}
     * @throws IllegalArgumentException when the lists differ in length, an id repeats, or a vector is not a
     *     finite unit vector of the common length
     */
    public static SplitResult split(
            List<Interaction> interactions, List<float[]> vectors, SamplerConfig config, String embeddingModelId,
            Map<String, String> inputChecksums) {
        return split(interactions, vectors, config, embeddingModelId, inputChecksums,
                cluster(interactions, vectors, config));
    }

    /**
     * Fits the k-means clustering of each stratum, the first part of {@link #split}: in each stratum, sorted by
     * name, min(clustersPerStratum, stratum size) clusters over the stratum's rows in input order.
     *
     * @return the clustering of each stratum by stratum name; its points are the stratum's rows in input order
     * @throws IllegalArgumentException as {@link #split} does
     */
    public static SortedMap<String, Clustering> cluster(
            List<Interaction> interactions, List<float[]> vectors, SamplerConfig config) {
        Objects.requireNonNull(config, "config");
        validateInputs(interactions, vectors);

        SortedMap<String, Clustering> clusterings = new TreeMap<>();
        for (Map.Entry<String, List<Integer>> stratum : Strata.group(interactions, config.stratifyBy()).entrySet()) {
            String name = stratum.getKey();
            List<Integer> rows = stratum.getValue();
            clusterings.put(name, KMeans.fit(select(vectors, rows), Math.min(config.clustersPerStratum(),
                    rows.size()), kMeansSeed(config.seed(), name), config.maxIterations()));
        }
        return clusterings;
    }

    /**
     * Splits as {@link #split(List, List, SamplerConfig, String, Map)} does, with the clusterings that
     * {@link #cluster} returned for the same interactions, vectors and config, so the result is the same as one
     * call that fits them itself. A pipeline that clusters in one step and splits in the next uses this.
     *
     * @throws IllegalArgumentException as the other overload does, and when the clusterings do not name the same
     *     strata or do not have one point per row of their stratum
     */
    public static SplitResult split(
            List<Interaction> interactions, List<float[]> vectors, SamplerConfig config, String embeddingModelId,
            Map<String, String> inputChecksums, SortedMap<String, Clustering> clusterings) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clusterings, "clusterings");
        validateInputs(interactions, vectors);

        SortedMap<String, List<Integer>> strata = Strata.group(interactions, config.stratifyBy());
        validateClusterings(strata, clusterings);
        DuplicateGroups groups = DuplicateGroups.find(interactions, vectors, strata.values(),
                config.nearDuplicateThreshold());

        Side[] sides = new Side[interactions.size()];
        Map<String, Integer> evalTargets = new LinkedHashMap<>();
        for (Map.Entry<String, List<Integer>> stratum : strata.entrySet()) {
            String name = stratum.getKey();
            List<Integer> rows = stratum.getValue();
            int target = (int) Math.round(config.evalFraction() * rows.size());
            chooseEval(rows, clusterings.get(name), groups, sides, target,
                    new SplittableRandom(Strata.streamSeed(config.seed(), name, "eval")));
            evalTargets.put(name, target);
        }

        List<Interaction> train = new ArrayList<>();
        List<Interaction> eval = new ArrayList<>();
        List<Interaction> sample = new ArrayList<>();
        Map<String, SplitManifest.Stratum> summaries = new TreeMap<>();
        for (Map.Entry<String, List<Integer>> stratum : strata.entrySet()) {
            String name = stratum.getKey();
            List<Integer> rows = stratum.getValue();
            Clustering clustering = clusterings.get(name);
            for (int row : rows) {
                (sides[row] == Side.EVAL ? eval : train).add(interactions.get(row));
            }

            List<List<Integer>> drawn = drawSample(rows, vectors, clustering, sides, config.perCluster(),
                    new SplittableRandom(Strata.streamSeed(config.seed(), name, "sample")));
            List<Integer> drawnRows = new ArrayList<>();
            drawn.forEach(drawnRows::addAll);
            Collections.sort(drawnRows);
            for (int row : drawnRows) {
                sample.add(interactions.get(row));
            }

            summaries.put(name, summarize(rows, interactions, clustering, sides, groups, evalTargets.get(name),
                    drawn, config.perCluster()));
        }

        SplitManifest manifest = new SplitManifest(METHOD, config.seed(), config, embeddingModelId, inputChecksums,
                totals(summaries, strata, groups, sides.length), summaries);
        LOG.info("Split {} rows in {} strata into {} train and {} eval rows, sample of {} rows (seed {})",
                interactions.size(), strata.size(), train.size(), eval.size(), sample.size(), config.seed());
        return new SplitResult(train, eval, sample, manifest);
    }

    /** Returns the k-means seed of one stratum, so tests can refit the same clusters. */
    static long kMeansSeed(long seed, String stratum) {
        return Strata.streamSeed(seed, stratum, "kmeans");
    }

    private static void validateInputs(List<Interaction> interactions, List<float[]> vectors) {
        Objects.requireNonNull(interactions, "interactions");
        Objects.requireNonNull(vectors, "vectors");
        if (interactions.size() != vectors.size()) {
            throw new IllegalArgumentException("got " + interactions.size() + " interactions and " + vectors.size()
                    + " vectors; pass one embedding per interaction, in the same order");
        }

        Set<String> ids = new HashSet<>();
        int dimension = vectors.isEmpty() || vectors.get(0) == null ? 0 : vectors.get(0).length;
        for (int i = 0; i < interactions.size(); i++) {
            String id = interactions.get(i).id();
            if (!ids.add(id)) {
                throw new IllegalArgumentException("interaction id '" + id + "' at index " + i
                        + " is used twice; ids must be unique within a dataset");
            }
            float[] vector = vectors.get(i);
            if (vector == null || vector.length == 0 || vector.length != dimension) {
                throw new IllegalArgumentException("vector of interaction '" + id + "' at index " + i + " has "
                        + (vector == null ? "no value" : vector.length + " dimensions") + " but vector 0 has "
                        + dimension + "; pass one vector per interaction from one embedding model");
            }
            double squaredNorm = Vectors.dot(vector, vector);
            if (!(Math.abs(squaredNorm - 1) <= NORM_TOLERANCE)) {
                throw new IllegalArgumentException("vector of interaction '" + id + "' at index " + i
                        + " has L2 norm " + Math.sqrt(squaredNorm)
                        + "; the sampler expects finite unit vectors: normalize with Vectors.normalized");
            }
        }
    }

    private static void validateClusterings(
            SortedMap<String, List<Integer>> strata, SortedMap<String, Clustering> clusterings) {
        if (!strata.keySet().equals(clusterings.keySet())) {
            throw new IllegalArgumentException("the clusterings cover the strata " + clusterings.keySet()
                    + " but the interactions form the strata " + strata.keySet() + "; cluster the same interactions"
                    + " with the same stratifyBy");
        }
        for (Map.Entry<String, List<Integer>> stratum : strata.entrySet()) {
            int points = clusterings.get(stratum.getKey()).pointCount();
            if (points != stratum.getValue().size()) {
                throw new IllegalArgumentException("the clustering of stratum '" + stratum.getKey() + "' has "
                        + points + " points but the stratum has " + stratum.getValue().size() + " rows; cluster"
                        + " the same interactions");
            }
        }
    }

    private static List<float[]> select(List<float[]> vectors, List<Integer> rows) {
        List<float[]> selected = new ArrayList<>(rows.size());
        for (int row : rows) {
            selected.add(vectors.get(row));
        }
        return selected;
    }

    /**
     * Puts whole duplicate groups of one stratum on the eval side until its eval count reaches {@code target},
     * then puts the stratum's remaining undecided groups on the train side.
     *
     * <p>Order: the groups of each cluster are shuffled, and the j-th of the m groups of a cluster gets the position
     * (j + offset) / m, with a random offset in [0, 1) per cluster. Sorting by position (ties to the lower cluster)
     * interleaves the clusters so that any prefix contains each cluster's groups in proportion to its count, like
     * systematic sampling. A group belongs to the cluster of its first row in this stratum.
     *
     * <p>Stopping rule: a group that fits is taken. A group that would overshoot is taken only when the overshoot is
     * no larger than the shortfall left without it, so the result is within one group of the target. When nothing
     * was taken and the target is positive, the smallest undecided group is taken, so every stratum with at least
     * 1 / evalFraction rows has eval rows.
     */
    private static void chooseEval(
            List<Integer> rows, Clustering clustering, DuplicateGroups groups, Side[] sides, int target,
            SplittableRandom random) {
        int evalCount = 0;
        Map<Integer, Unit> units = new LinkedHashMap<>();
        for (int position = 0; position < rows.size(); position++) {
            int row = rows.get(position);
            if (sides[row] == Side.EVAL) {
                evalCount++;
            } else if (sides[row] == null) {
                int cluster = clustering.assignment(position);
                units.computeIfAbsent(groups.root(row), root -> new Unit(root, cluster)).rowsInStratum++;
            }
        }

        List<Unit> ordered = interleave(units.values(), clustering.k(), random);
        Unit smallest = null;
        boolean tookAny = false;
        for (Unit unit : ordered) {
            if (evalCount >= target) {
                break;
            }
            int shortfall = target - evalCount;
            int overshoot = unit.rowsInStratum - shortfall;
            if (overshoot <= shortfall) {
                place(unit, groups, sides, Side.EVAL);
                evalCount += unit.rowsInStratum;
                tookAny = true;
            } else if (smallest == null || unit.rowsInStratum < smallest.rowsInStratum) {
                smallest = unit;
            }
        }
        if (!tookAny && evalCount == 0 && target > 0 && smallest != null) {
            place(smallest, groups, sides, Side.EVAL);
        }

        for (Unit unit : units.values()) {
            if (sides[unit.root] == null) {
                place(unit, groups, sides, Side.TRAIN);
            }
        }
    }

    private static List<Unit> interleave(Iterable<Unit> units, int k, SplittableRandom random) {
        List<List<Unit>> byCluster = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            byCluster.add(new ArrayList<>());
        }
        for (Unit unit : units) {
            byCluster.get(unit.cluster).add(unit);
        }

        List<Unit> ordered = new ArrayList<>();
        for (List<Unit> cluster : byCluster) {
            shuffle(cluster, random);
            double offset = random.nextDouble();
            for (int j = 0; j < cluster.size(); j++) {
                cluster.get(j).position = (j + offset) / cluster.size();
                ordered.add(cluster.get(j));
            }
        }
        ordered.sort(Comparator.comparingDouble((Unit unit) -> unit.position).thenComparingInt(unit -> unit.cluster));
        return ordered;
    }

    private static void place(Unit unit, DuplicateGroups groups, Side[] sides, Side side) {
        for (int row : groups.members(unit.root)) {
            sides[row] = side;
        }
    }

    /**
     * Draws up to {@code perCluster} train rows from each cluster: the one nearest the centroid (ties to the lower
     * input index), then the rest uniformly at random without replacement. Returns the input indices per cluster in
     * draw order.
     */
    private static List<List<Integer>> drawSample(
            List<Integer> rows, List<float[]> vectors, Clustering clustering, Side[] sides, int perCluster,
            SplittableRandom random) {
        List<List<Integer>> drawn = new ArrayList<>();
        for (int c = 0; c < clustering.k(); c++) {
            List<Integer> pool = new ArrayList<>();
            for (int position : clustering.members(c)) {
                if (sides[rows.get(position)] == Side.TRAIN) {
                    pool.add(rows.get(position));
                }
            }

            List<Integer> draws = new ArrayList<>();
            if (perCluster > 0 && !pool.isEmpty()) {
                int nearest = 0;
                double nearestDistance = clustering.squaredDistance(vectors.get(pool.get(0)), c);
                for (int p = 1; p < pool.size(); p++) {
                    double distance = clustering.squaredDistance(vectors.get(pool.get(p)), c);
                    if (distance < nearestDistance) {
                        nearest = p;
                        nearestDistance = distance;
                    }
                }
                draws.add(pool.remove(nearest));

                int more = Math.min(perCluster - 1, pool.size());
                for (int j = 0; j < more; j++) {
                    Collections.swap(pool, j, j + random.nextInt(pool.size() - j));
                    draws.add(pool.get(j));
                }
            }
            drawn.add(draws);
        }
        return drawn;
    }

    private static SplitManifest.Stratum summarize(
            List<Integer> rows, List<Interaction> interactions, Clustering clustering, Side[] sides,
            DuplicateGroups groups, int evalTarget, List<List<Integer>> drawn, int perCluster) {
        int[] clusterTrain = new int[clustering.k()];
        int train = 0;
        Set<Integer> duplicateRoots = new HashSet<>();
        int rowsInDuplicateGroups = 0;
        for (int position = 0; position < rows.size(); position++) {
            int row = rows.get(position);
            if (sides[row] == Side.TRAIN) {
                train++;
                clusterTrain[clustering.assignment(position)]++;
            }
            int root = groups.root(row);
            if (groups.members(root).size() > 1) {
                duplicateRoots.add(root);
                rowsInDuplicateGroups++;
            }
        }

        List<SplitManifest.Cluster> clusters = new ArrayList<>();
        int sample = 0;
        int shortfall = 0;
        for (int c = 0; c < clustering.k(); c++) {
            List<String> ids = new ArrayList<>();
            for (int row : drawn.get(c)) {
                ids.add(interactions.get(row).id());
            }
            int clusterShortfall = perCluster - ids.size();
            int size = clustering.clusterSize(c);
            clusters.add(new SplitManifest.Cluster(size, clusterTrain[c], size - clusterTrain[c], ids.size(),
                    clusterShortfall, ids));
            sample += ids.size();
            shortfall += clusterShortfall;
        }
        return new SplitManifest.Stratum(rows.size(), train, rows.size() - train, evalTarget, sample, shortfall,
                duplicateRoots.size(), rowsInDuplicateGroups, clustering.iterations(), clustering.converged(),
                clusters);
    }

    private static SplitManifest.Totals totals(
            Map<String, SplitManifest.Stratum> summaries, SortedMap<String, List<Integer>> strata,
            DuplicateGroups groups, int rowCount) {
        int train = 0;
        int eval = 0;
        int sample = 0;
        int shortfall = 0;
        for (SplitManifest.Stratum stratum : summaries.values()) {
            train += stratum.train();
            eval += stratum.eval();
            sample += stratum.sample();
            shortfall += stratum.sampleShortfall();
        }

        Map<Integer, Set<String>> strataByRoot = new TreeMap<>();
        for (Map.Entry<String, List<Integer>> stratum : strata.entrySet()) {
            for (int row : stratum.getValue()) {
                int root = groups.root(row);
                if (groups.members(root).size() > 1) {
                    strataByRoot.computeIfAbsent(root, key -> new HashSet<>()).add(stratum.getKey());
                }
            }
        }
        int crossStratum = 0;
        int rowsInGroups = 0;
        for (Map.Entry<Integer, Set<String>> group : strataByRoot.entrySet()) {
            rowsInGroups += groups.members(group.getKey()).size();
            if (group.getValue().size() > 1) {
                crossStratum++;
            }
        }

        List<Integer> missing = strata.get(Strata.MISSING);
        return new SplitManifest.Totals(rowCount, train, eval, sample, shortfall, strata.size(),
                missing == null ? 0 : missing.size(), groups.duplicateGroupCount(), crossStratum, rowsInGroups);
    }

    private static <T> void shuffle(List<T> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, random.nextInt(i + 1));
        }
    }

    private enum Side { TRAIN, EVAL }

    /** A duplicate group as seen from one stratum: its id, its cluster there and its rows there. */
    private static final class Unit {
        final int root;
        final int cluster;
        int rowsInStratum;
        double position;

        Unit(int root, int cluster) {
            this.root = root;
            this.cluster = cluster;
        }
    }
}
