package dev.tuneladder.handlers;

import dev.tuneladder.aws.opensearch.OpenSearchClients;
import dev.tuneladder.aws.opensearch.OpenSearchIndexSettings;
import dev.tuneladder.aws.opensearch.OpenSearchVectorIndex;
import dev.tuneladder.core.index.VectorIndex;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.opensearch.client.opensearch.OpenSearchClient;

/**
 * The few-shot indexes a function serves, opened on first use. Opening waits until a request needs the index, so
 * no OpenSearch connection exists before a SnapStart snapshot and none survives a restore unchecked.
 */
final class FewShotIndexes {

    private final Set<String> names;
    private final Function<String, VectorIndex> opener;
    private final Map<String, VectorIndex> open = new ConcurrentHashMap<>();

    /**
     * @param names the index names the API serves
     * @param opener opens (and creates, when missing) the index with the given name
     */
    FewShotIndexes(Set<String> names, Function<String, VectorIndex> opener) {
        this.names = Set.copyOf(names);
        this.opener = Objects.requireNonNull(opener, "opener");
    }

    /** Builds the indexes of the configured OpenSearch endpoint, signed for the configured service. */
    static FewShotIndexes fromConfig(HandlerConfig config, int dimensions, String embeddingModelId) {
        boolean serverless = config.openSearchServerless();
        OpenSearchClient client = OpenSearchClients.awsSigned(config.openSearchEndpoint(),
                serverless ? OpenSearchClients.SigningService.SERVERLESS : OpenSearchClients.SigningService.MANAGED_DOMAIN,
                config.aws());
        return new FewShotIndexes(config.fewShotIndexes(), name -> OpenSearchVectorIndex.open(client, serverless
                ? OpenSearchIndexSettings.forServerlessVectorCollection(name, embeddingModelId, dimensions)
                : OpenSearchIndexSettings.forManagedDomain(name, embeddingModelId, dimensions)));
    }

    /** Returns the index, or throws a 404 {@link ApiException} naming the served indexes. */
    VectorIndex get(String name) {
        if (!names.contains(name)) {
            throw new ApiException(404, "unknown_index", "few-shot index '" + name + "' does not exist; use one of "
                    + new TreeSet<>(names) + ", or add it to the function's " + HandlerConfig.FEWSHOT_INDEXES,
                    "index");
        }
        return open.computeIfAbsent(name, opener);
    }
}
