package dev.tuneladder.core.sampling;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Lloyd's k-means on squared Euclidean distance, seeded with k-means++ (Arthur and Vassilvitskii, "k-means++: The
 * Advantages of Careful Seeding", SODA 2007). The seeding takes a uniformly random point as the first centroid.
 * Each next centroid is a point drawn with probability proportional to its squared distance to the nearest
 * centroid chosen so far.
 *
 * <p>Deterministic: the same points in the same order with the same seed give identical centroids and
 * assignments, because every random draw comes from one {@link SplittableRandom} built from the seed and every
 * tie goes to the lowest index. Sums are accumulated in double. Stateless and thread-safe.
 */
public final class KMeans {

    public static final int DEFAULT_MAX_ITERATIONS = 50;

    private KMeans() {
    }

    /** Clusters with the default cap of {@value #DEFAULT_MAX_ITERATIONS} iterations; see the full overload. */
    public static Clustering fit(List<float[]> points, int k, long seed) {
        return fit(points, k, seed, DEFAULT_MAX_ITERATIONS);
    }

    /**
     * Clusters {@code points} into at most {@code k} clusters.
     *
     * <p>A {@code k} above the number of points is lowered to it. A {@code k} above the number of distinct points
     * is lowered to that number, because seeding stops once every point coincides with a centroid. Lloyd
     * iterations run until the assignments stop changing or {@code maxIterations} is reached. A cluster left
     * empty by an iteration is re-seeded with the point farthest from its own centroid, taken from a cluster
     * that keeps at least one member.
     *
     * @throws IllegalArgumentException when {@code points} is empty, {@code k} or {@code maxIterations} is below 1,
     *     the vectors differ in length, or a coordinate is NaN or infinite
     */
    public static Clustering fit(List<float[]> points, int k, long seed, int maxIterations) {
        validate(points, k, maxIterations);

        SplittableRandom random = new SplittableRandom(seed);
        double[][] centroids = seedCentroids(points, Math.min(k, points.size()), random);
        int[] assignments = assign(points, centroids);

        boolean converged = false;
        int iterations = 0;
        while (iterations < maxIterations) {
            iterations++;
            reseedEmptyClusters(points, centroids, assignments);
            centroids = means(points, assignments, centroids.length);
            int[] next = assign(points, centroids);
            if (Arrays.equals(next, assignments)) {
                converged = true;
                break;
            }
            assignments = next;
        }

        // At the cap the last assignment can leave a cluster empty, and the centroids are still the means of the
        // previous assignment. Re-seeding and one more mean step restore the documented invariants.
        if (!converged) {
            reseedEmptyClusters(points, centroids, assignments);
            centroids = means(points, assignments, centroids.length);
        }
        return new Clustering(centroids, assignments, iterations, converged);
    }

    static double squaredDistance(float[] point, double[] centroid) {
        double sum = 0;
        for (int i = 0; i < point.length; i++) {
            double difference = point[i] - centroid[i];
            sum += difference * difference;
        }
        return sum;
    }

    private static void validate(List<float[]> points, int k, int maxIterations) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("k-means needs at least one point, got none");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k-means k must be 1 or more, got " + k);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("k-means maxIterations must be 1 or more, got " + maxIterations);
        }
        int dimension = points.get(0).length;
        for (int i = 0; i < points.size(); i++) {
            float[] point = points.get(i);
            if (point.length != dimension) {
                throw new IllegalArgumentException("point " + i + " has " + point.length
                        + " dimensions but point 0 has " + dimension + "; pass vectors from one embedding model");
            }
            for (int d = 0; d < point.length; d++) {
                if (!Float.isFinite(point[d])) {
                    throw new IllegalArgumentException("point " + i + " has the invalid coordinate " + point[d]
                            + " at dimension " + d + "; every coordinate must be a finite number");
                }
            }
        }
    }

    private static double[][] seedCentroids(List<float[]> points, int k, SplittableRandom random) {
        int n = points.size();
        double[][] centroids = new double[k][];
        centroids[0] = toDouble(points.get(random.nextInt(n)));

        double[] nearest = new double[n];
        for (int i = 0; i < n; i++) {
            nearest[i] = squaredDistance(points.get(i), centroids[0]);
        }

        int chosen = 1;
        while (chosen < k) {
            double total = 0;
            for (double distance : nearest) {
                total += distance;
            }
            if (total == 0) {
                break;
            }

            // Points already on a centroid have weight 0 and are skipped. When rounding leaves the cumulative sum
            // at or below the draw, the last point with positive weight is taken.
            double draw = random.nextDouble() * total;
            double cumulative = 0;
            int pick = -1;
            for (int i = 0; i < n; i++) {
                if (nearest[i] > 0) {
                    cumulative += nearest[i];
                    pick = i;
                    if (cumulative > draw) {
                        break;
                    }
                }
            }

            centroids[chosen] = toDouble(points.get(pick));
            for (int i = 0; i < n; i++) {
                nearest[i] = Math.min(nearest[i], squaredDistance(points.get(i), centroids[chosen]));
            }
            chosen++;
        }
        return Arrays.copyOf(centroids, chosen);
    }

    private static int[] assign(List<float[]> points, double[][] centroids) {
        int[] assignments = new int[points.size()];
        for (int i = 0; i < points.size(); i++) {
            float[] point = points.get(i);
            int best = 0;
            double bestDistance = squaredDistance(point, centroids[0]);
            for (int c = 1; c < centroids.length; c++) {
                double distance = squaredDistance(point, centroids[c]);
                if (distance < bestDistance) {
                    best = c;
                    bestDistance = distance;
                }
            }
            assignments[i] = best;
        }
        return assignments;
    }

    /**
     * Moves, for each empty cluster in index order, the point farthest from its own centroid into it. Only points
     * whose cluster has two or more members are candidates, so no cluster is emptied. A candidate always exists
     * because k is at most the number of points.
     */
    private static void reseedEmptyClusters(List<float[]> points, double[][] centroids, int[] assignments) {
        int[] sizes = new int[centroids.length];
        for (int cluster : assignments) {
            sizes[cluster]++;
        }
        for (int empty = 0; empty < centroids.length; empty++) {
            if (sizes[empty] > 0) {
                continue;
            }
            int farthest = -1;
            double farthestDistance = -1;
            for (int i = 0; i < assignments.length; i++) {
                if (sizes[assignments[i]] < 2) {
                    continue;
                }
                double distance = squaredDistance(points.get(i), centroids[assignments[i]]);
                if (distance > farthestDistance) {
                    farthest = i;
                    farthestDistance = distance;
                }
            }
            sizes[assignments[farthest]]--;
            assignments[farthest] = empty;
            sizes[empty] = 1;
            centroids[empty] = toDouble(points.get(farthest));
        }
    }

    /** Returns the mean of each cluster's points, summed in point order in double. */
    static double[][] means(List<float[]> points, int[] assignments, int k) {
        int dimension = points.get(0).length;
        double[][] sums = new double[k][dimension];
        int[] counts = new int[k];
        for (int i = 0; i < assignments.length; i++) {
            float[] point = points.get(i);
            double[] sum = sums[assignments[i]];
            for (int d = 0; d < dimension; d++) {
                sum[d] += point[d];
            }
            counts[assignments[i]]++;
        }
        for (int c = 0; c < k; c++) {
            for (int d = 0; d < dimension; d++) {
                sums[c][d] /= counts[c];
            }
        }
        return sums;
    }

    private static double[] toDouble(float[] point) {
        double[] copy = new double[point.length];
        for (int d = 0; d < point.length; d++) {
            copy[d] = point[d];
        }
        return copy;
    }
}
