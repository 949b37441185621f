package dev.tuneladder.core.training;

import java.util.Objects;

/**
 * One finding of {@link ArtifactPreflight}.
 *
 * @param severity {@code ERROR} when the import would fail or the model could not serve chat; {@code WARNING} when
 *     it would import but one Bedrock feature would not work
 * @param file the file the finding is about, such as {@code tokenizer.model} or {@code *.safetensors}
 * @param reason what is wrong
 * @param fix what to do about it
 */
public record PreflightProblem(Severity severity, String file, String reason, String fix) {

    /** The seriousness of a finding. */
    public enum Severity {
        ERROR,
        WARNING
    }

    public PreflightProblem {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(fix, "fix");
    }

    /** Returns one line for messages and reports: severity, file, reason and fix. */
    public String message() {
        return severity + " " + file + ": " + reason + "; fix: " + fix;
    }
}
