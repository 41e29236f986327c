package io.tenantry.spi;

import io.tenantry.LifecycleOperation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where {@link io.tenantry.TenantLifecycle} records each long operation and the last step it completed,
 * so that a restarted process can finish or undo what a crashed one left. Adapters keep it in the control
 * plane (a collection, a table) beside the tenant directory; {@link #inMemory()} is for tests and for
 * applications whose directory is in memory too.
 *
 * <p>Implementations must be thread-safe, and {@link #save} must be durable when it returns.
 */
public interface LifecycleJournal {

    /**
     * Stores {@code operation}, replacing the entry with the same id.
     *
     * @throws RuntimeException if it cannot be stored; the lifecycle then stops where it is
     */
    void save(LifecycleOperation operation);

    /** Returns the operations that have not ended ({@link LifecycleOperation.Step#terminal()} is false). */
    List<LifecycleOperation> unfinished();

    /** Returns every operation stored, ended ones included, oldest first. */
    List<LifecycleOperation> all();

    /** Returns a journal held in memory: it survives nothing but the lifecycle object itself. */
    static LifecycleJournal inMemory() {
        return new LifecycleJournal() {
            private final Map<String, LifecycleOperation> entries = new ConcurrentHashMap<>();

            @Override
            public void save(LifecycleOperation operation) {
                entries.put(operation.id(), operation);
            }

            @Override
            public List<LifecycleOperation> unfinished() {
                return all().stream().filter(op -> !op.step().terminal()).toList();
            }

            @Override
            public List<LifecycleOperation> all() {
                return entries.values().stream()
                        .sorted(java.util.Comparator.comparing(LifecycleOperation::startedAt)
                                .thenComparing(LifecycleOperation::id))
                        .toList();
            }
        };
    }
}
