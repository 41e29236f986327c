package io.tenantry.spring.actuate;

import io.tenantry.Placement;
import io.tenantry.RoutingException;
import io.tenantry.Tenant;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantRouter;
import io.tenantry.TenantryException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code tenants} actuator endpoint: every tenant of the catalogue with its status, tier,
 * region and current placement ({@code /actuator/tenants}), or one tenant
 * ({@code /actuator/tenants/{id}}). When the adapter whose store the placement names is wired (MongoDB,
 * PostgreSQL, or both), the placement also shows where the data physically is: the database, on
 * PostgreSQL the schema, on MongoDB's field model the tenant field. A tenant that no rule can place is
 * listed with the routing error instead of a placement. Read-only; exposing it is the application's
 * choice ({@code management.endpoints.web.exposure.include}).
 */
@Endpoint(id = "tenants")
public final class TenantsEndpoint {

    private final TenantDirectory directory;
    private final TenantRouter router;
    private final List<AdapterPlacements> adapters;

    /**
     * An endpoint that shows placements as the router chooses them, without their physical names.
     *
     * @param directory the catalogue listed
     * @param router the router that places each tenant
     */
    public TenantsEndpoint(TenantDirectory directory, TenantRouter router) {
        this(directory, router, List.of());
    }

    TenantsEndpoint(TenantDirectory directory, TenantRouter router, List<AdapterPlacements> adapters) {
        this.directory = directory;
        this.router = router;
        this.adapters = List.copyOf(adapters);
    }

    /** Lists every tenant, deleted ones included, ordered by id. */
    @ReadOperation
    public TenantsDescriptor tenants() {
        return new TenantsDescriptor(directory.list().stream().map(this::describe).toList());
    }

    /** Describes one tenant, or answers 404 when there is none with that id (or the id is malformed). */
    @ReadOperation
    public @Nullable TenantDescriptor tenant(@Selector String id) {
        if (!TenantId.isValid(id)) {
            return null;
        }
        return directory.find(TenantId.of(id)).map(this::describe).orElse(null);
    }

    private TenantDescriptor describe(Tenant tenant) {
        PlacementDescriptor placement = null;
        String routingError = null;
        try {
            Placement p = router.route(tenant);
            PhysicalNames physical = null;
            try {
                physical = physical(tenant.id(), p);
            } catch (TenantryException e) {
                routingError = e.getMessage();
            }
            placement = new PlacementDescriptor(p.model().name(), p.store(), p.namespace(), physical);
        } catch (RoutingException e) {
            routingError = e.getMessage();
        }
        return new TenantDescriptor(tenant.id().value(), tenant.name(), tenant.status().name(), tenant.tier(),
                tenant.region().orElse(null), tenant.placement().isPresent(), placement, routingError);
    }

    private @Nullable PhysicalNames physical(TenantId tenant, Placement placement) {
        for (AdapterPlacements adapter : adapters) {
            if (adapter.serves(placement.store())) {
                return adapter.names(tenant, placement);
            }
        }
        return null;
    }

    /** The catalogue. */
    public record TenantsDescriptor(List<TenantDescriptor> tenants) {
    }

    /**
     * One tenant.
     *
     * @param pinned whether the placement is pinned on the tenant rather than chosen by a rule
     * @param placement where its data lives now; null when no rule applies
     * @param routingError why no rule applies, or why the adapter could not name the placement's
     *     physical home; null when neither happened
     */
    public record TenantDescriptor(String id, String name, String status, String tier, @Nullable String region,
            boolean pinned, @Nullable PlacementDescriptor placement, @Nullable String routingError) {
    }

    /**
     * A placement.
     *
     * @param model FIELD, COLLECTION (on PostgreSQL: a schema per tenant) or DATABASE
     * @param store the MongoDB cluster or PostgreSQL store
     * @param namespace the shared database, or the database-name prefix of the DATABASE model
     * @param physical where the data is, as the adapter serving the store names it; null when no wired
     *     adapter has that store
     */
    public record PlacementDescriptor(String model, String store, String namespace, @Nullable PhysicalNames physical) {
    }

    /**
     * Where one tenant's data physically is.
     *
     * @param adapter the adapter serving the store: {@code jdbc} or {@code mongodb}
     * @param database the database that holds the tenant's data: its own on the DATABASE model, the
     *     shared one otherwise
     * @param schema on PostgreSQL, the schema of the tenant's tables: its own on the schema-per-tenant
     *     model, the shared tables' schema on the FIELD model; null on the DATABASE model (the tenant
     *     database's own schemas) and on MongoDB
     * @param tenantField on MongoDB's FIELD model, the field that tells tenants apart; null otherwise
     */
    public record PhysicalNames(String adapter, String database, @Nullable String schema,
            @Nullable String tenantField) {
    }
}
