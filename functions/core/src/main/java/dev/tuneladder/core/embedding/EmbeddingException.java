package dev.tuneladder.core.embedding;

/** Thrown when an embedding model cannot turn text into vectors. */
public class EmbeddingException extends RuntimeException {

    public EmbeddingException(String message, Throwable cause) {
        super(message, cause);
    }
}
