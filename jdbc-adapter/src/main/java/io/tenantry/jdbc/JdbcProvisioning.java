package io.tenantry.jdbc;

import io.tenantry.IsolationModel;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycleException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates what a tenant's placement needs before its first request, idempotently: on the schema model
 * the tenant's schema in the shared database and the tenant's own role, with rights on that schema
 * only; on the database model the tenant's database, which only the store's login role may connect
 * to. Thread-safe.
 */
public final class JdbcProvisioning {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcProvisioning.class);

    private final JdbcRouting routing;
    private final List<String> migrations;

    JdbcProvisioning(JdbcRouting routing, List<String> migrations) {
        this.routing = routing;
        this.migrations = migrations;
    }

    /**
     * Makes sure {@code tenant}'s schema and role, or database, exist as its placement needs them now.
     * Safe to call again, also concurrently for the same tenant.
     *
     * @throws io.tenantry.UnknownTenantException if the tenant is not in the directory
     * @throws TenantLifecycleException if the server refuses (the message names the statement and the
     *     privilege the store's login role lacks)
     */
    public void ensure(TenantId tenant) {
        JdbcTarget target = routing.target(tenant);
        JdbcStore store = routing.store(target.store());
        try {
            if (target.placement().model() == IsolationModel.COLLECTION) {
                ensureSchema(target, store);
            } else {
                ensureDatabase(target, store);
            }
        } catch (SQLException e) {
            throw new TenantLifecycleException("Provisioning tenant \"" + tenant + "\" on store \"" + target.store()
                    + "\" failed: " + e.getMessage() + " The store's login role \"" + store.user() + "\" needs"
                    + " CREATEROLE and CREATEDB, and must own the shared databases.", e);
        }
    }

    List<String> migrationLocations() {
        return migrations;
    }

    private void ensureSchema(JdbcTarget target, JdbcStore store) throws SQLException {
        String role = JdbcNames.quote(target.role());
        String schema = JdbcNames.quote(target.schema());
        try (Connection c = unpooled(store, target.database()).getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + JdbcNames.EMPTY_SCHEMA);
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", target.role())) {
                ignoring("42710", s, "CREATE ROLE " + role + " NOLOGIN");
            }
            if (!superuser(c)) {
                s.execute("GRANT " + role + " TO CURRENT_USER WITH INHERIT FALSE, SET TRUE");
            }
            s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            s.execute("GRANT USAGE, CREATE ON SCHEMA " + schema + " TO " + role);
            hardenDatabase(s, target.database());
        }
    }

    private void ensureDatabase(JdbcTarget target, JdbcStore store) throws SQLException {
        String database = JdbcNames.quote(target.database());
        try (Connection c = unpooled(store, store.maintenanceDatabase()).getConnection();
                Statement s = c.createStatement()) {
            if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", target.database())) {
                ignoring("42P04", s, "CREATE DATABASE " + database);
            }
            s.execute("REVOKE CONNECT, TEMPORARY ON DATABASE " + database + " FROM PUBLIC");
        }
    }

    /** Temporary tables outlive a checkout and shadow real tables of the same name: no tenant role may create them. */
    private static void hardenDatabase(Statement s, String database) {
        try {
            s.execute("REVOKE TEMPORARY ON DATABASE " + JdbcNames.quote(database) + " FROM PUBLIC");
        } catch (SQLException e) {
            LOG.warn("Could not revoke TEMPORARY on database {} from PUBLIC ({}); make the store's login role its"
                    + " owner so that tenant roles cannot create temporary tables.", database, e.getMessage());
        }
    }

    private static boolean exists(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, name);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }

    private static boolean superuser(Connection c) throws SQLException {
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

    void close() {
        // nothing held between calls yet
    }
}
