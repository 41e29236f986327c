package io.tenantry.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantRouter;
import io.tenantry.jdbc.JdbcStore;
import io.tenantry.jdbc.TenantJdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One isolation model of {@link JdbcWorkloadComparison}, set up: its tenants provisioned by Tenantry,
 * each with an {@code items} table filled outside Tenantry the way a migration would (on the FIELD
 * models one shared {@code items} table with a {@code tenant_id} column, holding every tenant's rows),
 * and the two sides that reach them.
 *
 * <ul>
 *   <li>The raw side is what a team writes without Tenantry. Schema models: one HikariCP pool on the
 *       shared database and {@code connection.setSchema(tenantSchema)} on every checkout (or a
 *       {@code SET search_path} statement), as the same login role, without switching roles and
 *       without resetting anything on return. Database model: a HikariCP pool per tenant database, kept
 *       in a {@link ConcurrentHashMap}. FIELD models: one pool on the shared database, statements that
 *       name the tenant themselves ({@code WHERE tenant_id = ? AND id = ?}), as {@link
 *       BenchPostgres#RAW_USER}, to which the row-level security Tenantry forces on the table does not
 *       apply.
 *   <li>The Tenantry side binds the tenant with {@link TenantContext#callAs} and takes a connection
 *       from {@link TenantJdbc#dataSource()}.
 * </ul>
 *
 * Both sides log in as {@link BenchPostgres#LOGIN_USER} and use pools of the same size and settings.
 */
final class JdbcWorkload implements AutoCloseable {

    /** The isolation models compared, and how Tenantry is configured for each. */
    enum Model {
        /** Schema per tenant, Tenantry's default: each connection is reset to no tenant on return. */
        SCHEMA,
        /** Schema per tenant with {@code resetOnReturn(false)}: a connection is switched at checkout only. */
        SCHEMA_KEEP,
        /** Database per tenant. */
        DATABASE,
        /** Shared tables with a tenant column, Tenantry's defaults: SQL rewriting and row-level security. */
        FIELD,
        /** The same with {@code resetOnReturn(false)}: a connection is switched at checkout only. */
        FIELD_KEEP,
        /** Shared tables, SQL rewriting alone ({@code rowLevelSecurity(false)}). */
        FIELD_RLS_OFF,
        /** Shared tables, row-level security alone ({@code sqlRewriting(false)}). */
        FIELD_RLS_ONLY;

        /** Returns the name on the command line and in the report: {@code schema}, {@code schema-keep}, ... */
        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        boolean schemas() {
            return this == SCHEMA || this == SCHEMA_KEEP;
        }

        boolean field() {
            return this == FIELD || this == FIELD_KEEP || this == FIELD_RLS_OFF || this == FIELD_RLS_ONLY;
        }
    }

    /** Work done on a connection of one tenant. */
    @FunctionalInterface
    interface Work {
        long run(Connection c, JdbcOperation.Table table) throws SQLException;
    }

    /** How a side obtains a connection of {@code tenant}, runs {@code work} on it and closes it. */
    @FunctionalInterface
    interface Side {
        long run(int tenant, Work work) throws SQLException;
    }

    /** The {@code application_name} of the raw side's connections. */
    static final String RAW_APPLICATION = "raw";
    /** The name {@link BackendCpu} files Tenantry's backends under. */
    static final String TENANTRY_APPLICATION = "tenantry";

    static final String SHARED_DATABASE = "bench";
    static final String DATABASE_PREFIX = "bench_";

    final Model model;
    final Side raw;
    final Side tenantry;
    private final TenantJdbc jdbc;
    private final JdbcOperation.Table[] tables;
    private final List<HikariDataSource> rawPools = new CopyOnWriteArrayList<>();

    private JdbcWorkload(BenchPostgres server, Model model, int tenantCount, int rows, int poolSize,
            boolean rawSetsSearchPath) {
        this.model = model;
        TenantId[] ids = new TenantId[tenantCount];
        List<Tenant> entries = new ArrayList<>();
        for (int i = 0; i < tenantCount; i++) {
            ids[i] = TenantId.of("t" + i);
            entries.add(Tenant.builder(ids[i]).build());
        }
        Placement placement;
        if (model.schemas()) {
            server.recreateDatabase(SHARED_DATABASE);
            placement = Placement.schema("main", SHARED_DATABASE);
        } else if (model.field()) {
            server.recreateDatabase(SHARED_DATABASE);
            createSharedTable(server, ids, rows);
            placement = Placement.field("main", SHARED_DATABASE);
        } else {
            server.dropDatabases(DATABASE_PREFIX);
            placement = Placement.database("main", DATABASE_PREFIX);
        }
        this.jdbc = TenantJdbc.builder()
                .store("main", JdbcStore.builder(server.serverUrl())
                        .credentials(BenchPostgres.LOGIN_USER, BenchPostgres.LOGIN_PASSWORD)
                        .maximumPoolSize(poolSize)
                        .build())
                .directory(TenantDirectory.caching(TenantDirectory.inMemory(entries.toArray(new Tenant[0]))).build())
                .router(TenantRouter.builder().otherwise(placement).build())
                .connectionBudget(Math.max(100, (tenantCount + 1) * poolSize))
                .resetOnReturn(model != Model.SCHEMA_KEEP && model != Model.FIELD_KEEP)
                .rowLevelSecurity(model != Model.FIELD_RLS_OFF)
                .sqlRewriting(model != Model.FIELD_RLS_ONLY)
                .build();
        this.tables = new JdbcOperation.Table[tenantCount];
        JdbcOperation.Table[] rawTables = new JdbcOperation.Table[tenantCount];
        String[] physical = new String[tenantCount];
        for (int i = 0; i < tenantCount; i++) {
            jdbc.provisioning().ensure(ids[i]);
            tables[i] = new JdbcOperation.Table(rows);
            rawTables[i] = model.field() ? tables[i].naming(ids[i].value()) : tables[i];
            if (model.field()) {
                continue;
            }
            physical[i] = model.schemas() ? jdbc.schemaName(ids[i]).orElseThrow() : jdbc.databaseName(ids[i]);
            createTable(server, ids[i], physical[i], rows);
        }

        if (model.field()) {
            HikariDataSource pool = rawPool(server, SHARED_DATABASE, BenchPostgres.RAW_USER, poolSize);
            this.raw = (tenant, work) -> {
                try (Connection c = pool.getConnection()) {
                    return work.run(c, rawTables[tenant]);
                }
            };
        } else if (model.schemas()) {
            HikariDataSource pool = rawPool(server, SHARED_DATABASE, BenchPostgres.LOGIN_USER, poolSize);
            if (rawSetsSearchPath) {
                String[] setSearchPath = new String[tenantCount];
                for (int i = 0; i < tenantCount; i++) {
                    setSearchPath[i] = "SET search_path TO " + quote(physical[i]);
                }
                this.raw = (tenant, work) -> {
                    try (Connection c = pool.getConnection()) {
                        try (Statement s = c.createStatement()) {
                            s.execute(setSearchPath[tenant]);
                        }
                        return work.run(c, tables[tenant]);
                    }
                };
            } else {
                this.raw = (tenant, work) -> {
                    try (Connection c = pool.getConnection()) {
                        c.setSchema(physical[tenant]);
                        return work.run(c, tables[tenant]);
                    }
                };
            }
        } else {
            Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();
            this.raw = (tenant, work) -> {
                try (Connection c = pools.computeIfAbsent(physical[tenant],
                        db -> rawPool(server, db, BenchPostgres.LOGIN_USER, poolSize))
                        .getConnection()) {
                    return work.run(c, tables[tenant]);
                }
            };
        }
        DataSource routing = jdbc.dataSource();
        this.tenantry = (tenant, work) -> TenantContext.callAs(ids[tenant], () -> {
            try (Connection c = routing.getConnection()) {
                return work.run(c, tables[tenant]);
            }
        });
        for (int i = 0; i < tenantCount; i++) {
            checkSeesOwnRows(raw, "raw", i, ids[i], rawTables[i]);
            checkSeesOwnRows(tenantry, "Tenantry", i, ids[i], tables[i]);
        }
    }

    /**
     * Provisions {@code tenantCount} tenants for {@code model} (dropping what an earlier run left),
     * fills each one's {@code items} with {@code rows} rows and opens both sides, pools of
     * {@code poolSize} connections each. On the schema models the raw side switches schema with
     * {@code Connection.setSchema}, which HikariCP follows with a {@code getSchema} round trip of its
     * own, or, with {@code rawSetsSearchPath}, with a {@code SET search_path} statement: one round trip.
     */
    static JdbcWorkload open(BenchPostgres server, Model model, int tenantCount, int rows, int poolSize,
            boolean rawSetsSearchPath) {
        return new JdbcWorkload(server, model, tenantCount, rows, poolSize, rawSetsSearchPath);
    }

    /** Returns the number of tenants. */
    int tenants() {
        return tables.length;
    }

    /**
     * Creates the tenant's table outside Tenantry, as a migration would: on the schema model as the
     * tenant's role in its schema (so the table belongs to the tenant), granting the login role the
     * rights the raw side needs; on the database model as the login role, the database's owner.
     */
    private void createTable(BenchPostgres server, TenantId tenant, String physical, int rows) {
        String database = model.schemas() ? SHARED_DATABASE : physical;
        try (Connection c = server.login(database).getConnection(); Statement s = c.createStatement()) {
            if (model.schemas()) {
                s.execute("SET ROLE " + quote(tenantRole(c, physical)) + "; SET search_path TO " + quote(physical));
            }
            s.execute("DROP TABLE IF EXISTS items; CREATE TABLE items (id bigint PRIMARY KEY, tenant_note text,"
                    + " v int, payload text)");
            s.execute("INSERT INTO items SELECT g, 'note of " + tenant + " #' || g, (g % 1000)::int, repeat('x', 200)"
                    + " FROM generate_series(0, " + (rows - 1) + ") g");
            if (model.schemas()) {
                s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON items TO " + BenchPostgres.LOGIN_USER);
            }
            s.execute("ANALYZE items");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the table of tenant " + tenant + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * Creates the FIELD model's shared table in the shared database outside Tenantry, as the shared
     * migrations would, as the login role (its owner), and fills it with every tenant's rows; its primary
     * key leads with the tenant column already, as provisioning would make it. Provisioning then adds the
     * tenant column's default and, unless turned off, row-level security.
     */
    private static void createSharedTable(BenchPostgres server, TenantId[] tenants, int rows) {
        try (Connection c = server.login(SHARED_DATABASE).getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (tenant_id text NOT NULL, id bigint NOT NULL, tenant_note text, v int,"
                    + " payload text, PRIMARY KEY (tenant_id, id))");
            for (TenantId tenant : tenants) {
                s.execute("INSERT INTO items SELECT '" + tenant + "', g, 'note of " + tenant + " #' || g,"
                        + " (g % 1000)::int, repeat('x', 200) FROM generate_series(0, " + (rows - 1) + ") g");
            }
            s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON items TO " + BenchPostgres.RAW_USER);
            s.execute("ANALYZE items");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the shared table: " + e.getMessage(), e);
        }
    }

    /** Returns the tenant's role: the one provisioning granted CREATE on the schema to, other than its owner. */
    private static String tenantRole(Connection c, String schema) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT r.rolname FROM pg_namespace n"
                + " CROSS JOIN LATERAL aclexplode(n.nspacl) a JOIN pg_roles r ON r.oid = a.grantee"
                + " WHERE n.nspname = ? AND a.privilege_type = 'CREATE' AND a.grantee <> n.nspowner")) {
            p.setString(1, schema);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    throw new IllegalStateException("Provisioning granted schema " + schema + " to no role");
                }
                return r.getString(1);
            }
        }
    }

    /**
     * Fails unless {@code side} reaches the tenant's own rows, and only those: both sides must measure the
     * same work.
     */
    private static void checkSeesOwnRows(Side side, String name, int tenant, TenantId id, JdbcOperation.Table seen) {
        String expected = "note of " + id + " #0";
        try {
            side.run(tenant, (c, table) -> {
                try (PreparedStatement p = c.prepareStatement(seen.tenant == null
                        ? "SELECT tenant_note FROM items WHERE id = 0"
                        : "SELECT tenant_note FROM items WHERE tenant_id = ? AND id = 0")) {
                    seen.bindTenant(p);
                    try (ResultSet r = p.executeQuery()) {
                        String note = r.next() ? r.getString(1) : null;
                        if (!expected.equals(note) || r.next()) {
                            throw new IllegalStateException("The " + name + " side read \"" + note + "\" or more"
                                    + " than one row for tenant " + id);
                        }
                        return 1;
                    }
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException("The " + name + " side failed for tenant " + id + ": " + e.getMessage(), e);
        }
    }

    /** A raw HikariCP pool with the settings Tenantry gives its own pools, on {@code database}, as {@code user}. */
    private HikariDataSource rawPool(BenchPostgres server, String database, String user, int poolSize) {
        PGSimpleDataSource driver = server.dataSource(database, user, BenchPostgres.LOGIN_PASSWORD);
        driver.setApplicationName(RAW_APPLICATION);
        HikariConfig config = new HikariConfig();
        config.setPoolName("raw:" + database);
        config.setDataSource(driver);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(Duration.ofSeconds(5).toMillis());
        config.setIdleTimeout(Duration.ofMinutes(1).toMillis());
        config.setAutoCommit(true);
        HikariDataSource pool = new HikariDataSource(config);
        rawPools.add(pool);
        return pool;
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public void close() {
        jdbc.close();
        rawPools.forEach(HikariDataSource::close);
    }
}
