package dev.tuneladder.core.training;

/**
 * Whether a model takes text only or also images, which sets Custom Model Import's weight size limit: under 200 GB
 * for text models, under 100 GB for multimodal ones.
 */
public enum ModelModality {
    TEXT(200),
    MULTIMODAL(100);

    /** One GB as a decimal unit. The import guide writes "GB" without defining it, so the stricter reading is used. */
    public static final long BYTES_PER_GB = 1_000_000_000L;

    private final int weightLimitGb;

    ModelModality(int weightLimitGb) {
        this.weightLimitGb = weightLimitGb;
    }

    /** Returns the size the weights must stay under, in bytes. */
    public long weightLimitBytes() {
        return weightLimitGb * BYTES_PER_GB;
    }

    /** Returns the size the weights must stay under, in GB. */
    public int weightLimitGb() {
        return weightLimitGb;
    }
}
