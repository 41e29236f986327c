package io.tenantry.spring.actuate;

import io.tenantry.Placement;
import io.tenantry.RoutingException;
import io.tenantry.Tenant;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantRouter;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code tenants} actuator endpoint: every tenant of the catalogue with its status, tier,
 * region and current placement ({@code /actuator/tenants}), or one tenant
 * ({@code /actuator/tenants/{id}}). A tenant that no rule can place is listed with the routing
 * error instead of a placement. Read-only; exposing it is the application's choice
 * ({@code management.endpoints.web.exposure.include}).
 */
@Endpoint(id = "tenants")
public final class TenantsEndpoint {

    private final TenantDirectory directory;
    private final TenantRouter router;

    public TenantsEndpoint(TenantDirectory directory, TenantRouter router) {
        this.directory = directory;
        this.router = router;
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
            placement = new PlacementDescriptor(p.model().name(), p.store(), p.namespace());
        } catch (RoutingException e) {
            routingError = e.getMessage();
        }
        return new TenantDescriptor(tenant.id().value(), tenant.name(), tenant.status().name(), tenant.tier(),
                tenant.region().orElse(null), tenant.placement().isPresent(), placement, routingError);
    }

    /** The catalogue. */
    public record TenantsDescriptor(List<TenantDescriptor> tenants) {
    }

    /**
     * One tenant.
     *
     * @param pinned whether the placement is pinned on the tenant rather than chosen by a rule
     * @param placement where its data lives now; null when no rule applies
     * @param routingError why no rule applies; null when one does
     */
    public record TenantDescriptor(String id, String name, String status, String tier, @Nullable String region,
            boolean pinned, @Nullable PlacementDescriptor placement, @Nullable String routingError) {
    }

    /**
     * A placement.
     *
     * @param model FIELD, COLLECTION or DATABASE
     * @param store the cluster (or data source) name
     * @param namespace the shared database, or the database-name prefix of the DATABASE model
     */
    public record PlacementDescriptor(String model, String store, String namespace) {
    }
}
