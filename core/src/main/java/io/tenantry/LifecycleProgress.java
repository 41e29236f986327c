package io.tenantry;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How far a long lifecycle operation has got, as told to a {@link Listener} after each batch and step.
 * Immutable.
 *
 * @param operation the operation, at its current step
 * @param resource the collection or table being copied, or null between copies
 * @param items documents or rows copied so far
 * @param totalItems documents or rows to copy in all (known once the source is measured), or -1
 * @param bytes about how many bytes copied so far
 * @param elapsed time since the operation started
 */
public record LifecycleProgress(LifecycleOperation operation, @Nullable String resource, long items, long totalItems,
        long bytes, Duration elapsed) {

    /** Returns the copy rate in items per second since the start, or 0 before the first item. */
    public double itemsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : items / seconds;
    }

    /** Returns the estimated time left to copy, when the total and a rate are known. */
    public Optional<Duration> estimatedTimeLeft() {
        double rate = itemsPerSecond();
        if (totalItems < 0 || rate <= 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis((long) (Math.max(0, totalItems - items) / rate * 1000)));
    }

    /** Receives progress; called on the thread running the operation, so it must be quick and must not throw. */
    @FunctionalInterface
    public interface Listener {

        /** Receives one report. */
        void progress(LifecycleProgress progress);

        /** Returns a listener that ignores every report. */
        static Listener none() {
            return progress -> { };
        }
    }
}
