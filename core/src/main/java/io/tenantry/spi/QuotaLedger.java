package io.tenantry.spi;

import io.tenantry.TenantId;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Tenantry's running counts of what each tenant holds, one count per tenant and quota key ({@code items:cards},
 * {@code bytes}, {@code counter:users}), so that a quota is checked without counting the store on every write.
 * {@link io.tenantry.TenantQuotas} reserves before a write, gives back what was not written, and reconciles the
 * counts with the store's measurements.
 *
 * <p>A count exists once it was {@linkplain #initialise initialised} (from a count of the store, or zero for an
 * application counter) and until its tenant is {@linkplain #forget forgotten}. Counts never go below zero.
 * Adapters keep the counts in the control plane (a table, a collection), where every instance of an application
 * shares them; {@link #inMemory()} keeps them in one process.
 *
 * <p>Implementations must be thread-safe, and {@link #tryAdd} must be atomic: of any number of concurrent calls,
 * exactly those whose sum fits under the limit succeed. Every method throws
 * {@link io.tenantry.StoreUnavailableException} when the store cannot be reached. Counts of two tenants never
 * meet, whatever their ids have in common.
 */
public interface QuotaLedger {

    /** Returns {@code tenant}'s count under {@code key}, or empty if none was initialised. */
    OptionalLong get(TenantId tenant, String key);

    /** Returns every count of {@code tenant} by key, sorted by key; empty if it has none. */
    Map<String, Long> counts(TenantId tenant);

    /**
     * Sets {@code tenant}'s count under {@code key} to {@code value} unless it already has one, and returns the
     * count it holds afterwards: {@code value}, or the count a concurrent caller set first.
     *
     * @throws IllegalArgumentException if {@code value} is negative
     */
    long initialise(TenantId tenant, String key, long value);

    /**
     * Adds {@code amount} to the count if the sum stays at or below {@code limit}, atomically; returns the new
     * count, or empty (and changes nothing) if it would pass the limit.
     *
     * @throws IllegalArgumentException if {@code amount} is negative
     * @throws IllegalStateException if the count was never initialised
     */
    OptionalLong tryAdd(TenantId tenant, String key, long amount, long limit);

    /**
     * Adds {@code delta}, which may be negative, to the count, stopping at zero; returns the new count, or empty
     * (and changes nothing) if the count was never initialised.
     */
    OptionalLong add(TenantId tenant, String key, long delta);

    /**
     * Replaces the count with {@code value} if it is still {@code expected}, atomically; returns whether it did.
     * A count that was never initialised is not replaced.
     *
     * @throws IllegalArgumentException if {@code value} is negative
     */
    boolean compareAndSet(TenantId tenant, String key, long expected, long value);

    /** Removes every count of {@code tenant}, for a deleted tenant. */
    void forget(TenantId tenant);

    /** Returns a ledger held in this process's memory, for tests and single-instance applications. */
    static QuotaLedger inMemory() {
        return new QuotaLedger() {
            private final ConcurrentMap<TenantId, ConcurrentMap<String, Long>> counts = new ConcurrentHashMap<>();

            private ConcurrentMap<String, Long> of(TenantId tenant) {
                return counts.computeIfAbsent(Objects.requireNonNull(tenant, "tenant"), t -> new ConcurrentHashMap<>());
            }

            @Override
            public OptionalLong get(TenantId tenant, String key) {
                Long count = of(tenant).get(Objects.requireNonNull(key, "key"));
                return count == null ? OptionalLong.empty() : OptionalLong.of(count);
            }

            @Override
            public Map<String, Long> counts(TenantId tenant) {
                return Collections.unmodifiableMap(new TreeMap<>(of(tenant)));
            }

            @Override
            public long initialise(TenantId tenant, String key, long value) {
                requireNotNegative(value);
                return of(tenant).merge(Objects.requireNonNull(key, "key"), value, (held, ignored) -> held);
            }

            @Override
            public OptionalLong tryAdd(TenantId tenant, String key, long amount, long limit) {
                requireNotNegative(amount);
                boolean[] added = {false};
                Long count = of(tenant).computeIfPresent(Objects.requireNonNull(key, "key"), (k, held) -> {
                    added[0] = held + amount <= limit;
                    return added[0] ? held + amount : held;
                });
                if (count == null) {
                    throw new IllegalStateException("No count of " + key + " for tenant " + tenant
                            + " was initialised; initialise it from the store first.");
                }
                return added[0] ? OptionalLong.of(count) : OptionalLong.empty();
            }

            @Override
            public OptionalLong add(TenantId tenant, String key, long delta) {
                Long count = of(tenant).computeIfPresent(Objects.requireNonNull(key, "key"),
                        (k, held) -> Math.max(0, held + delta));
                return count == null ? OptionalLong.empty() : OptionalLong.of(count);
            }

            @Override
            public boolean compareAndSet(TenantId tenant, String key, long expected, long value) {
                requireNotNegative(value);
                return of(tenant).replace(Objects.requireNonNull(key, "key"), expected, value);
            }

            @Override
            public void forget(TenantId tenant) {
                counts.remove(Objects.requireNonNull(tenant, "tenant"));
            }

            private void requireNotNegative(long value) {
                if (value < 0) {
                    throw new IllegalArgumentException("must not be negative, was " + value);
                }
            }

            @Override
            public String toString() {
                return "QuotaLedger.inMemory()";
            }
        };
    }
}
