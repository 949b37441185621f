package dev.tuneladder.aws.opensearch;

import java.util.List;
import java.util.Objects;

/**
 * Thrown when OpenSearch rejects some items of a bulk request. The items not listed in {@link #failures()} were
 * written, and become searchable at the next commit.
 */
public class BulkWriteException extends RuntimeException {

    /** Failures named in the message; the rest are only counted there. */
    static final int FAILURES_IN_MESSAGE = 5;

    /**
     * Characters of each reason kept in the message. Some reasons quote the rejected value, such as the start of
     * an oversized label, and the message should not carry much of a caller's data.
     */
    static final int REASON_CHARS_IN_MESSAGE = 200;

    /**
     * One rejected bulk item.
     *
     * @param id the example id of the item
     * @param status the item's HTTP status, such as 400
     * @param type OpenSearch's error type, such as {@code mapper_parsing_exception}
     * @param reason OpenSearch's error reason
     */
    public record Failure(String id, int status, String type, String reason) {

        public Failure {
            Objects.requireNonNull(id, "id");
        }
    }

    private final transient List<Failure> failures;

    public BulkWriteException(String indexName, String operation, int itemCount, List<Failure> failures) {
        super(message(indexName, operation, itemCount, failures));
        this.failures = List.copyOf(failures);
    }

    /** Returns every rejected item, in request order. */
    public List<Failure> failures() {
        return failures;
    }

    private static String message(String indexName, String operation, int itemCount, List<Failure> failures) {
        StringBuilder message = new StringBuilder()
                .append("OpenSearch rejected ").append(failures.size()).append(" of ").append(itemCount)
                .append(' ').append(operation).append(" items in index ").append(indexName).append(':');
        for (Failure failure : failures.subList(0, Math.min(FAILURES_IN_MESSAGE, failures.size()))) {
            message.append(" [id=").append(failure.id()).append(", status ").append(failure.status()).append(", ")
                    .append(failure.type()).append(": ").append(shortened(failure.reason())).append(']');
        }
        if (failures.size() > FAILURES_IN_MESSAGE) {
            message.append(" and ").append(failures.size() - FAILURES_IN_MESSAGE).append(" more");
        }
        return message.append(". The other items were written; fix the listed ones and upsert them again").toString();
    }

    private static String shortened(String reason) {
        if (reason == null || reason.length() <= REASON_CHARS_IN_MESSAGE) {
            return reason;
        }
        return reason.substring(0, REASON_CHARS_IN_MESSAGE) + "...";
    }
}
