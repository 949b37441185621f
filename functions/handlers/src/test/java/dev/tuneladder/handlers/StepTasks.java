package dev.tuneladder.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.aws.AwsClientFactory;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.aws.s3.S3BlobStoreSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Invokes Step Functions task handlers as the Lambda runtime does, and an S3-compatible server for their store. */
final class StepTasks {

    static final String BUCKET = "tuneladder-test";

    static final String ACCESS_KEY = "test-access-key";
    static final String SECRET_KEY = "test-secret-key";

    private StepTasks() {
    }

    /** Sends {@code input} through the handler's stream interface and parses what it writes. */
    static JsonNode invoke(StepTaskHandler handler, JsonNode input) {
        try {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(input.toString().getBytes(StandardCharsets.UTF_8)),
                    output, TestSupport.context("req-task"));
            return StepTaskHandler.MAPPER.readTree(output.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns a copy of a test-events file that the test may change. */
    static ObjectNode event(String file) {
        return TestSupport.jsonEvent(file).deepCopy();
    }

    /** Returns the extension that starts S3Proxy in memory on 127.0.0.1 before each test. */
    static S3ProxyExtension s3() {
        return S3ProxyExtension.builder()
                .withCredentials(ACCESS_KEY, SECRET_KEY)
                .withBlobStoreProvider("transient")
                .build();
    }

    /**
     * Returns a client for the server, after creating {@link #BUCKET}. S3Proxy does not decode the aws-chunked
     * checksum trailers that SDK 2.30 and later send by default, so checksums go only where an operation needs one.
     */
    static S3Client s3Client(S3ProxyExtension server) {
        AwsClientFactory factory = new AwsClientFactory(Region.US_EAST_1, server.getUri(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)),
                Duration.ofSeconds(2), Duration.ofSeconds(30), 4);
        S3Client client = S3BlobStore.clientBuilder(factory)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .build();
        client.createBucket(request -> request.bucket(BUCKET));
        return client;
    }

    static S3BlobStore store(S3Client client) {
        return new S3BlobStore(client, S3BlobStoreSettings.forBucket(BUCKET));
    }
}
