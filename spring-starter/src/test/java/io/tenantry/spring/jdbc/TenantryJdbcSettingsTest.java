package io.tenantry.spring.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.IsolationViolationException;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.jdbc.TenantJdbc;
import io.tenantry.spring.TenantryAutoConfiguration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/** The field model's settings, role names, pool bounds and the catalogue's table, each seen in PostgreSQL. */
class TenantryJdbcSettingsTest {

    private static TestPostgres postgres;

    @BeforeAll
    static void server() {
        postgres = TestPostgres.get();
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TenantryAutoConfiguration.class,
                    TenantryJdbcAutoConfiguration.class, DataSourceAutoConfiguration.class,
                    JdbcTemplateAutoConfiguration.class));

    private ApplicationContextRunner fieldModel(String shared) {
        return runner.withPropertyValues("spring.datasource.url=" + postgres.url(postgres.freshDatabase("settings_cp")),
                "spring.datasource.username=" + TestPostgres.APP_USER,
                "spring.datasource.password=" + TestPostgres.APP_PASSWORD,
                "tenantry.directory.tenants[0].id=acme", "tenantry.directory.tenants[1].id=bravo",
                "tenantry.routing.default-placement.model=field",
                "tenantry.routing.default-placement.database=" + shared,
                "tenantry.jdbc.tenant-column=org_id", "tenantry.jdbc.shared-schema=app",
                "tenantry.jdbc.shared-migrations=classpath:jdbc/settings/shared");
    }

    private static List<String> bodies(JdbcTemplate template, String tenant) {
        return TenantContext.callAs(TenantId.of(tenant), () -> template.queryForList("SELECT body FROM notes",
                String.class));
    }

    @Test
    @DisplayName("tenant-column and shared-schema: rows of notes in schema app carry org_id")
    void tenantColumnAndSharedSchema() {
        String shared = postgres.freshDatabase("settings_column");
        postgres.execute(shared, "CREATE SCHEMA app AUTHORIZATION " + TestPostgres.APP_USER);
        fieldModel(shared).run(context -> {
            assertThat(context).hasNotFailed();
            JdbcTemplate template = context.getBean(JdbcTemplate.class);
            TenantContext.runAs(TenantId.of("acme"), () -> template.update("INSERT INTO notes (body) VALUES ('a')"));
            assertThat(bodies(template, "acme")).containsExactly("a");
            assertThat(bodies(template, "bravo")).isEmpty();
            assertThat(new JdbcTemplate(postgres.admin(shared)).queryForList("SELECT org_id FROM app.notes",
                    String.class)).containsExactly("acme");
            // colours has no org_id: shared reference data, read by every tenant, written by none
            assertThat(TenantContext.callAs(TenantId.of("bravo"), () -> template.queryForList(
                    "SELECT name FROM colours ORDER BY name", String.class))).containsExactly("blue", "red");
            assertThatThrownBy(() -> TenantContext.runAs(TenantId.of("bravo"),
                    () -> template.update("DELETE FROM colours")))
                    .isInstanceOf(IsolationViolationException.class).hasMessageContaining("shares");
        });
    }

    @Test
    @DisplayName("tenant-tables names the tenant tables: a table left out of it is shared")
    void tenantTables() {
        String shared = postgres.freshDatabase("settings_tables");
        postgres.execute(shared, "CREATE SCHEMA app AUTHORIZATION " + TestPostgres.APP_USER);
        fieldModel(shared).withPropertyValues("tenantry.jdbc.tenant-tables=notes").run(context -> {
            assertThat(context).hasNotFailed();
            JdbcTemplate template = context.getBean(JdbcTemplate.class);
            TenantContext.runAs(TenantId.of("acme"), () -> template.update("INSERT INTO notes (body) VALUES ('a')"));
            assertThat(bodies(template, "bravo")).isEmpty();
        });
    }

    @Test
    @DisplayName("row-level-security and sql-rewriting: each wall alone still confines, and is what PostgreSQL shows")
    void wallsOneAtATime() {
        String shared = postgres.freshDatabase("settings_rls");
        postgres.execute(shared, "CREATE SCHEMA app AUTHORIZATION " + TestPostgres.APP_USER);
        fieldModel(shared).withPropertyValues("tenantry.jdbc.sql-rewriting=false").run(context -> {
            assertThat(context).hasNotFailed();
            JdbcTemplate template = context.getBean(JdbcTemplate.class);
            TenantContext.runAs(TenantId.of("acme"), () -> template.update(
                    "INSERT INTO notes (org_id, body) VALUES ('acme', 'a')"));
            // not rewritten: the tenant column is visible, and row-level security alone keeps bravo out
            assertThat(TenantContext.callAs(TenantId.of("acme"), () -> template.queryForList(
                    "SELECT org_id FROM notes", String.class))).containsExactly("acme");
            assertThat(bodies(template, "bravo")).isEmpty();
            assertThat(policies(shared)).isEqualTo(1);
        });
        String plain = postgres.freshDatabase("settings_norls");
        postgres.execute(plain, "CREATE SCHEMA app AUTHORIZATION " + TestPostgres.APP_USER);
        fieldModel(plain).withPropertyValues("tenantry.jdbc.row-level-security=false").run(context -> {
            assertThat(context).hasNotFailed();
            JdbcTemplate template = context.getBean(JdbcTemplate.class);
            TenantContext.runAs(TenantId.of("acme"), () -> template.update("INSERT INTO notes (body) VALUES ('a')"));
            assertThat(bodies(template, "bravo")).isEmpty();
            assertThat(policies(plain)).isZero();
        });
    }

    private static int policies(String database) {
        return new JdbcTemplate(postgres.admin(database)).queryForObject(
                "SELECT count(*) FROM pg_policies WHERE tablename = 'notes'", Integer.class);
    }

    @Test
    @DisplayName("role-prefix names the roles of the schema model; max-pools bounds the pools of tenant databases")
    void rolesAndPools() {
        String shared = postgres.freshDatabase("settings_roles");
        String prefix = postgres.freshPrefix();
        String rolePrefix = "rp" + prefix;
        runner.withPropertyValues("spring.datasource.url=" + postgres.url(postgres.freshDatabase("settings_cp")),
                "spring.datasource.username=" + TestPostgres.APP_USER,
                "spring.datasource.password=" + TestPostgres.APP_PASSWORD,
                "tenantry.directory.tenants[0].id=acme", "tenantry.directory.tenants[0].tier=pro",
                "tenantry.directory.tenants[1].id=bravo", "tenantry.directory.tenants[2].id=carol",
                "tenantry.routing.tiers.pro.model=schema", "tenantry.routing.tiers.pro.database=" + shared,
                "tenantry.routing.default-placement.model=database", "tenantry.routing.default-placement.prefix=" + prefix,
                "tenantry.jdbc.role-prefix=" + rolePrefix, "tenantry.jdbc.max-pools=2",
                "tenantry.jdbc.migrations=classpath:jdbc/wiring/tenant").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(new JdbcTemplate(postgres.admin("postgres")).queryForList(
                            "SELECT rolname FROM pg_roles WHERE rolname LIKE ?", String.class, rolePrefix + "%"))
                            .anySatisfy(role -> assertThat(role).contains("acme"));
                    JdbcTemplate template = context.getBean(JdbcTemplate.class);
                    TenantJdbc jdbc = context.getBean(TenantJdbc.class);
                    for (String tenant : List.of("acme", "bravo", "carol", "bravo", "carol")) {
                        TenantContext.runAs(TenantId.of(tenant), () -> template.queryForList("SELECT body FROM notes"));
                        assertThat(jdbc.openPools()).isLessThanOrEqualTo(2);
                    }
                });
    }

    @Test
    @DisplayName("directory.jdbc.table may name a schema that the control plane's own migrations create")
    void schemaQualifiedCatalogue() {
        String control = postgres.freshDatabase("settings_catalogue");
        runner.withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + postgres.url(control),
                        "spring.datasource.username=" + TestPostgres.APP_USER,
                        "spring.datasource.password=" + TestPostgres.APP_PASSWORD,
                        "spring.flyway.locations=classpath:jdbc/settings/control",
                        "tenantry.directory.source=jdbc", "tenantry.directory.jdbc.table=control.tenants",
                        "tenantry.routing.default-placement.model=database",
                        "tenantry.routing.default-placement.prefix=" + postgres.freshPrefix())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(new JdbcTemplate(postgres.admin(control)).queryForObject(
                            "SELECT count(*) FROM control.tenants", Integer.class)).isZero();
                });
    }
}
