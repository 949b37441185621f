package dev.tuneladder.core.metrics;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tuneladder.core.data.Json;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Token prices per model id, read from a small JSON configuration file:
 * <pre>{@code
 * {"currency": "USD",
 *  "models": {"my-model": {"inputPerMillion": 3.0, "outputPerMillion": 15.0,
 *                          "cacheReadPerMillion": 0.3, "cacheWritePerMillion": 3.75}}}
 * }</pre>
 * All four prices are required, so a forgotten cache price cannot silently cost nothing.
 *
 * @param currency the currency of every price, for example "USD"
 * @param models prices keyed by the model id that predictions carry
 */
@JsonPropertyOrder({"currency", "models"})
public record PriceTable(
        @JsonProperty(required = true) String currency,
        @JsonProperty(required = true) Map<String, ModelPrice> models) {

    public PriceTable {
        if (currency == null || currency.isBlank()) {
            throw new IllegalArgumentException("price table field 'currency' is missing or blank; set it, for"
                    + " example to \"USD\"");
        }
        Objects.requireNonNull(models, "price table field 'models' is missing");
        for (Map.Entry<String, ModelPrice> entry : models.entrySet()) {
            if (entry.getValue() == null) {
                throw new IllegalArgumentException("price table model '" + entry.getKey() + "' has no prices");
            }
        }
        models = Collections.unmodifiableMap(new TreeMap<>(models));
    }

    /**
     * Reads a price table.
     *
     * @param source the file name used in messages
     * @throws IllegalArgumentException when the JSON is invalid or a field is missing or out of range
     */
    public static PriceTable read(Reader input, String source) {
        try {
            PriceTable table = Json.mapper().readValue(input, PriceTable.class);
            if (table == null) {
                throw new IllegalArgumentException("price table " + source + " is JSON null; expected an object"
                        + " with \"currency\" and \"models\"");
            }
            return table;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid price table " + source + ": " + rootMessage(e)
                    + ". Expected {\"currency\": \"USD\", \"models\": {\"MODEL_ID\": {\"inputPerMillion\": ..,"
                    + " \"outputPerMillion\": .., \"cacheReadPerMillion\": .., \"cacheWritePerMillion\": ..}}}", e);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read price table " + source, e);
        }
    }

    /**
     * Returns the prices of {@code modelId}.
     *
     * @throws IllegalArgumentException when the table has no entry for it
     */
    public ModelPrice price(String modelId) {
        ModelPrice price = models.get(modelId);
        if (price == null) {
            throw new IllegalArgumentException("the price table has no prices for model '" + modelId + "'; add it"
                    + " under \"models\" (the table lists " + models.keySet() + ")");
        }
        return price;
    }

    private static String rootMessage(JsonProcessingException e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
            return cause.getMessage();
        }
        return e.getOriginalMessage();
    }
}
