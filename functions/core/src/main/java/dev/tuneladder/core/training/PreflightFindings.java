package dev.tuneladder.core.training;

import java.util.List;

/** A preflight's findings, split by severity: errors stop the next step, warnings do not. */
public interface PreflightFindings {

    /** Returns the findings, errors first. */
    List<PreflightProblem> problems();

    /** Returns whether no finding is an error, so the next step can start on the files. */
    default boolean passed() {
        return errors().isEmpty();
    }

    default List<PreflightProblem> errors() {
        return problems().stream().filter(p -> p.severity() == PreflightProblem.Severity.ERROR).toList();
    }

    default List<PreflightProblem> warnings() {
        return problems().stream().filter(p -> p.severity() == PreflightProblem.Severity.WARNING).toList();
    }
}
