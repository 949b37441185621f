package dev.tuneladder.handlers;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.embedding.Embedder;
import dev.tuneladder.core.index.SearchHit;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/fewshot/{index}/search}: embeds the query with Bedrock Titan and returns the k most similar
 * golden examples of the index, most similar first.
 *
 * <p>SnapStart: the constructor builds the SDK clients, whose connection pools stay empty until the first call, so
 * the snapshot holds no open connection; the OpenSearch index is opened on its first request.
 */
public final class FewShotSearchHandler extends ApiHandler {

    static final String SCHEMA = "fewshot-search-request.json";
    static final int DEFAULT_K = 5;

    private static final Logger LOG = LoggerFactory.getLogger(FewShotSearchHandler.class);

    private final Embedder embedder;
    private final FewShotIndexes indexes;

    /** Builds the Bedrock and OpenSearch clients from the environment (see {@link HandlerConfig}). */
    public FewShotSearchHandler() {
        this(HandlerConfig.fromEnvironment());
    }

    private FewShotSearchHandler(HandlerConfig config) {
        this(Resilience.titanEmbedder(config, Resilience.apiCaller()),
                FewShotIndexes.fromConfig(config, config.embedding().dimensions(), config.embedding().modelId()),
                new RequestSchemas());
    }

    FewShotSearchHandler(Embedder embedder, FewShotIndexes indexes, RequestSchemas schemas) {
        super(schemas);
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.indexes = Objects.requireNonNull(indexes, "indexes");
    }

    @Override
    String function() {
        return "fewshot-search";
    }

    @Override
    String requestSchema() {
        return SCHEMA;
    }

    @Override
    JsonNode handle(APIGatewayProxyRequestEvent event, JsonNode body) {
        String indexName = pathParameter(event, "index");
        var index = indexes.get(indexName);
        int k = body.path("k").asInt(DEFAULT_K);
        String label = body.hasNonNull("label") ? body.get("label").asText() : null;
        List<SearchHit> hits = index.search(embedder.embed(body.get("query").asText()), k, label);
        LOG.info("few-shot search: index={} k={} filtered={} hits={}", indexName, k, label != null, hits.size());

        ObjectNode response = MAPPER.createObjectNode();
        response.put("index", indexName);
        ArrayNode array = response.putArray("hits");
        for (SearchHit hit : hits) {
            ObjectNode node = array.addObject();
            node.put("id", hit.id());
            node.put("text", hit.text());
            if (hit.label() == null) {
                node.putNull("label");
            } else {
                node.put("label", hit.label());
            }
            node.put("similarity", hit.similarity());
        }
        return response;
    }
}
