package dev.tuneladder.core.model.resilience;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Waits between attempts. Tests inject one that returns at once or advances a fake clock. */
@FunctionalInterface
public interface Sleeper {

    /** Blocks the calling thread for {@code duration}; an interrupt ends the wait early. */
    void sleep(Duration duration) throws InterruptedException;

    /** The real wait, {@link TimeUnit#sleep}. */
    Sleeper SYSTEM = duration -> TimeUnit.NANOSECONDS.sleep(duration.toNanos());
}
