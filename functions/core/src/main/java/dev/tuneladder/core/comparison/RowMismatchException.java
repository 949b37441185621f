package dev.tuneladder.core.comparison;

/** Thrown when two runs to be compared were not made on the same rows. */
public final class RowMismatchException extends IllegalArgumentException {

    public RowMismatchException(String message) {
        super(message);
    }
}
