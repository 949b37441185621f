package dev.tuneladder.core.training;

import java.time.Instant;
import java.util.Objects;

/**
 * A model import job's status as {@link ModelImporter#getImport} read it.
 *
 * @param jobArn the import job's ARN
 * @param jobName the import job's name, or null when the response has none
 * @param state the job's status
 * @param failureMessage why the import failed, or null unless it failed
 * @param importedModelArn the imported model's ARN, for InvokeModel; null until the job completes
 * @param endTime when the job ended, or null while it runs
 * @param note a remark from the importer, such as a dry run saying that no import ran; null when there is none
 */
public record ModelImportStatus(
        String jobArn,
        String jobName,
        ModelImportState state,
        String failureMessage,
        String importedModelArn,
        Instant endTime,
        String note) {

    public ModelImportStatus {
        Objects.requireNonNull(jobArn, "jobArn");
        Objects.requireNonNull(state, "state");
    }
}
