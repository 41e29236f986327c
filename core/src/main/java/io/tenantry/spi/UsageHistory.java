package io.tenantry.spi;

import io.tenantry.TenantId;
import io.tenantry.TenantUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Where measurements of tenants' usage ({@link TenantUsage}, from {@link io.tenantry.TenantMetering}) are
 * kept over time: the storage growth of each tenant, read back by tenant and time window. Adapters keep it
 * in the control plane (a table, a collection) beside the tenant directory; {@link #inMemory()} is for tests.
 *
 * <p>A stored measurement keeps the store's time precision (PostgreSQL: microseconds, MongoDB:
 * milliseconds); time bounds are compared at that precision, {@code from} rounded down and {@code to} up.
 * Every method throws {@link io.tenantry.StoreUnavailableException} when the store cannot be reached, and
 * {@link IllegalStateException} when it holds a measurement in a form this version does not read; other
 * refusals of the store come as the store's client reports them (PostgreSQL: an
 * {@code IllegalStateException} that says what to check).
 *
 * <p>Implementations must be thread-safe.
 */
public interface UsageHistory {

    /** The most measurements one {@link #find} returns. */
    int MAX_LIMIT = 10_000;

    /**
     * Stores one measurement of one tenant, durable when it returns. Recording the same measurement twice
     * stores it twice.
     *
     * @throws NullPointerException if {@code usage} is null
     */
    void record(TenantUsage usage);

    /**
     * Returns {@code tenant}'s measurements taken at {@code from} or later and before {@code to}, oldest first;
     * when there are more than {@code limit}, the latest {@code limit} of them (what a chart of recent growth
     * wants). Measurements with the same time come in the order they were recorded, as far as the store can
     * tell. Other tenants' measurements never appear, whatever their ids have in common with {@code tenant}.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code to} is before {@code from}, or {@code limit} is not between 1
     *     and {@link #MAX_LIMIT}
     */
    List<TenantUsage> find(TenantId tenant, Instant from, Instant to, int limit);

    /**
     * Removes every tenant's measurements taken before {@code cutoff}; those at {@code cutoff} or later stay.
     * A large removal may go in batches, each committed on its own, so that an interrupted purge has removed
     * only old measurements and can simply run again.
     *
     * @return how many measurements were removed
     * @throws NullPointerException if {@code cutoff} is null
     */
    long purge(Instant cutoff);

    /**
     * Returns a history held in memory, for tests and for trying things out: it keeps every measurement until
     * purged, at full precision, and survives nothing but itself.
     */
    static UsageHistory inMemory() {
        return new UsageHistory() {
            /** In recording order, which breaks ties between measurements of the same time. */
            private final List<TenantUsage> measurements = new ArrayList<>();

            @Override
            public synchronized void record(TenantUsage usage) {
                measurements.add(Objects.requireNonNull(usage, "usage"));
            }

            @Override
            public List<TenantUsage> find(TenantId tenant, Instant from, Instant to, int limit) {
                Objects.requireNonNull(tenant, "tenant");
                if (to.isBefore(from)) {
                    throw new IllegalArgumentException("The window ends (" + to + ") before it starts (" + from + ").");
                }
                if (limit < 1 || limit > MAX_LIMIT) {
                    throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
                }
                List<TenantUsage> found;
                synchronized (this) {
                    found = measurements.stream().filter(u -> u.tenant().equals(tenant))
                            .filter(u -> !u.measuredAt().isBefore(from) && u.measuredAt().isBefore(to))
                            .sorted(Comparator.comparing(TenantUsage::measuredAt)).toList();
                }
                return List.copyOf(found.subList(Math.max(0, found.size() - limit), found.size()));
            }

            @Override
            public synchronized long purge(Instant cutoff) {
                Objects.requireNonNull(cutoff, "cutoff");
                int size = measurements.size();
                measurements.removeIf(u -> u.measuredAt().isBefore(cutoff));
                return size - measurements.size();
            }

            @Override
            public String toString() {
                return "UsageHistory.inMemory()";
            }
        };
    }
}
