package io.tenantry.spi;

import io.tenantry.Placement;
import io.tenantry.TenantId;
import io.tenantry.TenantUsage;

/**
 * One adapter's way of measuring a tenant's data at a placement, the efficient way for each model:
 * collection or table statistics where the tenant has its own, an indexed count on shared ones. The
 * MongoDB and JDBC adapters implement it ({@code TenantMongo.meter()}, {@code TenantJdbc.meter()});
 * {@link io.tenantry.TenantMetering} routes to them. Operator calls, made outside any tenant scope.
 * Implementations must be thread-safe.
 */
public interface UsageMeter {

    /** Returns whether {@code placement} is on one of this adapter's stores. */
    boolean serves(Placement placement);

    /**
     * Measures {@code tenant}'s data at {@code placement}; a placement that does not exist measures empty.
     *
     * @throws io.tenantry.StoreUnavailableException if the store cannot be reached
     */
    TenantUsage measure(TenantId tenant, Placement placement);
}
