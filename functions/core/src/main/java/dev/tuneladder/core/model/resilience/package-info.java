/**
 * Resilience shared by every model and embedding client: retries with exponential backoff and full jitter, bounded
 * by attempts and a deadline, and an adaptive (AIMD) concurrency limiter that one run shares across its clients.
 * {@link dev.tuneladder.core.model.resilience.ResilientCaller} applies both to any call, and
 * {@link dev.tuneladder.core.model.resilience.ResilientModelClient} applies them to a
 * {@link dev.tuneladder.core.model.ModelClient}.
 */
package dev.tuneladder.core.model.resilience;
