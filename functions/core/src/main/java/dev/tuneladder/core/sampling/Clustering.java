package dev.tuneladder.core.sampling;

import java.util.Arrays;
import java.util.List;

/**
 * The result of {@link KMeans#fit}: one centroid per cluster and the cluster of each point.
 *
 * <p>Every cluster has at least one member, and each centroid is the mean of its members. When {@link #converged()}
 * is true, every point is also assigned to its nearest centroid (ties to the lowest cluster index). Immutable:
 * accessors return copies.
 */
public final class Clustering {

    private final double[][] centroids;
    private final int[] assignments;
    private final int[] sizes;
    private final int iterations;
    private final boolean converged;

    Clustering(double[][] centroids, int[] assignments, int iterations, boolean converged) {
        this.centroids = centroids;
        this.assignments = assignments;
        this.sizes = new int[centroids.length];
        for (int cluster : assignments) {
            sizes[cluster]++;
        }
        this.iterations = iterations;
        this.converged = converged;
    }

    /**
     * Rebuilds a clustering from the assignments that {@link KMeans#fit} returned for the same points, for a
     * pipeline that stores the assignments between steps. The centroids are recomputed as the means of the
     * members, which is how {@code fit} computes its final centroids, so they are bit-identical to the fitted
     * ones.
     *
     * @param assignments cluster index of each point, in point order; clusters are numbered from 0 without gaps
     * @throws IllegalArgumentException when the lengths differ, an index is negative, or a cluster has no member
     */
    public static Clustering fromAssignments(List<float[]> points, int[] assignments, int iterations,
            boolean converged) {
        if (points.size() != assignments.length) {
            throw new IllegalArgumentException("got " + assignments.length + " assignments for " + points.size()
                    + " points; store one cluster index per point");
        }
        if (assignments.length == 0) {
            throw new IllegalArgumentException("a clustering needs at least one point, got none");
        }
        int k = 0;
        for (int cluster : assignments) {
            if (cluster < 0) {
                throw new IllegalArgumentException("cluster index " + cluster + " is negative");
            }
            k = Math.max(k, cluster + 1);
        }
        Clustering clustering = new Clustering(KMeans.means(points, assignments, k), assignments.clone(),
                iterations, converged);
        for (int cluster = 0; cluster < k; cluster++) {
            if (clustering.clusterSize(cluster) == 0) {
                throw new IllegalArgumentException("cluster " + cluster + " of " + k + " has no member; k-means"
                        + " leaves no cluster empty, so these assignments did not come from KMeans.fit");
            }
        }
        return clustering;
    }

    /** Returns the number of clusters, which can be lower than the k requested (see {@link KMeans#fit}). */
    public int k() {
        return centroids.length;
    }

    /** Returns the number of points clustered. */
    public int pointCount() {
        return assignments.length;
    }

    /** Returns the cluster index of the point at {@code point}, in the order the points were given. */
    public int assignment(int point) {
        return assignments[point];
    }

    public int[] assignments() {
        return assignments.clone();
    }

    public double[] centroid(int cluster) {
        return centroids[cluster].clone();
    }

    /** Returns the number of points in {@code cluster}. */
    public int clusterSize(int cluster) {
        return sizes[cluster];
    }

    /** Returns the indices of the points in {@code cluster}, ascending. */
    public int[] members(int cluster) {
        int[] members = new int[sizes[cluster]];
        int next = 0;
        for (int i = 0; i < assignments.length; i++) {
            if (assignments[i] == cluster) {
                members[next++] = i;
            }
        }
        return members;
    }

    /** Returns the squared Euclidean distance from {@code point} to the centroid of {@code cluster}. */
    public double squaredDistance(float[] point, int cluster) {
        return KMeans.squaredDistance(point, centroids[cluster]);
    }

    /** Returns the number of Lloyd iterations run, at most the cap passed to {@link KMeans#fit}. */
    public int iterations() {
        return iterations;
    }

    /** Returns whether the assignments stopped changing before the iteration cap. */
    public boolean converged() {
        return converged;
    }

    @Override
    public String toString() {
        return "Clustering[k=" + k() + ", sizes=" + Arrays.toString(sizes) + ", iterations=" + iterations
                + ", converged=" + converged + "]";
    }
}
