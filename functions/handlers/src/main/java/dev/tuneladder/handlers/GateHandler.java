package dev.tuneladder.handlers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.aws.s3.S3BlobStoreSettings;
import dev.tuneladder.core.comparison.CountMetric;
import dev.tuneladder.core.comparison.MetricDifference;
import dev.tuneladder.core.comparison.PairedComparison;
import dev.tuneladder.core.comparison.PairedComparisonState;
import dev.tuneladder.core.comparison.RegressionVerdict;
import dev.tuneladder.core.comparison.RowOutcome;
import dev.tuneladder.core.comparison.RowOutcomes;
import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.storage.BlobKeys;
import dev.tuneladder.core.storage.BlobStore;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step Functions task: decides whether a fine-tuned candidate replaces the baseline, from both runs' per-row
 * outcomes on the same evaluation rows.
 *
 * <p>Input {@code {runId, baselineOutcomesKey, candidateOutcomesKey, metric, maxRegression, minImprovement?}}: the
 * keys name {@code outcomes.jsonl} files in the run bucket; {@code metric} is {@code accuracy} or {@code macroF1};
 * {@code maxRegression} is the tolerated loss in the metric's units. Output {@code {runId, promote, reason,
 * metric, baseline, candidate, difference, low, high, mcnemarP, rows}}, where low and high bound the 95% paired
 * bootstrap interval of candidate − baseline.
 *
 * <p>The rule: reject when the whole interval lies below −maxRegression ({@link RegressionVerdict}); with
 * {@code minImprovement} also reject unless the interval's lower bound reaches it, so that a promoted candidate is
 * better by at least that much at the 2.5% one-sided level. Otherwise promote. McNemar's p is reported beside the
 * interval and does not enter the decision. A rejection is a normal result ({@code promote: false}) for the
 * state machine's Choice, not an error.
 */
public final class GateHandler extends StepTaskHandler {

    private static final Logger LOG = LoggerFactory.getLogger(GateHandler.class);

    private final BlobStore store;

    /** Builds the run bucket's store from the environment (see {@link HandlerConfig}). */
    public GateHandler() {
        this(HandlerConfig.fromEnvironment());
    }

    private GateHandler(HandlerConfig config) {
        this(S3BlobStore.create(config.aws(), S3BlobStoreSettings.forBucket(config.bucket())));
    }

    GateHandler(BlobStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    String function() {
        return "gate";
    }

    @Override
    ObjectNode handle(TaskInput input, String runId) {
        String baselineKey = key(input, "baselineOutcomesKey");
        String candidateKey = key(input, "candidateOutcomesKey");
        CountMetric metric = metric(input);
        double maxRegression = input.number("maxRegression");
        if (maxRegression < 0) {
            throw input.invalid("maxRegression", "is " + maxRegression + "; give the tolerated loss as 0 or more,"
                    + " such as 0.01 for one point of accuracy");
        }
        OptionalDouble minImprovement = input.optionalNumber("minImprovement");

        PairedComparison comparison = RowOutcomes.pair(read(baselineKey), read(candidateKey),
                new PairedComparisonState()).result(List.of(metric));
        RegressionVerdict verdict = RegressionVerdict.judge(comparison, metric.name(), maxRegression);
        MetricDifference difference = comparison.metric(metric.name());
        boolean improvedEnough = minImprovement.isEmpty()
                || difference.ci95().low() >= minImprovement.getAsDouble();
        boolean promote = !verdict.regressed() && improvedEnough;
        String reason = reason(promote, verdict, difference, maxRegression, minImprovement, comparison);
        LOG.info("gate decided: promote={} metric={} difference={} rows={}", promote, metric.name(),
                difference.difference(), comparison.rows());

        ObjectNode result = MAPPER.createObjectNode();
        result.put("runId", runId);
        result.put("promote", promote);
        result.put("reason", reason);
        result.put("metric", metric.name());
        result.put("baseline", difference.baseline());
        result.put("candidate", difference.candidate());
        result.put("difference", difference.difference());
        result.put("low", difference.ci95().low());
        result.put("high", difference.ci95().high());
        result.put("mcnemarP", comparison.mcNemar().pValue());
        result.put("rows", comparison.rows());
        return result;
    }

    /**
     * Returns one sentence with every number behind the decision, for example "Rejected: accuracy changed by
     * -1.0000 (baseline 1.0000, candidate 0.0000; 95% CI [-1.0000, -1.0000]), which lies entirely below the
     * tolerated loss of -0.0100. McNemar p = 0.0078 on 8 rows."
     */
    static String reason(boolean promote, RegressionVerdict verdict, MetricDifference difference,
            double maxRegression, OptionalDouble minImprovement, PairedComparison comparison) {
        String change = String.format(Locale.ROOT, "%s changed by %+.4f (baseline %.4f, candidate %.4f; 95%% CI"
                + " [%+.4f, %+.4f])", difference.metric(), difference.difference(), difference.baseline(),
                difference.candidate(), difference.ci95().low(), difference.ci95().high());
        String tolerance = String.format(Locale.ROOT, "the tolerated loss of %.4f", 0.0 - maxRegression);
        String judgement;
        if (verdict.regressed()) {
            judgement = ", which lies entirely below " + tolerance;
        } else if (minImprovement.isPresent() && !promote) {
            judgement = String.format(Locale.ROOT, ", whose lower bound is below the required improvement of %+.4f",
                    minImprovement.getAsDouble());
        } else if (minImprovement.isPresent()) {
            judgement = String.format(Locale.ROOT, ", whose lower bound reaches the required improvement of %+.4f",
                    minImprovement.getAsDouble());
        } else {
            judgement = ", which does not lie entirely below " + tolerance;
        }
        String test = String.format(Locale.ROOT, " McNemar p = %.4f on %d rows.", comparison.mcNemar().pValue(),
                comparison.rows());
        return (promote ? "Promoted: " : "Rejected: ") + change + judgement + "." + test;
    }

    private static String key(TaskInput input, String field) {
        String key = input.text(field);
        try {
            return BlobKeys.requireValidKey(key);
        } catch (IllegalArgumentException e) {
            throw new InvalidTaskInput(input.path(field), "task input field '" + input.path(field) + "' is not an"
                    + " object key: " + e.getMessage(), e);
        }
    }

    private static CountMetric metric(TaskInput input) {
        String name = input.text("metric");
        return switch (name) {
            case "accuracy" -> CountMetric.ACCURACY;
            case "macroF1" -> CountMetric.MACRO_F1;
            default -> throw input.invalid("metric", "is '" + name + "'; use accuracy or macroF1");
        };
    }

    /**
     * Reads an outcomes file strictly: a bad row or a byte that is not UTF-8 fails the gate, because a decision on
     * part of the rows would mislead.
     */
    private List<RowOutcome> read(String key) {
        try (Reader reader = new InputStreamReader(store.open(key),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT))) {
            return RowOutcomes.read(reader, store.location(key), BadRows.strict());
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read " + store.location(key), e);
        }
    }
}
