package dev.tuneladder.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneladder.core.storage.BlobNotFoundException;
import dev.tuneladder.core.storage.BlobStoreContract;
import dev.tuneladder.core.storage.BlobStoreException;
import dev.tuneladder.core.storage.StoredObject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.assertj.core.groups.Tuple;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/** S3-specific behaviour of {@link S3BlobStore}, against S3Proxy, checked through the requests the SDK sends. */
class S3BlobStoreTest {

    private static final int PART = S3BlobStoreSettings.MIN_PART_SIZE_BYTES;

    private static final S3BlobStoreSettings SETTINGS = S3BlobStoreSettings.forBucket(S3TestServer.BUCKET)
            .withKeyPrefix("tenant/")
            .withPartSizeBytes(PART)
            .withListPageSize(2);

    @RegisterExtension
    final S3ProxyExtension server = S3TestServer.extension();

    private final S3TestServer.RecordedRequests requests = new S3TestServer.RecordedRequests();
    private S3Client admin;
    private S3Client client;
    private S3BlobStore store;

    @BeforeEach
    void startStore() {
        admin = S3TestServer.adminClientWithBucket(server);
        client = S3TestServer.recordingClient(server, requests);
        store = new S3BlobStore(client, SETTINGS);
    }

    @AfterEach
    void closeClients() {
        store.close();
        client.close();
        admin.close();
    }

    @Test
    void write_elevenMebibytes_uploadsThreeParts() throws Exception {
        byte[] content = randomBytes(11 * 1024 * 1024);

        StoredObject stored = store.write("runs/r1/outputs/predictions.jsonl", new ByteArrayInputStream(content));

        assertThat(requests.of(CreateMultipartUploadRequest.class)).hasSize(1);
        assertThat(requests.of(UploadPartRequest.class))
                .extracting(UploadPartRequest::partNumber, UploadPartRequest::contentLength)
                .containsExactly(
                        Tuple.tuple(1, (long) PART),
                        Tuple.tuple(2, (long) PART),
                        Tuple.tuple(3, (long) content.length - 2L * PART));
        assertThat(requests.of(CompleteMultipartUploadRequest.class).get(0).multipartUpload().parts()).hasSize(3);
        assertThat(requests.of(PutObjectRequest.class)).isEmpty();
        HeadObjectResponse head = admin.headObject(request -> request.bucket(S3TestServer.BUCKET)
                .key("tenant/runs/r1/outputs/predictions.jsonl"));
        // A multipart object's ETag ends in "-" and its part count.
        assertThat(head.eTag()).endsWith("-3\"");
        assertThat(head.contentLength()).isEqualTo(content.length);
        assertThat(head.contentType()).isEqualTo("application/x-ndjson");
        assertThat(stored.sha256()).isEqualTo(sha256(content));
        try (InputStream input = store.open("runs/r1/outputs/predictions.jsonl")) {
            assertThat(input.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void write_exactlyOnePart_usesSinglePut() {
        store.write("one-part.bin", new ByteArrayInputStream(randomBytes(PART)));

        assertThat(requests.of(PutObjectRequest.class)).singleElement()
                .extracting(PutObjectRequest::contentLength).isEqualTo((long) PART);
        assertThat(requests.of(CreateMultipartUploadRequest.class)).isEmpty();
        assertThat(store.size("one-part.bin")).hasValue(PART);
    }

    @Test
    void write_onePartAndOneByte_uploadsShortLastPart() {
        store.write("two-parts.bin", new ByteArrayInputStream(randomBytes(PART + 1)));

        assertThat(requests.of(UploadPartRequest.class)).extracting(UploadPartRequest::contentLength)
                .containsExactly((long) PART, 1L);
        assertThat(store.size("two-parts.bin")).hasValue(PART + 1);
    }

    @Test
    void write_inputFailsAfterTwoParts_abortsUpload() {
        byte[] content = randomBytes(12 * 1024 * 1024);
        long failAt = 2L * PART + 100;

        assertThatThrownBy(() -> store.write("runs/r1/big.jsonl",
                new BlobStoreContract.FailingInputStream(content, failAt)))
                .isInstanceOf(BlobStoreException.class)
                .hasMessageContaining("s3://tuneladder-test/tenant/runs/r1/big.jsonl")
                .hasMessageContaining("after " + failAt + " bytes");

        assertThat(requests.of(UploadPartRequest.class)).hasSize(2);
        assertThat(requests.of(AbortMultipartUploadRequest.class)).singleElement()
                .extracting(AbortMultipartUploadRequest::uploadId)
                .isEqualTo(uploadIdOfFirstPart());
        assertThat(requests.of(CompleteMultipartUploadRequest.class)).isEmpty();
        assertThatThrownBy(() -> admin.headObject(request -> request.bucket(S3TestServer.BUCKET)
                .key("tenant/runs/r1/big.jsonl"))).isInstanceOf(NoSuchKeyException.class);
        assertThat(admin.listMultipartUploads(request -> request.bucket(S3TestServer.BUCKET)).uploads()).isEmpty();
    }

    @Test
    void write_writerThrowsAfterOnePart_abortsUpload() {
        IllegalStateException failure = new IllegalStateException("batch state is incomplete");

        assertThatThrownBy(() -> store.write("partial.bin", output -> {
            output.write(randomBytes(PART + 10));
            throw failure;
        })).isSameAs(failure);

        assertThat(requests.of(AbortMultipartUploadRequest.class)).hasSize(1);
        assertThat(admin.listMultipartUploads(request -> request.bucket(S3TestServer.BUCKET)).uploads()).isEmpty();
        assertThat(store.exists("partial.bin")).isFalse();
    }

    @Test
    void list_fiveKeysWithPageSizeTwo_sendsThreeRequests() {
        List<String> keys = IntStream.range(0, 5).mapToObj(i -> "batch/part-" + i + ".jsonl").toList();
        keys.forEach(key -> store.write(key, new byte[1]));
        requests.clear();

        List<String> listed;
        try (Stream<String> stream = store.list("batch/")) {
            listed = stream.toList();
        }

        assertThat(listed).containsExactlyElementsOf(keys);
        assertThat(requests.of(ListObjectsV2Request.class))
                .allSatisfy(request -> {
                    assertThat(request.maxKeys()).isEqualTo(2);
                    assertThat(request.prefix()).isEqualTo("tenant/batch/");
                })
                .hasSize(3);
    }

    @Test
    void list_firstKeyOnly_fetchesOnePage() {
        IntStream.range(0, 5).forEach(i -> store.write("batch/part-" + i, new byte[1]));
        requests.clear();

        try (Stream<String> stream = store.list("")) {
            assertThat(stream.findFirst()).contains("batch/part-0");
        }

        assertThat(requests.of(ListObjectsV2Request.class)).hasSize(1);
    }

    @Test
    void list_objectsOutsidePrefixAndFolderMarkers_areLeftOut() {
        admin.putObject(request -> request.bucket(S3TestServer.BUCKET).key("other/a.json"), RequestBody.empty());
        admin.putObject(request -> request.bucket(S3TestServer.BUCKET).key("tenant/runs/"), RequestBody.empty());
        admin.putObject(request -> request.bucket(S3TestServer.BUCKET).key("tenant/runs\\x.json"), RequestBody.empty());
        store.write("runs/r1.json", new byte[1]);

        try (Stream<String> keys = store.list("")) {
            assertThat(keys).containsExactly("runs/r1.json");
        }
    }

    @Test
    void write_keyPrefix_storesUnderPrefixedObjectKey() {
        store.write("runs/r1/config.json", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(admin.headObject(request -> request.bucket(S3TestServer.BUCKET).key("tenant/runs/r1/config.json"))
                .contentLength()).isEqualTo(2);
        assertThat(store.name()).isEqualTo("s3://tuneladder-test/tenant/");
        assertThat(store.location("runs/r1/config.json")).isEqualTo("s3://tuneladder-test/tenant/runs/r1/config.json");
    }

    @Test
    void write_bucketDefault_sendsNoEncryptionHeader() {
        store.write("small.json", new byte[10]);

        assertThat(requests.httpOf(PutObjectRequest.class)).singleElement()
                .satisfies(http -> assertThat(http.firstMatchingHeader("x-amz-server-side-encryption")).isEmpty());
    }

    @Test
    void anyCall_missingBucket_failsAsBackendError() {
        S3BlobStore missing = new S3BlobStore(client, S3BlobStoreSettings.forBucket("no-such-bucket"));

        assertThatThrownBy(() -> missing.write("a.json", new byte[1]))
                .isInstanceOf(BlobStoreException.class)
                .hasMessageContaining("failed to write s3://no-such-bucket/a.json")
                .hasMessageContaining("Check the bucket name");
        assertThatThrownBy(() -> missing.open("a.json"))
                .isInstanceOf(BlobStoreException.class)
                .isNotInstanceOf(BlobNotFoundException.class);
        Stream<String> listing = missing.list("");
        assertThatThrownBy(listing::toList)
                .isInstanceOf(BlobStoreException.class)
                .hasMessageContaining("failed to list s3://no-such-bucket/");
    }

    @Test
    void contentTypeOf_extension_mapsKnownTypes() {
        assertThat(S3Upload.contentTypeOf("runs/r1/report.html")).isEqualTo("text/html");
        assertThat(S3Upload.contentTypeOf("runs/r1/metrics.JSON")).isEqualTo("application/json");
        assertThat(S3Upload.contentTypeOf("runs/r1.d/noextension")).isEqualTo("application/octet-stream");
        assertThat(S3Upload.contentTypeOf("runs/.hidden")).isEqualTo("application/octet-stream");
        assertThat(S3Upload.contentTypeOf("data.parquet")).isEqualTo("application/octet-stream");
    }

    private String uploadIdOfFirstPart() {
        return requests.of(UploadPartRequest.class).get(0).uploadId();
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
