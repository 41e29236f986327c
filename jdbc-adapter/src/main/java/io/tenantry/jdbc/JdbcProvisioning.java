package io.tenantry.jdbc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tenantry.Placement;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycleException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates what a tenant's placement needs before its first request, idempotently: on the schema model
 * the tenant's schema in the shared database and the tenant's own role, with rights on that schema
 * only; on the database model the tenant's database, which only the store's login role may connect
 * to. Then, when {@linkplain TenantJdbc.Builder#migrations(String...) migrations} are configured, it
 * runs them with Flyway for that tenant alone, with the history table {@code flyway_schema_history}
 * beside the tenant's tables: on the schema model in the tenant's schema and as the tenant's role, so
 * the role owns what the migrations create and a migration that names another tenant's schema fails;
 * on the database model in the {@code public} schema of the tenant's database.
 *
 * <p>On the FIELD model a tenant has nothing of its own: the first tenant of a shared database runs the
 * {@linkplain TenantJdbc.Builder#sharedMigrations(String...) shared migrations} in the shared schema
 * and prepares the shared tables (tenant-scoped keys, row-level security, the role tenant sessions act
 * as; see {@link TenantJdbc.Builder#tenantColumn(String)}), once per database and process.
 *
 * <p>Migrations are the application's code, and trusted: one that runs {@code RESET ROLE} acts as the
 * store's login role, a member of every tenant role. The tenant role guards against mistakes, not
 * against a hostile migration.
 *
 * <p>Flyway logs a few INFO lines per tenant under {@code org.flywaydb}; to follow
 * {@link #ensureAll} over many tenants, set that category to WARN and read the progress lines that
 * Tenantry logs at INFO under {@code io.tenantry.jdbc}.
 *
 * <p>Thread-safe. Calls for different tenants run in parallel; calls for the same tenant, from any
 * thread or process, one after another (a PostgreSQL advisory lock held while the tenant is provisioned).
 */
public final class JdbcProvisioning {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcProvisioning.class);

    /** The first key of Tenantry's advisory locks ("Tnty"); PostgreSQL keeps two-key locks apart from Flyway's one-key ones. */
    private static final int LOCK_SPACE = 0x546e7479;

    /** The advisory lock of the steps that touch the shared database itself rather than one tenant. */
    private static final String DATABASE_LOCK = "tenantry:database";

    private final JdbcRouting routing;
    private final TenantMigrations migrations;
    private final TenantMigrations sharedMigrations;
    /** The shared databases whose FIELD tables this instance has prepared: once per database and process. */
    private final Set<Placement> preparedShared = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Shared databases known to exist, by store and name. */
    private final Set<String> sharedDatabases = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /**
     * Placements that {@link #ensure(TenantId, Placement)} completed and no erasure has touched since, the
     * latest few: the lifecycle provisions a move's target right before its copy, which then need not.
     */
    private final Cache<Ensured, Boolean> ensuredLately = Caffeine.newBuilder().maximumSize(1_000).build();

    private record Ensured(TenantId tenant, Placement placement) {
    }

    JdbcProvisioning(JdbcRouting routing, List<String> migrations, List<String> sharedMigrations) {
        this.routing = routing;
        this.migrations = new TenantMigrations(migrations);
        this.sharedMigrations = new TenantMigrations(sharedMigrations);
    }

    /**
     * Makes sure {@code tenant}'s schema and role, or database, exist as its placement needs them now,
     * and that the configured migrations are applied to them. Safe to call again, also concurrently for
     * the same tenant; a second call applies only migrations added since.
     *
     * @throws io.tenantry.UnknownTenantException if the tenant is not in the directory
     * @throws TenantLifecycleException if the server refuses (the message names the statement and the
     *     privilege the store's login role lacks), or a migration fails (the message names the tenant,
     *     the migration's version and script, and PostgreSQL's error)
     */
    public void ensure(TenantId tenant) {
        ensure(tenant, true);
    }

    /**
     * Provisions each of {@code tenants} as {@link #ensure(TenantId)} does, at most {@code parallelism}
     * at a time, logging progress at INFO (every tenth of the tenants or every 5 s, and at the end).
     * Equivalent to {@link #ensureAll(Collection, int, ProvisioningListener)} with a listener that
     * does nothing.
     */
    public ProvisioningReport ensureAll(Collection<TenantId> tenants, int parallelism) {
        return ensureAll(tenants, parallelism, progress -> { });
    }

    /**
     * Provisions each of {@code tenants} as {@link #ensure(TenantId)} does, each with its tenant bound
     * in {@link io.tenantry.TenantContext} (so log lines carry it), on {@code parallelism} daemon
     * threads named {@code tenantry-provisioning-N} that end with the call, and waits for all. A tenant named twice is
     * provisioned once. One tenant's failure does not stop the others: the report lists it, by tenant.
     * Progress goes to {@code listener} after each tenant, from the calling thread, and to the log at
     * INFO every tenth of the tenants or every 5 s, whichever comes first, and at the end.
     *
     * <p>Each tenant in progress holds up to three connections of the store's login role (one to
     * provision it, two of Flyway's), outside the connection budget of the routing pools: keep
     * {@code 3 * parallelism} well under the server's {@code max_connections}.
     *
     * <p>If the calling thread is interrupted, the tenants not finished yet are reported as failed
     * (those in progress may still complete, since {@code ensure} can be repeated) and the call returns
     * with the thread's interrupt status set.
     *
     * @param tenants the tenants, none null; may be empty
     * @param parallelism the most tenants provisioned at once
     * @param listener told of each failure and of the progress after each tenant; what it throws is logged
     * @return the outcome, by tenant
     * @throws IllegalArgumentException if {@code parallelism} is under 1
     * @throws NullPointerException if {@code tenants}, one of them, or {@code listener} is null
     */
    public ProvisioningReport ensureAll(Collection<TenantId> tenants, int parallelism, ProvisioningListener listener) {
        Objects.requireNonNull(tenants, "tenants");
        Objects.requireNonNull(listener, "listener");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1 (tenants provisioned at once), was "
                    + parallelism);
        }
        Set<TenantId> distinct = new LinkedHashSet<>();
        for (TenantId tenant : tenants) {
            distinct.add(Objects.requireNonNull(tenant, "tenants must not contain null"));
        }
        return new ProvisioningRun(distinct, listener).provision(parallelism, tenant -> ensure(tenant, false));
    }


    /**
     * Makes sure {@code tenant}'s schema and role, or database, or the shared tables, exist at
     * {@code placement}, whatever the directory says of the tenant now, and that the migrations are applied:
     * what {@link #ensure(TenantId)} does, for the tenant lifecycle, which provisions a move's target before
     * the tenant is switched to it.
     *
     * @throws io.tenantry.RoutingException if the placement names no configured store
     * @throws TenantLifecycleException as {@link #ensure(TenantId)} does
     */
    void ensure(TenantId tenant, Placement placement) {
        ensure(routing.target(tenant, placement, false), true);
        ensuredLately.put(new Ensured(tenant, placement), Boolean.TRUE);
    }

    /**
     * Returns whether {@link #ensure(TenantId, Placement)} completed for this placement in this process and
     * {@link #forget} was not called for it since, and forgets it: a second call returns false. A process
     * that dies forgets everything, so work resumed after a crash provisions again.
     */
    boolean takeEnsured(TenantId tenant, Placement placement) {
        return ensuredLately.asMap().remove(new Ensured(tenant, placement)) != null;
    }

    /** Forgets that the placement was provisioned: called before it is erased. */
    void forget(TenantId tenant, Placement placement) {
        ensuredLately.invalidate(new Ensured(tenant, placement));
    }

    private void ensure(TenantId tenant, boolean alone) {
        ensure(routing.target(tenant), alone);
    }

    private void ensure(JdbcTarget target, boolean alone) {
        TenantId tenant = target.tenant();
        JdbcStore store = routing.store(target.store());
        try {
            if (target.schemaModel() || target.fieldModel()) {
                ensureSharedDatabase(target, store);
            }
            if (target.schemaModel()) {
                ensureSchema(target, store, alone);
            } else if (target.fieldModel()) {
                ensureShared(target, store, alone);
            } else {
                ensureDatabase(target, store, alone);
            }
        } catch (SQLException e) {
            throw new TenantLifecycleException("Provisioning tenant \"" + tenant + "\" on store \"" + target.store()
                    + "\" failed: " + e.getMessage() + " The store's login role \"" + store.user() + "\" needs"
                    + " CREATEROLE and CREATEDB, and must own the shared databases.", e);
        }
    }

    /**
     * Creates the shared database of the schema and field models when the server lacks it, owned by the
     * login role (which needs CREATEDB for tenant databases anyway), so that a fresh server needs nothing
     * made by hand. Once per database and process.
     */
    private void ensureSharedDatabase(JdbcTarget target, JdbcStore store) throws SQLException {
        String key = target.store() + "/" + target.database();
        if (sharedDatabases.contains(key)) {
            return;
        }
        try (Connection c = unpooled(store, store.maintenanceDatabase()).getConnection();
                Statement s = c.createStatement()) {
            lock(c, target.database());
            if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", target.database())) {
                ignoring("42P04", s, "CREATE DATABASE " + JdbcNames.quote(target.database()));
                LOG.info("Created the shared database {} on store {}", target.database(), target.store());
            }
        }
        sharedDatabases.add(key);
    }

    private void ensureSchema(JdbcTarget target, JdbcStore store, boolean alone) throws SQLException {
        String roleName = Objects.requireNonNull(target.role(), "role");
        String schemaName = Objects.requireNonNull(target.schema(), "schema");
        String role = JdbcNames.quote(roleName);
        String schema = JdbcNames.quote(schemaName);
        try (Connection c = unpooled(store, target.database()).getConnection(); Statement s = c.createStatement()) {
            // Tenants provisioned in parallel would otherwise race on the same catalog rows of the database.
            lock(c, DATABASE_LOCK);
            try {
                s.execute("CREATE SCHEMA IF NOT EXISTS " + JdbcNames.EMPTY_SCHEMA);
                hardenDatabase(c, s, target.database());
            } finally {
                unlock(c, DATABASE_LOCK);
            }
            lock(c, schemaName); // held until the connection closes, after the migrations
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", roleName)) {
                ignoring("42710", s, "CREATE ROLE " + role + " NOLOGIN");
            }
            if (!superuser(c)) {
                s.execute("GRANT " + role + " TO CURRENT_USER WITH INHERIT FALSE, SET TRUE");
            }
            s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            s.execute("GRANT USAGE, CREATE ON SCHEMA " + schema + " TO " + role);
            migrations.migrate(target, store, alone);
        }
    }

    /**
     * The FIELD model: the shared tables of the tenant's database, migrated and prepared once per database
     * and process (a tenant on shared tables has nothing of its own to create).
     */
    private void ensureShared(JdbcTarget target, JdbcStore store, boolean alone) throws SQLException {
        Placement key = target.placement();
        if (preparedShared.contains(key)) {
            return;
        }
        FieldModel field = routing.field;
        try (Connection c = unpooled(store, target.database()).getConnection(); Statement s = c.createStatement()) {
            lock(c, DATABASE_LOCK);
            try {
                hardenDatabase(c, s, target.database());
                if (!field.schema.equals("public")) {
                    s.execute("CREATE SCHEMA IF NOT EXISTS " + JdbcNames.quote(field.schema));
                }
                // as the login role, which owns the shared tables; tenant sessions act as the field role
                sharedMigrations.migrate(new JdbcTarget(target.tenant(), target.placement(), target.database(),
                        field.schema, null, false, null, null), store, alone);
                field.catalogueChanged(target, FieldProvisioning.prepare(field, target.database(), c, superuser(c)));
                preparedShared.add(key);
            } finally {
                unlock(c, DATABASE_LOCK);
            }
        }
    }

    private void ensureDatabase(JdbcTarget target, JdbcStore store, boolean alone) throws SQLException {
        String database = JdbcNames.quote(target.database());
        try (Connection c = unpooled(store, store.maintenanceDatabase()).getConnection();
                Statement s = c.createStatement()) {
            lock(c, target.database()); // held until the connection closes, after the migrations
            if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", target.database())) {
                ignoring("42P04", s, "CREATE DATABASE " + database);
            }
            s.execute("REVOKE CONNECT, TEMPORARY ON DATABASE " + database + " FROM PUBLIC");
            migrations.migrate(target, store, alone);
        }
    }

    /** Temporary tables outlive a checkout and shadow real tables of the same name: no tenant role may create them. */
    private static void hardenDatabase(Connection c, Statement s, String database) {
        try {
            if (exists(c, "SELECT 1 WHERE has_database_privilege('public', ?, 'TEMPORARY')", database)) {
                s.execute("REVOKE TEMPORARY ON DATABASE " + JdbcNames.quote(database) + " FROM PUBLIC");
            }
        } catch (SQLException e) {
            LOG.warn("Could not revoke TEMPORARY on database {} from PUBLIC ({}); make the store's login role its"
                    + " owner so that tenant roles cannot create temporary tables.", database, e.getMessage());
        }
    }

    /**
     * Waits for the session-level advisory lock {@code name}; it ends at {@link #unlock} or with the session.
     * Provisioning holds the tenant's schema or database name, and the lifecycle's erasure the same.
     */
    static void lock(Connection c, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT pg_advisory_lock(?, hashtext(?))")) {
            p.setInt(1, LOCK_SPACE);
            p.setString(2, name);
            p.executeQuery().close();
        }
    }

    static void unlock(Connection c, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT pg_advisory_unlock(?, hashtext(?))")) {
            p.setInt(1, LOCK_SPACE);
            p.setString(2, name);
            p.executeQuery().close();
        }
    }

    static boolean exists(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, name);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }

    static boolean superuser(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            return r.next() && r.getBoolean(1);
        }
    }

    /** Runs {@code sql}, taking the error {@code sqlState} (someone else created it first) as success. */
    private static void ignoring(String sqlState, Statement s, String sql) throws SQLException {
        try {
            s.execute(sql);
        } catch (SQLException e) {
            if (!sqlState.equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    /** A data source that opens a new connection of the store's login role to {@code database} per call. */
    static DataSource unpooled(JdbcStore store, String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(store.url(database));
        ds.setUser(store.user());
        ds.setPassword(store.password());
        ds.setApplicationName("tenantry-provisioning");
        return ds;
    }

    /**
     * Nothing to release: every connection is opened per tenant and closed with it (see
     * {@link TenantMigrations#migrate}).
     */
    void close() {
        // nothing held between calls
    }
}
