package dev.tuneladder.core.training;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The outcome of {@link ArtifactPreflight} for one model folder.
 *
 * @param location where the files were listed, such as {@code s3://bucket/merged/} or a folder path
 * @param fileCount the number of files listed
 * @param weightBytes the total size of the top-level {@code *.safetensors} files, in bytes
 * @param weightLimitBytes the size the weights must stay under, in bytes
 * @param problems the findings, errors first
 */
public record PreflightReport(String location, int fileCount, long weightBytes, long weightLimitBytes,
        List<PreflightProblem> problems) implements PreflightFindings {

    public PreflightReport {
        Objects.requireNonNull(location, "location");
        problems = List.copyOf(problems);
    }

    /** Returns the findings, one per line, or a line saying there are none. */
    public String summary() {
        if (problems.isEmpty()) {
            return "no problems in " + fileCount + " files at " + location;
        }
        return problems.stream().map(PreflightProblem::message).collect(Collectors.joining("\n"));
    }
}
