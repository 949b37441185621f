package dev.tuneladder.core.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Passes bytes to another stream while counting them and computing their SHA-256 digest, so that a
 * {@link BlobStore} can return a {@link StoredObject} without reading the object back.
 *
 * <p>{@link #close()} flushes but leaves the target open: a {@link BlobWriter} may close the stream it is given,
 * and the store still has to finish the object. Not thread-safe.
 */
public final class DigestingOutputStream extends OutputStream {

    private final OutputStream target;
    private final MessageDigest digest;
    private long bytes;

    public DigestingOutputStream(OutputStream target) {
        this.target = Objects.requireNonNull(target, "target");
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (java.security.MessageDigest's documented requirement).
            throw new IllegalStateException("this JVM has no SHA-256 MessageDigest", e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        target.write(b);
        digest.update((byte) b);
        bytes++;
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        target.write(buffer, offset, length);
        digest.update(buffer, offset, length);
        bytes += length;
    }

    @Override
    public void flush() throws IOException {
        target.flush();
    }

    /** Flushes the target and leaves it open. */
    @Override
    public void close() throws IOException {
        flush();
    }

    /** Returns the number of bytes written so far. */
    public long bytes() {
        return bytes;
    }

    /**
     * Returns the SHA-256 digest of the bytes written so far as lowercase hex, and resets the digest. Call it
     * once, after the last write.
     */
    public String finishSha256() {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Returns the {@link StoredObject} for the bytes written; see {@link #finishSha256()}. */
    public StoredObject storedObject(String key) {
        return new StoredObject(key, bytes, finishSha256());
    }
}
