package dev.tuneladder.core.metrics;

import dev.tuneladder.core.data.TokenUsage;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Mergeable token counts per model and the number of correct rows, priced at {@link #result(PriceTable)}.
 *
 * <p>The state keeps integer token sums per model and prices them only in {@code result}, so merging the states
 * of any partition of the rows gives exactly the single-pass result, and a price change needs no second pass.
 * Not thread-safe: give each thread its own state and merge them.
 */
public final class UsageCostState {

    private long rows;
    private long correctRows;
    private final Map<String, long[]> tokensByModel = new HashMap<>();

    /**
     * Adds one row.
     *
     * @param modelId the model that produced the row's prediction; may be null only when {@code usage} is null
     * @param usage the row's token counts, or null when no model was called (the row costs nothing)
     * @param correct whether the row's prediction was correct
     */
    public void add(String modelId, TokenUsage usage, boolean correct) {
        rows++;
        if (correct) {
            correctRows++;
        }
        if (usage == null) {
            return;
        }
        if (modelId == null || modelId.isBlank()) {
            throw new IllegalArgumentException("a row has token usage but no model id, so its cost cannot be"
                    + " looked up; record the model id with every prediction that calls a model");
        }
        long[] sums = tokensByModel.computeIfAbsent(modelId, id -> new long[4]);
        sums[0] += usage.inputTokens();
        sums[1] += usage.outputTokens();
        sums[2] += usage.cacheReadTokens();
        sums[3] += usage.cacheWriteTokens();
    }

    /** Adds every count of {@code other} to this state and returns this state; {@code other} is not changed. */
    public UsageCostState merge(UsageCostState other) {
        Objects.requireNonNull(other, "other");
        if (other == this) {
            throw new IllegalArgumentException("cannot merge a usage state with itself; that would count every row"
                    + " twice");
        }
        rows += other.rows;
        correctRows += other.correctRows;
        for (Map.Entry<String, long[]> entry : other.tokensByModel.entrySet()) {
            long[] sums = tokensByModel.computeIfAbsent(entry.getKey(), id -> new long[4]);
            for (int i = 0; i < sums.length; i++) {
                sums[i] += entry.getValue()[i];
            }
        }
        return this;
    }

    /**
     * Prices the token counts. Models are priced in sorted order, so the floating-point total does not depend on
     * the order of adds and merges.
     *
     * @throws IllegalArgumentException when a model that used tokens has no entry in {@code prices}
     */
    public UsageCost result(PriceTable prices) {
        Objects.requireNonNull(prices, "prices");
        Map<String, Double> costByModel = new TreeMap<>();
        long[] total = new long[4];
        double cost = 0;
        for (Map.Entry<String, long[]> entry : new TreeMap<>(tokensByModel).entrySet()) {
            long[] sums = entry.getValue();
            TokenUsage usage = new TokenUsage(sums[0], sums[1], sums[2], sums[3]);
            double modelCost = prices.price(entry.getKey()).cost(usage);
            costByModel.put(entry.getKey(), modelCost);
            cost += modelCost;
            for (int i = 0; i < total.length; i++) {
                total[i] += sums[i];
            }
        }
        Double costPerCorrect = correctRows == 0 ? null : cost / correctRows;
        return new UsageCost(rows, correctRows, new TokenUsage(total[0], total[1], total[2], total[3]),
                prices.currency(), cost, costPerCorrect, costByModel);
    }
}
