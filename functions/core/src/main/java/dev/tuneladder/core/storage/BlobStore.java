package dev.tuneladder.core.storage;

import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.DatasetFormatException;
import dev.tuneladder.core.data.JsonLines;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Objects (datasets, run outputs, reports) stored under keys, read and written as streams.
 *
 * <p>Keys follow {@link BlobKeys}: '/'-separated relative paths, the same on every OS and backend. Writes are
 * all or nothing: a reader sees the old object or the whole new one, and a write that fails leaves no partial
 * object behind. Implementations are safe for concurrent use by several threads; two concurrent writes to one
 * key leave one of the two objects.
 *
 * <p>Every method that takes a key or prefix throws {@link IllegalArgumentException} for an invalid one, and
 * {@link BlobStoreException} when the backend fails.
 */
public interface BlobStore extends AutoCloseable {

    /** Returns the store's name for messages and manifests, such as {@code s3://bucket/prefix/} or a folder path. */
    String name();

    /** Returns where {@code key} lives, such as {@code s3://bucket/prefix/runs/r1/metrics.json}. */
    String location(String key);

    /**
     * Opens the object for reading. The caller closes the stream; it reads from the backend as the caller reads,
     * so a large object is never held in memory.
     *
     * @throws BlobNotFoundException when no object has this key
     */
    InputStream open(String key);

    /**
     * Writes an object whose length need not be known in advance, replacing any object with this key. The store
     * computes the SHA-256 digest and length while the bytes pass through.
     *
     * @param content writes the bytes; when it throws, the store discards what it wrote and rethrows (an
     *     {@link IOException} wrapped in {@link BlobStoreException})
     * @return the key, length and SHA-256 digest of the stored object
     */
    StoredObject write(String key, BlobWriter content);

    /**
     * Lists the keys that start with {@code prefix}, in {@link BlobKeys#UTF8_ORDER} (the order S3 lists them in).
     * The prefix matches characters, not whole segments: {@code runs/r1} matches {@code runs/r10/x}. End it with
     * '/' to list one folder. Names in the backend that are not valid keys (S3 folder markers that end in '/', for
     * example) are left out. The caller closes the stream.
     *
     * @param prefix a {@link BlobKeys#requireValidPrefix valid prefix}; empty lists the whole store
     */
    Stream<String> list(String prefix);

    /** Returns the object's length in bytes, or empty when no object has this key. */
    OptionalLong size(String key);

    /** Deletes the object; deleting a key that names no object does nothing. */
    void delete(String key);

    /** Returns whether an object has this key. */
    default boolean exists(String key) {
        return size(key).isPresent();
    }

    /**
     * Writes the bytes that {@code content} returns until its end, replacing any object with this key. The caller
     * closes {@code content}. A read that fails part-way leaves no object.
     */
    default StoredObject write(String key, InputStream content) {
        return write(key, content::transferTo);
    }

    /** Writes a small object held in memory, such as a manifest. */
    default StoredObject write(String key, byte[] content) {
        return write(key, new ByteArrayInputStream(content));
    }

    /** Reads a whole object into memory; for small objects such as manifests and configs. */
    default byte[] readAllBytes(String key) {
        try (InputStream input = open(key)) {
            return input.readAllBytes();
        } catch (IOException e) {
            throw new BlobStoreException("failed to read " + location(key) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a JSON Lines object as rows of {@code type}, streaming it from the backend. Bad rows go to
     * {@code badRows} with {@link #location(String)} as their source, as {@link JsonLines#read} describes.
     *
     * @throws BlobNotFoundException when no object has this key
     * @throws DatasetFormatException when the object has no rows or more bad rows than {@code badRows} allows
     * @throws UncheckedIOException when the object is not valid UTF-8 or the read fails
     */
    default <T> List<T> readJsonLines(String key, Class<T> type, BadRows badRows) {
        try (Reader reader = utf8Reader(open(key))) {
            return JsonLines.read(reader, location(key), type, badRows);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to close " + location(key), e);
        }
    }

    /** Reads a JSON Lines object through {@code parser}; see {@link #readJsonLines(String, Class, BadRows)}. */
    default <T> List<T> readJsonLines(String key, JsonLines.LineParser<T> parser, BadRows badRows) {
        try (Reader reader = utf8Reader(open(key))) {
            return JsonLines.read(reader, location(key), parser, badRows);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to close " + location(key), e);
        }
    }

    /**
     * Writes {@code rows} as JSON Lines in UTF-8, one compact JSON value per line, pulling rows from the iterable
     * as it writes, so a lazy iterable is never held in memory whole.
     */
    default <T> StoredObject writeJsonLines(String key, Iterable<T> rows) {
        return write(key, output -> {
            Writer writer = new OutputStreamWriter(output, StandardCharsets.UTF_8);
            JsonLines.write(writer, rows);
        });
    }

    /** Releases the backend's resources; the store is unusable afterwards. Does nothing unless overridden. */
    @Override
    default void close() {
    }

    /**
     * Decodes strictly, so that bytes that are not UTF-8 fail the read instead of turning into U+FFFD in the
     * rows.
     */
    private static Reader utf8Reader(InputStream input) {
        return new InputStreamReader(input, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
    }
}
