package dev.tuneladder.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Shows how far a long step has come on standard error: a self-overwriting line on a terminal, a new line
 * every few seconds otherwise (log files, CI). Thread-safe.
 */
final class Progress implements AutoCloseable {

    private static final long TERMINAL_INTERVAL_NANOS = 250_000_000L;
    private static final long LOG_INTERVAL_NANOS = 5_000_000_000L;

    private final String task;
    private final long total;
    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private final long startNanos;
    private long done;
    private long lastPrintNanos;
    private boolean closed;

    Progress(String task, long total, PrintStream out, boolean terminal, LongSupplier nanoTime) {
        this.task = task;
        this.total = total;
        this.out = out;
        this.terminal = terminal;
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
        this.lastPrintNanos = startNanos;
    }

    /** Starts progress on standard error, overwriting the line only when a terminal is attached. */
    static Progress start(String task, long total) {
        return new Progress(task, total, System.err, System.console() != null, System::nanoTime);
    }

    /** Adds {@code count} finished items. */
    synchronized void advance(long count) {
        done += count;
        long now = nanoTime.getAsLong();
        long interval = terminal ? TERMINAL_INTERVAL_NANOS : LOG_INTERVAL_NANOS;
        if (now - lastPrintNanos >= interval) {
            lastPrintNanos = now;
            print(now, false);
        }
    }

    /** Sets the number of finished items. */
    synchronized void update(long finished) {
        advance(finished - done);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        print(nanoTime.getAsLong(), true);
    }

    private void print(long now, boolean last) {
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = done / seconds;
        String line;
        if (last) {
            line = String.format(Locale.ROOT, "%s: %,d done in %.1f s (%,.0f/s)", task, done, seconds, rate);
        } else if (total > 0) {
            double remaining = rate > 0 ? (total - done) / rate : Double.NaN;
            line = String.format(Locale.ROOT, "%s: %,d/%,d (%.0f%%), %,.0f/s, about %.0f s left",
                    task, done, total, 100.0 * done / total, rate, remaining);
        } else {
            line = String.format(Locale.ROOT, "%s: %,d, %,.0f/s", task, done, rate);
        }
        if (terminal) {
            out.print("\r" + line + (last ? System.lineSeparator() : "\u001b[K"));
        } else {
            out.println(line);
        }
        out.flush();
    }
}
