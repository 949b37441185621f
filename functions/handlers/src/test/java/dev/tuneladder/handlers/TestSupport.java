package dev.tuneladder.handlers;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tuneladder.aws.AwsClientFactory;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.model.resilience.AdaptiveConcurrencyLimiter;
import dev.tuneladder.core.model.resilience.MonotonicClock;
import dev.tuneladder.core.model.resilience.ResilientCaller;
import dev.tuneladder.core.model.resilience.RetryPolicy;
import dev.tuneladder.core.model.resilience.Sleeper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** Sample events from the repository's test-events folder, a Lambda context, and a loopback Bedrock stub. */
final class TestSupport {

    static final Path EVENTS = Path.of("../../test-events");

    private TestSupport() {
    }

    static APIGatewayProxyRequestEvent apiEvent(String file) {
        return EventLoader.loadApiGatewayRestEvent(EVENTS.resolve(file).toString());
    }

    static JsonNode jsonEvent(String file) {
        try {
            return Json.mapper().readTree(Files.readString(EVENTS.resolve(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode body(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final int FAST_ATTEMPTS = 3;

    /** Retries with millisecond backoff, so throttling tests run fast and still retry. */
    static ResilientCaller fastRetries() {
        return new ResilientCaller(new RetryPolicy(FAST_ATTEMPTS, Duration.ofMillis(1), Duration.ofMillis(5),
                Duration.ofSeconds(10)), AdaptiveConcurrencyLimiter.withMaxLimit(2), MonotonicClock.SYSTEM,
                Sleeper.SYSTEM, new java.util.Random(1));
    }

    static WireMockExtension bedrock() {
        return WireMockExtension.newInstance()
                .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort())
                .build();
    }

    static AwsClientFactory factory(WireMockExtension server) {
        return new AwsClientFactory(Region.US_EAST_1, URI.create("http://127.0.0.1:" + server.getPort()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTESTSTUB0000", "dummy-secret")),
                Duration.ofSeconds(2), Duration.ofSeconds(10), 4);
    }

    static ResponseDefinitionBuilder ok(String json) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-RequestId", "req-ok").withBody(json);
    }

    static ResponseDefinitionBuilder throttled() {
        return aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-RequestId", "req-throttled")
                .withHeader("x-amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/")
                .withBody("{\"message\":\"Too many requests, please wait before trying again.\"}");
    }

    /** A Titan embedding response holding a one-hot vector of the given length. */
    static String titanOneHot(int dimensions, int hot) {
        StringBuilder json = new StringBuilder("{\"embedding\":[");
        for (int i = 0; i < dimensions; i++) {
            json.append(i == 0 ? "" : ",").append(i == hot ? "1.0" : "0.0");
        }
        return json.append("],\"inputTextTokenCount\":5}").toString();
    }

    static float[] oneHot(int dimensions, int hot) {
        float[] vector = new float[dimensions];
        vector[hot] = 1f;
        return vector;
    }

    static Context context(String requestId) {
        return context(requestId, 60_000);
    }

    /** A context whose function has {@code remainingMillis} left before it times out. */
    static Context context(String requestId, int remainingMillis) {
        return new Context() {
            public String getAwsRequestId() {
                return requestId;
            }

            public String getLogGroupName() {
                return "/aws/lambda/test";
            }

            public String getLogStreamName() {
                return "test";
            }

            public String getFunctionName() {
                return "test";
            }

            public String getFunctionVersion() {
                return "1";
            }

            public String getInvokedFunctionArn() {
                return "arn:aws:lambda:us-east-1:123456789012:function:test";
            }

            public CognitoIdentity getIdentity() {
                return null;
            }

            public ClientContext getClientContext() {
                return null;
            }

            public int getRemainingTimeInMillis() {
                return remainingMillis;
            }

            public int getMemoryLimitInMB() {
                return 1024;
            }

            public LambdaLogger getLogger() {
                return new LambdaLogger() {
                    public void log(String message) {
                    }

                    public void log(byte[] message) {
                    }
                };
            }
        };
    }
}
