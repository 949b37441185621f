package dev.tuneladder.aws.bedrock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tuneladder.aws.AwsClientFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * A loopback stand-in for the Bedrock Runtime REST API: a WireMock server on 127.0.0.1 and SDK clients pointed at
 * it with dummy credentials.
 */
final class BedrockStub {

    static final String ACCESS_KEY_ID = "AKIDTESTSTUB0000";

    static final ObjectMapper MAPPER = new ObjectMapper();

    private BedrockStub() {
    }

    static WireMockExtension server() {
        return WireMockExtension.newInstance()
                .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort())
                .build();
    }

    static AwsClientFactory factory(WireMockExtension server, Duration callTimeout) {
        return new AwsClientFactory(Region.US_EAST_1, URI.create("http://127.0.0.1:" + server.getPort()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, "dummy-secret-key")),
                Duration.ofSeconds(2), callTimeout, 8);
    }

    static BedrockRuntimeClient client(WireMockExtension server) {
        return factory(server, Duration.ofSeconds(10)).bedrockRuntime();
    }

    /** Returns a JSON success response with a request id header, as Bedrock sends it. */
    static ResponseDefinitionBuilder ok(String json) {
        return aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-RequestId", "req-ok-1")
                .withBody(json);
    }

    /**
     * Returns an error response in the REST JSON protocol shape: the status, the error type in {@code x-amzn-ErrorType}
     * (with the namespace suffix Bedrock adds) and a JSON body with a {@code message}.
     */
    static ResponseDefinitionBuilder awsError(int status, String errorType, String message) {
        return aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-RequestId", "req-err-1")
                .withHeader("x-amzn-ErrorType", errorType + ":http://internal.amazon.com/coral/com.amazon.bedrock/")
                .withBody("{\"message\":\"" + message + "\"}");
    }

    static JsonNode jsonBody(LoggedRequest request) {
        try {
            return MAPPER.readTree(request.getBodyAsString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
