package io.tenantry.jdbc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tenantry.Placement;
import io.tenantry.RoutingException;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantRouter;
import io.tenantry.TenantUnavailableException;
import java.util.Map;

/**
 * The per-connection step of the request flow: current tenant -> directory (cached by the caller's
 * choice of directory) -> status check -> router -> placement -> physical names. Thread-safe.
 */
final class JdbcRouting {

    final TenantDirectory directory;
    final TenantRouter router;
    final Map<String, JdbcStore> stores;
    final String schemaPrefix;
    final String rolePrefix;
    final FieldModel field;

    /** Each tenant's last target, names composed: reused while its placement and status stay the same. */
    private final Cache<TenantId, JdbcTarget> targets = Caffeine.newBuilder().maximumSize(10_000).build();

    JdbcRouting(TenantDirectory directory, TenantRouter router, Map<String, JdbcStore> stores, String schemaPrefix,
            String rolePrefix, FieldModel field) {
        this.directory = directory;
        this.router = router;
        this.stores = Map.copyOf(stores);
        this.schemaPrefix = schemaPrefix;
        this.rolePrefix = rolePrefix;
        this.field = field;
    }

    /**
     * Returns the target of a connection for the tenant bound now.
     *
     * @throws io.tenantry.NoTenantBoundException if no tenant is bound
     * @throws io.tenantry.UnknownTenantException if the tenant is not in the directory
     * @throws TenantUnavailableException if the tenant is suspended or deleted
     * @throws RoutingException if no placement applies, or it names an unknown store
     */
    JdbcTarget current() {
        TenantId id = TenantContext.current();
        Tenant tenant = directory.require(id);
        TenantUnavailableException.check(tenant, false);
        Placement placement = router.route(tenant);
        boolean readOnly = !tenant.status().allowsWrites();
        JdbcTarget known = targets.getIfPresent(id);
        if (known != null && known.placement().equals(placement) && known.readOnly() == readOnly) {
            return known;
        }
        JdbcTarget target = target(id, placement, readOnly);
        targets.put(id, target);
        return target;
    }

    /** Returns the target of {@code tenant} at {@code placement}, without looking at the directory. */
    JdbcTarget target(TenantId tenant, Placement placement, boolean readOnly) {
        store(placement.store());
        switch (placement.model()) {
            case COLLECTION:
                return JdbcTarget.schema(tenant, placement, JdbcNames.schema(schemaPrefix, tenant),
                        JdbcNames.role(rolePrefix, tenant, placement.namespace()), readOnly);
            case DATABASE:
                return JdbcTarget.database(tenant, placement, JdbcNames.database(placement.namespace(), tenant),
                        readOnly);
            default:
                return JdbcTarget.field(tenant, placement, field.schema, field.role(placement.namespace()), readOnly);
        }
    }

    /** Returns the target of {@code tenant} as the directory and router place it now. */
    JdbcTarget target(TenantId tenant) {
        Tenant entry = directory.require(tenant);
        return target(tenant, router.route(entry), !entry.status().allowsWrites());
    }

    JdbcStore store(String name) {
        JdbcStore store = stores.get(name);
        if (store == null) {
            throw new RoutingException("No JDBC store is named \"" + name + "\"; the configured stores are "
                    + stores.keySet() + ". Add it with TenantJdbc.builder().store(\"" + name + "\", ...).");
        }
        return store;
    }
}
