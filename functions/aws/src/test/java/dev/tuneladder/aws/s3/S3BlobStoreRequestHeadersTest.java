package dev.tuneladder.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Requests whose headers S3Proxy 2.6.0 rejects as not implemented unless configured to ignore unknown headers: the
 * server-side encryption headers, and the {@code x-amz-checksum-mode} that the SDK's default client adds to
 * GetObject. The headers are checked as the SDK sends them; the server only has to accept the calls.
 */
class S3BlobStoreRequestHeadersTest {

    private static final int PART = S3BlobStoreSettings.MIN_PART_SIZE_BYTES;

    private static final S3BlobStoreSettings SETTINGS = S3BlobStoreSettings.forBucket(S3TestServer.BUCKET)
            .withKeyPrefix("tenant/")
            .withPartSizeBytes(PART);

    @RegisterExtension
    final S3ProxyExtension server = S3TestServer.extensionIgnoringUnknownHeaders();

    private final S3TestServer.RecordedRequests requests = new S3TestServer.RecordedRequests();
    private S3Client admin;
    private S3Client client;

    @BeforeEach
    void startClients() {
        admin = S3TestServer.adminClientWithBucket(server);
        client = S3TestServer.recordingClient(server, requests);
    }

    @AfterEach
    void closeClients() {
        client.close();
        admin.close();
    }

    @Test
    void write_sseKms_sendsKmsHeaders() {
        S3BlobStore encrypted = new S3BlobStore(client, SETTINGS.withEncryption(S3Encryption.sseKms("alias/tuneladder")));

        encrypted.write("small.json", new byte[10]);
        encrypted.write("large.bin", new ByteArrayInputStream(randomBytes(PART + 1)));

        for (SdkHttpRequest http : httpRequestsThatStartObjects()) {
            assertThat(http.firstMatchingHeader("x-amz-server-side-encryption")).contains("aws:kms");
            assertThat(http.firstMatchingHeader("x-amz-server-side-encryption-aws-kms-key-id"))
                    .contains("alias/tuneladder");
        }
        assertThat(httpRequestsThatStartObjects()).hasSize(2);
    }

    @Test
    void write_sseS3_sendsAes256Header() {
        S3BlobStore encrypted = new S3BlobStore(client, SETTINGS.withEncryption(S3Encryption.sseS3()));

        encrypted.write("small.json", new byte[10]);
        encrypted.write("large.bin", new ByteArrayInputStream(randomBytes(PART + 1)));

        for (SdkHttpRequest http : httpRequestsThatStartObjects()) {
            assertThat(http.firstMatchingHeader("x-amz-server-side-encryption")).contains("AES256");
            assertThat(http.firstMatchingHeader("x-amz-server-side-encryption-aws-kms-key-id")).isEmpty();
        }
        assertThat(httpRequestsThatStartObjects()).hasSize(2);
    }

    /** Uses the production client configuration, SDK default checksums included, for everything but writes. */
    @Test
    void create_endpointOverride_usesPathStyle() {
        admin.putObject(request -> request.bucket(S3TestServer.BUCKET).key("tenant/seeded.json"),
                RequestBody.fromString("{\"seeded\":true}"));

        try (S3BlobStore created = S3BlobStore.create(S3TestServer.factory(server), SETTINGS)) {
            assertThat(created.readAllBytes("seeded.json")).hasSize(15);
            assertThat(created.size("seeded.json")).hasValue(15);
            try (Stream<String> keys = created.list("")) {
                assertThat(keys).containsExactly("seeded.json");
            }
            created.delete("seeded.json");
            assertThat(created.exists("seeded.json")).isFalse();
        }
    }

    private List<SdkHttpRequest> httpRequestsThatStartObjects() {
        return Stream.concat(requests.httpOf(PutObjectRequest.class).stream(),
                requests.httpOf(CreateMultipartUploadRequest.class).stream()).toList();
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }
}
