package dev.tuneladder.aws.opensearch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tuneladder.aws.AwsClientFactory;
import dev.tuneladder.core.index.SearchHit;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opensearch.client.opensearch.OpenSearchClient;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * Checks the SigV4-signing transport and the shapes of the requests that a Serverless-style index sends, against
 * WireMock on 127.0.0.1 over https (the AWS SDK transport speaks only https) with dummy credentials.
 */
class OpenSearchSignedRequestTest {

    private static final String ACCESS_KEY_ID = "AKIDTESTSTUB0000";
    private static final String INDEX = "golden";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @RegisterExtension
    static final WireMockExtension SERVER = WireMockExtension.newInstance()
            .options(wireMockConfig().bindAddress("127.0.0.1").httpDisabled(true).dynamicHttpsPort())
            .build();

    private OpenSearchClient client;

    @AfterEach
    void closeClient() throws Exception {
        if (client != null) {
            client._transport().close();
        }
    }

    @Test
    void serverless_signsForAossAndCreatesFaissIndex() throws IOException {
        SERVER.stubFor(head(urlPathEqualTo("/" + INDEX)).willReturn(aResponse().withStatus(404)));
        SERVER.stubFor(put(urlPathEqualTo("/" + INDEX)).willReturn(json(
                "{\"acknowledged\":true,\"shards_acknowledged\":true,\"index\":\"golden\"}")));
        client = signedClient(OpenSearchClients.SigningService.SERVERLESS);

        OpenSearchVectorIndex.open(client, OpenSearchIndexSettings.forServerlessVectorCollection(INDEX, "titan-v2", 3))
                .close();

        LoggedRequest create = single("PUT", "/" + INDEX);
        assertThat(create.getHeader("Authorization"))
                .matches("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY_ID + "/\\d{8}/us-east-1/aoss/aws4_request, "
                        + "SignedHeaders=\\S+, Signature=[0-9a-f]{64}");
        assertThat(create.getHeader("x-amz-content-sha256")).matches("[0-9a-f]{64}");

        JsonNode body = MAPPER.readTree(create.getBodyAsString());
        assertThat(body.at("/settings/knn").asBoolean()).isTrue();
        assertThat(body.at("/settings/number_of_shards").isMissingNode()).isTrue();
        JsonNode mappings = body.at("/mappings");
        assertThat(mappings.at("/_meta/tuneladder.embedding.modelId").asText()).isEqualTo("titan-v2");
        assertThat(mappings.at("/_meta/tuneladder.embedding.dimensions").asInt()).isEqualTo(3);
        assertThat(mappings.at("/dynamic").asText()).isEqualTo("strict");
        assertThat(mappings.at("/properties/id/type").asText()).isEqualTo("keyword");
        assertThat(mappings.at("/properties/label/type").asText()).isEqualTo("keyword");
        assertThat(mappings.at("/properties/text/index").asBoolean(true)).isFalse();
        JsonNode vector = mappings.at("/properties/vector");
        assertThat(vector.at("/type").asText()).isEqualTo("knn_vector");
        assertThat(vector.at("/dimension").asInt()).isEqualTo(3);
        assertThat(vector.at("/method/name").asText()).isEqualTo("hnsw");
        assertThat(vector.at("/method/engine").asText()).isEqualTo("faiss");
        assertThat(vector.at("/method/space_type").asText()).isEqualTo("cosinesimil");
        assertThat(vector.at("/method/parameters/m").asInt()).isEqualTo(16);
        assertThat(vector.at("/method/parameters/ef_construction").asInt()).isEqualTo(100);
    }

    @Test
    void serverless_commitSendsNoRefresh() {
        stubExistingIndex();
        client = signedClient(OpenSearchClients.SigningService.SERVERLESS);

        try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(client,
                OpenSearchIndexSettings.forServerlessVectorCollection(INDEX, "titan-v2", 3))) {
            int requestsBefore = SERVER.findAll(anyRequestedFor(anyUrl())).size();
            index.commit();

            assertThat(SERVER.findAll(anyRequestedFor(anyUrl()))).hasSize(requestsBefore);
        }
    }

    @Test
    void managedDomain_signsForEsAndSearchesKnn() throws IOException {
        stubExistingIndex();
        SERVER.stubFor(post(urlPathEqualTo("/" + INDEX + "/_search")).willReturn(json("""
                {"took":1,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},
                 "hits":{"max_score":0.9,"hits":[
                   {"_index":"golden","_id":"a","_score":0.9,"_source":{"id":"a","text":"t","label":"x"}}]}}""")));
        client = signedClient(OpenSearchClients.SigningService.MANAGED_DOMAIN);

        List<SearchHit> hits;
        try (OpenSearchVectorIndex index = OpenSearchVectorIndex.open(client,
                OpenSearchIndexSettings.forManagedDomain(INDEX, "titan-v2", 3).withEfSearch(64))) {
            hits = index.search(new float[] {0, 3, 4}, 5, "x");
        }

        assertThat(hits).singleElement().satisfies(hit -> {
            assertThat(hit.id()).isEqualTo("a");
            assertThat(hit.similarity()).isCloseTo(0.8, offset(1e-9));
        });
        LoggedRequest search = single("POST", "/" + INDEX + "/_search");
        assertThat(search.getHeader("Authorization")).contains("/us-east-1/es/aws4_request");
        JsonNode body = MAPPER.readTree(search.getBodyAsString());
        assertThat(body.at("/size").asInt()).isEqualTo(5);
        assertThat(body.at("/_source/excludes/0").asText()).isEqualTo("vector");
        JsonNode knn = body.at("/query/knn/vector");
        assertThat(knn.at("/k").asInt()).isEqualTo(5);
        assertThat(knn.at("/vector/0").asDouble()).isCloseTo(0.0, offset(1e-7));
        assertThat(knn.at("/vector/1").asDouble()).isCloseTo(0.6, offset(1e-7));
        assertThat(knn.at("/vector/2").asDouble()).isCloseTo(0.8, offset(1e-7));
        assertThat(knn.at("/filter/term/label/value").asText()).isEqualTo("x");
        assertThat(knn.at("/method_parameters/ef_search").asInt()).isEqualTo(64);
    }

    @Test
    void awsSigned_rejectsPlainHttpEndpoint() {
        AwsClientFactory aws = factory();

        assertThatThrownBy(() -> OpenSearchClients.awsSigned(URI.create("http://127.0.0.1:9"),
                OpenSearchClients.SigningService.MANAGED_DOMAIN, aws))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an https URL");
        assertThatThrownBy(() -> OpenSearchClients.unsigned(URI.create("http://127.0.0.1:9/prefix")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without a path");
    }

    private static void stubExistingIndex() {
        SERVER.stubFor(head(urlPathEqualTo("/" + INDEX)).willReturn(aResponse().withStatus(200)));
        SERVER.stubFor(get(urlPathEqualTo("/" + INDEX + "/_mapping")).willReturn(json("""
                {"golden":{"mappings":{"dynamic":"strict",
                  "_meta":{"tuneladder.embedding.modelId":"titan-v2","tuneladder.embedding.dimensions":3},
                  "properties":{"id":{"type":"keyword"},"label":{"type":"keyword"},
                    "text":{"type":"text","index":false},
                    "vector":{"type":"knn_vector","dimension":3,
                      "method":{"engine":"faiss","space_type":"cosinesimil","name":"hnsw",
                        "parameters":{"ef_construction":100,"m":16}}}}}}}""")));
    }

    private static LoggedRequest single(String method, String path) {
        List<LoggedRequest> matching = SERVER.findAll(anyRequestedFor(anyUrl())).stream()
                .filter(r -> r.getMethod().getName().equals(method) && r.getUrl().startsWith(path))
                .toList();
        assertThat(matching).as("%s %s requests", method, path).hasSize(1);
        return matching.get(0);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static AwsClientFactory factory() {
        return new AwsClientFactory(Region.US_EAST_1, null,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, "dummy-secret-key")),
                Duration.ofSeconds(2), Duration.ofSeconds(10), 4);
    }

    private static OpenSearchClient signedClient(OpenSearchClients.SigningService service) {
        // WireMock's https certificate is self-signed, so this test client trusts any certificate.
        var httpClient = ApacheHttpClient.builder().buildWithDefaults(AttributeMap.builder()
                .put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, Boolean.TRUE)
                .build());
        return OpenSearchClients.awsSigned(URI.create("https://127.0.0.1:" + SERVER.getHttpsPort()), service,
                factory(), httpClient);
    }
}
