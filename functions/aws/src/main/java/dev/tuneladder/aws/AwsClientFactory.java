package dev.tuneladder.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * Builds synchronous AWS SDK clients that share one region, endpoint, credentials provider and HTTP settings.
 *
 * <p>Every client makes exactly one attempt per call: the SDK's retry strategy is {@code doNotRetry}, and the SDK
 * builds its Apache HTTP client with automatic retries disabled (checked in apache-client 2.40.2). Retries, backoff and concurrency
 * limits belong to the caller's resilience layer, so that one place decides how often a request is sent.
 *
 * <p>The caller owns each client it builds and closes it when done.
 *
 * @param region the AWS Region the clients sign for and, without an endpoint override, send to
 * @param endpointOverride the base URL to send to instead of the Region's endpoint (a loopback stub in tests);
 *     null for the Region's endpoint
 * @param credentials the credentials provider; {@link #forRegion} uses the SDK's default chain
 * @param connectTimeout the limit for opening a TCP connection
 * @param callTimeout the limit for one whole API call, from sending the request to reading the last byte of the
 *     response; model calls that generate long outputs need minutes
 * @param maxConnections the size of each client's HTTP connection pool, which caps its concurrent calls
 */
public record AwsClientFactory(
        Region region,
        URI endpointOverride,
        AwsCredentialsProvider credentials,
        Duration connectTimeout,
        Duration callTimeout,
        int maxConnections) {

    /** Connect timeout when none is given: 10 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** Call timeout when none is given: 5 minutes, enough for a model to generate a few thousand tokens. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofMinutes(5);

    /** Connection pool size when none is given; the SDK's Apache client defaults to 50 as well. */
    public static final int DEFAULT_MAX_CONNECTIONS = 50;

    public AwsClientFactory {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(callTimeout, "callTimeout");
        if (endpointOverride != null) {
            String scheme = endpointOverride.getScheme() == null ? "" : endpointOverride.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || endpointOverride.getHost() == null) {
                throw new IllegalArgumentException("endpointOverride '" + endpointOverride
                        + "' is not an absolute http or https URL: give one such as https://bedrock-runtime.us-east-1.amazonaws.com");
            }
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, got " + connectTimeout);
        }
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("callTimeout must be positive, got " + callTimeout);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
        }
    }

    /**
     * Returns a factory for the Region's public endpoints with the SDK's default credentials chain (environment
     * variables, system properties, profile files, container and instance roles) and the default limits.
     *
     * @param region a Region id such as {@code us-east-1}
     */
    public static AwsClientFactory forRegion(String region) {
        Objects.requireNonNull(region, "region");
        if (region.isBlank()) {
            throw new IllegalArgumentException("region is blank: give a Region id such as us-east-1");
        }
        return new AwsClientFactory(Region.of(region), null, DefaultCredentialsProvider.builder().build(),
                DEFAULT_CONNECT_TIMEOUT, DEFAULT_CALL_TIMEOUT, DEFAULT_MAX_CONNECTIONS);
    }

    /** Returns a copy that sends to the given base URL instead of the Region's endpoint. */
    public AwsClientFactory withEndpointOverride(URI endpoint) {
        return new AwsClientFactory(region, endpoint, credentials, connectTimeout, callTimeout, maxConnections);
    }

    /** Returns a copy with the given credentials provider. */
    public AwsClientFactory withCredentials(AwsCredentialsProvider provider) {
        return new AwsClientFactory(region, endpointOverride, provider, connectTimeout, callTimeout, maxConnections);
    }

    /** Returns a copy with the given call timeout. */
    public AwsClientFactory withCallTimeout(Duration timeout) {
        return new AwsClientFactory(region, endpointOverride, credentials, connectTimeout, timeout, maxConnections);
    }

    /** Builds a Bedrock Runtime client (Converse, InvokeModel). */
    public BedrockRuntimeClient bedrockRuntime() {
        return configure(BedrockRuntimeClient.builder()).build();
    }

    /**
     * Applies this factory's settings to any synchronous SDK client builder, so that clients of other services
     * share the same region, endpoint, credentials, timeouts and single-attempt policy.
     */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder) {
        builder.region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(connectTimeout)
                        // The socket timeout bounds the wait between two bytes. It equals the call timeout, which
                        // bounds the whole call, so it cannot end a call that the call timeout would allow.
                        .socketTimeout(callTimeout)
                        .maxConnections(maxConnections))
                .overrideConfiguration(config -> config
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(callTimeout));
        if (endpointOverride != null) {
            builder.endpointOverride(endpointOverride);
        }
        return builder;
    }
}
