package dev.tuneladder.handlers;

import dev.tuneladder.core.training.ArtifactPreflightException;
import dev.tuneladder.core.training.PreflightReport;

/**
 * Merged model artifacts that Custom Model Import would reject. A state machine catches it with
 * {@code "ErrorEquals": ["dev.tuneladder.handlers.ArtifactPreflightFailed"]} (the Java runtime reports the class
 * name as the error type); the message, which becomes the error cause, lists every error and its fix. Retrying
 * cannot fix it: the artifacts have to be written again.
 */
public final class ArtifactPreflightFailed extends ArtifactPreflightException {

    /** The error name a state machine's Retry and Catch match. */
    public static final String ERROR_NAME = ArtifactPreflightFailed.class.getName();

    public ArtifactPreflightFailed(PreflightReport report) {
        super(report);
    }
}
