package dev.tuneladder.core.storage;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An object as a {@link BlobStore} wrote it, for run manifests that record their inputs and outputs.
 *
 * @param key the object's key in its store
 * @param bytes the object's length in bytes
 * @param sha256 the SHA-256 digest of the object's bytes as 64 lowercase hex digits
 */
public record StoredObject(String key, long bytes, String sha256) {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public StoredObject {
        BlobKeys.requireValidKey(key);
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes of '" + key + "' must be 0 or more, got " + bytes);
        }
        Objects.requireNonNull(sha256, "sha256");
        if (!SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 of '" + key + "' must be 64 lowercase hex digits, got '"
                    + sha256 + "'");
        }
    }
}
