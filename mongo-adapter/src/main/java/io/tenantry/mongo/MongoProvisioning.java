package io.tenantry.mongo;

import io.tenantry.Placement;
import io.tenantry.TenantId;
import java.util.Objects;

/**
 * Creates what a tenant's placement needs before its first request: the declared collections and
 * their indexes (tenant-prefixed on the FIELD model), idempotently, for every model. Thread-safe.
 */
public final class MongoProvisioning {

    private final Routing routing;

    MongoProvisioning(Routing routing) {
        this.routing = routing;
    }

    /**
     * Creates, if missing, the declared collections and indexes of {@code tenant} at its current
     * placement. Safe to call again at any time.
     *
     * @return the placement that was provisioned
     * @throws io.tenantry.UnknownTenantException if the tenant is not in the directory
     * @throws io.tenantry.RoutingException if no placement applies, or if its database is used by another
     *     isolation model (a database on a cluster belongs to one model) or is another tenant's own database
     */
    public Placement ensure(TenantId tenant) {
        Objects.requireNonNull(tenant, "tenant");
        Placement placement = routing.router.route(routing.directory.require(tenant));
        routing.admit(tenant, placement).isolation.ensure(tenant, placement);
        return placement;
    }
}
