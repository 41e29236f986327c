package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tenantry.IsolationModel;
import io.tenantry.Placement;
import io.tenantry.TenantId;
import io.tenantry.TenantRouter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The lifecycle suites' world: two PostgreSQL servers (stores {@code main} and {@code other}), a control
 * plane on {@code main} with {@link JdbcTenantDirectory} and {@link JdbcLifecycleJournal}, and one
 * {@link TenantJdbc} over six placements, each model on each store: shared tables and a schema per tenant
 * in one database of {@code main}, a database per tenant on each store, a schema per tenant and shared
 * tables in two databases of {@code other}. Tenants are pinned to their placement. Store {@code main} logs
 * in as a role that is no superuser (row-level security binds it, even as the shared tables' owner), store
 * {@code other} as a superuser (which bypasses row-level security: the lifecycle's own conditions are all
 * that confine it).
 */
final class LifecycleFixture implements AutoCloseable {

    static final String MIGRATIONS = "classpath:db/lifecycle-tenant";
    static final String SHARED_MIGRATIONS = "classpath:db/lifecycle-shared";

    private static final AtomicInteger NUMBERS = new AtomicInteger();

    final PostgresServer main = PostgresServer.get();
    final PostgresServer other = PostgresServer.second();
    final String controlDatabase;
    final HikariDataSource controlPlane;
    final JdbcTenantDirectory directory;
    final JdbcLifecycleJournal journal;
    final TenantRouter router;
    final TenantJdbc jdbc;
    /** FIELD, schema and database on {@code main}; database, schema and FIELD on {@code other}. */
    final List<Placement> placements;

    LifecycleFixture(String hint) {
        this(hint, MIGRATIONS, SHARED_MIGRATIONS);
    }

    /** The same world with other tables: the tenant migrations and the shared tables' migrations at these locations. */
    LifecycleFixture(String hint, String migrations, String sharedMigrations) {
        int n = NUMBERS.incrementAndGet();
        controlDatabase = main.freshDatabase(hint + "cp");
        HikariConfig config = new HikariConfig();
        config.setDataSource(main.admin(controlDatabase));
        config.setMaximumPoolSize(4);
        config.setPoolName("lifecycle-control-plane-" + n);
        controlPlane = new HikariDataSource(config);
        directory = JdbcTenantDirectory.of(controlPlane);
        directory.createTableIfMissing();
        journal = JdbcLifecycleJournal.of(controlPlane);
        journal.createTableIfMissing();
        String shared = main.freshDatabase(hint + "app");
        String prefix = "d" + ProcessHandle.current().pid() + "_l" + n + "_";
        placements = List.of(Placement.field("main", shared), Placement.schema("main", shared),
                Placement.database("main", prefix), Placement.database("other", prefix),
                Placement.schema("other", other.freshDatabase(hint + "schemas")),
                Placement.field("other", other.freshDatabase(hint + "shared")));
        router = TenantRouter.builder().otherwise(placements.get(0)).build();
        jdbc = TenantJdbc.builder().store("main", main.appStore()).store("other", other.superuserStore())
                .directory(directory).router(router)
                .rolePrefix("l" + n + "_")
                .migrations(migrations)
                .sharedMigrations(sharedMigrations)
                .build();
    }

    /** Returns the server of {@code placement}'s store. */
    PostgresServer serverOf(Placement placement) {
        return placement.store().equals("main") ? main : other;
    }

    JdbcTarget target(TenantId tenant, Placement placement) {
        return jdbc.routing().target(tenant, placement, false);
    }

    /**
     * Asserts, reading PostgreSQL's catalogues and tables raw as the superuser, that nothing of {@code tenant}
     * is at {@code placement}: no row of it in the shared tables, no schema or role of it, no database of it.
     */
    void assertNothingOf(TenantId tenant, Placement placement) {
        PostgresServer server = serverOf(placement);
        JdbcTarget target = target(tenant, placement);
        try {
            switch (placement.model()) {
                case FIELD -> {
                    try (Connection c = server.admin(placement.namespace()).getConnection()) {
                        assertThat(tenantRows(c, tenant)).as("rows of %s in the shared tables of %s", tenant, placement)
                                .isEmpty();
                    }
                }
                case COLLECTION -> {
                    try (Connection c = server.admin(placement.namespace()).getConnection()) {
                        assertThat(count(c, "SELECT count(*) FROM pg_namespace WHERE nspname = ?", target.schema()))
                                .as("schema of %s at %s", tenant, placement).isZero();
                        assertThat(count(c, "SELECT count(*) FROM pg_roles WHERE rolname = ?", target.role()))
                                .as("role of %s at %s", tenant, placement).isZero();
                    }
                }
                default -> {
                    try (Connection c = server.admin("postgres").getConnection()) {
                        assertThat(count(c, "SELECT count(*) FROM pg_database WHERE datname = ?", target.database()))
                                .as("database of %s at %s", tenant, placement).isZero();
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Returns, for every table of every schema on {@code c}'s database with a column named
     * {@code tenant_id}, how many rows carry {@code tenant}: "schema.table=count", the tables with none left out.
     */
    static List<String> tenantRows(Connection c, TenantId tenant) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT format('%I.%I', table_schema, table_name)"
                + " FROM information_schema.columns WHERE column_name = 'tenant_id'"
                + " AND table_schema NOT IN ('pg_catalog', 'information_schema')");
                ResultSet r = p.executeQuery()) {
            while (r.next()) {
                tables.add(r.getString(1));
            }
        }
        List<String> found = new ArrayList<>();
        for (String table : tables) {
            long rows = count(c, "SELECT count(*) FROM " + table + " WHERE tenant_id::text = ?", tenant.value());
            if (rows > 0) {
                found.add(table + "=" + rows);
            }
        }
        return found;
    }

    static long count(Connection c, String sql, String... parameters) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                p.setString(i + 1, parameters[i]);
            }
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** Returns the tenant's rows through the routing data source. */
    Map<String, List<String>> read(TenantId tenant) {
        return LifecycleRows.read(jdbc.dataSource(), tenant);
    }

    boolean fieldModel(Placement placement) {
        return placement.model() == IsolationModel.FIELD;
    }

    @Override
    public void close() {
        jdbc.close();
        controlPlane.close();
    }
}
