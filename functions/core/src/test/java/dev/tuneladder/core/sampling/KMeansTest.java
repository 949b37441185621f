package dev.tuneladder.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KMeansTest {

    private static final int BLOBS = 4;
    private static final int PER_BLOB = 25;

    /** Points around the scaled axes e0..e3 in 8 dimensions, interleaved so that blob i contains points i, i+4, .... */
    private static List<float[]> blobs(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<float[]> points = new ArrayList<>();
        for (int i = 0; i < BLOBS * PER_BLOB; i++) {
            float[] point = new float[8];
            for (int d = 0; d < point.length; d++) {
                point[d] = (float) (0.1 * random.nextGaussian());
            }
            point[i % BLOBS] += 10;
            points.add(point);
        }
        return points;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234})
    void fit_separatedBlobs_recoversEachBlob(long seed) {
        List<float[]> points = blobs(7);

        Clustering clustering = KMeans.fit(points, BLOBS, seed);

        assertThat(clustering.k()).isEqualTo(BLOBS);
        assertThat(clustering.converged()).isTrue();
        Set<Integer> blobsSeen = new HashSet<>();
        for (int c = 0; c < clustering.k(); c++) {
            int[] members = clustering.members(c);
            assertThat(members).hasSize(PER_BLOB);
            int blob = members[0] % BLOBS;
            for (int member : members) {
                assertThat(member % BLOBS).as("blob of point %d in cluster %d", member, c).isEqualTo(blob);
            }
            blobsSeen.add(blob);
        }
        assertThat(blobsSeen).hasSize(BLOBS);
    }

    @Test
    void fit_sameSeed_identicalCentroidsAndAssignments() {
        SplittableRandom random = new SplittableRandom(5);
        List<float[]> points = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            points.add(SyntheticData.randomUnit(random, 16));
        }

        Clustering first = KMeans.fit(points, 7, 99);
        Clustering second = KMeans.fit(points, 7, 99);

        assertThat(second.assignments()).isEqualTo(first.assignments());
        for (int c = 0; c < first.k(); c++) {
            assertThat(second.centroid(c)).isEqualTo(first.centroid(c));
        }
        assertThat(second.iterations()).isEqualTo(first.iterations());
    }

    @Test
    void fit_differentSeed_changesSeeding() {
        SplittableRandom random = new SplittableRandom(5);
        List<float[]> points = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            points.add(SyntheticData.randomUnit(random, 16));
        }

        // Unstructured points have many local optima, so another seed lands in another one.
        Clustering first = KMeans.fit(points, 7, 1);
        Clustering second = KMeans.fit(points, 7, 2);

        assertThat(second.assignments()).isNotEqualTo(first.assignments());
    }

    @Test
    void fit_kAboveN_lowersKToN() {
        List<float[]> points = List.of(new float[] {0, 0}, new float[] {5, 0}, new float[] {0, 5});

        Clustering clustering = KMeans.fit(points, 10, 3);

        assertThat(clustering.k()).isEqualTo(3);
        assertThat(new HashSet<>(List.of(clustering.assignment(0), clustering.assignment(1),
                clustering.assignment(2)))).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(clustering.centroid(clustering.assignment(i)))
                    .containsExactly(points.get(i)[0], points.get(i)[1]);
        }
    }

    @Test
    void fit_identicalPoints_oneClusterAtThePoint() {
        List<float[]> points = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            points.add(new float[] {0.6f, 0.8f});
        }

        Clustering clustering = KMeans.fit(points, 3, 11);

        assertThat(clustering.k()).isEqualTo(1);
        assertThat(clustering.assignments()).containsOnly(0);
        assertThat(clustering.centroid(0)).containsExactly((double) 0.6f, (double) 0.8f);
        assertThat(clustering.converged()).isTrue();
    }

    @Test
    void fit_twoDistinctPoints_kLowered() {
        List<float[]> points = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            points.add(i % 2 == 0 ? new float[] {1, 0} : new float[] {0, 1});
        }

        Clustering clustering = KMeans.fit(points, 5, 8);

        assertThat(clustering.k()).isEqualTo(2);
        assertThat(clustering.clusterSize(0)).isEqualTo(5);
        assertThat(clustering.clusterSize(1)).isEqualTo(5);
        assertThat(clustering.assignment(0)).isNotEqualTo(clustering.assignment(1));
    }

    @Test
    void fit_iterationCap_clustersStayValid() {
        SplittableRandom random = new SplittableRandom(21);
        List<float[]> points = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            points.add(SyntheticData.randomUnit(random, 8));
        }

        Clustering clustering = KMeans.fit(points, 12, 4, 1);

        assertThat(clustering.iterations()).isEqualTo(1);
        assertThat(clustering.converged()).isFalse();
        assertMeanCentroidsAndNoEmptyCluster(points, clustering);
    }

    @Property(tries = 60)
    void fit_anyInput_everyClusterNonEmptyWithMeanCentroid(
            @ForAll @IntRange(min = 1, max = 40) int n,
            @ForAll @IntRange(min = 1, max = 12) int k,
            @ForAll @IntRange(min = 1, max = 4) int distinctValues,
            @ForAll long seed) {
        // Few distinct coordinate values force repeated points, ties and empty clusters.
        SplittableRandom random = new SplittableRandom(seed);
        List<float[]> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            points.add(new float[] {random.nextInt(distinctValues), random.nextInt(distinctValues)});
        }

        Clustering clustering = KMeans.fit(points, k, seed);

        assertThat(clustering.k()).isBetween(1, Math.min(k, n));
        assertMeanCentroidsAndNoEmptyCluster(points, clustering);
    }

    @Property(tries = 60)
    void fromAssignments_fittedClustering_identicalCentroids(
            @ForAll @IntRange(min = 1, max = 40) int n,
            @ForAll @IntRange(min = 1, max = 12) int k,
            @ForAll @IntRange(min = 1, max = 5) int maxIterations,
            @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<float[]> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            points.add(SyntheticData.randomUnit(random, 6));
        }
        Clustering fitted = KMeans.fit(points, k, seed, maxIterations);

        Clustering rebuilt = Clustering.fromAssignments(points, fitted.assignments(), fitted.iterations(),
                fitted.converged());

        assertThat(rebuilt.k()).isEqualTo(fitted.k());
        assertThat(rebuilt.assignments()).isEqualTo(fitted.assignments());
        assertThat(rebuilt.iterations()).isEqualTo(fitted.iterations());
        assertThat(rebuilt.converged()).isEqualTo(fitted.converged());
        for (int c = 0; c < fitted.k(); c++) {
            assertThat(rebuilt.centroid(c)).as("centroid %d", c).isEqualTo(fitted.centroid(c));
        }
    }

    @Test
    void fromAssignments_invalidAssignments_rejectedWithReason() {
        List<float[]> points = List.of(new float[] {1, 0}, new float[] {0, 1});

        assertThatThrownBy(() -> Clustering.fromAssignments(points, new int[] {0}, 1, true))
                .hasMessageContaining("got 1 assignments for 2 points");
        assertThatThrownBy(() -> Clustering.fromAssignments(points, new int[] {0, -1}, 1, true))
                .hasMessageContaining("cluster index -1 is negative");
        assertThatThrownBy(() -> Clustering.fromAssignments(points, new int[] {0, 2}, 1, true))
                .hasMessageContaining("cluster 1 of 3 has no member");
        assertThatThrownBy(() -> Clustering.fromAssignments(List.of(), new int[0], 1, true))
                .hasMessageContaining("at least one point");
    }

    @Test
    void fit_invalidInput_rejectedWithReason() {
        List<float[]> mixed = List.of(new float[] {1, 0}, new float[] {1, 0, 0});
        List<float[]> notFinite = List.of(new float[] {1, Float.NaN});

        assertThatThrownBy(() -> KMeans.fit(List.of(), 2, 1)).hasMessageContaining("at least one point");
        assertThatThrownBy(() -> KMeans.fit(mixed, 2, 1)).hasMessageContaining("point 1 has 3 dimensions");
        assertThatThrownBy(() -> KMeans.fit(notFinite, 1, 1)).hasMessageContaining("invalid coordinate NaN at dimension 1");
        assertThatThrownBy(() -> KMeans.fit(List.of(new float[] {1}), 0, 1)).hasMessageContaining("k must be 1");
        assertThatThrownBy(() -> KMeans.fit(List.of(new float[] {1}), 1, 1, 0))
                .hasMessageContaining("maxIterations must be 1");
    }

    private static void assertMeanCentroidsAndNoEmptyCluster(List<float[]> points, Clustering clustering) {
        int dimension = points.get(0).length;
        for (int c = 0; c < clustering.k(); c++) {
            int[] members = clustering.members(c);
            assertThat(members).as("members of cluster %d", c).isNotEmpty();
            double[] mean = new double[dimension];
            for (int member : members) {
                for (int d = 0; d < dimension; d++) {
                    mean[d] += points.get(member)[d];
                }
            }
            for (int d = 0; d < dimension; d++) {
                assertThat(clustering.centroid(c)[d]).as("centroid %d dimension %d", c, d)
                        .isCloseTo(mean[d] / members.length, offset(1e-9));
            }
        }
    }
}
