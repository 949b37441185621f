package dev.tuneladder.aws.s3;

import java.util.Objects;

/**
 * The server-side encryption that {@link S3BlobStore} requests on every write.
 *
 * @param mode which encryption to request
 * @param kmsKeyId the KMS key id, alias or ARN for {@link Mode#SSE_KMS}; null for the other modes
 */
public record S3Encryption(Mode mode, String kmsKeyId) {

    /** The kinds of server-side encryption a write can request. */
    public enum Mode {
        /** Sends no encryption header, so the bucket's default encryption applies. */
        BUCKET_DEFAULT,
        /** SSE-S3: keys managed by S3 ({@code x-amz-server-side-encryption: AES256}). */
        SSE_S3,
        /** SSE-KMS with a customer-managed key ({@code aws:kms} and the key id). */
        SSE_KMS
    }

    public S3Encryption {
        Objects.requireNonNull(mode, "mode");
        if (mode == Mode.SSE_KMS) {
            if (kmsKeyId == null || kmsKeyId.isBlank()) {
                throw new IllegalArgumentException("SSE-KMS needs a KMS key id, alias or ARN, such as"
                        + " alias/tuneladder-data; got " + (kmsKeyId == null ? "none" : "a blank one"));
            }
        } else if (kmsKeyId != null) {
            throw new IllegalArgumentException("a KMS key id applies only to SSE-KMS, but the mode is " + mode
                    + ": use S3Encryption.sseKms(\"" + kmsKeyId + "\")");
        }
    }

    /** Returns the setting that leaves encryption to the bucket's default. */
    public static S3Encryption bucketDefault() {
        return new S3Encryption(Mode.BUCKET_DEFAULT, null);
    }

    /** Returns SSE-S3. */
    public static S3Encryption sseS3() {
        return new S3Encryption(Mode.SSE_S3, null);
    }

    /** Returns SSE-KMS with the given key id, alias or ARN. */
    public static S3Encryption sseKms(String kmsKeyId) {
        return new S3Encryption(Mode.SSE_KMS, kmsKeyId);
    }
}
