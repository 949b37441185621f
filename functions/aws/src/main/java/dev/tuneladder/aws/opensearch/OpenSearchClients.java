package dev.tuneladder.aws.opensearch;

import dev.tuneladder.aws.AwsClientFactory;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.hc.core5.http.HttpHost;
import org.opensearch.client.json.JsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.transport.Endpoint;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.TransportOptions;
import org.opensearch.client.transport.aws.AwsSdk2Transport;
import org.opensearch.client.transport.aws.AwsSdk2TransportOptions;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;

/**
 * Builds {@link OpenSearchClient}s: unsigned over Apache HttpClient 5 for a local or self-hosted node, and signed
 * with AWS Signature Version 4 for Amazon OpenSearch Service domains and OpenSearch Serverless collections.
 *
 * <p>The caller closes a client with {@code client._transport().close()}, which also closes its HTTP connections.
 */
public final class OpenSearchClients {

    /** The AWS service name that requests are signed for; the credential scope of the signature carries it. */
    public enum SigningService {

        /** Amazon OpenSearch Service domains. */
        MANAGED_DOMAIN("es"),

        /** OpenSearch Serverless collections. */
        SERVERLESS("aoss");

        private final String signingName;

        SigningService(String signingName) {
            this.signingName = signingName;
        }

        /** Returns the service name in the signature's credential scope, {@code es} or {@code aoss}. */
        public String signingName() {
            return signingName;
        }
    }

    private OpenSearchClients() {
    }

    /**
     * Builds an unsigned client for a node such as {@code http://127.0.0.1:9200}.
     *
     * @throws IllegalArgumentException when the endpoint is not an absolute http or https URL with a host
     */
    public static OpenSearchClient unsigned(URI endpoint) {
        checkEndpoint(endpoint, false);
        HttpHost host = HttpHost.create(endpoint);
        return new OpenSearchClient(ApacheHttpClient5TransportBuilder.builder(host).build());
    }

    /**
     * Builds a client that signs every request for {@code service} with the factory's credentials and Region, and
     * sends it over an AWS SDK Apache HTTP client with the factory's timeouts and connection pool size.
     *
     * @param endpoint the domain or collection endpoint, such as
     *     {@code https://abc123.us-east-1.aoss.amazonaws.com}; the AWS SDK transport speaks only https
     * @throws IllegalArgumentException when the endpoint is not an https URL with a host
     */
    public static OpenSearchClient awsSigned(URI endpoint, SigningService service, AwsClientFactory aws) {
        Objects.requireNonNull(aws, "aws");
        checkEndpoint(endpoint, true);
        SdkHttpClient httpClient = ApacheHttpClient.builder()
                .connectionTimeout(aws.connectTimeout())
                .socketTimeout(aws.callTimeout())
                .maxConnections(aws.maxConnections())
                .build();
        return awsSigned(endpoint, service, aws, httpClient);
    }

    /**
     * Builds a signing client over the given HTTP client, which the returned client's transport closes.
     *
     * @see #awsSigned(URI, SigningService, AwsClientFactory)
     */
    public static OpenSearchClient awsSigned(URI endpoint, SigningService service, AwsClientFactory aws,
            SdkHttpClient httpClient) {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(aws, "aws");
        Objects.requireNonNull(httpClient, "httpClient");
        checkEndpoint(endpoint, true);
        AwsSdk2TransportOptions options = AwsSdk2TransportOptions.builder()
                .setCredentials(aws.credentials())
                .build();
        AwsSdk2Transport transport =
                new AwsSdk2Transport(httpClient, endpoint.getAuthority(), service.signingName(), aws.region(), options);
        return new OpenSearchClient(new HttpClientClosingTransport(transport, httpClient));
    }

    private static void checkEndpoint(URI endpoint, boolean httpsOnly) {
        Objects.requireNonNull(endpoint, "endpoint");
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        boolean schemeAllowed = scheme.equals("https") || !httpsOnly && scheme.equals("http");
        boolean bare = endpoint.getPath() == null || endpoint.getPath().isEmpty() || endpoint.getPath().equals("/");
        if (!schemeAllowed || endpoint.getHost() == null || !bare || endpoint.getQuery() != null) {
            throw new IllegalArgumentException("endpoint '" + endpoint + "' is not " + (httpsOnly ? "an https" : "an http or https")
                    + " URL of a host without a path: give one such as "
                    + (httpsOnly ? "https://abc123.us-east-1.aoss.amazonaws.com" : "http://127.0.0.1:9200"));
        }
    }

    /**
     * Closes the SDK HTTP client with the transport: {@link AwsSdk2Transport#close()} leaves the client it was given
     * open (opensearch-java 2.26.0).
     */
    private static final class HttpClientClosingTransport implements OpenSearchTransport {

        private final AwsSdk2Transport delegate;
        private final SdkHttpClient httpClient;

        HttpClientClosingTransport(AwsSdk2Transport delegate, SdkHttpClient httpClient) {
            this.delegate = delegate;
            this.httpClient = httpClient;
        }

        @Override
        public <RequestT, ResponseT, ErrorT> ResponseT performRequest(RequestT request,
                Endpoint<RequestT, ResponseT, ErrorT> endpoint, TransportOptions options) throws IOException {
            return delegate.performRequest(request, endpoint, options);
        }

        @Override
        public <RequestT, ResponseT, ErrorT> CompletableFuture<ResponseT> performRequestAsync(RequestT request,
                Endpoint<RequestT, ResponseT, ErrorT> endpoint, TransportOptions options) {
            return delegate.performRequestAsync(request, endpoint, options);
        }

        @Override
        public JsonpMapper jsonpMapper() {
            return delegate.jsonpMapper();
        }

        @Override
        public TransportOptions options() {
            return delegate.options();
        }

        @Override
        public void close() {
            try (SdkHttpClient client = httpClient) {
                delegate.close();
            }
        }
    }
}
