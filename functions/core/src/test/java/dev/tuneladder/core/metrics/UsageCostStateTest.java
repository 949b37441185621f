package dev.tuneladder.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tuneladder.core.data.TokenUsage;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class UsageCostStateTest {

    private static final String PRICES = """
            {"currency": "USD",
             "models": {
               "big": {"inputPerMillion": 3.0, "outputPerMillion": 15.0,
                       "cacheReadPerMillion": 0.30, "cacheWritePerMillion": 3.75},
               "small": {"inputPerMillion": 0.25, "outputPerMillion": 1.25,
                         "cacheReadPerMillion": 0.0, "cacheWritePerMillion": 0.0}}}
            """;

    private static PriceTable prices() {
        return PriceTable.read(new StringReader(PRICES), "prices.json");
    }

    /**
     * big: 3,500 input × $3 + 350 output × $15 + 5,000 cache read × $0.30 + 1,000 cache write × $3.75
     * = 10,500 + 5,250 + 1,500 + 3,750 = 21,000 per million tokens → $0.021.
     * small: 4,000 input × $0.25 + 800 output × $1.25 = 1,000 + 1,000 → $0.002. Total $0.023 over 3 correct rows.
     */
    @Test
    void result_handExample_costAndCostPerCorrect() {
        UsageCostState state = new UsageCostState();
        state.add("big", new TokenUsage(1000, 200, 5000, 0), true);
        state.add("big", new TokenUsage(2000, 100, 0, 1000), false);
        state.add("big", new TokenUsage(500, 50, 0, 0), true);
        state.add("small", new TokenUsage(4000, 800, 0, 0), true);
        state.add(null, null, false);

        UsageCost cost = state.result(prices());

        assertThat(cost.rows()).isEqualTo(5);
        assertThat(cost.correctRows()).isEqualTo(3);
        assertThat(cost.tokens()).isEqualTo(new TokenUsage(7500, 1150, 5000, 1000));
        assertThat(cost.costByModel().get("big")).isCloseTo(0.021, within(1e-12));
        assertThat(cost.costByModel().get("small")).isCloseTo(0.002, within(1e-12));
        assertThat(cost.cost()).isCloseTo(0.023, within(1e-12));
        assertThat(cost.costPerCorrect()).isCloseTo(0.023 / 3, within(1e-12));
        assertThat(cost.currency()).isEqualTo("USD");
    }

    @Test
    void result_noCorrectRow_noCostPerCorrect() {
        UsageCostState state = new UsageCostState();
        state.add("small", new TokenUsage(1_000_000, 0, 0, 0), false);

        UsageCost cost = state.result(prices());

        assertThat(cost.cost()).isCloseTo(0.25, within(1e-12));
        assertThat(cost.costPerCorrect()).isNull();
    }

    @Test
    void merge_partitions_equalSinglePass() {
        UsageCostState single = new UsageCostState();
        UsageCostState first = new UsageCostState();
        UsageCostState second = new UsageCostState();
        for (int i = 0; i < 100; i++) {
            String model = i % 4 == 0 ? "small" : "big";
            TokenUsage usage = new TokenUsage(100 + i, 10 + i % 7, i % 3 * 50, i % 5);
            single.add(model, usage, i % 3 != 0);
            (i < 37 ? first : second).add(model, usage, i % 3 != 0);
        }

        assertThat(second.merge(first).result(prices())).isEqualTo(single.result(prices()));
    }

    @Test
    void result_unpricedModel_namesModelAndFix() {
        UsageCostState state = new UsageCostState();
        state.add("unknown-model", new TokenUsage(1, 1, 0, 0), true);

        assertThatThrownBy(() -> state.result(prices())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'unknown-model'").hasMessageContaining("add it under \"models\"");
    }

    @Test
    void add_usageWithoutModel_rejected() {
        assertThatThrownBy(() -> new UsageCostState().add(null, new TokenUsage(1, 1, 0, 0), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no model id");
    }

    @Test
    void read_missingCachePrice_rejectedWithFile() {
        String json = "{\"currency\": \"USD\", \"models\": {\"m\": {\"inputPerMillion\": 1,"
                + " \"outputPerMillion\": 2, \"cacheReadPerMillion\": 0}}}";

        assertThatThrownBy(() -> PriceTable.read(new StringReader(json), "prices.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prices.json").hasMessageContaining("cacheWritePerMillion");
    }

    @Test
    void read_negativePrice_rejected() {
        String json = "{\"currency\": \"USD\", \"models\": {\"m\": {\"inputPerMillion\": -1,"
                + " \"outputPerMillion\": 2, \"cacheReadPerMillion\": 0, \"cacheWritePerMillion\": 0}}}";

        assertThatThrownBy(() -> PriceTable.read(new StringReader(json), "prices.json"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inputPerMillion");
    }
}
