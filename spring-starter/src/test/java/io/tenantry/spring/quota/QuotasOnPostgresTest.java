package io.tenantry.spring.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.QuotaExceededException;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycle;
import io.tenantry.TenantMetering;
import io.tenantry.TenantQuotas;
import io.tenantry.jdbc.JdbcQuotaLedger;
import io.tenantry.spi.QuotaLedger;
import io.tenantry.spring.jdbc.TestPostgres;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Quotas in a Boot application on PostgreSQL, the counts in the control plane: acme on shared tables, bravo in
 * a schema of its own, each refused past its tier's quota through Spring's JdbcTemplate; metering reconciles a
 * count with rows removed around Tenantry; deleting a tenant forgets its counts.
 */
class QuotasOnPostgresTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId BRAVO = TenantId.of("bravo");

    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = {"org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
            "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
            "org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration",
            "org.springframework.boot.data.mongodb.autoconfigure.DataMongoAutoConfiguration",
            "org.springframework.boot.data.mongodb.autoconfigure.DataMongoRepositoriesAutoConfiguration"})
    static class Application {
    }

    @Test
    @DisplayName("JdbcTemplate inserts past the quota are refused on shared tables and schemas; counts live in the control plane")
    void quotasOnPostgres() {
        TestPostgres postgres = TestPostgres.get();
        String controlPlane = postgres.freshDatabase("quota_cp");
        String shared = postgres.freshDatabase("quota_shared");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class).properties(
                "spring.main.web-application-type=none",
                "spring.datasource.url=" + postgres.url(controlPlane),
                "spring.datasource.username=" + TestPostgres.APP_USER,
                "spring.datasource.password=" + TestPostgres.APP_PASSWORD,
                "tenantry.mongodb.enabled=false", "tenantry.directory.source=jdbc", "tenantry.lifecycle.settle=0",
                "tenantry.routing.tiers.free.model=field",
                "tenantry.routing.tiers.free.database=" + shared,
                "tenantry.routing.tiers.pro.model=schema",
                "tenantry.routing.tiers.pro.database=" + postgres.freshDatabase("quota_schemas"),
                "tenantry.jdbc.migrations=classpath:lifecycle/tenant",
                "tenantry.jdbc.shared-migrations=classpath:lifecycle/shared",
                "tenantry.metering.initial-delay=1h",
                "tenantry.quotas.enabled=true", "tenantry.quotas.ledger=jdbc",
                "tenantry.quotas.tiers.free.items.notes=5", "tenantry.quotas.tiers.pro.items.notes=2").run()) {
            assertThat(context.getBean(QuotaLedger.class)).isInstanceOf(JdbcQuotaLedger.class);
            TenantLifecycle lifecycle = context.getBean(TenantLifecycle.class);
            lifecycle.create(Tenant.builder(ACME).tier("free").build());
            lifecycle.create(Tenant.builder(BRAVO).tier("pro").build());
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            for (TenantId tenant : List.of(ACME, BRAVO)) {
                long limit = tenant.equals(ACME) ? 5 : 2;
                TenantContext.runAs(tenant, () -> {
                    for (int i = 0; i < limit; i++) {
                        jdbc.update("INSERT INTO notes (body) VALUES (?)", tenant + " note " + i);
                    }
                    assertThatThrownBy(() -> jdbc.update("INSERT INTO notes (body) VALUES ('one too many')"))
                            .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                                assertThat(e.quota().key()).isEqualTo("items:notes");
                                assertThat(e.limit()).isEqualTo(limit);
                                assertThat(e.usage()).isEqualTo(limit);
                            });
                    assertThat(jdbc.queryForObject("SELECT count(*) FROM notes", Long.class)).isEqualTo(limit);
                });
            }
            JdbcTemplate control = new JdbcTemplate(appUser(controlPlane));
            assertThat(control.queryForList("SELECT tenant_id, used FROM tenant_quota_usage ORDER BY tenant_id"))
                    .extracting(row -> row.get("tenant_id") + "=" + row.get("used")).containsExactly("acme=5", "bravo=2");

            // a row removed around Tenantry's counting: metering reconciles the count, and the room is usable
            postgres.execute(shared, "DELETE FROM notes WHERE tenant_id = 'acme' AND body = 'acme note 0'");
            context.getBean(TenantMetering.class).usageOfAll(1, context.getBean(TenantQuotas.class));
            TenantContext.runAs(ACME, () -> jdbc.update("INSERT INTO notes (body) VALUES ('room again')"));

            lifecycle.delete(BRAVO);
            assertThat(control.queryForList("SELECT tenant_id FROM tenant_quota_usage", String.class))
                    .containsExactly("acme");
        }
    }

    private static javax.sql.DataSource appUser(String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(TestPostgres.get().url(database));
        dataSource.setUser(TestPostgres.APP_USER);
        dataSource.setPassword(TestPostgres.APP_PASSWORD);
        return dataSource;
    }
}
