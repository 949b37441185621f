package dev.tuneladder.core.training;

import java.util.Objects;

/** Thrown when merged model artifacts fail the Custom Model Import preflight; the report lists every error. */
public class ArtifactPreflightException extends RuntimeException {

    private final transient PreflightReport report;

    public ArtifactPreflightException(PreflightReport report) {
        super(message(report));
        this.report = report;
    }

    public PreflightReport report() {
        return report;
    }

    private static String message(PreflightReport report) {
        Objects.requireNonNull(report, "report");
        return "model artifacts at " + report.location() + " failed the Custom Model Import preflight with "
                + report.errors().size() + " error(s):\n" + report.summary();
    }
}
