package dev.tuneladder.core.embedding;

/** Small vector helpers shared by the sampler, the router and the metrics. */
public final class Vectors {

    private Vectors() {
    }

    /** Returns the dot product; for L2-normalized vectors this is their cosine similarity. */
    public static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vector lengths differ: " + a.length + " and " + b.length);
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /** Returns the cosine similarity of two vectors of any length, 0 when either is the zero vector. */
    public static double cosine(float[] a, float[] b) {
        double dot = dot(a, b);
        double norms = Math.sqrt(dot(a, a)) * Math.sqrt(dot(b, b));
        return norms == 0 ? 0 : dot / norms;
    }

    /** Returns a copy scaled to unit L2 length, or a copy of the zero vector unchanged. */
    public static float[] normalized(float[] vector) {
        double norm = Math.sqrt(dot(vector, vector));
        float[] copy = vector.clone();
        if (norm == 0) {
            return copy;
        }
        for (int i = 0; i < copy.length; i++) {
            copy[i] = (float) (copy[i] / norm);
        }
        return copy;
    }
}
