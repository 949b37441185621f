package dev.tuneladder.core.report;

import java.util.Locale;
import java.util.Map;

/**
 * Readable labels and value formats for the scalar extras of a run (metrics.json's {@code extra} object), as
 * report.html's per-run detail table shows them. Keys without a label here are shown as they are.
 */
final class RunDetails {

    /** Labels of the extras that the command line writes, with the unit where the value has one. */
    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("examples", "examples in the index"),
            Map.entry("k", "neighbours searched (k)"),
            Map.entry("indexBuildMillis", "index build time (ms)"),
            Map.entry("routeMillis", "routing time (ms)"),
            Map.entry("missingPredictions", "rows without a prediction"),
            Map.entry("failedPredictions", "rows whose prediction failed"),
            Map.entry("toolCallMissingPredictions", "tool-call rows without a prediction"),
            Map.entry("toolCallFailedPredictions", "tool-call rows whose prediction failed"),
            Map.entry("rejectedRows", "rejected input rows"),
            Map.entry("testRows", "test rows"),
            Map.entry("modelId", "model"),
            Map.entry("promptVersion", "prompt version"),
            Map.entry("errorRows", "rows with a model error"),
            Map.entry("inputTokens", "input tokens"),
            Map.entry("outputTokens", "output tokens"),
            Map.entry("cacheReadTokens", "cache read tokens"),
            Map.entry("cacheWriteTokens", "cache write tokens"),
            Map.entry("fewShotIndex", "few-shot examples from"),
            Map.entry("floor", "floor run"),
            Map.entry("floorMacroF1", "floor macro-F1"),
            Map.entry("versusFloor", "macro-F1 versus the floor"));

    private RunDetails() {
    }

    /** Returns the readable label of an extra's key, or the key itself when it has none. */
    static String label(String key) {
        return LABELS.getOrDefault(key, key);
    }

    /**
     * Formats an extra's value: whole numbers with thousands separators ("10,003"), other numbers with three
     * decimals as the report's rates are, and the rest as text. Locale.ROOT keeps the output the same on every
     * machine.
     */
    static String format(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return String.format(Locale.ROOT, "%,d", ((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            return RoutingSections.rate(((Number) value).doubleValue());
        }
        return String.valueOf(value);
    }
}
