package dev.tuneladder.aws.s3;

import dev.tuneladder.aws.AwsClientFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** An S3-compatible server (S3Proxy, in memory) on 127.0.0.1, started per test, and clients for it. */
final class S3TestServer {

    static final String BUCKET = "tuneladder-test";

    private static final String ACCESS_KEY = "test-access-key";
    private static final String SECRET_KEY = "test-secret-key";

    private S3TestServer() {
    }

    /** Returns the extension that starts S3Proxy with the in-memory "transient" backend before each test. */
    static S3ProxyExtension extension() {
        return S3ProxyExtension.builder()
                .withCredentials(ACCESS_KEY, SECRET_KEY)
                .withBlobStoreProvider("transient")
                .build();
    }

    /**
     * Returns an extension whose server ignores headers it does not implement, such as the server-side
     * encryption headers, instead of rejecting the request.
     */
    static S3ProxyExtension extensionIgnoringUnknownHeaders() {
        return S3ProxyExtension.builder()
                .withCredentials(ACCESS_KEY, SECRET_KEY)
                .withBlobStoreProvider("transient")
                .ignoreUnknownHeaders()
                .build();
    }

    /** Returns a factory for the server's loopback endpoint with its dummy credentials. */
    static AwsClientFactory factory(S3ProxyExtension server) {
        return new AwsClientFactory(Region.US_EAST_1, server.getUri(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)),
                Duration.ofSeconds(2), Duration.ofSeconds(30), 8);
    }

    /**
     * Returns the store's client builder with one change for S3Proxy. SDK 2.30 and later send a CRC32 of each
     * upload as an aws-chunked trailer by default. S3Proxy 2.6.0 does not decode such bodies and rejects them
     * with a content hash mismatch, so test clients send checksums only where an operation requires one.
     */
    static S3ClientBuilder clientBuilder(S3ProxyExtension server) {
        return S3BlobStore.clientBuilder(factory(server))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED);
    }

    /** Returns a client for setup and checks, and creates {@link #BUCKET}. */
    static S3Client adminClientWithBucket(S3ProxyExtension server) {
        S3Client client = clientBuilder(server).build();
        client.createBucket(request -> request.bucket(BUCKET));
        return client;
    }

    /** Returns a store client that records each request it sends. */
    static S3Client recordingClient(S3ProxyExtension server, RecordedRequests recorder) {
        S3ClientBuilder builder = clientBuilder(server);
        // The Consumer form of overrideConfiguration would replace the factory's settings; extend them instead.
        return builder.overrideConfiguration(builder.overrideConfiguration().toBuilder()
                        .addExecutionInterceptor(recorder)
                        .build())
                .build();
    }

    /** Records the SDK request and the HTTP request of every call, as sent. */
    static final class RecordedRequests implements ExecutionInterceptor {

        private final List<SdkRequest> requests = new ArrayList<>();
        private final List<SdkHttpRequest> httpRequests = new ArrayList<>();

        @Override
        public synchronized void beforeTransmission(Context.BeforeTransmission context,
                ExecutionAttributes attributes) {
            requests.add(context.request());
            httpRequests.add(context.httpRequest());
        }

        /** Returns the recorded requests of one type, in the order sent. */
        synchronized <T extends SdkRequest> List<T> of(Class<T> type) {
            return requests.stream().filter(type::isInstance).map(type::cast).toList();
        }

        /** Returns the HTTP requests sent for SDK requests of one type, in the order sent. */
        synchronized List<SdkHttpRequest> httpOf(Class<? extends SdkRequest> type) {
            List<SdkHttpRequest> matching = new ArrayList<>();
            for (int i = 0; i < requests.size(); i++) {
                if (type.isInstance(requests.get(i))) {
                    matching.add(httpRequests.get(i));
                }
            }
            return matching;
        }

        synchronized void clear() {
            requests.clear();
            httpRequests.clear();
        }
    }
}
