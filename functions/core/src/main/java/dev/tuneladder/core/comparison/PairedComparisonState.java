package dev.tuneladder.core.comparison;

import dev.tuneladder.core.metrics.PoissonBootstrap;
import dev.tuneladder.core.metrics.RoutingMetricsState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Mergeable counts of a baseline and a candidate run scored on the same rows: exact and per-replicate weighted
 * counts of both runs, the discordant rows for McNemar's test, the flipped row ids and per-stratum counts.
 *
 * <p>The paired bootstrap gives a row the same Poisson weight in both runs, so each replicate resamples rows and
 * the difference candidate − baseline keeps the correlation between the runs. The weights come from
 * {@link PoissonBootstrap} with the same (seed, row id) hashing as {@link RoutingMetricsState}: a comparison and
 * the runs' own metrics use the same resamples, and the states of any partition of the rows merge into exactly
 * the single-pass state. Row ids must therefore be unique. Nothing here can detect the same id added to two
 * partitions.
 *
 * <p>Rows are added either with labels, which allows accuracy, macro-F1 and any other {@link CountMetric}, or
 * with correctness only, which allows accuracy. One state takes one kind.
 *
 * <p>The flipped row ids kept are the {@code maxListedFlips} smallest in each direction (String order), which is
 * also exact under merging. Memory is about 6 × replicates × labels longs for labelled rows (3.7 MB for 1,000
 * replicates and 77 labels) plus the listed ids and one entry per stratum. Not thread-safe: give each thread its
 * own state and merge them.
 */
public final class PairedComparisonState {

    /** Flipped row ids listed per direction by default. */
    public static final int DEFAULT_MAX_LISTED_FLIPS = 1000;

    private static final double LOWER_PERCENTILE = 0.025;
    private static final double UPPER_PERCENTILE = 0.975;

    private final int replicates;
    private final long seed;
    private final int maxListedFlips;

    /** Null until the first row decides; then whether rows carry labels. */
    private Boolean labelled;

    private final Map<String, Integer> indexByLabel = new HashMap<>();
    private final List<String> labels = new ArrayList<>();
    private final RunState baseline;
    private final RunState candidate;

    private long rows;
    private final long[] weightedRows;

    private final TreeSet<String> fixedIds = new TreeSet<>();
    private final TreeSet<String> brokenIds = new TreeSet<>();
    private long fixedCount;
    private long brokenCount;

    /** Per stratum: rows, baseline correct, candidate correct, fixed, broken. */
    private final Map<String, long[]> strata = new HashMap<>();

    private final int[] rowWeights;

    /** Creates a state with the routing metrics' default replicates and seed and no fixed labels. */
    public PairedComparisonState() {
        this(RoutingMetricsState.DEFAULT_REPLICATES, RoutingMetricsState.DEFAULT_SEED, List.of(),
                DEFAULT_MAX_LISTED_FLIPS);
    }

    /**
     * Creates a state.
     *
     * @param replicates bootstrap replicates, at least 1; use the runs' own count so the intervals match theirs
     * @param seed seed of the bootstrap weights; use the runs' own seed for the same reason
     * @param fixedLabels labels in the macro average even when no row has them as gold or predicted label. A
     *     non-empty list makes the state accept labelled rows only.
     * @param maxListedFlips flipped row ids to keep per direction, 0 or more; counts stay exact either way
     */
    public PairedComparisonState(int replicates, long seed, Collection<String> fixedLabels, int maxListedFlips) {
        if (replicates < 1) {
            throw new IllegalArgumentException("bootstrap replicates must be at least 1, got " + replicates
                    + "; the default is " + RoutingMetricsState.DEFAULT_REPLICATES);
        }
        if (maxListedFlips < 0) {
            throw new IllegalArgumentException("maxListedFlips must be 0 or more, got " + maxListedFlips);
        }
        Objects.requireNonNull(fixedLabels, "fixedLabels");
        this.replicates = replicates;
        this.seed = seed;
        this.maxListedFlips = maxListedFlips;
        this.weightedRows = new long[replicates];
        this.rowWeights = new int[replicates];
        this.baseline = new RunState(replicates);
        this.candidate = new RunState(replicates);
        for (String label : fixedLabels) {
            if (label == null || label.isBlank()) {
                throw new IllegalArgumentException("the fixed label list contains a missing or blank label;"
                        + " remove it");
            }
            indexOf(label);
        }
        if (!fixedLabels.isEmpty()) {
            labelled = true;
        }
    }

    public int replicates() {
        return replicates;
    }

    public long seed() {
        return seed;
    }

    public long rows() {
        return rows;
    }

    /**
     * Adds one row by the two runs' outcomes on it.
     *
     * @throws IllegalArgumentException when the outcomes are of different rows or name different gold labels
     */
    public void add(RowOutcome baselineOutcome, RowOutcome candidateOutcome) {
        if (!baselineOutcome.id().equals(candidateOutcome.id())) {
            throw new IllegalArgumentException("cannot pair outcome '" + baselineOutcome.id() + "' with outcome '"
                    + candidateOutcome.id() + "'; pair the outcomes of the same row");
        }
        if (!baselineOutcome.gold().equals(candidateOutcome.gold())) {
            throw new IllegalArgumentException("row '" + baselineOutcome.id() + "' has gold label '"
                    + baselineOutcome.gold() + "' in the baseline and '" + candidateOutcome.gold() + "' in the"
                    + " candidate; compare runs scored against the same labelled dataset");
        }
        add(baselineOutcome.id(), baselineOutcome.stratum(), baselineOutcome.gold(), baselineOutcome.predicted(),
                candidateOutcome.predicted());
    }

    /**
     * Adds one labelled row.
     *
     * @param rowId the row's unique id; it alone determines the row's bootstrap weights
     * @param stratum the row's stratum in the per-stratum table
     * @param gold the correct label
     * @param baselinePredicted the baseline's label, or null when it produced none (counts as wrong)
     * @param candidatePredicted the candidate's label, or null when it produced none (counts as wrong)
     */
    public void add(String rowId, String stratum, String gold, String baselinePredicted, String candidatePredicted) {
        requireText(rowId, "row id", rowId);
        requireText(rowId, "stratum", stratum);
        requireText(rowId, "gold label", gold);
        requireKind(true, rowId);

        int goldIndex = indexOf(gold);
        int baselineIndex = baselinePredicted == null ? -1 : indexOf(baselinePredicted);
        int candidateIndex = candidatePredicted == null ? -1 : indexOf(candidatePredicted);
        int[] weights = weightsOf(rowId);
        baseline.addLabelled(goldIndex, baselineIndex, weights);
        candidate.addLabelled(goldIndex, candidateIndex, weights);
        count(rowId, stratum, goldIndex == baselineIndex, goldIndex == candidateIndex);
    }

    /**
     * Adds one row by correctness alone. Only accuracy, not label-based metrics, can be computed from such rows.
     *
     * @param rowId the row's unique id; it alone determines the row's bootstrap weights
     * @param stratum the row's stratum in the per-stratum table
     */
    public void add(String rowId, String stratum, boolean baselineCorrect, boolean candidateCorrect) {
        requireText(rowId, "row id", rowId);
        requireText(rowId, "stratum", stratum);
        requireKind(false, rowId);

        int[] weights = weightsOf(rowId);
        baseline.addCorrectness(baselineCorrect, weights);
        candidate.addCorrectness(candidateCorrect, weights);
        count(rowId, stratum, baselineCorrect, candidateCorrect);
    }

    /**
     * Adds every count of {@code other} to this state and returns this state; {@code other} is not changed.
     *
     * @throws IllegalArgumentException when the states differ in seed, replicates, flip cap or kind of rows
     */
    public PairedComparisonState merge(PairedComparisonState other) {
        Objects.requireNonNull(other, "other");
        if (other == this) {
            throw new IllegalArgumentException("cannot merge a paired comparison state with itself; that would"
                    + " count every row twice");
        }
        if (other.seed != seed || other.replicates != replicates || other.maxListedFlips != maxListedFlips) {
            throw new IllegalArgumentException("cannot merge paired comparison states with different settings:"
                    + " this state has seed " + seed + ", " + replicates + " replicates and " + maxListedFlips
                    + " listed flips, the other has seed " + other.seed + ", " + other.replicates + " replicates and "
                    + other.maxListedFlips + ". Create every partial state with the same settings.");
        }
        if (labelled != null && other.labelled != null && !labelled.equals(other.labelled)) {
            throw new IllegalArgumentException("cannot merge a state of labelled rows with a state of rows added by"
                    + " correctness only; add every row the same way");
        }
        if (labelled == null) {
            labelled = other.labelled;
        }

        int[] indexInThis = new int[other.labels.size()];
        for (int i = 0; i < indexInThis.length; i++) {
            indexInThis[i] = indexOf(other.labels.get(i));
        }
        baseline.merge(other.baseline, indexInThis);
        candidate.merge(other.candidate, indexInThis);

        rows += other.rows;
        addTo(weightedRows, other.weightedRows);
        fixedCount += other.fixedCount;
        brokenCount += other.brokenCount;
        for (String id : other.fixedIds) {
            keepSmallest(fixedIds, id);
        }
        for (String id : other.brokenIds) {
            keepSmallest(brokenIds, id);
        }
        for (Map.Entry<String, long[]> entry : other.strata.entrySet()) {
            long[] counts = strata.computeIfAbsent(entry.getKey(), key -> new long[5]);
            for (int i = 0; i < counts.length; i++) {
                counts[i] += entry.getValue()[i];
            }
        }
        return this;
    }

    /**
     * Compares the runs on accuracy, and on macro-F1 when the rows were added with labels.
     *
     * @throws IllegalStateException when no row was added
     */
    public PairedComparison result() {
        List<CountMetric> metrics = Boolean.TRUE.equals(labelled)
                ? List.of(CountMetric.ACCURACY, CountMetric.MACRO_F1)
                : List.of(CountMetric.ACCURACY);
        return result(metrics);
    }

    /**
     * Compares the runs on {@code metrics}: each one's value in both runs, the difference candidate − baseline,
     * and its 95% interval, the 2.5th and 97.5th percentiles (see {@link PoissonBootstrap#percentile}) of the
     * replicate differences. Replicates whose rows all drew weight 0 are skipped, as in RoutingMetricsState.
     * Labels are visited in sorted order, so the result does not depend on the order of adds and merges.
     *
     * @throws IllegalStateException when no row was added
     * @throws IllegalArgumentException when a metric needs labels and the rows were added by correctness only
     */
    public PairedComparison result(List<CountMetric> metrics) {
        if (rows == 0) {
            throw new IllegalStateException("no rows were added to the paired comparison state; a comparison of"
                    + " zero rows is undefined");
        }
        for (CountMetric metric : metrics) {
            if (metric.needsLabels() && !Boolean.TRUE.equals(labelled)) {
                throw new IllegalArgumentException("metric '" + metric.name() + "' needs labels, but the rows were"
                        + " added by correctness only; add them with gold and predicted labels");
            }
        }

        int[] sortedToIndex = sortedLabelIndexes();
        RunCounts baselineCounts = new RunCounts(sortedToIndex.length);
        RunCounts candidateCounts = new RunCounts(sortedToIndex.length);
        baseline.fillExact(baselineCounts, sortedToIndex, rows);
        candidate.fillExact(candidateCounts, sortedToIndex, rows);

        double[][] replicateDifferences = new double[metrics.size()][replicates];
        RunCounts baselineReplicate = new RunCounts(sortedToIndex.length);
        RunCounts candidateReplicate = new RunCounts(sortedToIndex.length);
        int kept = 0;
        for (int b = 0; b < replicates; b++) {
            if (weightedRows[b] == 0) {
                continue;
            }
            baseline.fillReplicate(baselineReplicate, sortedToIndex, b, weightedRows[b]);
            candidate.fillReplicate(candidateReplicate, sortedToIndex, b, weightedRows[b]);
            for (int m = 0; m < metrics.size(); m++) {
                CountMetric metric = metrics.get(m);
                replicateDifferences[m][kept] = metric.value(candidateReplicate) - metric.value(baselineReplicate);
            }
            kept++;
        }

        Map<String, MetricDifference> differences = new LinkedHashMap<>();
        for (int m = 0; m < metrics.size(); m++) {
            CountMetric metric = metrics.get(m);
            double baselineValue = metric.value(baselineCounts);
            double candidateValue = metric.value(candidateCounts);
            double difference = candidateValue - baselineValue;
            DifferenceInterval interval = kept == 0
                    ? new DifferenceInterval(difference, difference)
                    : percentileInterval(Arrays.copyOf(replicateDifferences[m], kept));
            if (differences.put(metric.name(), new MetricDifference(metric.name(), baselineValue, candidateValue,
                    difference, interval)) != null) {
                throw new IllegalArgumentException("two metrics are named '" + metric.name() + "'; give each a"
                        + " unique name");
            }
        }

        return new PairedComparison(rows, replicates, seed, differences, ExactMcNemar.of(brokenCount, fixedCount),
                new FlippedRows(fixedCount, new ArrayList<>(fixedIds)),
                new FlippedRows(brokenCount, new ArrayList<>(brokenIds)), strataTable());
    }

    private static DifferenceInterval percentileInterval(double[] differences) {
        double low = PoissonBootstrap.percentile(differences, LOWER_PERCENTILE);
        double high = PoissonBootstrap.percentile(differences, UPPER_PERCENTILE);
        return new DifferenceInterval(low, high);
    }

    private List<StratumComparison> strataTable() {
        List<StratumComparison> table = new ArrayList<>(strata.size());
        for (Map.Entry<String, long[]> entry : new TreeMap<>(strata).entrySet()) {
            long[] counts = entry.getValue();
            double baselineAccuracy = (double) counts[1] / counts[0];
            double candidateAccuracy = (double) counts[2] / counts[0];
            table.add(new StratumComparison(entry.getKey(), counts[0], baselineAccuracy, candidateAccuracy,
                    candidateAccuracy - baselineAccuracy, counts[3], counts[4]));
        }
        return table;
    }

    private int[] weightsOf(String rowId) {
        PoissonBootstrap.fillWeights(seed, rowId, rowWeights);
        rows++;
        addTo(weightedRows, rowWeights);
        return rowWeights;
    }

    private void count(String rowId, String stratum, boolean baselineCorrect, boolean candidateCorrect) {
        long[] counts = strata.computeIfAbsent(stratum, key -> new long[5]);
        counts[0]++;
        if (baselineCorrect) {
            counts[1]++;
        }
        if (candidateCorrect) {
            counts[2]++;
        }
        if (!baselineCorrect && candidateCorrect) {
            counts[3]++;
            fixedCount++;
            keepSmallest(fixedIds, rowId);
        } else if (baselineCorrect && !candidateCorrect) {
            counts[4]++;
            brokenCount++;
            keepSmallest(brokenIds, rowId);
        }
    }

    private void keepSmallest(TreeSet<String> ids, String id) {
        if (maxListedFlips == 0) {
            return;
        }
        if (ids.size() < maxListedFlips) {
            ids.add(id);
        } else if (id.compareTo(ids.last()) < 0 && ids.add(id)) {
            ids.pollLast();
        }
    }

    private int[] sortedLabelIndexes() {
        Integer[] order = new Integer[labels.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> labels.get(a).compareTo(labels.get(b)));
        int[] sorted = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            sorted[i] = order[i];
        }
        return sorted;
    }

    private int indexOf(String label) {
        Integer index = indexByLabel.get(label);
        if (index != null) {
            return index;
        }
        int added = labels.size();
        indexByLabel.put(label, added);
        labels.add(label);
        baseline.addLabel();
        candidate.addLabel();
        return added;
    }

    private void requireKind(boolean withLabels, String rowId) {
        if (labelled == null) {
            labelled = withLabels;
        } else if (labelled != withLabels) {
            throw new IllegalArgumentException("row '" + rowId + "' is added " + (withLabels ? "with labels" :
                    "by correctness only") + " but earlier rows were added " + (labelled ? "with labels" :
                    "by correctness only") + (indexByLabel.isEmpty() ? "" : " or the state has fixed labels")
                    + "; add every row of a comparison the same way");
        }
    }

    private static void requireText(String rowId, String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("row '" + rowId + "': " + field + " is "
                    + (value == null ? "missing" : "blank") + "; every compared row needs one");
        }
    }

    static void addTo(long[] sums, int[] weights) {
        for (int b = 0; b < sums.length; b++) {
            sums[b] += weights[b];
        }
    }

    static void addTo(long[] sums, long[] values) {
        for (int b = 0; b < sums.length; b++) {
            sums[b] += values[b];
        }
    }

    /** The exact and weighted counts of one run. Label arrays grow as labels appear. */
    private static final class RunState {

        final int replicates;
        long correct;
        final long[] weightedCorrect;
        final List<long[]> exactByLabel = new ArrayList<>();
        final List<long[][]> weightedByLabel = new ArrayList<>();

        RunState(int replicates) {
            this.replicates = replicates;
            this.weightedCorrect = new long[replicates];
        }

        void addLabel() {
            exactByLabel.add(new long[3]);
            weightedByLabel.add(new long[3][replicates]);
        }

        /** Counts a row: index 0 of the per-label arrays is TP, 1 is FP, 2 is FN. */
        void addLabelled(int gold, int predicted, int[] weights) {
            if (predicted == gold) {
                addCorrectness(true, weights);
                exactByLabel.get(gold)[0]++;
                addTo(weightedByLabel.get(gold)[0], weights);
                return;
            }
            exactByLabel.get(gold)[2]++;
            addTo(weightedByLabel.get(gold)[2], weights);
            if (predicted >= 0) {
                exactByLabel.get(predicted)[1]++;
                addTo(weightedByLabel.get(predicted)[1], weights);
            }
        }

        void addCorrectness(boolean isCorrect, int[] weights) {
            if (isCorrect) {
                correct++;
                addTo(weightedCorrect, weights);
            }
        }

        void merge(RunState other, int[] indexInThis) {
            correct += other.correct;
            addTo(weightedCorrect, other.weightedCorrect);
            for (int i = 0; i < indexInThis.length; i++) {
                long[] exact = exactByLabel.get(indexInThis[i]);
                long[][] weighted = weightedByLabel.get(indexInThis[i]);
                for (int kind = 0; kind < 3; kind++) {
                    exact[kind] += other.exactByLabel.get(i)[kind];
                    addTo(weighted[kind], other.weightedByLabel.get(i)[kind]);
                }
            }
        }

        void fillExact(RunCounts counts, int[] sortedToIndex, long rows) {
            for (int i = 0; i < sortedToIndex.length; i++) {
                long[] exact = exactByLabel.get(sortedToIndex[i]);
                counts.truePositives[i] = exact[0];
                counts.falsePositives[i] = exact[1];
                counts.falseNegatives[i] = exact[2];
            }
            counts.correct = correct;
            counts.rows = rows;
        }

        void fillReplicate(RunCounts counts, int[] sortedToIndex, int replicate, long rows) {
            for (int i = 0; i < sortedToIndex.length; i++) {
                long[][] weighted = weightedByLabel.get(sortedToIndex[i]);
                counts.truePositives[i] = weighted[0][replicate];
                counts.falsePositives[i] = weighted[1][replicate];
                counts.falseNegatives[i] = weighted[2][replicate];
            }
            counts.correct = weightedCorrect[replicate];
            counts.rows = rows;
        }
    }
}
