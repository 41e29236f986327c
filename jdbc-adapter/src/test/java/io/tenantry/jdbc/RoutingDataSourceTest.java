package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.IsolationViolationException;
import io.tenantry.NoTenantBoundException;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.TenantStatus;
import io.tenantry.TenantUnavailableException;
import io.tenantry.UnknownTenantException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The routing DataSource on both models: routing, fail-closed, binding of connections to their tenant. */
class RoutingDataSourceTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId ACME1 = TenantId.of("acme1");

    private static JdbcFixture schemas;
    private static JdbcFixture databases;

    private static synchronized JdbcFixture fixture(String model) {
        if (model.equals("schema")) {
            return schemas == null ? schemas = JdbcFixture.schemas("routing") : schemas;
        }
        return databases == null ? databases = JdbcFixture.databases("routing") : databases;
    }

    @AfterAll
    static void stop() {
        if (schemas != null) {
            schemas.close();
        }
        if (databases != null) {
            databases.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"schema", "database"})
    void each_tenant_reads_and_writes_its_own_rows(String model) throws SQLException {
        JdbcFixture f = fixture(model);
        f.clear(JdbcFixture.TENANTS);
        TenantContext.runAs(ACME, () -> execute(f, "INSERT INTO items VALUES ('k', 'from-acme')"));
        TenantContext.runAs(ACME1, () -> execute(f, "INSERT INTO items VALUES ('k', 'from-acme1')"));

        assertThat(f.itemsOf(ACME)).containsExactly("k=from-acme");
        assertThat(f.itemsOf(ACME1)).containsExactly("k=from-acme1");
        assertThat(TenantContext.callAs(ACME, () -> single(f, "SELECT v FROM items"))).isEqualTo("from-acme");
        assertThat(f.itemsOf(TenantId.of("b"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"schema", "database"})
    void no_tenant_bound_gives_no_connection(String model) {
        JdbcFixture f = fixture(model);
        int before = f.jdbc.openConnections();
        assertThatThrownBy(() -> f.dataSource().getConnection()).isInstanceOf(NoTenantBoundException.class);
        try (var system = TenantContext.openSystem("test: a system scope is not a tenant")) {
            assertThatThrownBy(() -> f.dataSource().getConnection()).isInstanceOf(NoTenantBoundException.class);
        }
        assertThat(f.jdbc.openConnections()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"schema", "database"})
    void a_connection_used_while_another_tenant_is_bound_refuses(String model) throws Exception {
        JdbcFixture f = fixture(model);
        f.clear(JdbcFixture.TENANTS);
        Connection kept = TenantContext.callAs(ACME, () -> f.dataSource().getConnection());
        try {
            PreparedStatement prepared = TenantContext.callAs(ACME,
                    () -> kept.prepareStatement("INSERT INTO items VALUES ('x', 'y')"));
            TenantContext.runAs(ACME1, () -> {
                assertThatThrownBy(kept::createStatement).isInstanceOf(IsolationViolationException.class)
                        .hasMessageContaining("acme1").hasMessageContaining("\"acme\"");
                assertThatThrownBy(prepared::executeUpdate).isInstanceOf(IsolationViolationException.class);
            });
            assertThatThrownBy(kept::createStatement).isInstanceOf(NoTenantBoundException.class);
            assertThatThrownBy(prepared::executeUpdate).isInstanceOf(NoTenantBoundException.class);
        } finally {
            kept.close();
        }
        assertThat(f.itemsOf(ACME)).isEmpty();
        assertThat(f.itemsOf(ACME1)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"schema", "database"})
    void unknown_suspended_and_read_only_tenants(String model) throws Exception {
        JdbcFixture f = fixture(model);
        TenantContext.runAs(TenantId.of("nobody"), () -> assertThatThrownBy(() -> f.dataSource().getConnection())
                .isInstanceOf(UnknownTenantException.class));
        Tenant b = f.directory.require(TenantId.of("b"));
        Tenant suspended = f.directory.update(b.toBuilder().status(TenantStatus.SUSPENDED).build());
        TenantContext.runAs(b.id(), () -> assertThatThrownBy(() -> f.dataSource().getConnection())
                .isInstanceOf(TenantUnavailableException.class));
        Tenant readOnly = f.directory.update(suspended.toBuilder().status(TenantStatus.READ_ONLY).build());
        try {
            TenantContext.runAs(b.id(), () -> {
                assertThat(single(f, "SELECT count(*) FROM items")).isEqualTo("0");
                assertThatThrownBy(() -> execute(f, "INSERT INTO items VALUES ('k', 'v')"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("read-only");
                try (Connection c = f.dataSource().getConnection()) {
                    assertThatThrownBy(() -> c.setReadOnly(false)).isInstanceOf(IsolationViolationException.class);
                    assertThatThrownBy(() -> c.createStatement().execute("START TRANSACTION READ WRITE"))
                            .isInstanceOf(IsolationViolationException.class);
                    assertThatThrownBy(() -> c.createStatement().execute("BEGIN READ /* x */ WRITE"))
                            .isInstanceOf(IsolationViolationException.class);
                    c.createStatement().execute("SELECT 'read write' WHERE false");
                }
            });
        } finally {
            f.directory.update(readOnly.toBuilder().status(TenantStatus.ACTIVE).build());
        }
        assertThat(f.itemsOf(b.id())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"schema", "database"})
    void unwrap_never_hands_out_the_driver(String model) throws Exception {
        JdbcFixture f = fixture(model);
        assertThatThrownBy(() -> f.dataSource().unwrap(com.zaxxer.hikari.HikariDataSource.class))
                .isInstanceOf(IsolationViolationException.class);
        assertThat(f.dataSource().unwrap(javax.sql.DataSource.class)).isSameAs(f.dataSource());
        TenantContext.runAs(ACME, () -> {
            try (Connection c = f.dataSource().getConnection(); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT 1")) {
                assertThatThrownBy(() -> c.unwrap(org.postgresql.PGConnection.class))
                        .isInstanceOf(IsolationViolationException.class);
                assertThat(c.isWrapperFor(org.postgresql.PGConnection.class)).isFalse();
                assertThat(c.unwrap(Connection.class)).isSameAs(c);
                assertThat(s.getConnection()).isSameAs(c);
                assertThat(r.getStatement()).isSameAs(s);
                assertThat(c.getMetaData().getConnection()).isSameAs(c);
                assertThatThrownBy(() -> s.unwrap(org.postgresql.PGStatement.class))
                        .isInstanceOf(IsolationViolationException.class);
                assertThatThrownBy(() -> r.unwrap(org.postgresql.jdbc.PgResultSet.class))
                        .isInstanceOf(IsolationViolationException.class);
            }
        });
    }

    private static void execute(JdbcFixture f, String sql) throws SQLException {
        try (Connection c = f.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String single(JdbcFixture f, String sql) throws SQLException {
        try (Connection c = f.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }
}
