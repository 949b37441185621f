package dev.tuneladder.core.data;

/**
 * Token counts of one model call.
 *
 * @param inputTokens prompt tokens billed at the input price
 * @param outputTokens generated tokens
 * @param cacheReadTokens prompt tokens served from the prompt cache
 * @param cacheWriteTokens prompt tokens written to the prompt cache
 */
public record TokenUsage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {

    public TokenUsage {
        if (inputTokens < 0 || outputTokens < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
    }
}
