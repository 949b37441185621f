package dev.tuneladder.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HandlerConfigTest {

    @Test
    void require_missingVariable_namesIt() {
        HandlerConfig config = new HandlerConfig(Map.of(HandlerConfig.REGION, "us-east-1"));

        assertThatThrownBy(config::judgeModelId)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(HandlerConfig.JUDGE_MODEL_ID);
    }

    @Test
    void fewShotIndexes_commaList_isTrimmed() {
        HandlerConfig config = new HandlerConfig(Map.of(HandlerConfig.FEWSHOT_INDEXES, " a , b,,c "));

        assertThat(config.fewShotIndexes()).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void openSearchService_unknownValue_namesVariableAndChoices() {
        HandlerConfig config = new HandlerConfig(Map.of(HandlerConfig.OPENSEARCH_SERVICE, "lambda"));

        assertThatThrownBy(config::openSearchServerless)
                .hasMessageContaining(HandlerConfig.OPENSEARCH_SERVICE).hasMessageContaining("aoss");
    }

    @Test
    void embedding_defaultsToTitanV2With1024Dimensions() {
        HandlerConfig config = new HandlerConfig(Map.of());

        assertThat(config.embedding().modelId()).isEqualTo("amazon.titan-embed-text-v2:0");
        assertThat(config.embedding().dimensions()).isEqualTo(1024);
    }
}
