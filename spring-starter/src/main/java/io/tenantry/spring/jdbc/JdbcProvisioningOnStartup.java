package io.tenantry.spring.jdbc;

import io.tenantry.Placement;
import io.tenantry.RoutingException;
import io.tenantry.Tenant;
import io.tenantry.TenantId;
import io.tenantry.TenantStatus;
import io.tenantry.jdbc.ProvisioningReport;
import io.tenantry.jdbc.TenantJdbc;
import io.tenantry.spring.InvalidTenantryConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Provisions, once all singletons exist (so after the control plane's own migrations) and before the web
 * server takes requests, every catalogue tenant that is not deleted and whose placement is on a PostgreSQL
 * store: its role and schema or its database, then its migrations ({@code tenantry.jdbc.migrations}); the
 * field model's shared tables get their shared migrations and row-level security once per shared
 * database. Tenants are provisioned {@code parallelism} at a time; any failure stops the start-up, naming
 * every tenant that failed, since serving them would fail later, less clearly.
 */
final class JdbcProvisioningOnStartup implements SmartInitializingSingleton {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcProvisioningOnStartup.class);

    private final TenantJdbc jdbc;
    private final int parallelism;

    JdbcProvisioningOnStartup(TenantJdbc jdbc, int parallelism) {
        this.jdbc = jdbc;
        this.parallelism = parallelism;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<TenantId> tenants = new ArrayList<>();
        for (Tenant tenant : jdbc.directory().list()) {
            if (tenant.status() == TenantStatus.DELETED) {
                continue;
            }
            Placement placement;
            try {
                placement = jdbc.placement(tenant.id());
            } catch (RoutingException e) {
                throw InvalidTenantryConfigurationException.unplaced(tenant, e);
            }
            if (jdbc.storeNames().contains(placement.store())) {
                tenants.add(tenant.id());
            }
        }
        ProvisioningReport report = jdbc.provisioning().ensureAll(tenants, parallelism);
        if (!report.allSucceeded()) {
            Map<TenantId, RuntimeException> failures = report.failures();
            String each = failures.entrySet().stream().limit(5)
                    .map(f -> "\"" + f.getKey() + "\": " + f.getValue().getMessage()).collect(Collectors.joining("; "));
            IllegalStateException failed = new IllegalStateException("Could not provision " + failures.size() + " of "
                    + report.total() + " tenant(s) at start-up: " + each + (failures.size() > 5 ? "; ..." : "")
                    + ". Fix their placement or migrations, or set tenantry.jdbc.provision-on-startup=false and"
                    + " provision them with TenantJdbc.provisioning().ensure(...).");
            failures.values().forEach(failed::addSuppressed);
            throw failed;
        }
        LOG.info("Provisioned {} tenant placement(s) on PostgreSQL stores {} in {} ms", report.total(),
                jdbc.storeNames(), report.elapsed().toMillis());
    }
}
