package dev.tuneladder.core.storage;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes an object's content to the stream that a {@link BlobStore} passes in. The store completes the object
 * when this returns, and discards it when this throws.
 */
@FunctionalInterface
public interface BlobWriter {

    /**
     * Writes the content. Closing {@code output} is allowed and does not complete the object, so wrappers that
     * must be closed to finish their output (a GZIP stream) can be closed here.
     */
    void writeTo(OutputStream output) throws IOException;
}
