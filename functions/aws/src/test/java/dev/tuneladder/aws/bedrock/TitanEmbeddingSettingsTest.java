package dev.tuneladder.aws.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TitanEmbeddingSettingsTest {

    @Test
    void defaults_matchTitanTextV2() {
        assertThat(TitanEmbeddingSettings.DEFAULTS).isEqualTo(
                new TitanEmbeddingSettings("amazon.titan-embed-text-v2:0", 1024, true, 1));
    }

    @Test
    void dimensions_acceptOnlyTitanValues() {
        assertThat(TitanEmbeddingSettings.DEFAULTS.withDimensions(512).dimensions()).isEqualTo(512);
        assertThat(TitanEmbeddingSettings.DEFAULTS.withDimensions(256).dimensions()).isEqualTo(256);
        assertThatThrownBy(() -> TitanEmbeddingSettings.DEFAULTS.withDimensions(384))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1024, 512 or 256, got 384");
    }

    @Test
    void parallelism_boundedAndModelIdRequired() {
        assertThatThrownBy(() -> TitanEmbeddingSettings.DEFAULTS.withParallelism(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TitanEmbeddingSettings.DEFAULTS.withParallelism(65))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TitanEmbeddingSettings(" ", 1024, true, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("modelId is blank");
    }
}
