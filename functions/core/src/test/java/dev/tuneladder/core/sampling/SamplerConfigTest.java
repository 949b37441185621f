package dev.tuneladder.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SamplerConfigTest {

    @Test
    void defaults_documentedValues() {
        SamplerConfig config = SamplerConfig.defaults();

        assertThat(config.stratifyBy()).isEqualTo("intent");
        assertThat(config.clustersPerStratum()).isEqualTo(10);
        assertThat(config.perCluster()).isEqualTo(1);
        assertThat(config.evalFraction()).isEqualTo(0.2);
        assertThat(config.nearDuplicateThreshold()).isEqualTo(0.95);
        assertThat(config.seed()).isEqualTo(42);
        assertThat(config.maxIterations()).isEqualTo(50);
    }

    @Test
    void withers_changeOneField() {
        SamplerConfig config = SamplerConfig.defaults().withStratifyBy("metadata.channel").withClustersPerStratum(3)
                .withPerCluster(0).withEvalFraction(0).withNearDuplicateThreshold(1).withSeed(-5)
                .withMaxIterations(7);

        assertThat(config).isEqualTo(new SamplerConfig("metadata.channel", 3, 0, 0, 1, -5, 7));
    }

    @Test
    void constructor_invalidValues_rejectedWithFix() {
        SamplerConfig defaults = SamplerConfig.defaults();

        assertThatThrownBy(() -> defaults.withStratifyBy("metadata.")).hasMessageContaining("'metadata.<key>'");
        assertThatThrownBy(() -> defaults.withStratifyBy(null)).hasMessageContaining("stratifyBy is missing");
        assertThatThrownBy(() -> defaults.withClustersPerStratum(0)).hasMessageContaining("clustersPerStratum is 0");
        assertThatThrownBy(() -> defaults.withPerCluster(-1)).hasMessageContaining("perCluster is -1");
        assertThatThrownBy(() -> defaults.withEvalFraction(1)).hasMessageContaining("evalFraction is 1.0");
        assertThatThrownBy(() -> defaults.withEvalFraction(-0.1)).hasMessageContaining("evalFraction is -0.1");
        assertThatThrownBy(() -> defaults.withEvalFraction(Double.NaN)).hasMessageContaining("evalFraction is NaN");
        assertThatThrownBy(() -> defaults.withNearDuplicateThreshold(0))
                .hasMessageContaining("nearDuplicateThreshold is 0.0");
        assertThatThrownBy(() -> defaults.withNearDuplicateThreshold(1.5))
                .hasMessageContaining("nearDuplicateThreshold is 1.5");
        assertThatThrownBy(() -> defaults.withMaxIterations(0)).hasMessageContaining("maxIterations is 0");
    }
}
