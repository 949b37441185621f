package dev.tuneladder.core.training;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The outcome of {@link TrainingDataPreflight} for the training files of one run.
 *
 * @param location the training channel's folder, such as {@code s3://bucket/runs/r1/training-data/train/}
 * @param files the number of objects in the training and validation folders
 * @param trainExamples the example lines in the training folder
 * @param validationExamples the example lines in the validation folder, 0 when there is none
 * @param bytes the size of every file together, in bytes
 * @param problems the findings, errors first; each file is an object location, with {@code :line} for a finding
 *     about one line
 */
public record TrainingDataReport(String location, int files, long trainExamples, long validationExamples,
        long bytes, List<PreflightProblem> problems) implements PreflightFindings {

    public TrainingDataReport {
        Objects.requireNonNull(location, "location");
        problems = List.copyOf(problems);
    }

    /** Returns the findings, one per line, or a line saying there are none. */
    public String summary() {
        if (problems.isEmpty()) {
            return "no problems in " + files + " files (" + trainExamples + " training and " + validationExamples
                    + " validation examples) at " + location;
        }
        return problems.stream().map(PreflightProblem::message).collect(Collectors.joining("\n"));
    }
}
