package dev.tuneladder.aws.s3;

import dev.tuneladder.core.storage.BlobKeys;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where and how {@link S3BlobStore} stores objects.
 *
 * @param bucket the bucket name
 * @param keyPrefix prepended to every key, so that one bucket can hold several stores; empty, or a valid prefix
 *     that ends with '/', such as {@code tuneladder/}
 * @param encryption the server-side encryption requested on every write
 * @param partSizeBytes the size of each part of a multipart upload, and so of the one buffer a write keeps in
 *     memory; bodies up to this size go in one PutObject
 * @param listPageSize the keys requested per ListObjectsV2 call, 1 to 1000
 */
public record S3BlobStoreSettings(
        String bucket, String keyPrefix, S3Encryption encryption, int partSizeBytes, int listPageSize) {

    /** The minimum part size: S3 requires every part except the last to be at least 5 MiB. */
    public static final int MIN_PART_SIZE_BYTES = 5 * 1024 * 1024;

    /** The part size when none is given: 8 MiB, so an object of up to 78 GiB fits in S3's 10,000 parts. */
    public static final int DEFAULT_PART_SIZE_BYTES = 8 * 1024 * 1024;

    /** The maximum number of parts S3 accepts in one multipart upload. */
    public static final int MAX_PARTS = 10_000;

    /** The maximum keys S3 returns per ListObjectsV2 call, and the default page size. */
    public static final int MAX_LIST_PAGE_SIZE = 1000;

    // S3 general purpose bucket naming rules: 3 to 63 characters of lowercase letters, digits, '.' and '-',
    // beginning and ending with a letter or digit.
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public S3BlobStoreSettings {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(encryption, "encryption");
        if (!BUCKET_NAME.matcher(bucket).matches()) {
            throw new IllegalArgumentException("invalid bucket name '" + bucket + "': S3 bucket names are 3 to 63"
                    + " lowercase letters, digits, '.' and '-', beginning and ending with a letter or digit");
        }
        if (!keyPrefix.isEmpty()) {
            BlobKeys.requireValidPrefix(keyPrefix);
            if (!keyPrefix.endsWith("/")) {
                throw new IllegalArgumentException("key prefix '" + keyPrefix + "' must end with '/': use '"
                        + keyPrefix + "/'");
            }
        }
        if (partSizeBytes < MIN_PART_SIZE_BYTES) {
            throw new IllegalArgumentException("partSizeBytes must be at least " + MIN_PART_SIZE_BYTES
                    + " (5 MiB, the S3 minimum for every part but the last), got " + partSizeBytes);
        }
        if (listPageSize < 1 || listPageSize > MAX_LIST_PAGE_SIZE) {
            throw new IllegalArgumentException("listPageSize must be 1 to " + MAX_LIST_PAGE_SIZE + ", got "
                    + listPageSize);
        }
    }

    /** Returns settings for the whole bucket with the bucket's default encryption and the default sizes. */
    public static S3BlobStoreSettings forBucket(String bucket) {
        return new S3BlobStoreSettings(bucket, "", S3Encryption.bucketDefault(), DEFAULT_PART_SIZE_BYTES,
                MAX_LIST_PAGE_SIZE);
    }

    /** Returns a copy with the given key prefix. */
    public S3BlobStoreSettings withKeyPrefix(String prefix) {
        return new S3BlobStoreSettings(bucket, prefix, encryption, partSizeBytes, listPageSize);
    }

    /** Returns a copy with the given server-side encryption. */
    public S3BlobStoreSettings withEncryption(S3Encryption value) {
        return new S3BlobStoreSettings(bucket, keyPrefix, value, partSizeBytes, listPageSize);
    }

    /** Returns a copy with the given multipart part size in bytes. */
    public S3BlobStoreSettings withPartSizeBytes(int bytes) {
        return new S3BlobStoreSettings(bucket, keyPrefix, encryption, bytes, listPageSize);
    }

    /** Returns a copy with the given number of keys per listing call. */
    public S3BlobStoreSettings withListPageSize(int keys) {
        return new S3BlobStoreSettings(bucket, keyPrefix, encryption, partSizeBytes, keys);
    }

    /** Returns the largest object a write can store: {@link #MAX_PARTS} parts of {@link #partSizeBytes}. */
    public long maxObjectBytes() {
        return (long) partSizeBytes * MAX_PARTS;
    }
}
