package io.tenantry.mongo;

import io.tenantry.IsolationModel;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantRouter;
import io.tenantry.TenantUnavailableException;
import java.util.EnumMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The per-call step of the request flow: current tenant -> directory (cached) -> status check ->
 * router -> placement -> the model's isolation strategy. Thread-safe.
 */
final class Routing {

    /**
     * Where one call goes: the tenant, its placement and the model that confines it. Equal by tenant
     * and placement (which decides the model), so that it is also the key of the scoped-handle caches.
     */
    static final class Target {
        final TenantId tenant;
        /** The tenant's directory entry as this call resolved it (its tier and attributes decide its quotas). */
        final Tenant entry;
        final Placement placement;
        final MongoIsolation isolation;
        private final int hash;

        Target(Tenant entry, Placement placement, MongoIsolation isolation) {
            this.tenant = entry.id();
            this.entry = entry;
            this.placement = placement;
            this.isolation = isolation;
            this.hash = 31 * tenant.hashCode() + placement.hashCode();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Target && ((Target) other).hash == hash && ((Target) other).tenant.equals(tenant)
                    && ((Target) other).placement.equals(placement);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    final TenantDirectory directory;
    final TenantRouter router;
    final MongoSettings settings;
    /** Enforces the tenants' quotas on writes; null without quotas, so that writes pay nothing for them. */
    final @Nullable QuotaWrites quotas;
    private final Map<IsolationModel, MongoIsolation> models;

    Routing(TenantDirectory directory, TenantRouter router, MongoSettings settings,
            Map<IsolationModel, MongoIsolation> models, @Nullable QuotaWrites quotas) {
        this.directory = directory;
        this.router = router;
        this.settings = settings;
        this.models = new EnumMap<>(models);
        this.quotas = quotas;
    }

    /**
     * Resolves the target of a call by the tenant bound now.
     *
     * @param write whether the call changes data (refused for read-only tenants)
     * @throws io.tenantry.NoTenantBoundException if no tenant is bound
     * @throws io.tenantry.UnknownTenantException if the tenant is not in the directory
     * @throws TenantUnavailableException if the tenant's status forbids the call
     * @throws io.tenantry.RoutingException if no placement applies
     */
    Target resolve(boolean write) {
        TenantId id = TenantContext.current();
        Tenant tenant = directory.require(id);
        TenantUnavailableException.check(tenant, write);
        Placement placement = router.route(tenant);
        return new Target(tenant, placement, model(placement.model()));
    }

    MongoIsolation model(IsolationModel model) {
        MongoIsolation isolation = models.get(model);
        if (isolation == null) {
            throw new IllegalStateException("No MongoDB isolation for model " + model);
        }
        return isolation;
    }
}
