package dev.tuneladder.core.storage;

/**
 * Thrown when a {@link BlobStore} cannot complete a read, write, listing or delete. The message names the store,
 * the key and the cause; the cause is chained.
 */
public class BlobStoreException extends RuntimeException {

    public BlobStoreException(String message) {
        super(message);
    }

    public BlobStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
