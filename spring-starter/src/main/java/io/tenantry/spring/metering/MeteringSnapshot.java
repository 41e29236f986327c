package io.tenantry.spring.metering;

import io.tenantry.TenantId;
import io.tenantry.TenantUsage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest usage of each tenant, as the starter's scheduled metering last measured it, held in memory:
 * what the {@code tenants} actuator endpoint and the usage gauges show. Empty until the first measurement has
 * run ({@code tenantry.metering.initial-delay} after start-up). A tenant whose latest measurement failed
 * keeps its previous one (its {@link TenantUsage#measuredAt()} says how old); a tenant that left the
 * catalogue, or was deleted, leaves the snapshot at the next measurement. For a usage measured now, call
 * {@link io.tenantry.TenantMetering#usage} instead.
 *
 * <p>Thread-safe: readers see one measurement run's results whole.
 */
public final class MeteringSnapshot {

    private static final Logger LOG = LoggerFactory.getLogger(MeteringSnapshot.class);

    private volatile Map<TenantId, TenantUsage> latest = Map.of();
    private volatile @Nullable Instant measuredAt;
    private final List<Consumer<MeteringSnapshot>> listeners = new CopyOnWriteArrayList<>();

    MeteringSnapshot() {
    }

    /** Returns {@code tenant}'s latest usage, empty when it has not been measured yet. */
    public Optional<TenantUsage> usage(TenantId tenant) {
        return Optional.ofNullable(latest.get(tenant));
    }

    /** Returns the latest usage of every tenant measured, unmodifiable, in the catalogue's order. */
    public Map<TenantId, TenantUsage> all() {
        return latest;
    }

    /** Returns when the latest measurement run finished, empty before the first one. */
    public Optional<Instant> measuredAt() {
        return Optional.ofNullable(measuredAt);
    }

    /** Replaces the snapshot with one run's results, then tells the listeners. */
    void update(Map<TenantId, TenantUsage> usage, Instant finishedAt) {
        latest = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(usage));
        measuredAt = finishedAt;
        for (Consumer<MeteringSnapshot> listener : listeners) {
            try {
                listener.accept(this);
            } catch (RuntimeException e) {
                LOG.warn("A listener of the metering snapshot failed: {}", e.toString());
            }
        }
    }

    /** Calls {@code listener} after each update, on the thread that measured. */
    void onUpdate(Consumer<MeteringSnapshot> listener) {
        listeners.add(listener);
    }

    @Override
    public String toString() {
        return "MeteringSnapshot(" + latest.size() + " tenants, measured at " + measuredAt + ")";
    }
}
