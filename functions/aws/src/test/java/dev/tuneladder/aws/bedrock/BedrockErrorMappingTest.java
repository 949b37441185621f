package dev.tuneladder.aws.bedrock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tuneladder.core.model.ChatMessage;
import dev.tuneladder.core.model.ChatRequest;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.ModelCallException.Kind;
import dev.tuneladder.core.model.ModelClient;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelNotReadyException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * Error responses in the Bedrock REST JSON shape, sent to both model clients: the SDK must raise the modeled
 * exception class, the client must map it to the right kind, and the SDK must send exactly one request.
 */
class BedrockErrorMappingTest {

    private static final String IMPORTED_MODEL = "arn:aws:bedrock:us-east-1:123456789012:imported-model/k2x9qwen3";
    /** Delay of a slow stub response; WireMock journals a request only once its response is sent. */
    private static final int SLOW_RESPONSE_MILLIS = 1_000;

    private static final String PROMPT = "my card number is 4111 1111 1111 1111";

    @RegisterExtension
    static WireMockExtension server = BedrockStub.server();

    private BedrockRuntimeClient sdkClient;

    @AfterEach
    void closeClient() {
        if (sdkClient != null) {
            sdkClient.close();
        }
    }

    static Stream<Arguments> serviceErrors() {
        return Stream.of(
                Arguments.of(429, "ThrottlingException", ThrottlingException.class, Kind.THROTTLED),
                Arguments.of(429, "ModelNotReadyException", ModelNotReadyException.class, Kind.MODEL_NOT_READY),
                Arguments.of(500, "InternalServerException", InternalServerException.class, Kind.SERVER_ERROR),
                Arguments.of(503, "ServiceUnavailableException", ServiceUnavailableException.class,
                        Kind.SERVER_ERROR),
                Arguments.of(408, "ModelTimeoutException", ModelTimeoutException.class, Kind.TIMEOUT),
                Arguments.of(400, "ValidationException", ValidationException.class, Kind.CLIENT_ERROR),
                Arguments.of(403, "AccessDeniedException", AccessDeniedException.class, Kind.CLIENT_ERROR),
                Arguments.of(404, "ResourceNotFoundException", ResourceNotFoundException.class, Kind.CLIENT_ERROR),
                // Error types the SDK does not model fall back to the HTTP status.
                Arguments.of(502, "BadGatewayException", BedrockRuntimeException.class, Kind.SERVER_ERROR),
                Arguments.of(429, "TooManyRequestsException", BedrockRuntimeException.class, Kind.THROTTLED),
                Arguments.of(409, "SomethingNewException", BedrockRuntimeException.class, Kind.CLIENT_ERROR));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("serviceErrors")
    void converse_mapsServiceError(int status, String errorType, Class<? extends AwsServiceException> sdkClass,
            Kind kind) {
        assertServiceError(status, errorType, sdkClass, kind, BedrockConverseModelClient::new, "Converse");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("serviceErrors")
    void invokeChat_mapsServiceError(int status, String errorType, Class<? extends AwsServiceException> sdkClass,
            Kind kind) {
        assertServiceError(status, errorType, sdkClass, kind, BedrockInvokeChatModelClient::new, "InvokeModel");
    }

    @Test
    void converse_malformedBodyIsMalformedResponse() {
        server.stubFor(post(anyUrl()).willReturn(BedrockStub.ok("{\"output\": {\"message\": ")));

        ModelCallException error = callExpectingFailure(BedrockConverseModelClient::new, Duration.ofSeconds(10));

        assertThat(error.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
        assertThat(error.retryable()).isFalse();
        assertThat(error.getCause()).isInstanceOf(SdkClientException.class);
        assertThat(error.getMessage()).contains(IMPORTED_MODEL);
        assertThat(server.findAll(postRequestedFor(anyUrl()))).hasSize(1);
    }

    @Test
    void invokeChat_malformedBodyIsMalformedResponse() {
        server.stubFor(post(anyUrl()).willReturn(BedrockStub.ok("<html>502 Bad Gateway</html>")));

        ModelCallException error = callExpectingFailure(BedrockInvokeChatModelClient::new, Duration.ofSeconds(10));

        assertThat(error.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
        assertThat(error.getMessage()).contains(IMPORTED_MODEL).contains("req-ok-1").doesNotContain("html");
        assertThat(server.findAll(postRequestedFor(anyUrl()))).hasSize(1);
    }

    @Test
    void converse_errorStatusWithHtmlBodyUsesStatus() {
        server.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(502).withBody("<html>Bad Gateway</html>")));

        ModelCallException error = callExpectingFailure(BedrockConverseModelClient::new, Duration.ofSeconds(10));

        assertThat(error.kind()).isEqualTo(Kind.SERVER_ERROR);
        assertThat(error.statusCode()).isEqualTo(502);
        assertThat(server.findAll(postRequestedFor(anyUrl()))).hasSize(1);
    }

    @Test
    void converse_slowResponseIsTimeout() {
        server.stubFor(post(anyUrl()).willReturn(BedrockStub.ok(BedrockConverseModelClientTest.textResponse("late"))
                .withFixedDelay(SLOW_RESPONSE_MILLIS)));

        ModelCallException error = callExpectingFailure(BedrockConverseModelClient::new, Duration.ofMillis(200));

        assertThat(error.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(error.statusCode()).isZero();
        // The call timer and the socket read timeout are equal, so either may fire first.
        assertThat(error.getCause()).isInstanceOfAny(ApiCallTimeoutException.class, SdkClientException.class);
        assertThat(error.getMessage()).contains("timed out");
        assertThat(requestsAfterSlowResponse()).isEqualTo(1);
    }

    @Test
    void invokeChat_slowResponseIsTimeout() {
        server.stubFor(post(anyUrl()).willReturn(BedrockStub.ok("{}").withFixedDelay(SLOW_RESPONSE_MILLIS)));

        ModelCallException error = callExpectingFailure(BedrockInvokeChatModelClient::new, Duration.ofMillis(200));

        assertThat(error.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(requestsAfterSlowResponse()).isEqualTo(1);
    }

    @Test
    void converse_interruptDuringCallIsCancelled() throws Exception {
        server.stubFor(post(anyUrl()).willReturn(BedrockStub.ok(BedrockConverseModelClientTest.textResponse("late"))
                .withFixedDelay(SLOW_RESPONSE_MILLIS)));
        sdkClient = BedrockStub.client(server);
        ModelClient client = new BedrockConverseModelClient(sdkClient);
        Object[] outcome = new Object[1];
        boolean[] interruptFlag = new boolean[1];

        Thread caller = new Thread(() -> {
            try {
                outcome[0] = client.chat(request());
            } catch (RuntimeException e) {
                outcome[0] = e;
            }
            interruptFlag[0] = Thread.currentThread().isInterrupted();
        });
        caller.start();
        Thread.sleep(200);
        caller.interrupt();
        caller.join(5_000);

        // The blocked socket read does not react to the interrupt; the SDK detects it once the response arrives.
        assertThat(caller.isAlive()).isFalse();
        assertThat(outcome[0]).isInstanceOfSatisfying(ModelCallException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.CANCELLED));
        assertThat(interruptFlag[0]).as("interrupt flag set again for the caller").isTrue();
    }

    @Test
    void converse_connectionRefusedIsServerError() {
        // Nothing listens on port 1 of the loopback address, so the connection is refused.
        sdkClient = BedrockStub.factory(server, Duration.ofSeconds(5))
                .withEndpointOverride(java.net.URI.create("http://127.0.0.1:1"))
                .bedrockRuntime();

        assertThatThrownBy(() -> new BedrockConverseModelClient(sdkClient).chat(request()))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR);
                    assertThat(e.statusCode()).isZero();
                    assertThat(e.getMessage()).contains("no HTTP response");
                });
    }

    private static int requestsAfterSlowResponse() {
        try {
            Thread.sleep(SLOW_RESPONSE_MILLIS + 200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return server.findAll(postRequestedFor(anyUrl())).size();
    }

    private void assertServiceError(int status, String errorType, Class<? extends AwsServiceException> sdkClass,
            Kind kind, Function<BedrockRuntimeClient, ModelClient> clientType, String operation) {
        server.stubFor(post(anyUrl()).willReturn(BedrockStub.awsError(status, errorType, "service says no")));

        ModelCallException error = callExpectingFailure(clientType, Duration.ofSeconds(10));

        assertThat(error.getCause()).isExactlyInstanceOf(sdkClass);
        assertThat(error.kind()).isEqualTo(kind);
        assertThat(error.statusCode()).isEqualTo(status);
        assertThat(error.getMessage())
                .contains(operation)
                .contains(IMPORTED_MODEL)
                .contains(errorType)
                .contains("req-err-1")
                .contains("service says no")
                .doesNotContain(PROMPT);
        assertThat(server.findAll(postRequestedFor(anyUrl())))
                .as("the SDK sends one attempt and leaves retries to the caller")
                .hasSize(1);
    }

    private ModelCallException callExpectingFailure(Function<BedrockRuntimeClient, ModelClient> clientType,
            Duration callTimeout) {
        sdkClient = BedrockStub.factory(server, callTimeout).bedrockRuntime();
        ModelClient client = clientType.apply(sdkClient);
        ModelCallException[] thrown = new ModelCallException[1];
        assertThatThrownBy(() -> client.chat(request()))
                .isInstanceOfSatisfying(ModelCallException.class, e -> thrown[0] = e);
        return thrown[0];
    }

    private static ChatRequest request() {
        return new ChatRequest(IMPORTED_MODEL, "", List.of(ChatMessage.user(PROMPT)), List.of(), null, false);
    }
}
