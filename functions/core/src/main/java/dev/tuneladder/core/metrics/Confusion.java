package dev.tuneladder.core.metrics;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Comparator;
import java.util.Objects;

/**
 * How often rows of one gold label were predicted as another label.
 *
 * @param gold the gold label
 * @param predicted the predicted label, different from {@code gold}
 * @param count the number of rows, at least 1
 */
@JsonPropertyOrder({"gold", "predicted", "count"})
public record Confusion(String gold, String predicted, @JsonProperty(required = true) long count) {

    /** Most frequent first, then by gold and predicted label in {@link String#compareTo} order. */
    public static final Comparator<Confusion> MOST_FREQUENT_FIRST = Comparator
            .comparingLong(Confusion::count).reversed()
            .thenComparing(Confusion::gold)
            .thenComparing(Confusion::predicted);

    public Confusion {
        Objects.requireNonNull(gold, "confusion gold label is missing");
        Objects.requireNonNull(predicted, "confusion predicted label is missing");
        if (gold.equals(predicted)) {
            throw new IllegalArgumentException("confusion of label '" + gold + "' with itself; a confusion pairs a"
                    + " gold label with a different predicted label");
        }
        if (count < 1) {
            throw new IllegalArgumentException("confusion " + gold + " -> " + predicted + " has count " + count
                    + "; it must be at least 1");
        }
    }
}
