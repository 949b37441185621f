package dev.tuneladder.core.metrics;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.tuneladder.core.data.TokenUsage;

/**
 * Token prices of one model, per million tokens, in the price table's currency.
 *
 * @param inputPerMillion price of a million prompt tokens billed at the input price
 * @param outputPerMillion price of a million generated tokens
 * @param cacheReadPerMillion price of a million prompt tokens read from the prompt cache
 * @param cacheWritePerMillion price of a million prompt tokens written to the prompt cache
 */
@JsonPropertyOrder({"inputPerMillion", "outputPerMillion", "cacheReadPerMillion", "cacheWritePerMillion"})
public record ModelPrice(
        @JsonProperty(required = true) double inputPerMillion,
        @JsonProperty(required = true) double outputPerMillion,
        @JsonProperty(required = true) double cacheReadPerMillion,
        @JsonProperty(required = true) double cacheWritePerMillion) {

    public ModelPrice {
        requirePrice("inputPerMillion", inputPerMillion);
        requirePrice("outputPerMillion", outputPerMillion);
        requirePrice("cacheReadPerMillion", cacheReadPerMillion);
        requirePrice("cacheWritePerMillion", cacheWritePerMillion);
    }

    /** Returns the cost of {@code usage} at these prices. */
    public double cost(TokenUsage usage) {
        return (usage.inputTokens() * inputPerMillion + usage.outputTokens() * outputPerMillion
                + usage.cacheReadTokens() * cacheReadPerMillion + usage.cacheWriteTokens() * cacheWritePerMillion)
                / 1_000_000.0;
    }

    private static void requirePrice(String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("price " + field + " must be a finite number 0 or more, got "
                    + value);
        }
    }
}
