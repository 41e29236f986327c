package io.tenantry.spi;

import io.tenantry.AuditEvent;
import io.tenantry.AuditQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * An {@link AuditSink} that keeps the events it records and answers queries over them: the audit trail an
 * operator reads back, by tenant and time. Adapters keep it in the control plane (a table, a collection)
 * beside the tenant directory; {@link #inMemory()} is for tests.
 *
 * <p>{@link #record} keeps the sink's contract: it never throws. An event the store cannot take is logged
 * at WARN on the logger {@code io.tenantry.audit}, with the event, so that it is not lost silently.
 * {@link #find} and {@link #purge} are called by operators and scheduled jobs, and do throw when the store
 * fails. A stored event's time keeps the store's precision (PostgreSQL: microseconds, MongoDB:
 * milliseconds), and time bounds are compared at that precision.
 *
 * <p>Implementations must be thread-safe.
 */
public interface AuditLog extends AuditSink {

    /**
     * Returns the stored events that match {@code query}, newest first (events with the same time in the
     * reverse order they were recorded, as far as the store can tell), at most {@link AuditQuery#limit()}.
     *
     * @throws io.tenantry.StoreUnavailableException if the store cannot be reached
     * @throws IllegalStateException if the store refuses the query or holds an event in a form this version
     *     does not read; the message says what to check
     */
    List<AuditEvent> find(AuditQuery query);

    /**
     * Removes every stored event that happened before {@code before}; events at {@code before} or later stay.
     * Large removals go in batches, each committed on its own, so a purge interrupted part-way has removed
     * only old events and can simply run again.
     *
     * @return how many events were removed
     * @throws io.tenantry.StoreUnavailableException if the store cannot be reached
     * @throws IllegalStateException if the store refuses the removal
     */
    long purge(Instant before);

    /**
     * Removes every stored event older than {@code retention}: {@code purge(Instant.now().minus(retention))}.
     *
     * @return how many events were removed
     * @throws IllegalArgumentException if {@code retention} is negative
     */
    default long purgeOlderThan(Duration retention) {
        if (retention.isNegative()) {
            throw new IllegalArgumentException("A retention cannot be negative: " + retention);
        }
        return purge(Instant.now().minus(retention));
    }

    /**
     * Returns a log held in memory, for tests and for trying things out: it keeps every event until
     * purged, and survives nothing but itself.
     */
    static AuditLog inMemory() {
        return new AuditLog() {
            /** Recording order breaks ties between events of the same time. */
            private final List<AuditEvent> events = new ArrayList<>();

            @Override
            public synchronized void record(AuditEvent event) {
                events.add(Objects.requireNonNull(event, "event"));
            }

            @Override
            public List<AuditEvent> find(AuditQuery query) {
                List<AuditEvent> newestFirst;
                synchronized (this) {
                    newestFirst = new ArrayList<>(events);
                }
                Collections.reverse(newestFirst);
                return newestFirst.stream().sorted(Comparator.comparing(AuditEvent::at).reversed())
                        .filter(query::matches).limit(query.limit()).toList();
            }

            @Override
            public synchronized long purge(Instant before) {
                int size = events.size();
                events.removeIf(event -> event.at().isBefore(before));
                return size - events.size();
            }

            @Override
            public String toString() {
                return "AuditLog.inMemory()";
            }
        };
    }
}
