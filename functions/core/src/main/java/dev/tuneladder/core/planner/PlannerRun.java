package dev.tuneladder.core.planner;

import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.data.TokenUsage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the LLM planner over a dataset with a fixed number of concurrent model calls.
 *
 * <p>Every input row yields exactly one prediction, in input order. A row on which the planner throws anyway
 * (a bug, since {@link LlmPlanner#predict} turns expected failures into error rows) becomes an error row too and
 * is logged at WARN with its stack trace. Per-row latency, tokens, model id and prompt version are the
 * prediction's own fields.
 *
 * <p>The worker count bounds concurrency from this side only; the client's own limiter may allow fewer calls
 * at a time. Each {@link #run} creates its workers and stops them before it returns.
 */
public final class PlannerRun {

    private static final Logger LOG = LoggerFactory.getLogger(PlannerRun.class);

    private final LlmPlanner planner;
    private final int workers;

    /** Receives progress on the thread that called {@link #run}, once per finished row. */
    @FunctionalInterface
    public interface ProgressListener {
        void rowFinished(int finished, int total);
    }

    /**
     * The predictions of a run and their totals.
     *
     * @param predictions one per input row, in input order
     * @param errorRows predictions with {@link Prediction#error()} set
     * @param totalUsage token counts summed over the rows that report them
     */
    public record Result(List<Prediction> predictions, int errorRows, TokenUsage totalUsage) {

        public Result {
            predictions = List.copyOf(predictions);
        }
    }

    /**
     * @param workers the maximum number of rows planned at once, at least 1
     */
    public PlannerRun(LlmPlanner planner, int workers) {
        this.planner = Objects.requireNonNull(planner, "planner");
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        this.workers = workers;
    }

    /**
     * Plans every row and returns the predictions in input order.
     *
     * @throws CancellationException when the calling thread is interrupted; the workers are interrupted too and
     *     the thread's interrupt flag is set again
     */
    public Result run(List<Interaction> rows, ProgressListener progress) {
        Objects.requireNonNull(progress, "progress");
        List<Interaction> input = List.copyOf(rows);
        Prediction[] predictions = new Prediction[input.size()];
        ExecutorService executor = Executors.newFixedThreadPool(Math.min(workers, Math.max(1, input.size())),
                workerThreads());
        CompletionService<Integer> completion = new ExecutorCompletionService<>(executor);
        List<Future<Integer>> futures = new ArrayList<>(input.size());
        LOG.info("planner run started: {} rows, {} workers, model {}, prompt {}", input.size(), workers,
                planner.modelId(), planner.promptVersion());
        try {
            for (int i = 0; i < input.size(); i++) {
                int index = i;
                futures.add(completion.submit(() -> {
                    predictions[index] = planSafely(input.get(index));
                    return index;
                }));
            }
            for (int finished = 1; finished <= input.size(); finished++) {
                takeNext(completion, futures, finished - 1, input.size());
                progress.rowFinished(finished, input.size());
            }
        } finally {
            executor.shutdownNow();
        }

        Result result = summarize(Arrays.asList(predictions));
        LOG.info("planner run finished: {} rows, {} error rows, {} input and {} output tokens", input.size(),
                result.errorRows(), result.totalUsage().inputTokens(), result.totalUsage().outputTokens());
        return result;
    }

    private Prediction planSafely(Interaction row) {
        try {
            return planner.predict(row);
        } catch (RuntimeException e) {
            LOG.warn("planner threw on row {}; recorded as an error row", row.id(), e);
            return new Prediction(row.id(), null, null, null, null, null, null, planner.modelId(),
                    planner.promptVersion(), "planner failed unexpectedly: " + e);
        }
    }

    /**
     * Waits for the next finished row. The task never throws, because {@link #planSafely} catches runtime
     * exceptions, so an {@link ExecutionException} means an Error such as OutOfMemoryError and is rethrown.
     */
    private static void takeNext(CompletionService<Integer> completion, List<Future<Integer>> futures, int done,
            int total) {
        try {
            completion.take().get();
        } catch (InterruptedException e) {
            futures.forEach(future -> future.cancel(true));
            Thread.currentThread().interrupt();
            throw new CancellationException("planner run interrupted after " + done + " of " + total + " rows");
        } catch (ExecutionException e) {
            futures.forEach(future -> future.cancel(true));
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("a planner worker failed", e.getCause());
        }
    }

    private static Result summarize(List<Prediction> predictions) {
        int errors = 0;
        long input = 0;
        long output = 0;
        long cacheRead = 0;
        long cacheWrite = 0;
        for (Prediction prediction : predictions) {
            if (prediction.error() != null) {
                errors++;
            }
            if (prediction.usage() != null) {
                input += prediction.usage().inputTokens();
                output += prediction.usage().outputTokens();
                cacheRead += prediction.usage().cacheReadTokens();
                cacheWrite += prediction.usage().cacheWriteTokens();
            }
        }
        return new Result(predictions, errors, new TokenUsage(input, output, cacheRead, cacheWrite));
    }

    private static ThreadFactory workerThreads() {
        AtomicInteger number = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "planner-worker-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
