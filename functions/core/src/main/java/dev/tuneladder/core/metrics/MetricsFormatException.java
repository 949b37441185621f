package dev.tuneladder.core.metrics;

/**
 * Thrown when a metrics.json file cannot be read as a {@link MetricsDocument}. The message names the source, the
 * field or position at fault and what to do next.
 */
public class MetricsFormatException extends RuntimeException {

    public MetricsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
