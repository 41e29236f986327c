package io.tenantry.spring.actuate;

import io.tenantry.Placement;
import io.tenantry.TenantId;
import io.tenantry.TenantryException;

/**
 * What one adapter knows about the physical home of a tenant placed on one of its stores, for the
 * {@code tenants} endpoint: the database (and on PostgreSQL the schema) that holds its data. One
 * implementation per adapter, each a bean only when that adapter is wired.
 */
interface AdapterPlacements {

    /** Returns whether {@code store} is one of this adapter's stores. */
    boolean serves(String store);

    /**
     * Returns the physical names of {@code tenant}'s data at {@code placement}.
     *
     * @throws TenantryException if the adapter cannot place the tenant (unknown, no rule applies)
     */
    TenantsEndpoint.PhysicalNames names(TenantId tenant, Placement placement);
}
