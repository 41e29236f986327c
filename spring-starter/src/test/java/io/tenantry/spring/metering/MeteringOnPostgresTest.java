package io.tenantry.spring.metering;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycle;
import io.tenantry.TenantMetering;
import io.tenantry.TenantUsage;
import io.tenantry.jdbc.JdbcUsageHistory;
import io.tenantry.spi.UsageHistory;
import io.tenantry.spring.jdbc.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Metering in a Boot application on PostgreSQL, with the catalogue in the control plane: tenant acme on
 * shared tables, bravo in a schema of its own. What the starter measures is what {@link TenantMetering}
 * measures; each run's measurements land in the control plane's {@code tenant_usage_history}; the
 * {@code tenants} endpoint and the gauges show the latest usage.
 */
class MeteringOnPostgresTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId BRAVO = TenantId.of("bravo");

    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = {"org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
            "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
            "org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration",
            "org.springframework.boot.data.mongodb.autoconfigure.DataMongoAutoConfiguration",
            "org.springframework.boot.data.mongodb.autoconfigure.DataMongoRepositoriesAutoConfiguration"})
    static class Application {

        /** The actuator open to the test; a real deployment puts its security in front of it. */
        @Bean
        SecurityFilterChain actuator(HttpSecurity http) throws Exception {
            return http.securityMatcher("/actuator/**").authorizeHttpRequests(r -> r.anyRequest().permitAll())
                    .csrf(csrf -> csrf.disable()).build();
        }
    }

    private static ConfigurableApplicationContext start(String controlPlane, String... extra) {
        TestPostgres postgres = TestPostgres.get();
        List<String> properties = new ArrayList<>(List.of("server.port=0",
                "spring.datasource.url=" + postgres.url(controlPlane),
                "spring.datasource.username=" + TestPostgres.APP_USER,
                "spring.datasource.password=" + TestPostgres.APP_PASSWORD,
                "tenantry.mongodb.enabled=false", "tenantry.directory.source=jdbc", "tenantry.lifecycle.settle=0",
                "tenantry.routing.tiers.free.model=field",
                "tenantry.routing.tiers.free.database=" + postgres.freshDatabase("metering_shared"),
                "tenantry.routing.tiers.pro.model=schema",
                "tenantry.routing.tiers.pro.database=" + postgres.freshDatabase("metering_schemas"),
                "tenantry.jdbc.migrations=classpath:lifecycle/tenant",
                "tenantry.jdbc.shared-migrations=classpath:lifecycle/shared",
                "management.endpoints.web.exposure.include=tenants"));
        properties.addAll(List.of(extra));
        return new SpringApplicationBuilder(Application.class).properties(properties.toArray(String[]::new)).run();
    }

    /** Registers acme (shared tables) and bravo (a schema) with {@code acme} and {@code bravo} notes. */
    private static void tenantsWithNotes(ConfigurableApplicationContext context, int acme, int bravo) {
        TenantLifecycle lifecycle = context.getBean(TenantLifecycle.class);
        lifecycle.create(Tenant.builder(ACME).tier("free").build());
        lifecycle.create(Tenant.builder(BRAVO).tier("pro").build());
        addNotes(context, ACME, acme);
        addNotes(context, BRAVO, bravo);
    }

    private static void addNotes(ConfigurableApplicationContext context, TenantId tenant, int notes) {
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        TenantContext.runAs(tenant, () -> {
            for (int i = 0; i < notes; i++) {
                jdbc.update("INSERT INTO notes (body) VALUES (?)", tenant + " note " + i);
            }
        });
    }

    private static HttpResponse<String> get(ConfigurableApplicationContext context, String path) throws Exception {
        int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Returns a data source on {@code database} that logs in as the application does. */
    private static DataSource appUser(String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(TestPostgres.get().url(database));
        dataSource.setUser(TestPostgres.APP_USER);
        dataSource.setPassword(TestPostgres.APP_PASSWORD);
        return dataSource;
    }

    @Test
    @DisplayName("a run measures what TenantMetering measures, keeps it in the control plane, and the endpoint and gauges show it")
    void usageOnEveryChannel() throws Exception {
        String controlPlane = TestPostgres.get().freshDatabase("metering_cp");
        try (ConfigurableApplicationContext context = start(controlPlane, "tenantry.metering.initial-delay=1h")) {
            tenantsWithNotes(context, 7, 3);
            MeteringJob job = context.getBean(MeteringJob.class);
            assertThat(job.run()).isTrue();

            TenantMetering metering = context.getBean(TenantMetering.class);
            MeteringSnapshot snapshot = context.getBean(MeteringSnapshot.class);
            for (TenantId tenant : List.of(ACME, BRAVO)) {
                TenantUsage latest = snapshot.usage(tenant).orElseThrow();
                TenantUsage direct = metering.usage(tenant);
                assertThat(latest.placement()).isEqualTo(direct.placement());
                assertThat(latest.resources()).as("%s", tenant).isEqualTo(direct.resources());
            }
            assertThat(snapshot.usage(ACME).orElseThrow().placement().model().name()).isEqualTo("FIELD");
            assertThat(snapshot.usage(BRAVO).orElseThrow().placement().model().name()).isEqualTo("COLLECTION");
            assertThat(snapshot.usage(ACME).orElseThrow().items("notes")).isEqualTo(7);
            assertThat(snapshot.usage(BRAVO).orElseThrow().items("notes")).isEqualTo(3);
            assertThat(snapshot.usage(ACME).orElseThrow().totalBytes()).isPositive();

            JdbcTemplate control = new JdbcTemplate(appUser(controlPlane));
            assertThat(control.queryForList("SELECT tenant, items FROM tenant_usage_history ORDER BY tenant"))
                    .containsExactly(Map.of("tenant", "acme", "items", 7L), Map.of("tenant", "bravo", "items", 3L));
            assertThat(context.getBean(UsageHistory.class)).isInstanceOf(JdbcUsageHistory.class);

            addNotes(context, ACME, 2);
            assertThat(job.run()).isTrue();
            UsageHistory history = context.getBean(UsageHistory.class);
            assertThat(history.find(ACME, Instant.EPOCH, Instant.now().plusSeconds(1), 10))
                    .extracting(u -> u.items("notes")).containsExactly(7L, 9L);
            assertThat(history.find(BRAVO, Instant.EPOCH, Instant.now().plusSeconds(1), 10))
                    .extracting(u -> u.items("notes")).containsExactly(3L, 3L);

            HttpResponse<String> acme = get(context, "/actuator/tenants/acme");
            assertThat(acme.statusCode()).isEqualTo(200);
            assertThat(acme.body()).contains("\"usage\":{\"items\":9,\"bytes\":"
                    + snapshot.usage(ACME).orElseThrow().totalBytes()).contains("\"notes\":{\"items\":9,");
            assertThat(get(context, "/actuator/tenants").body()).contains("\"usage\":{\"items\":3,");
            HttpResponse<String> usage = get(context, "/actuator/tenants/acme/usage");
            assertThat(usage.statusCode()).as(usage.body()).isEqualTo(200);
            assertThat(usage.body()).containsSubsequence("\"items\":7,", "\"items\":9,");
            assertThat(get(context, "/actuator/tenants/acme/usage?limit=1").body())
                    .doesNotContain("\"items\":7,").contains("\"items\":9,");
            assertThat(get(context, "/actuator/tenants/acme/usage?to=" + Instant.EPOCH.plusSeconds(1)).body())
                    .contains("\"measurements\":[]");
            assertThat(get(context, "/actuator/tenants/acme/usage?from=yesterday").statusCode()).isEqualTo(400);
            assertThat(get(context, "/actuator/tenants/acme/sizes").statusCode()).isEqualTo(404);
            assertThat(get(context, "/actuator/tenants/nobody/usage").statusCode()).isEqualTo(404);

            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get(MeteringGauges.ITEMS).tag("tenant", "acme").gauge().value()).isEqualTo(9.0);
            assertThat(registry.get(MeteringGauges.BYTES).tag("tenant", "bravo").gauge().value())
                    .isEqualTo(snapshot.usage(BRAVO).orElseThrow().totalBytes());
        }
    }

    @Test
    @DisplayName("the schedule measures every interval from shortly after start-up and purges what is past the retention")
    void theScheduleMeasuresAndPurges() throws Exception {
        String controlPlane = TestPostgres.get().freshDatabase("metering_sched");
        try (ConfigurableApplicationContext context = start(controlPlane, "tenantry.metering.initial-delay=0s",
                "tenantry.metering.interval=200ms", "tenantry.metering.history.retention=30d",
                "tenantry.metering.max-tagged-tenants=1")) {
            JdbcUsageHistory seeded = JdbcUsageHistory.of(appUser(controlPlane));
            seeded.record(new TenantUsage(ACME, Placement.field("main", "old"), Map.of(),
                    Instant.now().minus(Duration.ofDays(31))));
            seeded.record(new TenantUsage(ACME, Placement.field("main", "recent"), Map.of(),
                    Instant.now().minus(Duration.ofDays(29))));
            CountDownLatch bothMeasured = new CountDownLatch(2);
            context.getBean(MeteringSnapshot.class).onUpdate(snapshot -> {
                if (snapshot.all().size() == 2) {
                    bothMeasured.countDown();
                }
            });
            tenantsWithNotes(context, 4, 40);
            assertThat(bothMeasured.await(60, TimeUnit.SECONDS)).as("two runs that measured both tenants").isTrue();

            JdbcTemplate control = new JdbcTemplate(appUser(controlPlane));
            assertThat(control.queryForList("SELECT namespace FROM tenant_usage_history WHERE measured_at < now()"
                    + " - interval '1 day'", String.class)).containsExactly("recent");
            assertThat(control.queryForObject("SELECT count(DISTINCT tenant) FROM tenant_usage_history WHERE"
                    + " measured_at > now() - interval '1 hour'", Long.class)).isEqualTo(2);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.find(MeteringGauges.ITEMS).gauges()).extracting(g -> g.getId().getTag("tenant"))
                    .containsExactlyInAnyOrder("bravo", "other");
        }
    }
}
