package dev.tuneladder.core.judging.calibration;

/**
 * One recorded verdict on one item.
 *
 * <p>Pairwise mapping: {@code value} always names the answer in the item's own numbering, where answer 1 is the
 * one shown first in the original order. When {@code swapped} is true the answers were shown the other way
 * round, so answer 1 sat in the second position: {@link #position()} gives the position that was picked. A
 * reader of a format that records the picked position (the generic verdict file does) converts it with
 * {@code value = 3 - position} for swapped rows.
 *
 * @param itemId the item judged; gold labels and other raters' verdicts join on it
 * @param rater the judge or reviewer id
 * @param raterKind whether the rater is an automatic judge or a human reviewer
 * @param value the verdict's code on the calibration's {@link VerdictScale}
 * @param swapped whether the two answers of a pairwise item were shown in reverse order; false on other scales
 */
public record Verdict(String itemId, String rater, RaterKind raterKind, int value, boolean swapped) {

    public Verdict {
        if (itemId == null || itemId.isBlank()) {
            throw new IllegalArgumentException("verdict item id is missing or blank; every verdict names its item");
        }
        if (rater == null || rater.isBlank()) {
            throw new IllegalArgumentException("verdict on item '" + itemId + "' has no judge or reviewer id");
        }
        if (raterKind == null) {
            throw new IllegalArgumentException("verdict on item '" + itemId + "' by '" + rater
                    + "' has no rater kind");
        }
    }

    /** Returns the pairwise position picked: 1 for the answer shown first, 2 for the one shown second. */
    public int position() {
        return swapped ? 3 - value : value;
    }
}
