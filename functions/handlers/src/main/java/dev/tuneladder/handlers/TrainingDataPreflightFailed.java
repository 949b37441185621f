package dev.tuneladder.handlers;

import dev.tuneladder.core.training.TrainingDataReport;
import java.util.Objects;

/**
 * Exported training files that a training job should not start on. A state machine catches it with
 * {@code "ErrorEquals": ["dev.tuneladder.handlers.TrainingDataPreflightFailed"]} (the Java runtime reports the
 * class name as the error type); the message, which becomes the error cause, lists every error with the object and
 * line at fault and the fix. Retrying cannot fix it: the data has to be exported again.
 */
public final class TrainingDataPreflightFailed extends RuntimeException {

    /** The error name a state machine's Retry and Catch match. */
    public static final String ERROR_NAME = TrainingDataPreflightFailed.class.getName();

    private final transient TrainingDataReport report;

    public TrainingDataPreflightFailed(TrainingDataReport report) {
        super("the training files at " + Objects.requireNonNull(report, "report").location() + " failed the"
                + " preflight:\n" + report.summary());
        this.report = report;
    }

    public TrainingDataReport report() {
        return report;
    }
}
