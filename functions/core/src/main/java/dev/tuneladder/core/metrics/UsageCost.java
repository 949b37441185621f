package dev.tuneladder.core.metrics;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.tuneladder.core.data.TokenUsage;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Token counts and their cost over the rows of a run.
 *
 * @param rows rows counted
 * @param correctRows rows whose prediction was correct
 * @param tokens token counts summed over every row
 * @param currency the price table's currency
 * @param cost the total cost of {@code tokens}
 * @param costPerCorrect cost divided by correct rows, or null when no row was correct
 * @param costByModel the total cost per model id, sorted by id
 */
@JsonPropertyOrder({"rows", "correctRows", "tokens", "currency", "cost", "costPerCorrect", "costByModel"})
public record UsageCost(long rows, long correctRows, TokenUsage tokens, String currency, double cost,
        Double costPerCorrect, Map<String, Double> costByModel) {

    public UsageCost {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(costByModel, "costByModel");
        if (correctRows < 0 || correctRows > rows) {
            throw new IllegalArgumentException("correct rows " + correctRows + " must be between 0 and rows " + rows);
        }
        if (!(cost >= 0) || Double.isInfinite(cost)) {
            throw new IllegalArgumentException("cost must be a finite number 0 or more, got " + cost);
        }
        costByModel = Collections.unmodifiableMap(new TreeMap<>(costByModel));
    }
}
