package dev.tuneladder.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Applies a function to many rows on a fixed number of worker threads, keeping input order. */
final class ParallelRows {

    private ParallelRows() {
    }

    /**
     * Returns {@code function} applied to every row, in input order, with progress on standard error. The function
     * must turn expected failures into results; an exception it throws stops the run and is rethrown.
     *
     * @throws CancellationException when the calling thread is interrupted; the workers are interrupted too
     */
    static <T, R> List<R> map(List<T> rows, int workers, Function<T, R> function, String task) {
        AtomicInteger number = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(Math.max(1, Math.min(workers, rows.size())),
                runnable -> {
                    Thread thread = new Thread(runnable, "judge-worker-" + number.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        List<Future<R>> futures = new ArrayList<>(rows.size());
        try (Progress progress = Progress.start(task, rows.size())) {
            for (T row : rows) {
                futures.add(executor.submit(() -> {
                    R result = function.apply(row);
                    progress.advance(1);
                    return result;
                }));
            }
            List<R> results = new ArrayList<>(rows.size());
            for (Future<R> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException(task + " was interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(task + " failed", e.getCause());
        } finally {
            executor.shutdownNow();
        }
    }
}
