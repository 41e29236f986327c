package io.tenantry;

import java.util.List;
import java.util.Optional;

/**
 * The catalogue of tenants: find, list, register, update.
 *
 * <p>Updates use optimistic concurrency: {@link #update(Tenant)} succeeds only when the given
 * tenant's {@link Tenant#version()} is the stored one, and stores it with the next version, so two
 * writers that read the same entry cannot both win.
 *
 * <p>Core ships {@link #inMemory(Tenant...)} and the Caffeine-backed {@link #caching(TenantDirectory)}
 * decorator; adapters ship store-backed ones. Implementations must be thread-safe.
 */
public interface TenantDirectory {

    /** Returns the tenant with {@code id}, or empty if there is none. */
    Optional<Tenant> find(TenantId id);

    /**
     * Returns the tenant with {@code id}.
     *
     * @throws UnknownTenantException if there is none
     */
    default Tenant require(TenantId id) {
        return find(id).orElseThrow(() -> new UnknownTenantException(id));
    }

    /** Returns every tenant, deleted ones included, ordered by id. */
    List<Tenant> list();

    /**
     * Adds {@code tenant}, stored with version 1.
     *
     * @return the tenant as stored
     * @throws TenantLifecycleException if a tenant with the same id exists
     */
    Tenant register(Tenant tenant);

    /**
     * Replaces the stored entry of {@code tenant.id()} with {@code tenant}.
     *
     * @return the tenant as stored, with the next version
     * @throws UnknownTenantException if there is no such tenant
     * @throws TenantLifecycleException if the stored version is not {@code tenant.version()}: someone
     *     else changed it since it was read; read it again and reapply the change
     */
    Tenant update(Tenant tenant);

    /**
     * Removes the entry of {@code id}, when a tenant is deleted for good ({@link TenantLifecycle#delete}).
     * Idempotent: removing an absent tenant does nothing. The default refuses, for directories written
     * before removal existed.
     *
     * @throws UnsupportedOperationException if this directory cannot remove entries
     */
    default void remove(TenantId id) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot remove tenants; implement"
                + " TenantDirectory.remove to let TenantLifecycle.delete erase directory entries.");
    }

    /** Returns a thread-safe directory held in memory, holding {@code tenants}. */
    static TenantDirectory inMemory(Tenant... tenants) {
        InMemoryTenantDirectory directory = new InMemoryTenantDirectory();
        for (Tenant tenant : tenants) {
            directory.register(tenant);
        }
        return directory;
    }

    /** Starts a Caffeine-backed caching decorator of {@code delegate}. */
    static CachingTenantDirectory.Builder caching(TenantDirectory delegate) {
        return new CachingTenantDirectory.Builder(delegate);
    }
}
