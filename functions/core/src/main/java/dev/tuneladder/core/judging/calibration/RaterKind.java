package dev.tuneladder.core.judging.calibration;

/** Whether a verdict comes from an automatic judge (an LLM or a rule) or from a human reviewer. */
public enum RaterKind {
    JUDGE,
    REVIEWER
}
