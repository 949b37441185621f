package dev.tuneladder.core.model.resilience;

/** A monotonic time source in nanoseconds, for deadlines. Tests inject a fake one. */
@FunctionalInterface
public interface MonotonicClock {

    /** Returns the current reading in nanoseconds; only differences between readings are meaningful. */
    long nanoTime();

    /** {@link System#nanoTime()}. */
    MonotonicClock SYSTEM = System::nanoTime;
}
