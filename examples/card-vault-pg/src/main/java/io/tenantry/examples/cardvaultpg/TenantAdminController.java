package io.tenantry.examples.cardvaultpg;

import io.tenantry.TenantId;
import io.tenantry.jdbc.TenantJdbc;
import io.tenantry.spring.jdbc.TenantryJdbcAutoConfiguration;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Tenant administration, for holders of an admin token (scope {@code tenants:admin}, see
 * {@link SecurityConfiguration}); {@code /admin/**} is excluded from tenant resolution, since it works
 * across tenants. It reads the tenants table of the control plane directly, with the design notes'
 * columns, through the plain control-plane {@code DataSource} (the application's {@code DataSource}
 * routes to the current tenant).
 */
@RestController
@RequestMapping("/admin/tenants")
class TenantAdminController {

    /** One row of the tenants table, and where the tenant's data lives. */
    record TenantView(String id, String name, String slug, String subscriptionTier, Integer maxUsers, String status,
            String isolation, String database, String schema) {
    }

    private record Row(String id, String name, String slug, String subscriptionTier, Integer maxUsers, String status) {
    }

    private final JdbcClient controlPlane;
    private final TenantOnboarding onboarding;
    private final TenantJdbc jdbc;

    TenantAdminController(@Qualifier(TenantryJdbcAutoConfiguration.CONTROL_PLANE_DATA_SOURCE) DataSource controlPlane,
            TenantOnboarding onboarding, TenantJdbc jdbc) {
        this.controlPlane = JdbcClient.create(controlPlane);
        this.onboarding = onboarding;
        this.jdbc = jdbc;
    }

    @GetMapping
    List<TenantView> list() {
        return controlPlane.sql("SELECT id, name, slug, subscription_tier, max_users, status FROM tenants ORDER BY id")
                .query(Row.class).list().stream().map(this::view).toList();
    }

    @GetMapping("/{id}")
    TenantView fetch(@PathVariable String id) {
        return controlPlane.sql("SELECT id, name, slug, subscription_tier, max_users, status FROM tenants WHERE id = ?")
                .param(id).query(Row.class).optional().map(this::view)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no tenant " + id + "."));
    }

    /** Answers once the tenant is provisioned and active: its first request finds its tables. */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    TenantView create(@RequestBody TenantOnboarding.NewTenant request) {
        return fetch(onboarding.create(request).id().value());
    }

    private TenantView view(Row row) {
        TenantId id = TenantId.of(row.id());
        return new TenantView(row.id(), row.name(), row.slug(), row.subscriptionTier(), row.maxUsers(), row.status(),
                VaultController.isolation(jdbc.placement(id)), jdbc.databaseName(id), jdbc.schemaName(id).orElse(null));
    }
}
