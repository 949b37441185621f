package dev.tuneladder.core.sampling;

import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.embedding.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** Seeded synthetic unit vectors and labelled utterances for the sampler tests. */
final class SyntheticData {

    static final int DIMENSION = 32;

    private SyntheticData() {
    }

    /** Returns a uniformly random direction. */
    static float[] randomUnit(SplittableRandom random, int dimension) {
        float[] vector = new float[dimension];
        for (int d = 0; d < dimension; d++) {
            vector[d] = (float) random.nextGaussian();
        }
        return Vectors.normalized(vector);
    }

    /** Returns {@code center} plus Gaussian noise of standard deviation {@code noise} per coordinate, normalized. */
    static float[] around(float[] center, double noise, SplittableRandom random) {
        float[] vector = new float[center.length];
        for (int d = 0; d < center.length; d++) {
            vector[d] = (float) (center[d] + noise * random.nextGaussian());
        }
        return Vectors.normalized(vector);
    }

    /** Returns a unit vector whose cosine with the unit vector {@code vector} is {@code cosine}. */
    static float[] withCosine(float[] vector, double cosine, SplittableRandom random) {
        float[] other = randomUnit(random, vector.length);
        double projection = Vectors.dot(other, vector);
        float[] orthogonal = new float[vector.length];
        for (int d = 0; d < vector.length; d++) {
            orthogonal[d] = (float) (other[d] - projection * vector[d]);
        }
        orthogonal = Vectors.normalized(orthogonal);
        double sine = Math.sqrt(1 - cosine * cosine);
        float[] result = new float[vector.length];
        for (int d = 0; d < vector.length; d++) {
            result[d] = (float) (cosine * vector[d] + sine * orthogonal[d]);
        }
        return Vectors.normalized(result);
    }

    /**
     * A labelled dataset: per stratum, rows spread over three blobs, and after every {@code pairEvery}-th row a
     * planted near-duplicate (cosine 0.99, its own text). With {@code crossStratumCopies}, every 7th row of each
     * stratum after the first is followed by a copy of a row of the previous stratum: same text in other case and
     * spacing, same vector, its own stratum. Strata named {@code (none)} get rows without an intent.
     */
    static Dataset dataset(long seed, List<String> strata, List<Integer> sizes, int pairEvery,
            boolean crossStratumCopies) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Interaction> interactions = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        List<String[]> plantedPairs = new ArrayList<>();
        List<String[]> copies = new ArrayList<>();
        List<Integer> previousStratumRows = new ArrayList<>();

        for (int s = 0; s < strata.size(); s++) {
            String stratum = strata.get(s);
            String intent = Strata.MISSING.equals(stratum) ? null : stratum;
            float[][] centers = {randomUnit(random, DIMENSION), randomUnit(random, DIMENSION),
                    randomUnit(random, DIMENSION)};
            List<Integer> thisStratumRows = new ArrayList<>();
            for (int i = 0; i < sizes.get(s); i++) {
                String id = "s" + s + "-" + i;
                float[] vector = around(centers[i % 3], 0.15, random);
                thisStratumRows.add(interactions.size());
                interactions.add(Interaction.ofUtterance(id, "utterance " + id, intent));
                vectors.add(vector);

                if (pairEvery > 0 && i % pairEvery == 0) {
                    interactions.add(Interaction.ofUtterance(id + "-near", "near copy of " + id, intent));
                    vectors.add(withCosine(vector, 0.99, random));
                    plantedPairs.add(new String[] {id, id + "-near"});
                }
                if (crossStratumCopies && s > 0 && i % 7 == 0 && i / 7 < previousStratumRows.size()) {
                    int original = previousStratumRows.get(i / 7);
                    Interaction source = interactions.get(original);
                    String copyId = id + "-copy";
                    interactions.add(Interaction.ofUtterance(copyId,
                            "  " + source.lastUserText().toUpperCase(Locale.ROOT) + " ", intent));
                    vectors.add(vectors.get(original).clone());
                    copies.add(new String[] {source.id(), copyId});
                }
            }
            previousStratumRows = thisStratumRows;
        }
        return new Dataset(interactions, vectors, plantedPairs, copies);
    }

    /**
     * Rows with their vectors, in input order.
     *
     * @param plantedPairs ids of the near-duplicate pairs planted in one stratum
     * @param crossStratumCopies ids of the identical-text pairs planted across two strata
     */
    record Dataset(List<Interaction> interactions, List<float[]> vectors, List<String[]> plantedPairs,
            List<String[]> crossStratumCopies) {
    }
}
