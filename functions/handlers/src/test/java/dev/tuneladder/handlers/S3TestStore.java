package dev.tuneladder.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneladder.aws.AwsClientFactory;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.aws.s3.S3BlobStoreSettings;
import dev.tuneladder.core.data.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** An in-memory S3-compatible server (S3Proxy) on 127.0.0.1 per test, a store over it, and a task invoker. */
final class S3TestStore {

    static final String BUCKET = "tuneladder-handlers-test";

    private static final String ACCESS_KEY = "test-access-key";
    private static final String SECRET_KEY = "test-secret-key";

    private S3TestStore() {
    }

    static S3ProxyExtension extension() {
        return S3ProxyExtension.builder().withCredentials(ACCESS_KEY, SECRET_KEY)
                .withBlobStoreProvider("transient").build();
    }

    /**
     * Returns a client that creates {@link #BUCKET}. S3Proxy does not decode the aws-chunked checksum trailers that
     * SDK 2.30 and later send by default, so the client sends checksums only where an operation requires one.
     */
    static S3Client clientWithBucket(S3ProxyExtension server) {
        AwsClientFactory factory = new AwsClientFactory(Region.US_EAST_1, server.getUri(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)),
                Duration.ofSeconds(2), Duration.ofSeconds(30), 8);
        S3Client client = S3BlobStore.clientBuilder(factory)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED).build();
        client.createBucket(request -> request.bucket(BUCKET));
        return client;
    }

    static S3BlobStore store(S3Client client) {
        return new S3BlobStore(client, S3BlobStoreSettings.forBucket(BUCKET));
    }

    /** Invokes a task handler as the Lambda runtime does, through its byte streams. */
    static JsonNode invoke(StepTaskHandler handler, JsonNode input, Context context) {
        try {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(Json.mapper().writeValueAsBytes(input)), output,
                    context);
            return Json.mapper().readTree(output.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode readJson(S3BlobStore store, String key) {
        try {
            return Json.mapper().readTree(store.readAllBytes(key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
