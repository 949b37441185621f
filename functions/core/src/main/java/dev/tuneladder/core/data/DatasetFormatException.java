package dev.tuneladder.core.data;

/**
 * Thrown when an input file cannot be read as the expected dataset format. The message names the file, the
 * line when one is at fault, the reason and what to do next.
 */
public class DatasetFormatException extends RuntimeException {

    public DatasetFormatException(String message) {
        super(message);
    }

    public DatasetFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
