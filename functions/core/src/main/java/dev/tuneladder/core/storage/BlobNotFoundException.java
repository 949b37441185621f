package dev.tuneladder.core.storage;

import java.util.Objects;

/** Thrown when a key names no object in a {@link BlobStore}. */
public class BlobNotFoundException extends BlobStoreException {

    private final String store;
    private final String key;

    /**
     * @param store the store's {@link BlobStore#name() name}
     * @param key the key that names no object
     */
    public BlobNotFoundException(String store, String key) {
        super("no object with key '" + key + "' in " + store
                + ": check the key, and that the step that writes it has run");
        this.store = Objects.requireNonNull(store, "store");
        this.key = Objects.requireNonNull(key, "key");
    }

    /** Returns the store's name, as {@link BlobStore#name()} returns it. */
    public String store() {
        return store;
    }

    public String key() {
        return key;
    }
}
