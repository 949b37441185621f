package dev.tuneladder.core.training;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Settings of the training-data export (the validation hold-out) and the limits that the exported files must meet
 * before a training job is started.
 *
 * @param validationFraction the share of examples held out as the validation channel, 0 (no validation file) to
 *     below 0.5
 * @param seed decides which examples are held out; the same seed and ids give the same split
 * @param minExamples the fewest training examples a job may start with, at least 1
 * @param maxExamples the most training examples a job may start with
 * @param maxExampleBytes the longest example line, in UTF-8 bytes
 * @param maxTotalBytes the most bytes of training and validation files together
 */
public record TrainingDataSettings(double validationFraction, long seed, int minExamples, int maxExamples,
        int maxExampleBytes, long maxTotalBytes) {

    // NOTE: the defaults are our choices, not SageMaker or PEFT limits, and were not tuned on real runs. The floor of
    // 32 examples stops a run on a nearly empty split. 1 MiB per line is far above a 1,024-token example (about
    // 4 KiB of English text), so only runaway rows fail. 10 GiB keeps the files well inside the default 100 GB
    // training volume beside the base and merged weights.
    public static final double DEFAULT_VALIDATION_FRACTION = 0.0;
    public static final long DEFAULT_SEED = 42L;
    public static final int DEFAULT_MIN_EXAMPLES = 32;
    public static final int DEFAULT_MAX_EXAMPLES = 1_000_000;
    public static final int DEFAULT_MAX_EXAMPLE_BYTES = 1 << 20;
    public static final long DEFAULT_MAX_TOTAL_BYTES = 10L << 30;

    public TrainingDataSettings {
        if (!(validationFraction >= 0 && validationFraction < 0.5)) {
            throw new IllegalArgumentException("validationFraction must be at least 0 and below 0.5, got "
                    + validationFraction + "; use 0 for no validation file or about 0.1 to hold out a tenth");
        }
        if (minExamples < 1) {
            throw new IllegalArgumentException("minExamples must be at least 1, got " + minExamples);
        }
        if (maxExamples < minExamples) {
            throw new IllegalArgumentException("maxExamples (" + maxExamples + ") must be at least minExamples ("
                    + minExamples + ")");
        }
        if (maxExampleBytes < 1) {
            throw new IllegalArgumentException("maxExampleBytes must be at least 1, got " + maxExampleBytes);
        }
        if (maxTotalBytes < 1) {
            throw new IllegalArgumentException("maxTotalBytes must be at least 1, got " + maxTotalBytes);
        }
    }

    /** Returns the settings with every default. */
    public static TrainingDataSettings defaults() {
        return new TrainingDataSettings(DEFAULT_VALIDATION_FRACTION, DEFAULT_SEED, DEFAULT_MIN_EXAMPLES,
                DEFAULT_MAX_EXAMPLES, DEFAULT_MAX_EXAMPLE_BYTES, DEFAULT_MAX_TOTAL_BYTES);
    }

    /** Returns whether a validation file is written. */
    public boolean holdsOutValidation() {
        return validationFraction > 0;
    }

    /**
     * Returns whether the example with this id goes to the validation file: the first 53 bits of the SHA-256 of
     * the seed and the id, read as a fraction in [0, 1), lie below {@link #validationFraction()}. The decision
     * depends on the id alone, so adding rows to the split moves no existing row between the files.
     */
    public boolean inValidation(String id) {
        if (!holdsOutValidation()) {
            return false;
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
            digest.update(id.getBytes(StandardCharsets.UTF_8));
            long bits = ByteBuffer.wrap(digest.digest()).getLong() >>> 11;
            return bits * 0x1.0p-53 < validationFraction;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
