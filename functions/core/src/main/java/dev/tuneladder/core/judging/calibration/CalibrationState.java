package dev.tuneladder.core.judging.calibration;

import dev.tuneladder.core.metrics.ConfidenceInterval;
import dev.tuneladder.core.metrics.PoissonBootstrap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Mergeable accumulator of verdicts and gold labels that computes a {@link CalibrationResult}.
 *
 * <p>Swap consistency, majorities and inter-reviewer agreement need every verdict on an item together, and the
 * verdicts of one item may arrive in different partitions. The state therefore keeps each item's gold label and
 * verdicts (memory grows with the number of verdicts) and computes every statistic in {@link #result()}. Merging
 * the states of any partition of the rows gives exactly the single-pass result: the stored data is a set, and
 * {@code result()} visits items in sorted id order so that floating-point sums do not depend on arrival order.
 *
 * <p>Rules checked on {@link #add}: a judge gives at most one verdict per item and order, a reviewer at most one
 * per item in either order, an id is either a judge or a reviewer, only pairwise verdicts may be swapped, and an
 * item has at most one gold label. Bootstrap weights come from {@link PoissonBootstrap} keyed by item id, so the
 * intervals resample items: both orders of an item share one weight. Not thread-safe: give each thread its own
 * state and merge them.
 */
public final class CalibrationState {

    public static final int DEFAULT_REPLICATES = 1000;
    public static final long DEFAULT_SEED = 42L;

    private final VerdictScale scale;
    private final int replicates;
    private final long seed;

    private final Map<String, Item> items = new HashMap<>();
    private final Map<String, RaterKind> raterKinds = new HashMap<>();

    /** Creates a state with {@value #DEFAULT_REPLICATES} replicates and seed {@value #DEFAULT_SEED}. */
    public CalibrationState(VerdictScale scale) {
        this(scale, DEFAULT_REPLICATES, DEFAULT_SEED);
    }

    /**
     * Creates an empty state.
     *
     * @param replicates the number of bootstrap replicates, at least 1
     * @param seed the seed of the bootstrap weights
     */
    public CalibrationState(VerdictScale scale, int replicates, long seed) {
        this.scale = Objects.requireNonNull(scale, "scale");
        if (replicates < 1) {
            throw new IllegalArgumentException("bootstrap replicates must be at least 1, got " + replicates
                    + "; the default is " + DEFAULT_REPLICATES);
        }
        this.replicates = replicates;
        this.seed = seed;
    }

    public VerdictScale scale() {
        return scale;
    }

    /**
     * Adds one verdict.
     *
     * @throws IllegalArgumentException when the verdict breaks a rule in the class comment or its value is not
     *     on the scale
     */
    public void add(Verdict verdict) {
        Objects.requireNonNull(verdict, "verdict");
        if (!scale.isValid(verdict.value())) {
            throw new IllegalArgumentException("verdict code " + verdict.value() + " on item '" + verdict.itemId()
                    + "' is not on the " + scale.spec() + " scale; expected " + scale.accepted());
        }
        if (verdict.swapped() && scale.kind() != VerdictScale.Kind.PAIRWISE) {
            throw new IllegalArgumentException("verdict on item '" + verdict.itemId() + "' by '" + verdict.rater()
                    + "' is marked swapped, but only pairwise verdicts have an order; drop 'swapped'");
        }
        RaterKind known = raterKinds.get(verdict.rater());
        if (known != null && known != verdict.raterKind()) {
            throw new IllegalArgumentException("'" + verdict.rater() + "' is both a " + describe(known) + " and a "
                    + describe(verdict.raterKind()) + "; give judges and reviewers distinct ids");
        }

        Item item = items.computeIfAbsent(verdict.itemId(), id -> new Item());
        for (Verdict existing : item.verdicts) {
            if (existing.rater().equals(verdict.rater()) && existing.raterKind() == verdict.raterKind()
                    && (verdict.raterKind() == RaterKind.REVIEWER || existing.swapped() == verdict.swapped())) {
                throw new IllegalArgumentException(duplicateMessage(verdict));
            }
        }
        raterKinds.put(verdict.rater(), verdict.raterKind());
        item.verdicts.add(verdict);
    }

    /**
     * Records the gold label of an item: in the item's own answer numbering for pairwise items, never swapped.
     * Adding the same label again is a no-op.
     *
     * @throws IllegalArgumentException when the label is not on the scale or differs from one already recorded
     */
    public void addGold(String itemId, int gold) {
        if (itemId == null || itemId.isBlank()) {
            throw new IllegalArgumentException("gold label has a missing or blank item id");
        }
        if (!scale.isValid(gold)) {
            throw new IllegalArgumentException("gold code " + gold + " on item '" + itemId + "' is not on the "
                    + scale.spec() + " scale; expected " + scale.accepted());
        }
        Item item = items.computeIfAbsent(itemId, id -> new Item());
        if (item.gold != null && item.gold != gold) {
            throw new IllegalArgumentException("item '" + itemId + "' has two gold labels, "
                    + scale.label(item.gold) + " and " + scale.label(gold) + "; keep one");
        }
        item.gold = gold;
    }

    /**
     * Adds every verdict and gold label of {@code other} to this state and returns this state.
     *
     * @throws IllegalArgumentException when the states differ in scale, seed or replicates, or when together
     *     they break a rule in the class comment (the same verdict in two partitions, for example)
     */
    public CalibrationState merge(CalibrationState other) {
        Objects.requireNonNull(other, "other");
        if (other == this) {
            throw new IllegalArgumentException("cannot merge a calibration state with itself; that would add every"
                    + " verdict twice");
        }
        if (!other.scale.equals(scale) || other.seed != seed || other.replicates != replicates) {
            throw new IllegalArgumentException("cannot merge calibration states with different settings: this one"
                    + " has scale " + scale.spec() + ", seed " + seed + " and " + replicates + " replicates, the"
                    + " other " + other.scale.spec() + ", " + other.seed + " and " + other.replicates
                    + ". Create every partial state with the same settings.");
        }
        for (Map.Entry<String, Item> entry : other.items.entrySet()) {
            Item item = entry.getValue();
            if (item.gold != null) {
                addGold(entry.getKey(), item.gold);
            }
            for (Verdict verdict : item.verdicts) {
                add(verdict);
            }
        }
        return this;
    }

    /**
     * Computes the calibration of everything added so far.
     *
     * @throws IllegalStateException when nothing was added
     */
    public CalibrationResult result() {
        if (items.isEmpty()) {
            throw new IllegalStateException("no verdicts or gold labels were added; calibration needs verdicts");
        }
        Map<String, Item> sorted = new TreeMap<>(items);
        Map<String, JudgeTally> judges = new TreeMap<>();
        Map<String, ReviewerTally> reviewers = new TreeMap<>();
        Map<String, PairTable> reviewerPairs = new TreeMap<>();
        List<Map<Integer, Long>> fleissRows = new ArrayList<>();
        int[] weights = new int[replicates];
        long itemsWithGold = 0;

        for (Map.Entry<String, Item> entry : sorted.entrySet()) {
            Item item = entry.getValue();
            List<Verdict> itemReviews = new ArrayList<>();
            for (Verdict verdict : item.verdicts) {
                if (verdict.raterKind() == RaterKind.REVIEWER) {
                    itemReviews.add(verdict);
                }
            }
            itemReviews.sort((a, b) -> a.rater().compareTo(b.rater()));
            if (item.gold != null) {
                itemsWithGold++;
                PoissonBootstrap.fillWeights(seed, entry.getKey(), weights);
            }

            tallyJudges(item, itemReviews, weights, judges);
            tallyReviewers(item.gold, itemReviews, reviewers, reviewerPairs);
            if (itemReviews.size() >= 2) {
                Map<Integer, Long> counts = new TreeMap<>();
                itemReviews.forEach(review -> counts.merge(review.value(), 1L, Long::sum));
                fleissRows.add(counts);
            }
        }

        List<JudgeCalibration> judgeResults = new ArrayList<>();
        judges.forEach((name, tally) -> judgeResults.add(tally.result(name)));
        List<ReviewerCalibration> reviewerResults = new ArrayList<>();
        reviewers.forEach((name, tally) -> reviewerResults.add(tally.result(name)));
        List<RaterAgreement> agreements = new ArrayList<>();
        reviewerPairs.values().forEach(table -> agreements.add(table.agreement()));

        return new CalibrationResult(scale.spec(), sorted.size(), itemsWithGold, judgeResults, reviewerResults,
                agreements, fleissKappa(fleissRows), fleissRows.size(), replicates, seed);
    }

    private void tallyJudges(Item item, List<Verdict> itemReviews, int[] weights, Map<String, JudgeTally> judges) {
        Map<String, Verdict[]> byJudge = new TreeMap<>();
        for (Verdict verdict : item.verdicts) {
            if (verdict.raterKind() == RaterKind.JUDGE) {
                byJudge.computeIfAbsent(verdict.rater(), name -> new Verdict[2])[verdict.swapped() ? 1 : 0] = verdict;
            }
        }
        for (Map.Entry<String, Verdict[]> entry : byJudge.entrySet()) {
            JudgeTally tally = judges.computeIfAbsent(entry.getKey(), name -> new JudgeTally(replicates));
            Verdict original = entry.getValue()[0];
            Verdict swapped = entry.getValue()[1];
            for (Verdict verdict : entry.getValue()) {
                if (verdict == null) {
                    continue;
                }
                tally.orders[verdict.swapped() ? 1 : 0].add(verdict.value(), item.gold, weights);
                tally.orders[2].add(verdict.value(), item.gold, weights);
                for (Verdict review : itemReviews) {
                    tally.reviewerTables.computeIfAbsent(review.rater(),
                            reviewer -> new PairTable(entry.getKey(), reviewer)).add(verdict.value(), review.value());
                }
            }
            if (original != null && swapped != null) {
                tally.addPair(original.value(), swapped.value());
            }
        }
    }

    private void tallyReviewers(Integer gold, List<Verdict> itemReviews, Map<String, ReviewerTally> reviewers,
            Map<String, PairTable> reviewerPairs) {
        for (int i = 0; i < itemReviews.size(); i++) {
            Verdict review = itemReviews.get(i);
            ReviewerTally tally = reviewers.computeIfAbsent(review.rater(), name -> new ReviewerTally());
            tally.verdicts++;
            if (gold != null) {
                tally.withGold++;
                tally.goldTable.add(review.value(), gold);
            }

            Map<Integer, Integer> otherCounts = new TreeMap<>();
            double othersPositive = 0;
            for (int j = 0; j < itemReviews.size(); j++) {
                if (j != i) {
                    otherCounts.merge(itemReviews.get(j).value(), 1, Integer::sum);
                    othersPositive += scale.positiveValue(itemReviews.get(j).value());
                }
            }
            if (otherCounts.isEmpty()) {
                continue;
            }
            tally.sharedItems++;
            tally.positiveSum += scale.positiveValue(review.value());
            tally.othersPositiveSum += othersPositive / (itemReviews.size() - 1);
            Integer majority = uniqueMode(otherCounts);
            if (majority != null) {
                tally.majorityItems++;
                if (majority == review.value()) {
                    tally.agreesWithMajority++;
                }
            }

            for (int j = i + 1; j < itemReviews.size(); j++) {
                Verdict other = itemReviews.get(j);
                reviewerPairs.computeIfAbsent(review.rater() + "\u0000" + other.rater(),
                        key -> new PairTable(review.rater(), other.rater())).add(review.value(), other.value());
            }
        }
    }

    private static Integer uniqueMode(Map<Integer, Integer> counts) {
        Integer mode = null;
        int best = 0;
        boolean tied = false;
        for (Map.Entry<Integer, Integer> entry : counts.entrySet()) {
            if (entry.getValue() > best) {
                mode = entry.getKey();
                best = entry.getValue();
                tied = false;
            } else if (entry.getValue() == best) {
                tied = true;
            }
        }
        return tied ? null : mode;
    }

    private static Double fleissKappa(List<Map<Integer, Long>> rows) {
        TreeMap<Integer, Integer> columns = new TreeMap<>();
        rows.forEach(row -> row.keySet().forEach(code -> columns.putIfAbsent(code, 0)));
        int column = 0;
        for (Map.Entry<Integer, Integer> entry : columns.entrySet()) {
            entry.setValue(column++);
        }
        long[][] counts = new long[rows.size()][columns.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (Map.Entry<Integer, Long> entry : rows.get(i).entrySet()) {
                counts[i][columns.get(entry.getKey())] = entry.getValue();
            }
        }
        return Agreement.fleissKappa(counts);
    }

    private static String describe(RaterKind kind) {
        return kind == RaterKind.JUDGE ? "judge" : "reviewer";
    }

    private static String duplicateMessage(Verdict verdict) {
        if (verdict.raterKind() == RaterKind.REVIEWER) {
            return "reviewer '" + verdict.rater() + "' has two verdicts on item '" + verdict.itemId()
                    + "'; a reviewer gives one verdict per item";
        }
        return "judge '" + verdict.rater() + "' has two verdicts on item '" + verdict.itemId() + "' in the "
                + (verdict.swapped() ? "swapped" : "original") + " order; keep one per order";
    }

    /** The gold label and verdicts of one item. */
    private static final class Item {
        Integer gold;
        final List<Verdict> verdicts = new ArrayList<>(2);
    }

    /** Counts of (code of rater A, code of rater B) pairs. */
    private static final class PairTable {
        final String raterA;
        final String raterB;
        final Map<Long, Long> counts = new TreeMap<>();
        long pairs;
        long agreements;

        PairTable(String raterA, String raterB) {
            this.raterA = raterA;
            this.raterB = raterB;
        }

        void add(int a, int b) {
            counts.merge(((long) a << 32) | (b & 0xffffffffL), 1L, Long::sum);
            pairs++;
            if (a == b) {
                agreements++;
            }
        }

        Double kappa() {
            TreeMap<Integer, Integer> index = new TreeMap<>();
            for (long key : counts.keySet()) {
                index.putIfAbsent((int) (key >> 32), 0);
                index.putIfAbsent((int) key, 0);
            }
            int next = 0;
            for (Map.Entry<Integer, Integer> entry : index.entrySet()) {
                entry.setValue(next++);
            }
            long[][] table = new long[index.size()][index.size()];
            for (Map.Entry<Long, Long> entry : counts.entrySet()) {
                long key = entry.getKey();
                table[index.get((int) (key >> 32))][index.get((int) key)] += entry.getValue();
            }
            return Agreement.cohenKappa(table);
        }

        RaterAgreement agreement() {
            return new RaterAgreement(raterA, raterB, pairs, agreements, Checks.rate(agreements, pairs), kappa());
        }
    }

    /** Exact and bootstrap-weighted counts of one judge in one order. */
    private static final class OrderTally {
        final PairTable goldTable = new PairTable("judge", "gold");
        final long[] weightedWithGold;
        final long[] weightedCorrect;
        long verdicts;

        OrderTally(int replicates) {
            weightedWithGold = new long[replicates];
            weightedCorrect = new long[replicates];
        }

        void add(int value, Integer gold, int[] weights) {
            verdicts++;
            if (gold == null) {
                return;
            }
            goldTable.add(value, gold);
            boolean correct = value == gold;
            for (int b = 0; b < weights.length; b++) {
                weightedWithGold[b] += weights[b];
                if (correct) {
                    weightedCorrect[b] += weights[b];
                }
            }
        }

        OrderScores scores() {
            long withGold = goldTable.pairs;
            long correct = goldTable.agreements;
            Double accuracy = Checks.rate(correct, withGold);
            ConfidenceInterval interval = accuracy == null ? null : interval(accuracy);
            return new OrderScores(verdicts, withGold, correct, accuracy, interval, goldTable.kappa());
        }

        /**
         * Takes the 2.5th and 97.5th percentiles of the replicate accuracies. Replicates in which every item drew
         * weight 0 have no accuracy and are skipped; when all are skipped both bounds equal the point estimate.
         */
        private ConfidenceInterval interval(double accuracy) {
            double[] values = new double[weightedWithGold.length];
            int kept = 0;
            for (int b = 0; b < weightedWithGold.length; b++) {
                if (weightedWithGold[b] > 0) {
                    values[kept++] = (double) weightedCorrect[b] / weightedWithGold[b];
                }
            }
            if (kept == 0) {
                return new ConfidenceInterval(accuracy, accuracy);
            }
            double[] keptValues = Arrays.copyOf(values, kept);
            double low = PoissonBootstrap.percentile(keptValues, 0.025);
            double high = PoissonBootstrap.percentile(keptValues, 0.975);
            return new ConfidenceInterval(Math.max(0, Math.min(1, low)), Math.max(0, Math.min(1, high)));
        }
    }

    /** Everything counted for one judge. */
    private static final class JudgeTally {
        /** Original, swapped, all. */
        final OrderTally[] orders;
        final Map<String, PairTable> reviewerTables = new TreeMap<>();
        final PairTable betweenOrders = new PairTable("original", "swapped");
        long firstPositionBoth;
        long secondPositionBoth;

        JudgeTally(int replicates) {
            orders = new OrderTally[] {new OrderTally(replicates), new OrderTally(replicates),
                new OrderTally(replicates)};
        }

        /**
         * Counts one item judged in both orders. Both values are answers in the item's own numbering. When they
         * differ the judge picked the same position twice: answer 1 in the original order is position 1, and in
         * the swapped order answer 2 is position 1, so (1, 2) is "first position both times" and (2, 1) "second".
         */
        void addPair(int originalAnswer, int swappedAnswer) {
            betweenOrders.add(originalAnswer, swappedAnswer);
            if (originalAnswer == swappedAnswer) {
                return;
            }
            if (originalAnswer == 1) {
                firstPositionBoth++;
            } else {
                secondPositionBoth++;
            }
        }

        JudgeCalibration result(String judge) {
            SwapConsistency swap = null;
            long pairs = betweenOrders.pairs;
            if (pairs > 0) {
                long inconsistent = pairs - betweenOrders.agreements;
                swap = new SwapConsistency(pairs, betweenOrders.agreements, Checks.rate(betweenOrders.agreements,
                        pairs), firstPositionBoth, secondPositionBoth, Checks.rate(firstPositionBoth, inconsistent),
                        Checks.rate(secondPositionBoth, inconsistent), betweenOrders.kappa());
            }
            List<RaterAgreement> withReviewers = new ArrayList<>();
            reviewerTables.values().forEach(table -> withReviewers.add(table.agreement()));
            return new JudgeCalibration(judge, orders[0].scores(), orders[1].scores(), orders[2].scores(), swap,
                    withReviewers);
        }
    }

    /** Everything counted for one reviewer. */
    private static final class ReviewerTally {
        final PairTable goldTable = new PairTable("reviewer", "gold");
        long verdicts;
        long withGold;
        long majorityItems;
        long agreesWithMajority;
        long sharedItems;
        double positiveSum;
        double othersPositiveSum;

        ReviewerCalibration result(String reviewer) {
            Double meanPositive = sharedItems == 0 ? null : positiveSum / sharedItems;
            Double othersMeanPositive = sharedItems == 0 ? null : othersPositiveSum / sharedItems;
            Double leniency = sharedItems == 0 ? null : meanPositive - othersMeanPositive;
            return new ReviewerCalibration(reviewer, verdicts, withGold, goldTable.agreements,
                    Checks.rate(goldTable.agreements, withGold), goldTable.kappa(), majorityItems,
                    agreesWithMajority, Checks.rate(agreesWithMajority, majorityItems), sharedItems, meanPositive,
                    othersMeanPositive, leniency);
        }
    }
}
