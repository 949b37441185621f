package dev.tuneladder.aws.bedrock;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tuneladder.core.embedding.EmbeddingException;
import dev.tuneladder.core.embedding.Vectors;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.ModelCallException.Kind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

class BedrockTitanEmbedderTest {

    private static final String TITAN_PATH = "/model/amazon.titan-embed-text-v2%3A0/invoke";

    /**
     * One server per test: a call that a failing test abandons can still send a request after the test ends, and
     * a shared server would count it in the next test's journal.
     */
    @RegisterExtension
    final WireMockExtension server = BedrockStub.server();

    private BedrockRuntimeClient sdkClient;

    @BeforeEach
    void createClient() {
        sdkClient = BedrockStub.client(server);
    }

    @AfterEach
    void closeClient() {
        sdkClient.close();
    }

    @Test
    void dimensions256WithoutServiceNormalization_returnsUnitVector() {
        float[] raw = rawVector(256, 1);
        server.stubFor(post(urlEqualTo(TITAN_PATH)).willReturn(BedrockStub.ok(embeddingResponse(raw, 7))));
        TitanEmbeddingSettings settings = TitanEmbeddingSettings.DEFAULTS.withDimensions(256).withNormalize(false);

        float[] vector;
        try (BedrockTitanEmbedder embedder = new BedrockTitanEmbedder(sdkClient, settings)) {
            vector = embedder.embed("How do I reset my password?");
        }

        assertThat(vector).hasSize(256);
        assertThat(Math.sqrt(Vectors.dot(vector, vector))).isCloseTo(1.0, offset(1e-6));
        assertThat(Vectors.cosine(vector, raw)).isCloseTo(1.0, offset(1e-6));

        List<LoggedRequest> requests = server.findAll(postRequestedFor(urlEqualTo(TITAN_PATH)));
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(requests.get(0).getHeader("Accept")).isEqualTo("application/json");
        assertThat(requests.get(0).getHeader("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=" + BedrockStub.ACCESS_KEY_ID + "/");
        assertThat(BedrockStub.jsonBody(requests.get(0))).isEqualTo(BedrockStub.json(
                "{\"inputText\": \"How do I reset my password?\", \"dimensions\": 256, \"normalize\": false}"));
    }

    @Test
    void defaults_request1024NormalizedByService() {
        float[] unit = Vectors.normalized(rawVector(1024, 2));
        server.stubFor(post(urlEqualTo(TITAN_PATH)).willReturn(BedrockStub.ok(embeddingResponse(unit, 4))));

        try (BedrockTitanEmbedder embedder = new BedrockTitanEmbedder(sdkClient, TitanEmbeddingSettings.DEFAULTS)) {
            float[] vector = embedder.embed("card declined");

            assertThat(embedder.modelId()).isEqualTo("amazon.titan-embed-text-v2:0");
            assertThat(embedder.dimensions()).isEqualTo(1024);
            assertThat(vector).containsExactly(unit, offset(1e-6f));
        }
        JsonNode body = BedrockStub.jsonBody(server.findAll(postRequestedFor(urlEqualTo(TITAN_PATH))).get(0));
        assertThat(body.get("dimensions").intValue()).isEqualTo(1024);
        assertThat(body.get("normalize").booleanValue()).isTrue();
    }

    @Test
    void embedAllInParallel_keepsInputOrderWithOneCallPerText() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            String text = String.format(Locale.ROOT, "question %d", i);
            texts.add(text);
            server.stubFor(post(urlEqualTo(TITAN_PATH))
                    .withRequestBody(matchingJsonPath("$.inputText", equalTo(text)))
                    .willReturn(BedrockStub.ok(embeddingResponse(oneHot(256, i), 2))
                            // Later texts get their response sooner, so completion order differs from input order.
                            .withFixedDelay((9 - i) * 15)));
        }

        List<float[]> vectors;
        try (BedrockTitanEmbedder embedder = new BedrockTitanEmbedder(sdkClient,
                TitanEmbeddingSettings.DEFAULTS.withDimensions(256).withParallelism(4))) {
            vectors = embedder.embedAll(texts);
        }

        assertThat(vectors).hasSize(9);
        for (int i = 0; i < 9; i++) {
            assertThat(vectors.get(i)).as("vector %d", i).containsExactly(oneHot(256, i), offset(0f));
        }
        assertThat(server.findAll(postRequestedFor(urlEqualTo(TITAN_PATH)))).hasSize(9);
    }

    @Test
    void throttledText_failsWholeCallWithKindAndIndex() {
        server.stubFor(post(urlEqualTo(TITAN_PATH)).willReturn(BedrockStub.ok(embeddingResponse(oneHot(256, 0), 1))));
        server.stubFor(post(urlEqualTo(TITAN_PATH))
                .withRequestBody(matchingJsonPath("$.inputText", equalTo("third")))
                .willReturn(BedrockStub.awsError(429, "ThrottlingException", "Too many requests")));

        try (BedrockTitanEmbedder embedder = new BedrockTitanEmbedder(sdkClient,
                TitanEmbeddingSettings.DEFAULTS.withDimensions(256))) {
            assertThatThrownBy(() -> embedder.embedAll(List.of("first", "second", "third", "fourth")))
                    .isInstanceOfSatisfying(EmbeddingException.class, e -> {
                        assertThat(e.getMessage()).contains("index 2 of 4").contains("ThrottlingException")
                                .doesNotContain("third");
                        assertThat(e.getCause()).isInstanceOfSatisfying(ModelCallException.class,
                                cause -> assertThat(cause.kind()).isEqualTo(Kind.THROTTLED));
                    });
        }
        assertThat(server.findAll(postRequestedFor(urlEqualTo(TITAN_PATH))))
                .as("sequential embedding stops at the failing text, and the SDK does not retry it")
                .hasSize(3);
    }

    @Test
    void throttledTextInParallel_failsWithThrottledCause() {
        server.stubFor(post(urlEqualTo(TITAN_PATH)).willReturn(BedrockStub.ok(embeddingResponse(oneHot(256, 0), 1))));
        server.stubFor(post(urlEqualTo(TITAN_PATH))
                .withRequestBody(matchingJsonPath("$.inputText", equalTo("c")))
                .willReturn(BedrockStub.awsError(429, "ThrottlingException", "Too many requests")));

        try (BedrockTitanEmbedder embedder = new BedrockTitanEmbedder(sdkClient,
                TitanEmbeddingSettings.DEFAULTS.withDimensions(256).withParallelism(3))) {
            assertThatThrownBy(() -> embedder.embedAll(List.of("a", "b", "c", "d", "e")))
                    .isInstanceOfSatisfying(EmbeddingException.class, e -> {
                        assertThat(e.getMessage()).contains("index 2 of 5");
                        assertThat(((ModelCallException) e.getCause()).kind()).isEqualTo(Kind.THROTTLED);
                    });
        }
    }

    @Test
    void wrongDimensionCount_isMalformedResponse() {
        server.stubFor(post(urlEqualTo(TITAN_PATH)).willReturn(BedrockStub.ok(embeddingResponse(rawVector(512, 3), 2))));

        try (BedrockTitanEmbedder embedder = new BedrockTitanEmbedder(sdkClient,
                TitanEmbeddingSettings.DEFAULTS.withDimensions(256))) {
            assertThatThrownBy(() -> embedder.embed("hello"))
                    .isInstanceOfSatisfying(EmbeddingException.class, e -> {
                        assertThat(e.getMessage()).contains("512 dimensions, expected 256").contains("req-ok-1");
                        assertThat(((ModelCallException) e.getCause()).kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
                    });
        }
    }

    @Test
    void bodyNotJson_isMalformedResponse() {
        server.stubFor(post(urlEqualTo(TITAN_PATH)).willReturn(BedrockStub.ok("embedding: [0.1, 0.2]")));

        try (BedrockTitanEmbedder embedder = new BedrockTitanEmbedder(sdkClient, TitanEmbeddingSettings.DEFAULTS)) {
            assertThatThrownBy(() -> embedder.embed("hello"))
                    .isInstanceOfSatisfying(EmbeddingException.class, e ->
                            assertThat(((ModelCallException) e.getCause()).kind()).isEqualTo(Kind.MALFORMED_RESPONSE));
        }
    }

    @Test
    void blankOrLongText_rejectedBeforeAnyCall() {
        try (BedrockTitanEmbedder embedder = new BedrockTitanEmbedder(sdkClient, TitanEmbeddingSettings.DEFAULTS)) {
            assertThatThrownBy(() -> embedder.embedAll(List.of("ok", "  ")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("index 1 is blank");
            String tooLong = String.join("", Collections.nCopies(BedrockTitanEmbedder.MAX_INPUT_CHARS + 1, "a"));
            assertThatThrownBy(() -> embedder.embedAll(List.of(tooLong)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("index 0 has 50001 characters");
        }
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void emptyList_returnsEmptyWithoutCalls() {
        try (BedrockTitanEmbedder embedder = new BedrockTitanEmbedder(sdkClient,
                TitanEmbeddingSettings.DEFAULTS.withParallelism(2))) {
            assertThat(embedder.embedAll(List.of())).isEmpty();
        }
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void closedEmbedder_rejectsCalls() {
        BedrockTitanEmbedder embedder = new BedrockTitanEmbedder(sdkClient, TitanEmbeddingSettings.DEFAULTS);
        embedder.close();

        assertThatThrownBy(() -> embedder.embed("hello")).isInstanceOf(IllegalStateException.class);
    }

    private static float[] rawVector(int dimensions, int seed) {
        float[] vector = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            vector[i] = (float) Math.sin(seed * 31 + i) * 3.0f;
        }
        return vector;
    }

    private static float[] oneHot(int dimensions, int index) {
        float[] vector = new float[dimensions];
        vector[index] = 1.0f;
        return vector;
    }

    private static String embeddingResponse(float[] vector, int tokenCount) {
        StringBuilder json = new StringBuilder("{\"embedding\": [");
        for (int i = 0; i < vector.length; i++) {
            json.append(i == 0 ? "" : ", ").append(Float.toString(vector[i]));
        }
        return json.append("], \"inputTextTokenCount\": ").append(tokenCount).append('}').toString();
    }
}
