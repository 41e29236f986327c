package io.tenantry.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.spring.TenantryAutoConfiguration;
import io.tenantry.spring.jdbc.TenantryJdbcAutoConfiguration;
import io.tenantry.spring.jdbc.TestPostgres;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code /actuator/health} with Tenantry's PostgreSQL wiring, through Spring Boot's own health endpoint:
 * one indicator per store, and a {@code db} indicator that checks the control plane instead of the routing
 * DataSource (which has no tenant at health-check time).
 */
class TenantryJdbcHealthAutoConfigurationTest {

    private static TestPostgres postgres;
    private static String control;
    private static String shared;

    @BeforeAll
    static void databases() {
        postgres = TestPostgres.get();
        control = postgres.freshDatabase("health_control");
        shared = postgres.freshDatabase("health_shared");
    }

    /** Spring Boot's health endpoint and DataSource health, on Tenantry's JDBC wiring. */
    private final ApplicationContextRunner boot = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TenantryAutoConfiguration.class,
                    TenantryJdbcAutoConfiguration.class, DataSourceAutoConfiguration.class,
                    DataSourceHealthContributorAutoConfiguration.class, HealthContributorAutoConfiguration.class,
                    HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
                    EndpointAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=" + TestPostgres.get().url(control),
                    "spring.datasource.username=" + TestPostgres.APP_USER,
                    "spring.datasource.password=" + TestPostgres.APP_PASSWORD,
                    "tenantry.directory.tenants[0].id=acme", "tenantry.directory.tenants[0].tier=pro",
                    "tenantry.routing.tiers.pro.model=schema", "tenantry.routing.tiers.pro.store=main",
                    "tenantry.routing.tiers.pro.database=" + shared,
                    "tenantry.jdbc.provision-on-startup=false",
                    "management.endpoint.health.show-details=always");

    private final ApplicationContextRunner runner = boot
            .withConfiguration(AutoConfigurations.of(TenantryJdbcHealthAutoConfiguration.class));

    @Test
    void healthIsUpWithTheRoutingDataSourceAsThePrimaryOne() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            HealthDescriptor health = context.getBean(HealthEndpoint.class).health();

            assertThat(health.getStatus()).as(String.valueOf(components(health))).isEqualTo(Status.UP);
            assertThat(components(health)).containsKeys("db", "tenantryJdbc");
            assertThat(indicated(context, "tenantryJdbc", "main").getStatus()).isEqualTo(Status.UP);
            assertThat(indicated(context, "tenantryJdbc", "main").getDetails()).containsEntry("database", "postgres")
                    .containsKey("elapsedMillis");
            assertThat(indicated(context, "db").getStatus()).isEqualTo(Status.UP);
            assertThat(indicated(context, "db").getDetails()).containsEntry("database", "PostgreSQL");
            assertThat(context.getBean("dbHealthContributor")).as("Tenantry's, checking the control plane")
                    .isInstanceOf(DataSourceHealthIndicator.class);
        });
    }

    @Test
    void springBootsOwnDbIndicatorWouldReportTheRoutingDataSourceDown() {
        boot.run(context -> {
            HealthDescriptor health = context.getBean(HealthEndpoint.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            Map<String, HealthDescriptor> db = components(components(health).get("db"));
            assertThat(db.get(TenantryJdbcAutoConfiguration.ROUTING_DATA_SOURCE).getStatus()).isEqualTo(Status.DOWN);
            assertThat(((IndicatedHealthDescriptor) db.get(TenantryJdbcAutoConfiguration.ROUTING_DATA_SOURCE))
                    .getDetails().get("error")).asString().contains("NoTenantBoundException");
            assertThat(db.get(TenantryJdbcAutoConfiguration.CONTROL_PLANE_DATA_SOURCE).getStatus())
                    .isEqualTo(Status.UP);
        });
    }

    @Test
    void aStoreThatIsUnreachableOrSilentIsDownWithinItsConnectionTimeout() {
        try (SilentServer silent = new SilentServer()) {
            runner.withPropertyValues(
                    "tenantry.jdbc.stores.main.url=" + postgres.serverUrl(),
                    "tenantry.jdbc.stores.main.username=" + TestPostgres.APP_USER,
                    "tenantry.jdbc.stores.main.password=" + TestPostgres.APP_PASSWORD,
                    "tenantry.jdbc.stores.refused.url=" + SilentServer.refusingServerUrl(),
                    "tenantry.jdbc.stores.refused.connection-timeout=1s",
                    "tenantry.jdbc.stores.silent.url=" + silent.serverUrl(),
                    "tenantry.jdbc.stores.silent.connection-timeout=500ms").run(context -> {
                        assertThat(context).hasNotFailed();
                        long start = System.nanoTime();
                        HealthDescriptor health = context.getBean(HealthEndpoint.class).health();
                        long millis = (System.nanoTime() - start) / 1_000_000;

                        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                        assertThat(millis).as("the whole health check").isLessThan(1_000 + 500 + 2_000);
                        assertThat(indicated(context, "tenantryJdbc", "main").getStatus()).isEqualTo(Status.UP);
                        assertThat(indicated(context, "db").getStatus()).isEqualTo(Status.UP);
                        IndicatedHealthDescriptor refused = indicated(context, "tenantryJdbc", "refused");
                        assertThat(refused.getStatus()).isEqualTo(Status.DOWN);
                        assertThat(refused.getDetails().get("error")).asString().contains("PSQLException");
                        IndicatedHealthDescriptor stuck = indicated(context, "tenantryJdbc", "silent");
                        assertThat(stuck.getStatus()).isEqualTo(Status.DOWN);
                        assertThat(stuck.getDetails().get("error")).asString().contains("SQLTimeoutException")
                                .contains("\"silent\"").contains("500 ms");
                    });
        }
    }

    @Test
    void eachPartCanBeTurnedOffAndNothingIsReplacedWithoutTenantJdbc() {
        runner.withPropertyValues("management.health.tenantry.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean("tenantryJdbcHealthContributor");
            assertThat(context.getBean("dbHealthContributor")).isInstanceOf(DataSourceHealthIndicator.class);
            assertThat(context.getBean(HealthEndpoint.class).health().getStatus()).isEqualTo(Status.UP);
        });
        runner.withPropertyValues("management.health.db.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean("dbHealthContributor");
            assertThat(context).hasBean("tenantryJdbcHealthContributor");
        });
        runner.withPropertyValues("tenantry.jdbc.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean("tenantryJdbcHealthContributor");
            assertThat(context).doesNotHaveBean(io.tenantry.jdbc.TenantJdbc.class).hasBean("dbHealthContributor");
            assertThat(context.getBean(HealthEndpoint.class).health().getStatus()).isEqualTo(Status.UP);
        });
    }

    private static Map<String, HealthDescriptor> components(HealthDescriptor health) {
        return ((CompositeHealthDescriptor) health).getComponents();
    }

    private static IndicatedHealthDescriptor indicated(AssertableApplicationContext context, String... path) {
        return (IndicatedHealthDescriptor) context.getBean(HealthEndpoint.class).healthForPath(path);
    }
}
