package io.tenantry.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.spring.TenantryAutoConfiguration;
import io.tenantry.spring.jdbc.TenantryJdbcAutoConfiguration;
import io.tenantry.spring.jdbc.TestPostgres;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Micrometer gauges of Tenantry's PostgreSQL pools on a real server: one time series per store and
 * figure, however many tenant databases, beside Spring Boot's own DataSource meters, which see the
 * control plane only.
 */
class TenantryJdbcMetricsAutoConfigurationTest {

    private static final List<String> SCHEMA_TENANTS = List.of("s1", "s2");
    private static final List<String> DATABASE_TENANTS = List.of("d1", "d2", "d3");

    private static TestPostgres postgres;
    private static String control;
    private static String shared;

    @BeforeAll
    static void databases() {
        postgres = TestPostgres.get();
        control = postgres.freshDatabase("metrics_control");
        shared = postgres.freshDatabase("metrics_shared");
    }

    private ApplicationContextRunner runner() {
        List<String> properties = new ArrayList<>(List.of(
                "spring.datasource.url=" + postgres.url(control),
                "spring.datasource.username=" + TestPostgres.APP_USER,
                "spring.datasource.password=" + TestPostgres.APP_PASSWORD,
                "tenantry.jdbc.stores.main.url=" + postgres.serverUrl(),
                "tenantry.jdbc.stores.main.username=" + TestPostgres.APP_USER,
                "tenantry.jdbc.stores.main.password=" + TestPostgres.APP_PASSWORD,
                "tenantry.jdbc.stores.dedicated.url=" + postgres.serverUrl(),
                "tenantry.jdbc.stores.dedicated.username=" + TestPostgres.APP_USER,
                "tenantry.jdbc.stores.dedicated.password=" + TestPostgres.APP_PASSWORD,
                "tenantry.jdbc.stores.dedicated.maximum-pool-size=2",
                "tenantry.jdbc.connection-budget=40",
                "tenantry.jdbc.migrations=classpath:actuate/tenant",
                "tenantry.routing.tiers.pro.model=schema", "tenantry.routing.tiers.pro.store=main",
                "tenantry.routing.tiers.pro.database=" + shared,
                "tenantry.routing.tiers.enterprise.model=database", "tenantry.routing.tiers.enterprise.store=dedicated",
                "tenantry.routing.tiers.enterprise.prefix=" + postgres.freshPrefix()));
        int n = 0;
        for (String id : SCHEMA_TENANTS) {
            properties.add("tenantry.directory.tenants[" + n + "].id=" + id);
            properties.add("tenantry.directory.tenants[" + n++ + "].tier=pro");
        }
        for (String id : DATABASE_TENANTS) {
            properties.add("tenantry.directory.tenants[" + n + "].id=" + id);
            properties.add("tenantry.directory.tenants[" + n++ + "].tier=enterprise");
        }
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TenantryAutoConfiguration.class,
                        TenantryJdbcAutoConfiguration.class, DataSourceAutoConfiguration.class,
                        MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class, DataSourcePoolMetricsAutoConfiguration.class,
                        TenantryJdbcMetricsAutoConfiguration.class))
                .withPropertyValues(properties.toArray(String[]::new));
    }

    @Test
    void gaugesSumEachStoresPoolsAndTheBudget() {
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(gauge(registry, "tenantry.jdbc.pools", "dedicated")).isZero();

            DataSource routing = context.getBean(DataSource.class);
            List<Connection> held = new ArrayList<>();
            try {
                for (String tenant : DATABASE_TENANTS) {
                    held.add(TenantContext.callAs(TenantId.of(tenant), routing::getConnection));
                }
                held.add(TenantContext.callAs(TenantId.of("s1"), routing::getConnection));
                held.add(TenantContext.callAs(TenantId.of("s2"), routing::getConnection));

                assertThat(gauge(registry, "tenantry.jdbc.pools", "dedicated")).isEqualTo(3);
                assertThat(gauge(registry, "tenantry.jdbc.connections.active", "dedicated")).isEqualTo(3);
                assertThat(gauge(registry, "tenantry.jdbc.connections", "dedicated")).isEqualTo(3);
                assertThat(gauge(registry, "tenantry.jdbc.connections.idle", "dedicated")).isZero();
                assertThat(gauge(registry, "tenantry.jdbc.connections.pending", "dedicated")).isZero();
                assertThat(gauge(registry, "tenantry.jdbc.connections.max", "dedicated")).isEqualTo(3 * 2);
                assertThat(gauge(registry, "tenantry.jdbc.pools", "main")).isEqualTo(1);
                assertThat(gauge(registry, "tenantry.jdbc.connections.active", "main")).isEqualTo(2);
                assertThat(registry.get("tenantry.jdbc.connection.budget").tag("state", "used").gauge().value())
                        .isEqualTo(5);
                assertThat(registry.get("tenantry.jdbc.connection.budget").tag("state", "limit").gauge().value())
                        .isEqualTo(40);
            } finally {
                for (Connection c : held) {
                    c.close();
                }
            }
            assertThat(gauge(registry, "tenantry.jdbc.connections.active", "dedicated")).isZero();
            assertThat(gauge(registry, "tenantry.jdbc.connections.idle", "dedicated")).isEqualTo(3);

            List<Meter> tenantry = registry.getMeters().stream()
                    .filter(m -> m.getId().getName().startsWith("tenantry.jdbc.")).toList();
            assertThat(tenantry).as("6 figures x 2 stores + budget used and limit").hasSize(6 * 2 + 2);
            assertThat(tenantry).flatExtracting(m -> m.getId().getTags()).extracting(Tag::getValue)
                    .containsOnly("main", "dedicated", "used", "limit");
        });
    }

    @Test
    void springBootsDataSourceMetersSeeTheControlPlaneAndNotTheRoutingDataSourceOrTenantPools() {
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            DataSource controlPlane = context.getBean(TenantryJdbcAutoConfiguration.CONTROL_PLANE_DATA_SOURCE,
                    DataSource.class);
            try (Connection c = controlPlane.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
            DataSource routing = context.getBean(DataSource.class);
            TenantContext.runAs(TenantId.of("d1"), () -> routing.getConnection().close());

            MeterRegistry registry = context.getBean(MeterRegistry.class);
            Set<String> hikariPools = registry.find("hikaricp.connections").gauges().stream()
                    .map(g -> g.getId().getTag("pool")).collect(Collectors.toSet());
            assertThat(hikariPools).as("HikariCP's own meters").containsExactly("tenantry-control-plane");
            assertThat(registry.find("jdbc.connections.active").gauges()).as("Boot's pool-metadata meters")
                    .extracting(g -> g.getId().getTag("name")).doesNotContain("tenantryDataSource", "dataSource");
        });
    }

    @Test
    void theGaugesFollowSpringBootsMeterFilters() {
        runner().withPropertyValues("management.metrics.enable.tenantry.jdbc=false").run(context -> {
            assertThat(context).hasBean("tenantryJdbcMetrics");
            assertThat(context.getBean(MeterRegistry.class).find("tenantry.jdbc.pools").gauges()).isEmpty();
        });
        runner().withPropertyValues("tenantry.jdbc.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean("tenantryJdbcMetrics"));
    }

    private static double gauge(MeterRegistry registry, String name, String store) {
        return registry.get(name).tag("store", store).gauge().value();
    }
}
