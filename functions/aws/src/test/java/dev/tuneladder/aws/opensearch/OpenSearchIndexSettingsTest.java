package dev.tuneladder.aws.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OpenSearchIndexSettingsTest {

    @Test
    void forManagedDomain_defaults() {
        OpenSearchIndexSettings settings = OpenSearchIndexSettings.forManagedDomain("golden", "model", 384);

        assertThat(settings.engine()).isEqualTo(KnnEngine.LUCENE);
        assertThat(settings.refreshOnCommit()).isTrue();
        assertThat(settings.serverGeneratedIds()).isFalse();
        assertThat(settings.hnswM()).isEqualTo(16);
        assertThat(settings.hnswEfConstruction()).isEqualTo(100);
    }

    @Test
    void forServerless_defaults() {
        OpenSearchIndexSettings settings = OpenSearchIndexSettings.forServerlessVectorCollection("golden", "model", 1024);

        assertThat(settings.engine()).isEqualTo(KnnEngine.FAISS);
        assertThat(settings.refreshOnCommit()).isFalse();
        assertThat(settings.serverGeneratedIds()).isTrue();
    }

    @Test
    void withers_changeOneValue() {
        OpenSearchIndexSettings settings = OpenSearchIndexSettings.forManagedDomain("golden", "model", 8)
                .withEngine(KnnEngine.FAISS)
                .withHnsw(32, 200)
                .withEfSearch(50)
                .withBulkBatchSize(10)
                .withRefreshOnCommit(false)
                .withServerGeneratedIds(true);

        assertThat(settings).isEqualTo(new OpenSearchIndexSettings("golden", "model", 8, KnnEngine.FAISS, 32, 200, 50,
                10, false, true));
    }

    @Test
    void invalidIndexName_rejected() {
        for (String name : new String[] {"", "Golden", "_golden", "-golden", "gold en", "gold/en", "gold,en", ".."}) {
            assertThatThrownBy(() -> OpenSearchIndexSettings.forManagedDomain(name, "model", 8))
                    .as("index name '%s'", name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a valid OpenSearch index name");
        }
        assertThat(OpenSearchIndexSettings.forManagedDomain("golden-examples.v2_1", "model", 8).indexName())
                .isEqualTo("golden-examples.v2_1");
    }

    @Test
    void numbers_rejectedOutsideTheirRange() {
        assertThatThrownBy(() -> OpenSearchIndexSettings.forManagedDomain("golden", "model", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimensions must be in [1, 16000], got 0");
        assertThatThrownBy(() -> OpenSearchIndexSettings.forManagedDomain("golden", "model", 8).withHnsw(1, 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hnswM");
        assertThatThrownBy(() -> OpenSearchIndexSettings.forManagedDomain("golden", "model", 8).withHnsw(16, 5000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hnswEfConstruction");
        assertThatThrownBy(() -> OpenSearchIndexSettings.forManagedDomain("golden", "model", 8).withBulkBatchSize(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bulkBatchSize");
        assertThatThrownBy(() -> OpenSearchIndexSettings.forManagedDomain("golden", " ", 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("modelId is blank");
    }

    @Test
    void cosineFromScore_invertsCosinesimilScore() {
        assertThat(OpenSearchVectorIndex.cosineFromScore(1.0)).isEqualTo(1.0);
        assertThat(OpenSearchVectorIndex.cosineFromScore(0.5)).isEqualTo(0.0);
        assertThat(OpenSearchVectorIndex.cosineFromScore(0.0)).isEqualTo(-1.0);
        assertThat(OpenSearchVectorIndex.cosineFromScore(1.0000001)).isEqualTo(1.0);
    }

    @Test
    void bulkWriteMessage_listsFirstFailures() {
        var failures = java.util.stream.IntStream.range(0, 7)
                .mapToObj(i -> new BulkWriteException.Failure("id" + i, 400, "mapper_parsing_exception", "r".repeat(300)))
                .toList();

        BulkWriteException e = new BulkWriteException("golden", "upsert", 10, failures);

        assertThat(e.getMessage()).contains("7 of 10 upsert items in index golden", "id=id4", "and 2 more");
        assertThat(e.getMessage()).doesNotContain("id=id5");
        assertThat(e.getMessage()).doesNotContain("r".repeat(201));
        assertThat(e.failures()).hasSize(7);
    }
}
