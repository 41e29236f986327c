package io.tenantry.mongo;

import io.tenantry.IsolationModel;
import io.tenantry.Placement;
import io.tenantry.RoutingException;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantRouter;
import io.tenantry.TenantUnavailableException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The per-call step of the request flow: current tenant -> directory (cached) -> status check ->
 * router -> placement -> the model's isolation strategy, admitted by the {@link DatabaseClaims} (one
 * isolation model per database). Thread-safe.
 */
final class Routing {

    /**
     * Where one call goes: the tenant, its placement and the model that confines it. Equal by tenant
     * and placement (which decides the model), so that it is also the key of the scoped-handle caches.
     */
    static final class Target {
        final TenantId tenant;
        /**
         * The tenant's directory entry as this call resolved it (its tier and attributes decide its quotas); null
         * for the lifecycle's targets, which are not routed calls.
         */
        final @Nullable Tenant entry;
        final Placement placement;
        final MongoIsolation isolation;
        private final int hash;

        Target(Tenant entry, Placement placement, MongoIsolation isolation) {
            this(entry.id(), entry, placement, isolation);
        }

        Target(TenantId tenant, Placement placement, MongoIsolation isolation) {
            this(tenant, null, placement, isolation);
        }

        private Target(TenantId tenant, @Nullable Tenant entry, Placement placement, MongoIsolation isolation) {
            this.tenant = tenant;
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
    private final DatabaseClaims claims;

    /**
     * @throws RoutingException if two placements that {@code router} declares give one database
     *     to two isolation models
     */
    Routing(TenantDirectory directory, TenantRouter router, MongoSettings settings,
            Map<IsolationModel, MongoIsolation> models, @Nullable QuotaWrites quotas) {
        this.directory = directory;
        this.router = router;
        this.settings = settings;
        this.models = new EnumMap<>(models);
        this.quotas = quotas;
        this.claims = DatabaseClaims.declaredBy(router, settings.clusters.names());
    }

    /**
     * Resolves the target of a call by the tenant bound now.
     *
     * @param write whether the call changes data (refused for read-only tenants)
     * @throws io.tenantry.NoTenantBoundException if no tenant is bound
     * @throws io.tenantry.UnknownTenantException if the tenant is not in the directory
     * @throws TenantUnavailableException if the tenant's status forbids the call
     * @throws RoutingException if no placement applies, or the placement's database belongs to
     *     another isolation model ({@link DatabaseClaims})
     */
    Target resolve(boolean write) {
        TenantId id = TenantContext.current();
        Tenant tenant = directory.require(id);
        TenantUnavailableException.check(tenant, write);
        Placement placement = router.route(tenant);
        return admit(new Target(tenant, placement, model(placement.model())));
    }

    /**
     * Returns the target of {@code tenant} at {@code placement}, which need not be the one the router gives
     * it now (the lifecycle works on any), once {@link DatabaseClaims} admits it.
     *
     * @throws RoutingException if the placement's database belongs to another isolation model,
     *     or is another tenant's own database
     */
    Target admit(TenantId tenant, Placement placement) {
        return admit(new Target(tenant, placement, model(placement.model())));
    }

    private Target admit(Target target) {
        claims.admit(target);
        return target;
    }

    /**
     * Checks that no tenant that the directory places on the COLLECTION model in the database of FIELD
     * placement {@code field} has collections there: of the database's collection names {@code names}, those
     * named like a tenant's own ({@code <tenant id>.<name>}) are looked up. {@code tenant} is the FIELD
     * placement's tenant that the lifecycle works on, named in the refusal. The claims keep one process from
     * mixing the models; this finds a mix that routing in this process has not met yet, such as a tenant
     * pinned to such a placement by another process, before the lifecycle erases, digests or copies FIELD
     * data there. Call it once {@code field} is admitted, so that the FIELD claim refuses the other.
     *
     * @throws RoutingException if such a tenant exists
     */
    void checkNeighbours(TenantId tenant, Placement field, Iterable<String> names) {
        for (String name : names) {
            int dot = name.indexOf('.');
            if (dot <= 0 || !TenantId.isValid(name.substring(0, dot))) {
                continue;
            }
            TenantId owner = TenantId.of(name.substring(0, dot));
            Placement theirs = directory.find(owner).flatMap(this::routedOrNone).orElse(null);
            if (theirs != null && theirs.model() == IsolationModel.COLLECTION && theirs.store().equals(field.store())
                    && theirs.namespace().equalsIgnoreCase(field.namespace())) {
                try {
                    admit(owner, theirs);
                } catch (RoutingException e) {
                    throw new RoutingException("The data of tenant \"" + tenant + "\" at " + field + " is not erased,"
                            + " digested or copied: collection \"" + name + "\" there is tenant \"" + owner + "\"'s,"
                            + " whom the directory places at " + theirs + ". " + e.getMessage());
                }
            }
        }
    }

    private Optional<Placement> routedOrNone(Tenant tenant) {
        try {
            return Optional.of(router.route(tenant));
        } catch (RoutingException e) {
            return Optional.empty();
        }
    }

    MongoIsolation model(IsolationModel model) {
        MongoIsolation isolation = models.get(model);
        if (isolation == null) {
            throw new IllegalStateException("No MongoDB isolation for model " + model);
        }
        return isolation;
    }
}
