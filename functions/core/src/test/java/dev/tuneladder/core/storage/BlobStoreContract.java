package dev.tuneladder.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.DatasetFormatException;
import dev.tuneladder.core.data.RejectedRow;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link BlobStore} shares. A subclass supplies an empty store per test; the tests here run
 * once for each implementation.
 */
public abstract class BlobStoreContract {

    private BlobStore store;

    /** Returns a new, empty store. The contract closes it after each test. */
    protected abstract BlobStore createStore() throws Exception;

    /**
     * Returns the length of the object in the large round trip. Stores that upload in parts return a length of
     * more than two parts, so that the round trip covers a multipart upload with a short last part.
     */
    protected int largeObjectBytes() {
        return 3 * 1024 * 1024 + 17;
    }

    @BeforeEach
    void openStore() throws Exception {
        store = createStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** Returns the store under test. */
    protected BlobStore store() {
        return store;
    }

    @Test
    void write_smallObject_readsBackSameBytes() throws IOException {
        byte[] content = "{\"id\":\"a\"}\n".getBytes(StandardCharsets.UTF_8);

        StoredObject stored = store.write("datasets/small.jsonl", content);

        assertThat(stored.key()).isEqualTo("datasets/small.jsonl");
        assertThat(stored.bytes()).isEqualTo(content.length);
        try (InputStream input = store.open("datasets/small.jsonl")) {
            assertThat(input.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void write_emptyObject_storesZeroBytes() {
        StoredObject stored = store.write("empty.txt", new byte[0]);

        assertThat(stored.bytes()).isZero();
        assertThat(stored.sha256()).isEqualTo(sha256(new byte[0]));
        assertThat(store.size("empty.txt")).hasValue(0);
        assertThat(store.readAllBytes("empty.txt")).isEmpty();
    }

    @Test
    void write_largeObject_readsBackSameBytesAndChecksum() throws IOException {
        byte[] content = randomBytes(largeObjectBytes(), 7);

        StoredObject stored = store.write("runs/r1/outputs/predictions.jsonl", new ByteArrayInputStream(content));

        assertThat(stored.bytes()).isEqualTo(content.length);
        assertThat(stored.sha256()).isEqualTo(sha256(content));
        assertThat(store.size("runs/r1/outputs/predictions.jsonl")).hasValue(content.length);
        try (InputStream input = store.open("runs/r1/outputs/predictions.jsonl")) {
            assertThat(input.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void write_checksum_equalsIndependentSha256() {
        byte[] content = randomBytes(10_000, 3);

        StoredObject stored = store.write("a.bin", content);

        assertThat(stored.sha256()).isEqualTo(sha256(content));
        // SHA-256 of "abc" from FIPS 180-2, appendix B.1.
        assertThat(store.write("abc.txt", "abc".getBytes(StandardCharsets.US_ASCII)).sha256())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void write_existingKey_replacesObject() {
        store.write("config.json", "{\"v\":1}".getBytes(StandardCharsets.UTF_8));

        store.write("config.json", "{\"v\":22}".getBytes(StandardCharsets.UTF_8));

        assertThat(new String(store.readAllBytes("config.json"), StandardCharsets.UTF_8)).isEqualTo("{\"v\":22}");
        assertThat(store.size("config.json")).hasValue(8);
    }

    @Test
    void write_writerClosesStream_stillCompletesObject() throws IOException {
        StoredObject stored = store.write("report.json.gz", output -> {
            try (GZIPOutputStream gzip = new GZIPOutputStream(output)) {
                gzip.write("{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
            }
        });

        assertThat(stored.bytes()).isPositive();
        try (InputStream input = new GZIPInputStream(store.open("report.json.gz"))) {
            assertThat(new String(input.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
        }
    }

    @Test
    void write_contentFailsPartWay_leavesNoObject() {
        InputStream failing = new FailingInputStream(randomBytes(4096, 1), 1000);

        assertThatThrownBy(() -> store.write("runs/r1/metrics.json", failing))
                .isInstanceOf(BlobStoreException.class)
                .hasMessageContaining(store.location("runs/r1/metrics.json"))
                .hasRootCauseMessage(FailingInputStream.MESSAGE);

        assertThat(store.exists("runs/r1/metrics.json")).isFalse();
        try (Stream<String> keys = store.list("")) {
            assertThat(keys).isEmpty();
        }
    }

    @Test
    void write_contentFailsPartWay_keepsPreviousObject() {
        store.write("runs/r1/metrics.json", "old".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> store.write("runs/r1/metrics.json", new FailingInputStream(new byte[100], 50)))
                .isInstanceOf(BlobStoreException.class);

        assertThat(store.readAllBytes("runs/r1/metrics.json")).isEqualTo("old".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void write_writerThrows_rethrowsAndStoresNothing() {
        IllegalStateException failure = new IllegalStateException("metrics state is not finished");

        assertThatThrownBy(() -> store.write("x.json", output -> {
            output.write(new byte[10]);
            throw failure;
        })).isSameAs(failure);

        assertThat(store.exists("x.json")).isFalse();
    }

    @Test
    void write_keyWithSpacesAndNonAscii_roundTrips() {
        String key = "datasets/Müşteri verisi/şube 1 (İzmir).jsonl";

        store.write(key, "x".getBytes(StandardCharsets.UTF_8));

        assertThat(store.readAllBytes(key)).isEqualTo("x".getBytes(StandardCharsets.UTF_8));
        try (Stream<String> keys = store.list("datasets/")) {
            assertThat(keys).containsExactly(key);
        }
    }

    @Test
    void open_missingKey_throwsNotFound() {
        store.write("runs/r1/config.json", new byte[1]);

        assertThatThrownBy(() -> store.open("runs/r1/metrics.json"))
                .isInstanceOfSatisfying(BlobNotFoundException.class, e -> {
                    assertThat(e.key()).isEqualTo("runs/r1/metrics.json");
                    assertThat(e.store()).isEqualTo(store.name());
                })
                .hasMessageContaining("runs/r1/metrics.json")
                .hasMessageContaining(store.name());
    }

    @Test
    void open_keyThatIsOnlyAPrefix_throwsNotFound() {
        store.write("runs/r1/config.json", new byte[1]);

        assertThatThrownBy(() -> store.open("runs/r1")).isInstanceOf(BlobNotFoundException.class);
        assertThat(store.exists("runs/r1")).isFalse();
        assertThat(store.size("runs")).isEmpty();
    }

    @Test
    void readAllBytes_missingKey_throwsNotFound() {
        assertThatThrownBy(() -> store.readAllBytes("absent.json")).isInstanceOf(BlobNotFoundException.class);
    }

    @Test
    void size_existingAndMissingKeys_returnsLengthOrEmpty() {
        store.write("a/b.txt", new byte[123]);

        assertThat(store.size("a/b.txt")).hasValue(123);
        assertThat(store.exists("a/b.txt")).isTrue();
        assertThat(store.size("a/c.txt")).isEmpty();
        assertThat(store.exists("a/c.txt")).isFalse();
    }

    @Test
    void list_prefix_returnsMatchingKeysInUtf8Order() {
        List<String> keys = List.of("runs/r1/b.json", "runs/r10/a.json", "other/q.json", "runs/r1/a.json",
                "runs/r1-x/c.json", "runs/r2/z.json");
        keys.forEach(key -> store.write(key, new byte[1]));

        // '-' (0x2D) sorts before '/' (0x2F), which sorts before '0' (0x30).
        assertThat(list("runs/r1")).containsExactly("runs/r1-x/c.json", "runs/r1/a.json", "runs/r1/b.json",
                "runs/r10/a.json");
        assertThat(list("runs/r1/")).containsExactly("runs/r1/a.json", "runs/r1/b.json");
        assertThat(list("")).containsExactly("other/q.json", "runs/r1-x/c.json", "runs/r1/a.json",
                "runs/r1/b.json", "runs/r10/a.json", "runs/r2/z.json");
        assertThat(list("runs/r3/")).isEmpty();
        assertThat(list("runs/r1/a.json")).containsExactly("runs/r1/a.json");
    }

    @Test
    void list_moreKeysThanOnePage_returnsAllKeys() {
        List<String> keys = IntStream.range(0, 5).mapToObj(i -> "batch/part-" + i + ".jsonl").toList();
        keys.forEach(key -> store.write(key, new byte[] {(byte) 1}));

        assertThat(list("batch/")).containsExactlyElementsOf(keys);
    }

    @Test
    void list_invalidPrefix_throwsNamingPrefix() {
        assertThatThrownBy(() -> store.list("/runs"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'/runs'");
        assertThatThrownBy(() -> store.list("runs//r1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty segment");
    }

    @Test
    void delete_existingKey_removesOnlyThatObject() {
        store.write("runs/r1/a.json", new byte[1]);
        store.write("runs/r1/b.json", new byte[1]);

        store.delete("runs/r1/a.json");

        assertThat(store.exists("runs/r1/a.json")).isFalse();
        assertThatThrownBy(() -> store.open("runs/r1/a.json")).isInstanceOf(BlobNotFoundException.class);
        assertThat(list("")).containsExactly("runs/r1/b.json");
    }

    @Test
    void delete_lastKeyUnderPrefix_allowsObjectWithPrefixName() {
        store.write("runs/r1/a.json", new byte[1]);

        store.delete("runs/r1/a.json");
        store.write("runs/r1", new byte[2]);

        assertThat(list("")).containsExactly("runs/r1");
    }

    @Test
    void delete_missingKey_doesNothing() {
        store.delete("never/written.json");

        assertThat(store.exists("never/written.json")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/runs/a.json", "runs/", "runs//a.json", "../a.json", "runs/../a.json",
            "runs/./a.json", "runs\\a.json", "runs/a\u0000.json", "runs/a\n.json"})
    void everyMethod_invalidKey_throwsIllegalArgument(String key) {
        assertInvalid(key, k -> store.open(k));
        assertInvalid(key, k -> store.write(k, new byte[1]));
        assertInvalid(key, k -> store.size(k));
        assertInvalid(key, k -> store.exists(k));
        assertInvalid(key, k -> store.delete(k));
        try (Stream<String> keys = store.list("")) {
            assertThat(keys).isEmpty();
        }
    }

    @Test
    void writeJsonLines_rows_readBackEqual() {
        List<Row> rows = List.of(new Row("a", 1), new Row("b", 2), new Row("ç", 3));

        StoredObject stored = store.writeJsonLines("rows.jsonl", rows);

        byte[] bytes = store.readAllBytes("rows.jsonl");
        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":\"a\",\"n\":1}\n{\"id\":\"b\",\"n\":2}\n{\"id\":\"ç\",\"n\":3}\n");
        assertThat(stored.sha256()).isEqualTo(sha256(bytes));
        assertThat(store.readJsonLines("rows.jsonl", Row.class, BadRows.strict())).isEqualTo(rows);
    }

    @Test
    void readJsonLines_badRow_goesToBadRowsWithLocation() {
        store.write("rows.jsonl", "{\"id\":\"a\",\"n\":1}\n{\"id\":\"b\",\"n\":\n{\"id\":\"c\",\"n\":3}\n"
                .getBytes(StandardCharsets.UTF_8));
        BadRows badRows = new BadRows(1);

        List<Row> rows = store.readJsonLines("rows.jsonl", Row.class, badRows);

        assertThat(rows).containsExactly(new Row("a", 1), new Row("c", 3));
        assertThat(badRows.rejected()).hasSize(1);
        RejectedRow rejected = badRows.rejected().get(0);
        assertThat(rejected.source()).isEqualTo(store.location("rows.jsonl"));
        assertThat(rejected.line()).isEqualTo(2);
    }

    @Test
    void readJsonLines_strictBadRow_throws() {
        store.write("rows.jsonl", "{\"id\":\"a\",\"n\":1}\nnot json\n".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> store.readJsonLines("rows.jsonl", Row.class, BadRows.strict()))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(store.location("rows.jsonl"))
                .hasMessageContaining("2");
    }

    @Test
    void readJsonLines_parser_receivesEachLine() {
        store.write("ids.jsonl", "{\"id\":\"a\"}\n\n{\"id\":\"b\"}\n".getBytes(StandardCharsets.UTF_8));

        List<String> ids = store.readJsonLines("ids.jsonl",
                line -> line.substring(line.indexOf(':') + 2, line.length() - 2), BadRows.strict());

        assertThat(ids).containsExactly("a", "b");
    }

    @Test
    void readJsonLines_invalidUtf8_throwsUncheckedIo() {
        store.write("rows.jsonl", new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, '"', '}', '\n'});

        assertThatThrownBy(() -> store.readJsonLines("rows.jsonl", Row.class, new BadRows(5)))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(store.location("rows.jsonl"));
    }

    @Test
    void readJsonLines_missingKey_throwsNotFound() {
        assertThatThrownBy(() -> store.readJsonLines("absent.jsonl", Row.class, BadRows.strict()))
                .isInstanceOf(BlobNotFoundException.class);
    }

    @Test
    void location_key_startsWithNameAndEndsWithFileName() {
        assertThat(store.location("runs/r1/metrics.json")).startsWith(store.name()).endsWith("metrics.json");
    }

    @Test
    protected void list_charactersBeyondBmp_sortsInUtf8Order() {
        String halfwidth = "k/\uFF61.json";
        String emoji = "k/\uD83D\uDE00.json";
        store.write(emoji, new byte[1]);
        store.write(halfwidth, new byte[1]);

        assertThat(list("k/")).containsExactly(halfwidth, emoji);
    }

    /** A JSON Lines row for the tests. */
    public record Row(String id, int n) {
    }

    /** Returns the listing of {@code prefix} as a list, closing the stream. */
    protected List<String> list(String prefix) {
        try (Stream<String> keys = store.list(prefix)) {
            return keys.toList();
        }
    }

    /** Returns {@code length} bytes from a seeded generator. */
    protected static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Returns the SHA-256 of {@code bytes} as lowercase hex, computed without the store's code. */
    protected static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertInvalid(String key, Consumer<String> call) {
        assertThatThrownBy(() -> call.accept(key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid key");
    }

    /** Returns the bytes it was given up to {@code failAt}, then throws, as a dropped upload connection would. */
    public static final class FailingInputStream extends InputStream {

        /** The message of the exception thrown at the failure offset. */
        public static final String MESSAGE = "connection reset by the test at the failure offset";

        private final byte[] bytes;
        private final long failAt;
        private int position;

        public FailingInputStream(byte[] bytes, long failAt) {
            this.bytes = bytes;
            this.failAt = failAt;
        }

        @Override
        public int read() throws IOException {
            if (position >= failAt) {
                throw new IOException(MESSAGE);
            }
            return position < bytes.length ? bytes[position++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (position >= failAt) {
                throw new IOException(MESSAGE);
            }
            int count = (int) Math.min(length, Math.min(failAt - position, bytes.length - position));
            if (count <= 0) {
                return -1;
            }
            System.arraycopy(bytes, position, buffer, offset, count);
            position += count;
            return count;
        }
    }
}
