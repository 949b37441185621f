package dev.tuneladder.handlers;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.embedding.Embedder;
import dev.tuneladder.core.index.IndexedExample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/fewshot/{index}/examples}: embeds the golden examples with Bedrock Titan and upserts them by id,
 * then commits so the next search sees them. At most 100 examples per request (the schema's limit), which keeps
 * a request within one Titan batch budget and the API Gateway timeout. SnapStart as in {@link FewShotSearchHandler}.
 */
public final class FewShotUpsertHandler extends ApiHandler {

    static final String SCHEMA = "fewshot-upsert-request.json";

    private static final Logger LOG = LoggerFactory.getLogger(FewShotUpsertHandler.class);

    private final Embedder embedder;
    private final FewShotIndexes indexes;

    /** Builds the Bedrock and OpenSearch clients from the environment (see {@link HandlerConfig}). */
    public FewShotUpsertHandler() {
        this(HandlerConfig.fromEnvironment());
    }

    private FewShotUpsertHandler(HandlerConfig config) {
        this(Resilience.titanEmbedder(config, Resilience.apiCaller()),
                FewShotIndexes.fromConfig(config, config.embedding().dimensions(), config.embedding().modelId()),
                new RequestSchemas());
    }

    FewShotUpsertHandler(Embedder embedder, FewShotIndexes indexes, RequestSchemas schemas) {
        super(schemas);
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.indexes = Objects.requireNonNull(indexes, "indexes");
    }

    @Override
    String function() {
        return "fewshot-upsert";
    }

    @Override
    String requestSchema() {
        return SCHEMA;
    }

    @Override
    JsonNode handle(APIGatewayProxyRequestEvent event, JsonNode body) {
        String indexName = pathParameter(event, "index");
        var index = indexes.get(indexName);
        JsonNode examples = body.get("examples");
        List<String> texts = new ArrayList<>(examples.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < examples.size(); i++) {
            String id = examples.get(i).get("id").asText();
            if (!ids.add(id)) {
                throw ApiException.validation("examples[" + i + "].id", "request body field 'examples[" + i
                        + "].id' repeats id '" + id + "'; give each example in one request a distinct id");
            }
            texts.add(examples.get(i).get("text").asText());
        }
        List<float[]> vectors = embedder.embedAll(texts);
        List<IndexedExample> batch = new ArrayList<>(texts.size());
        for (int i = 0; i < examples.size(); i++) {
            JsonNode example = examples.get(i);
            String label = example.hasNonNull("label") ? example.get("label").asText() : null;
            batch.add(new IndexedExample(example.get("id").asText(), texts.get(i), label, vectors.get(i)));
        }
        index.upsert(batch);
        index.commit();
        LOG.info("few-shot upsert: index={} examples={}", indexName, batch.size());

        ObjectNode response = MAPPER.createObjectNode();
        response.put("index", indexName);
        response.put("upserted", batch.size());
        return response;
    }
}
