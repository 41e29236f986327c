package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.IsolationViolationException;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycleException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What provisioning builds for the FIELD model, checked in PostgreSQL's catalogue and by behaviour:
 * tenant-scoped keys (no existence oracle), row-level security, a role that owns nothing, and the
 * refusals of shared sequences and of a schema without tenant tables.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FieldProvisioningTest {

    private static final TenantId A = TenantId.of("acme");
    private static final TenantId B = TenantId.of("b");

    private JdbcFixture fixture;

    @BeforeAll
    void start() {
        fixture = JdbcFixture.shared("fieldprov", List.of(A, B), b -> b.sharedMigrations("classpath:db/field-keys"));
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    @Test
    void keysLeadWithTheTenantColumnSoOneTenantsValuesNeverBlockAnothers() throws SQLException {
        assertThat(adminStrings("SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint"
                + " WHERE conrelid IN ('teams'::regclass, 'players'::regclass) ORDER BY conname"))
                .containsExactly(
                        "players_pkey PRIMARY KEY (tenant_id, id)",
                        "players_team_id_fkey FOREIGN KEY (tenant_id, team_id) REFERENCES teams(tenant_id, id)"
                                + " ON DELETE SET NULL (team_id)",
                        "teams_name_key UNIQUE (tenant_id, name)",
                        "teams_pkey PRIMARY KEY (tenant_id, id)");
        assertThat(adminStrings("SELECT pg_get_indexdef('players_email'::regclass)"))
                .containsExactly("CREATE UNIQUE INDEX players_email ON public.players USING btree (tenant_id,"
                        + " lower(email))");
        assertThat(adminStrings("SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'notes'::regclass"))
                .containsExactly("CREATE INDEX notes_tenant_id_idx ON public.notes USING btree (tenant_id)");

        run(B, "INSERT INTO teams (id, name) VALUES ('t1', 'Lions')");
        run(B, "INSERT INTO players (id, team_id, email) VALUES ('p1', 't1', 'Ann@b.example')");
        // the same key, name and e-mail as tenant b's: no conflict, so nothing tells acme they exist
        run(A, "INSERT INTO teams (id, name) VALUES ('t1', 'Lions')");
        run(A, "INSERT INTO players (id, email) VALUES ('p1', 'ann@b.example')");
        assertThat(TenantContext.callAs(A, () -> strings("SELECT name FROM teams WHERE id = 't1'")))
                .containsExactly("Lions");
        assertThat(TenantContext.callAs(B, () -> strings("SELECT email FROM players WHERE id = 'p1'")))
                .containsExactly("Ann@b.example");
    }

    @Test
    void aForeignKeyCannotPointAtAnotherTenantsRow() {
        run(B, "INSERT INTO teams (id, name) VALUES ('only-b', 'Only b')");
        assertThatThrownBy(() -> run(A, "INSERT INTO players (id, team_id) VALUES ('p2', 'only-b')"))
                .hasRootCauseMessage(rootMessage(() -> run(A,
                        "INSERT INTO players (id, team_id) VALUES ('p3', 'nowhere')")).replace("nowhere", "only-b"));
    }

    @Test
    void rowLevelSecurityIsEnabledAndForcedWithOnePolicyPerTenantTable() throws SQLException {
        assertThat(adminStrings("SELECT relname || ' ' || relrowsecurity || ' ' || relforcerowsecurity FROM pg_class"
                + " WHERE relname IN ('teams', 'players', 'notes', 'items', 'countries') ORDER BY relname"))
                .containsExactly("countries false false", "items true true", "notes true true", "players true true",
                        "teams true true");
        assertThat(adminStrings("SELECT tablename || ' ' || qual || ' ' || with_check FROM pg_policies"
                + " WHERE policyname = 'tenantry_tenant' AND tablename = 'teams'"))
                .containsExactly("teams (tenant_id = NULLIF(current_setting('tenantry.tenant'::text, true),"
                        + " ''::text)) (tenant_id = NULLIF(current_setting('tenantry.tenant'::text, true), ''::text))");
    }

    @Test
    void tenantSessionsActAsARoleThatOwnsNothingAndCannotBypassRowSecurity() throws SQLException {
        String role = TenantContext.callAs(A, () -> {
            try (Connection c = fixture.dataSource().getConnection(); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT current_user")) {
                r.next();
                return r.getString(1);
            }
        });
        assertThat(role).isEqualTo(fixture.targetOf(A).role());
        assertThat(adminStrings("SELECT rolsuper || ' ' || rolbypassrls || ' ' || rolcanlogin FROM pg_roles"
                + " WHERE rolname = '" + role + "'")).containsExactly("false false false");
        assertThat(adminStrings("SELECT relname FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles"
                + " WHERE rolname = '" + role + "')")).isEmpty();
    }

    @Test
    void theTenantColumnIsRequiredAndDefaultsToTheBoundTenant() throws SQLException {
        assertThat(adminStrings("SELECT attnotnull || ' ' || pg_get_expr(adbin, adrelid) FROM pg_attribute"
                + " JOIN pg_attrdef ON adrelid = attrelid AND adnum = attnum"
                + " WHERE attrelid = 'notes'::regclass AND attname = 'tenant_id'"))
                .containsExactly("true NULLIF(current_setting('tenantry.tenant'::text, true), ''::text)");
    }

    @Test
    void sharedTablesAreReadableAndNotWritable() throws SQLException {
        assertThat(TenantContext.callAs(A, () -> strings("SELECT name FROM countries ORDER BY code")))
                .containsExactly("Germany", "France");
        assertThatThrownBy(() -> run(A, "UPDATE countries SET name = 'X'"))
                .isInstanceOf(IsolationViolationException.class)
                .hasMessageContaining("a table every tenant shares");
    }

    @Test
    void thePolicyLetsPostgresqlSearchTheTenantsKeyByIndex() throws SQLException {
        try (Connection c = fixture.server.admin(fixture.sharedDatabase).getConnection();
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO teams (tenant_id, id, name) SELECT 't' || (g % 50), 'k' || g, 'n' || g"
                    + " FROM generate_series(1, 20000) g; ANALYZE teams");
            s.execute(fixture.targetOf(A).switchSql());
            // as the tenant's role with the SQL as written: the policy alone adds the tenant condition
            List<String> plan = new ArrayList<>();
            try (ResultSet r = s.executeQuery("EXPLAIN SELECT name FROM teams WHERE id = 'k7'")) {
                while (r.next()) {
                    plan.add(r.getString(1));
                }
            }
            assertThat(String.join("\n", plan)).contains("Index").contains("tenant_id = NULLIF(current_setting(")
                    .doesNotContain("Seq Scan");
            s.execute("RESET ROLE; DELETE FROM teams WHERE tenant_id LIKE 't%'");
        }
    }

    @Test
    void aTenantTableNumberedFromASharedSequenceIsRefusedAtProvisioning() {
        assertThatThrownBy(() -> JdbcFixture.shared("fieldserial", List.of(A),
                b -> b.sharedMigrations("classpath:db/field-serial")))
                .isInstanceOf(TenantLifecycleException.class)
                .hasMessageContaining("Tenant table \"tickets\" takes column(s) [id] from a sequence")
                .hasMessageContaining("gen_random_uuid()");
    }

    @Test
    void aSchemaWithoutTenantTablesIsRefusedAtProvisioning() {
        assertThatThrownBy(() -> JdbcFixture.shared("fieldnone", List.of(A), b -> b.tenantColumn("owner_id")))
                .isInstanceOf(TenantLifecycleException.class)
                .hasMessageContaining("has no table with the tenant column \"owner_id\"");
    }

    @Test
    void aDeclaredTenantTableWithoutTheColumnIsRefusedAtProvisioning() {
        assertThatThrownBy(() -> JdbcFixture.shared("fielddecl", List.of(A),
                b -> b.sharedMigrations("classpath:db/field-keys").tenantTables("items", "countries")))
                .isInstanceOf(TenantLifecycleException.class)
                .hasMessageContaining("Table \"countries\" of schema \"public\" is declared a tenant table but has no"
                        + " column \"tenant_id\"");
    }

    private void run(TenantId tenant, String sql) {
        TenantContext.runAs(tenant, () -> {
            try (Connection c = fixture.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    private static String rootMessage(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return root.getMessage();
        }
        throw new AssertionError("expected a failure");
    }

    private List<String> strings(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = fixture.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                rows.add(r.getString(1));
            }
        }
        return rows;
    }

    private List<String> adminStrings(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = fixture.server.admin(fixture.sharedDatabase).getConnection();
                Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                rows.add(r.getString(1));
            }
        }
        return rows;
    }
}
