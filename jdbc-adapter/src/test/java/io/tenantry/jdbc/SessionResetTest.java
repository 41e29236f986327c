package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a pooled connection's session holds while it is idle in the pool, read by borrowing the pool's
 * one connection behind Tenantry's back: by default the login role and the empty schema with default
 * settings, whatever the tenant did; with {@code resetOnReturn(false)} the last tenant's role and schema
 * after a clean return, and the login role again after a dirty one.
 */
class SessionResetTest {

    private static final TenantId ACME = TenantId.of("acme");

    private static JdbcStore oneConnection() {
        return JdbcStore.builder(PostgresServer.get().serverUrl())
                .credentials(PostgresServer.APP_USER, PostgresServer.APP_PASSWORD).maximumPoolSize(1).build();
    }

    @Test
    void an_idle_connection_points_at_nothing_by_default() throws Exception {
        JdbcStore store = oneConnection();
        try (JdbcFixture f = JdbcFixture.schemas("reset", List.of(ACME), b -> { }, store)) {
            use(f, "SET statement_timeout = 4321");
            assertThat(idleSession(f, store)).containsExactly(PostgresServer.APP_USER, JdbcNames.EMPTY_SCHEMA, "0");
            use(f, "SELECT 1");
            assertThat(idleSession(f, store)).containsExactly(PostgresServer.APP_USER, JdbcNames.EMPTY_SCHEMA, "0");
        }
    }

    @Test
    void without_reset_on_return_a_clean_connection_keeps_its_tenant_and_a_dirty_one_is_reset() throws Exception {
        JdbcStore store = oneConnection();
        try (JdbcFixture f = JdbcFixture.schemas("keep", List.of(ACME), b -> b.resetOnReturn(false), store)) {
            JdbcTarget acme = f.targetOf(ACME);
            use(f, "SELECT 1");
            assertThat(idleSession(f, store).subList(0, 2)).containsExactly(acme.role(), acme.schema());
            use(f, "SET statement_timeout = 4321");
            assertThat(idleSession(f, store)).containsExactly(PostgresServer.APP_USER, JdbcNames.EMPTY_SCHEMA, "0");
        }
    }

    private static void use(JdbcFixture f, String sql) throws SQLException {
        TenantContext.runAs(ACME, () -> {
            try (Connection c = f.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute(sql);
            }
        });
    }

    /** Borrows the pool's only connection directly, as no tenant, and reads its session. */
    private static List<String> idleSession(JdbcFixture f, JdbcStore store) throws SQLException {
        TenantPools.Loan loan = f.jdbc.pools().borrow("main", store, f.sharedDatabase);
        try (Statement s = loan.connection().createStatement();
                ResultSet r = s.executeQuery("SELECT current_user, current_setting('search_path'),"
                        + " current_setting('statement_timeout')")) {
            r.next();
            return List.of(r.getString(1), r.getString(2).replace("\"", ""), r.getString(3));
        } finally {
            loan.connection().close();
            f.jdbc.pools().giveBack(loan.pool());
        }
    }
}
