package dev.tuneladder.handlers;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tuneladder.aws.bedrock.BedrockTitanEmbedder;
import dev.tuneladder.aws.bedrock.TitanEmbeddingSettings;
import dev.tuneladder.core.embedding.Embedder;
import dev.tuneladder.core.index.ExactVectorIndex;
import dev.tuneladder.core.index.IndexedExample;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The few-shot handlers with the real Titan embedder against a loopback Bedrock stub, and the core's exact vector
 * index in place of OpenSearch (the OpenSearch adapter has its own tests against a node).
 */
class FewShotHandlersTest {

    private static final String TITAN_PATH = "/model/amazon.titan-embed-text-v2%3A0/invoke";
    private static final int DIMENSIONS = 256;

    @RegisterExtension
    static WireMockExtension bedrock = TestSupport.bedrock();

    private ExactVectorIndex index;
    private FewShotSearchHandler search;
    private FewShotUpsertHandler upsert;

    @BeforeEach
    void setUp() {
        index = new ExactVectorIndex();
        FewShotIndexes indexes = new FewShotIndexes(Set.of("banking77-golden"), name -> index);
        Embedder embedder = Resilience.retrying(new BedrockTitanEmbedder(
                TestSupport.factory(bedrock).bedrockRuntime(),
                TitanEmbeddingSettings.DEFAULTS.withDimensions(DIMENSIONS)), TestSupport.fastRetries());
        RequestSchemas schemas = new RequestSchemas();
        search = new FewShotSearchHandler(embedder, indexes, schemas);
        upsert = new FewShotUpsertHandler(embedder, indexes, schemas);
    }

    @Test
    void search_sampleEvent_returnsNearestExamplesFirst() {
        index.upsert(List.of(
                new IndexedExample("a", "card arrival", "card_arrival", TestSupport.oneHot(DIMENSIONS, 1)),
                new IndexedExample("b", "top up", "top_up", TestSupport.oneHot(DIMENSIONS, 2)),
                new IndexedExample("c", "lost card", "lost_card", TestSupport.oneHot(DIMENSIONS, 3))));
        index.commit();
        bedrock.stubFor(post(urlEqualTo(TITAN_PATH)).willReturn(TestSupport.ok(TestSupport.titanOneHot(DIMENSIONS, 1))));

        APIGatewayProxyResponseEvent response = search.handleRequest(TestSupport.apiEvent("fewshot-search.json"),
                TestSupport.context("req-1"));

        assertThat(response.getStatusCode()).isEqualTo(200);
        JsonNode body = TestSupport.body(response.getBody());
        assertThat(body.get("hits")).hasSize(2);
        assertThat(body.get("hits").get(0).get("id").asText()).isEqualTo("a");
        assertThat(body.get("hits").get(0).get("similarity").asDouble()).isEqualTo(1.0);
        assertThat(body.get("hits").get(0).get("label").asText()).isEqualTo("card_arrival");
    }

    @Test
    void upsert_sampleEvent_makesExamplesSearchable() {
        bedrock.stubFor(post(urlEqualTo(TITAN_PATH)).withRequestBody(containing("arrive"))
                .willReturn(TestSupport.ok(TestSupport.titanOneHot(DIMENSIONS, 5))));
        bedrock.stubFor(post(urlEqualTo(TITAN_PATH)).withRequestBody(containing("top up"))
                .willReturn(TestSupport.ok(TestSupport.titanOneHot(DIMENSIONS, 6))));

        APIGatewayProxyResponseEvent response = upsert.handleRequest(TestSupport.apiEvent("fewshot-upsert.json"),
                TestSupport.context("req-2"));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(TestSupport.body(response.getBody()).get("upserted").asInt()).isEqualTo(2);
        assertThat(index.size()).isEqualTo(2);
        assertThat(index.search(TestSupport.oneHot(DIMENSIONS, 6), 1, null).get(0).id()).isEqualTo("ex-2");
    }

    @Test
    void search_kAboveLimit_is400NamingK() {
        APIGatewayProxyRequestEvent event = TestSupport.apiEvent("fewshot-search.json")
                .withBody("{\"query\":\"card\",\"k\":500}");

        APIGatewayProxyResponseEvent response = search.handleRequest(event, TestSupport.context("req-3"));

        assertThat(response.getStatusCode()).isEqualTo(400);
        JsonNode error = TestSupport.body(response.getBody()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("validation_failed");
        assertThat(error.get("field").asText()).isEqualTo("k");
        assertThat(error.get("message").asText()).contains("'k'").contains("fewshot-search-request.json");
        bedrock.verify(0, postRequestedFor(urlEqualTo(TITAN_PATH)));
    }

    @Test
    void upsert_exampleWithoutText_is400NamingThePath() {
        APIGatewayProxyRequestEvent event = TestSupport.apiEvent("fewshot-upsert.json")
                .withBody("{\"examples\":[{\"id\":\"x\",\"text\":\"ok\"},{\"id\":\"y\"}]}");

        APIGatewayProxyResponseEvent response = upsert.handleRequest(event, TestSupport.context("req-4"));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(TestSupport.body(response.getBody()).get("error").get("field").asText())
                .isEqualTo("examples[1].text");
    }

    @Test
    void search_unknownIndex_is404NamingTheServedIndexes() {
        APIGatewayProxyRequestEvent event = TestSupport.apiEvent("fewshot-search.json")
                .withPathParameters(Map.of("index", "no-such-index"));

        APIGatewayProxyResponseEvent response = search.handleRequest(event, TestSupport.context("req-5"));

        assertThat(response.getStatusCode()).isEqualTo(404);
        JsonNode error = TestSupport.body(response.getBody()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("unknown_index");
        assertThat(error.get("field").asText()).isEqualTo("index");
        assertThat(error.get("message").asText()).contains("no-such-index").contains("banking77-golden");
    }

    @Test
    void search_titanThrottlesThroughRetries_is429() {
        bedrock.stubFor(post(urlEqualTo(TITAN_PATH)).willReturn(TestSupport.throttled()));

        APIGatewayProxyResponseEvent response = search.handleRequest(TestSupport.apiEvent("fewshot-search.json"),
                TestSupport.context("req-6"));

        assertThat(response.getStatusCode()).isEqualTo(429);
        assertThat(TestSupport.body(response.getBody()).get("error").get("code").asText()).isEqualTo("throttled");
        bedrock.verify(TestSupport.FAST_ATTEMPTS, postRequestedFor(urlEqualTo(TITAN_PATH)));
    }

    @Test
    void search_bodyNotJson_is400() {
        APIGatewayProxyResponseEvent response = search.handleRequest(
                TestSupport.apiEvent("fewshot-search.json").withBody("{not json"), TestSupport.context("req-7"));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(TestSupport.body(response.getBody()).get("error").get("message").asText()).contains("not valid JSON");
    }
}
