/**
 * Judge calibration from recorded verdicts: how well an automatic judge agrees with gold labels and human
 * reviewers, whether it keeps its choice when the two answers of a pairwise comparison change places, and how
 * human reviewers agree with each other.
 *
 * <p>Readers turn LLMBar files and the generic verdict JSON Lines format into {@link
 * dev.tuneladder.core.judging.calibration.Verdict} rows and gold labels; {@link
 * dev.tuneladder.core.judging.calibration.CalibrationState} accumulates them mergeably and computes a {@link
 * dev.tuneladder.core.judging.calibration.CalibrationResult}.
 */
package dev.tuneladder.core.judging.calibration;
