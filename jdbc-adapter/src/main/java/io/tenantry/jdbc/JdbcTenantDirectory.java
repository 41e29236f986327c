package io.tenantry.jdbc;

import io.tenantry.StoreUnavailableException;
import io.tenantry.Tenant;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycleException;
import io.tenantry.UnknownTenantException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A {@link TenantDirectory} kept in a PostgreSQL table (by default {@value #DEFAULT_TABLE}) of a
 * control-plane database: the application's own database that holds the catalogue, not a tenant's.
 *
 * <p>One row per tenant, with the tenant id as primary key, so ids are unique by the server's own
 * key; every field of {@link Tenant} is stored, the pinned placement, region, attributes (a
 * {@code jsonb} object) and timestamps included (timestamps to the microsecond, which is what
 * {@code timestamptz} holds). {@link #update(Tenant)} is a single {@code UPDATE ... WHERE id = ? AND
 * version = ?} that sets the next version, so of two writers that read the same version exactly one
 * wins, across processes. Wrap it in {@link TenantDirectory#caching} to keep the per-call routing off
 * the network.
 *
 * <p>The table's definition ships as the class-path resource {@value #TABLE_RESOURCE}. Applications
 * that migrate the control-plane database with Flyway or Liquibase copy it into a migration; the others
 * call {@link #createTableIfMissing()} once at start-up, which runs the same statement.
 *
 * <p>Each call takes one connection from the data source and closes it before returning. Connections
 * are expected in auto-commit mode; a write on one handed out with auto-commit off is committed by the
 * call itself, so a registration is never lost to a pool's rollback on return.
 *
 * <p>Thread-safe: it holds nothing but the data source and the table's name.
 */
public final class JdbcTenantDirectory implements TenantDirectory {

    /** The table used by {@link #of(DataSource)}. */
    public static final String DEFAULT_TABLE = "tenants";

    /**
     * The class-path resource holding the table's definition (PostgreSQL), for the table
     * {@value #DEFAULT_TABLE}: {@code CREATE TABLE IF NOT EXISTS tenants (...)}.
     */
    public static final String TABLE_RESOURCE = "io/tenantry/jdbc/tenants-table.sql";

    /** The store name that {@link StoreUnavailableException}s of this directory carry. */
    static final String STORE = "control-plane";

    private static final Pattern TABLE_NAME = Pattern.compile("(?:[a-z_][a-z0-9_]{0,62}\\.)?[a-z_][a-z0-9_]{0,62}");
    private static final String CREATE_PREFIX = "CREATE TABLE IF NOT EXISTS " + DEFAULT_TABLE + " (";

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String DUPLICATE_TABLE = "42P07";
    /** What the loser of two concurrent creations may get instead: the table's row type exists already. */
    private static final String DUPLICATE_OBJECT = "42710";
    private static final String SERIALIZATION_FAILURE = "40001";

    private final DataSource dataSource;
    /** The table's name, quoted. */
    private final String table;

    private JdbcTenantDirectory(DataSource dataSource, String table) {
        this.dataSource = dataSource;
        this.table = table;
    }

    /**
     * Returns the directory kept in table {@value #DEFAULT_TABLE} of the control-plane database.
     *
     * @param controlPlane a data source on the control-plane database, not one from {@code TenantJdbc}
     *     (which would route every connection to the current tenant)
     * @return the directory
     * @throws NullPointerException if {@code controlPlane} is null
     * @throws IllegalArgumentException if {@code controlPlane} is a Tenantry tenant data source
     */
    public static JdbcTenantDirectory of(DataSource controlPlane) {
        return of(controlPlane, DEFAULT_TABLE);
    }

    /**
     * Returns the directory kept in table {@code table} of the control-plane database.
     *
     * @param controlPlane a data source on the control-plane database
     * @param table a lower-case identifier ({@code [a-z_][a-z0-9_]*}, at most 63 characters), optionally
     *     qualified by a schema of the same form ({@code control.tenants}); it is quoted in every statement
     * @return the directory
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code controlPlane} is a Tenantry tenant data source or the
     *     table's name is invalid
     */
    public static JdbcTenantDirectory of(DataSource controlPlane, String table) {
        Objects.requireNonNull(controlPlane, "controlPlane");
        Objects.requireNonNull(table, "table");
        if (controlPlane.getClass().getName().startsWith("io.tenantry.")) {
            throw new IllegalArgumentException("The tenant directory needs the control-plane DataSource (a plain"
                    + " pool on the database that holds the catalogue), not a Tenantry tenant DataSource, which"
                    + " routes every connection to the current tenant. Pass the DataSource you built for the"
                    + " control plane.");
        }
        if (!TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("Invalid table name \"" + table + "\": use a lower-case identifier of"
                    + " a-z, 0-9 and '_', not starting with a digit and at most 63 characters, optionally"
                    + " qualified by a schema of the same form, for example \"control.tenants\".");
        }
        StringBuilder quoted = new StringBuilder();
        for (String part : table.split("\\.")) {
            quoted.append(quoted.length() == 0 ? "" : ".").append('"').append(part).append('"');
        }
        return new JdbcTenantDirectory(controlPlane, quoted.toString());
    }

    /**
     * Creates the table, as defined in {@value #TABLE_RESOURCE}, unless it exists; idempotent, also when
     * several processes start at the same moment. A schema named in the table's name must exist.
     *
     * @throws StoreUnavailableException if the control-plane database cannot be reached
     * @throws IllegalStateException if the statement fails, for example for lack of the right to create
     *     tables; the message says what to check
     */
    public void createTableIfMissing() {
        String statement = tableDefinition().replace(CREATE_PREFIX, "CREATE TABLE IF NOT EXISTS " + table + " (");
        try (Connection connection = dataSource.getConnection(); Statement create = connection.createStatement()) {
            create.execute(statement);
            commit(connection);
        } catch (SQLException e) {
            // two concurrent CREATE TABLE IF NOT EXISTS may both pass the check; the loser's table exists now
            if (!UNIQUE_VIOLATION.equals(e.getSQLState()) && !DUPLICATE_TABLE.equals(e.getSQLState())
                    && !DUPLICATE_OBJECT.equals(e.getSQLState())) {
                throw failure("create table " + table, e);
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws NullPointerException if {@code id} is null
     * @throws StoreUnavailableException if the control-plane database cannot be reached
     * @throws IllegalStateException if the query fails or the stored row is not in the form this class
     *     writes; the message names the tenant and the column
     */
    @Override
    public Optional<Tenant> find(TenantId id) {
        Objects.requireNonNull(id, "id");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT " + TenantRows.COLUMNS + " FROM " + table + " WHERE id = ?")) {
            select.setString(1, id.value());
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(TenantRows.toTenant(row, table)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("find tenant \"" + id + "\"", e);
        }
    }

    /**
     * {@inheritDoc} One query, ordered by id on the server, byte by byte (as {@link TenantId} compares).
     *
     * @throws StoreUnavailableException if the control-plane database cannot be reached
     * @throws IllegalStateException if the query fails or a stored row is not in the form this class writes
     */
    @Override
    public List<Tenant> list() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT " + TenantRows.COLUMNS + " FROM " + table + " ORDER BY id COLLATE \"C\"");
                ResultSet rows = select.executeQuery()) {
            List<Tenant> all = new ArrayList<>();
            while (rows.next()) {
                all.add(TenantRows.toTenant(rows, table));
            }
            return List.copyOf(all);
        } catch (SQLException e) {
            throw failure("list the tenants", e);
        }
    }

    /**
     * {@inheritDoc} The stored tenant has version 1 and both timestamps set to now, to the microsecond.
     *
     * @throws NullPointerException if {@code tenant} is null
     * @throws TenantLifecycleException if a tenant with the same id exists (the insert hit the primary
     *     key), also when another process registered it a moment earlier
     * @throws StoreUnavailableException if the control-plane database cannot be reached
     * @throws IllegalStateException if the insert fails for another reason; the message says what to check
     */
    @Override
    public Tenant register(Tenant tenant) {
        Objects.requireNonNull(tenant, "tenant");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Tenant stored = tenant.toBuilder().version(1).createdAt(now).updatedAt(now).build();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                        + " (name, status, tier, placement_model, placement_store, placement_namespace, region,"
                        + " attributes, id, created_at, updated_at, version)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, jsonb_object(?::text[], ?::text[]), ?, ?, ?, 1)")) {
            int next = TenantRows.bindFields(connection, insert, stored);
            insert.setString(next++, stored.id().value());
            insert.setObject(next++, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            insert.setObject(next, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            insert.executeUpdate();
            commit(connection);
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new TenantLifecycleException("Tenant \"" + tenant.id() + "\" is already registered; use"
                        + " update(...) to change it.");
            }
            throw failure("register tenant \"" + tenant.id() + "\"", e);
        }
        return stored;
    }

    /**
     * {@inheritDoc} One {@code UPDATE ... WHERE id = ? AND version = ? RETURNING ...}; {@code created_at}
     * keeps its stored value and {@code updated_at} becomes now, to the microsecond.
     *
     * @throws NullPointerException if {@code tenant} is null
     * @throws UnknownTenantException if there is no such tenant
     * @throws TenantLifecycleException if the stored version is not {@code tenant.version()}
     * @throws StoreUnavailableException if the control-plane database cannot be reached
     * @throws IllegalStateException if the update fails for another reason; the message says what to check
     */
    @Override
    public Tenant update(Tenant tenant) {
        Objects.requireNonNull(tenant, "tenant");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("UPDATE " + table
                        + " SET name = ?, status = ?, tier = ?, placement_model = ?, placement_store = ?,"
                        + " placement_namespace = ?, region = ?, attributes = jsonb_object(?::text[], ?::text[]),"
                        + " updated_at = ?, version = version + 1 WHERE id = ? AND version = ?"
                        + " RETURNING " + TenantRows.COLUMNS)) {
            int next = TenantRows.bindFields(connection, update, tenant);
            update.setObject(next++, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            update.setString(next++, tenant.id().value());
            update.setLong(next, tenant.version());
            Tenant stored = null;
            try (ResultSet row = update.executeQuery()) {
                if (row.next()) {
                    stored = TenantRows.toTenant(row, table);
                }
            }
            commit(connection);
            if (stored != null) {
                return stored;
            }
        } catch (SQLException e) {
            // under REPEATABLE READ or SERIALIZABLE the server reports a lost race instead of matching no row
            if (!SERIALIZATION_FAILURE.equals(e.getSQLState())) {
                throw failure("update tenant \"" + tenant.id() + "\"", e);
            }
        }
        Tenant current = find(tenant.id()).orElseThrow(() -> new UnknownTenantException(tenant.id()));
        throw new TenantLifecycleException("Tenant \"" + tenant.id() + "\" was changed by someone else (stored version "
                + current.version() + ", given " + tenant.version() + "); read it again and reapply the change.");
    }

    /**
     * {@inheritDoc} One {@code DELETE ... WHERE id = ?}.
     *
     * @throws StoreUnavailableException if the control-plane database cannot be reached
     * @throws IllegalStateException if the statement fails for another reason
     */
    @Override
    public void remove(TenantId id) {
        Objects.requireNonNull(id, "id");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
            delete.setString(1, id.value());
            delete.executeUpdate();
            commit(connection);
        } catch (SQLException e) {
            throw failure("remove tenant \"" + id + "\"", e);
        }
    }

    @Override
    public String toString() {
        return "JdbcTenantDirectory(" + table + ")";
    }

    /** Commits a write made on a connection handed out with auto-commit off, which closing would roll back. */
    private static void commit(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    private static String tableDefinition() {
        try (InputStream in = JdbcTenantDirectory.class.getClassLoader().getResourceAsStream(TABLE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The resource " + TABLE_RESOURCE + " is missing from the class path;"
                        + " it ships in the tenantry-jdbc jar, so check that the jar is complete.");
            }
            String definition = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (definition.indexOf(CREATE_PREFIX) != definition.lastIndexOf(CREATE_PREFIX)
                    || !definition.contains(CREATE_PREFIX)) {
                throw new IllegalStateException("The resource " + TABLE_RESOURCE + " does not hold exactly one \""
                        + CREATE_PREFIX + "\"; check that the tenantry-jdbc jar is not mixed with another version.");
            }
            return definition;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + TABLE_RESOURCE + " from the class path", e);
        }
    }

    /** Turns a failed statement into the unchecked exception that says what to do about it. */
    private RuntimeException failure(String action, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (e instanceof SQLTransientConnectionException || state.startsWith("08") || state.equals("57P01")
                || state.equals("57P02") || state.equals("57P03")) {
            return new StoreUnavailableException(STORE, "The tenant directory could not " + action + ": the"
                    + " control-plane database is unreachable (" + e.getMessage() + "). Check that it is running and"
                    + " that the DataSource's URL, network and pool let the application connect.", e);
        }
        String hint;
        switch (state) {
            case "42P01":
                hint = "Table " + table + " does not exist: call createTableIfMissing() once, or add "
                        + TABLE_RESOURCE + " to the control-plane database's migrations.";
                break;
            case "3F000":
                hint = "The schema of table " + table + " does not exist: create it first.";
                break;
            case "42501":
                hint = "The DataSource's user lacks a right on table " + table + ": grant it SELECT, INSERT and"
                        + " UPDATE (and CREATE on the schema for createTableIfMissing()).";
                break;
            default:
                hint = "Check that table " + table + " has the form of " + TABLE_RESOURCE + " and that the"
                        + " DataSource points at the control-plane database.";
        }
        return new IllegalStateException("The tenant directory could not " + action + ": " + e.getMessage()
                + " (SQLState " + state + "). " + hint, e);
    }
}
