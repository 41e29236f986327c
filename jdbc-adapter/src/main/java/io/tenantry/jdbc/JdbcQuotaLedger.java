package io.tenantry.jdbc;

import io.tenantry.StoreUnavailableException;
import io.tenantry.TenantId;
import io.tenantry.spi.QuotaLedger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The {@link QuotaLedger} kept in table {@value #TABLE} of the control-plane database, beside
 * {@link JdbcTenantDirectory}'s catalogue, so that every instance of an application checks quotas against the
 * same counts. {@link #createTableIfMissing()} creates it:
 *
 * <pre>{@code
 * CREATE TABLE tenant_quota_usage (tenant_id text NOT NULL, quota_key text NOT NULL,
 *     used bigint NOT NULL CHECK (used >= 0), PRIMARY KEY (tenant_id, quota_key));
 * }</pre>
 *
 * <p>Each method is one statement, committed before it returns. {@link #tryAdd} is one conditional
 * {@code UPDATE ... SET used = used + ? WHERE ... AND used + ? <= ? RETURNING used}: PostgreSQL locks the row
 * and re-checks the condition on its newest version, so of concurrent adds exactly those that fit succeed.
 * {@link #initialise} is {@code INSERT ... ON CONFLICT DO NOTHING} and then reads the count, {@link #add} stops
 * at zero with {@code GREATEST}, {@link #compareAndSet} is an {@code UPDATE} conditional on the old value.
 *
 * <p>Thread-safe: it holds nothing but the data source.
 */
public final class JdbcQuotaLedger implements QuotaLedger {

    /** The ledger's table. */
    public static final String TABLE = "tenant_quota_usage";

    private final DataSource dataSource;

    private JdbcQuotaLedger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Returns the ledger in table {@value #TABLE} of the control-plane database of {@code controlPlane}.
     *
     * @param controlPlane a data source on the control-plane database, not one from {@code TenantJdbc}
     * @throws NullPointerException if {@code controlPlane} is null
     * @throws IllegalArgumentException if {@code controlPlane} is a Tenantry tenant data source
     */
    public static JdbcQuotaLedger of(DataSource controlPlane) {
        Objects.requireNonNull(controlPlane, "controlPlane");
        if (controlPlane.getClass().getName().startsWith("io.tenantry.")) {
            throw new IllegalArgumentException("The quota ledger needs the control-plane DataSource, not a Tenantry"
                    + " tenant DataSource, which routes every connection to the current tenant.");
        }
        return new JdbcQuotaLedger(controlPlane);
    }

    /**
     * Creates the table unless it exists; idempotent, also when several processes start at the same moment. A
     * table that exists is left as it is, whoever made it: the login then needs only to select, insert, update
     * and delete.
     *
     * @throws StoreUnavailableException if the control-plane database cannot be reached
     * @throws IllegalStateException if the statement fails, for example for lack of the right to create tables
     */
    public void createTableIfMissing() {
        try {
            ControlPlaneRows.createIfMissing(dataSource, TABLE, "CREATE TABLE IF NOT EXISTS " + TABLE
                    + " (tenant_id text NOT NULL, quota_key text NOT NULL, used bigint NOT NULL CHECK (used >= 0),"
                    + " PRIMARY KEY (tenant_id, quota_key))");
        } catch (SQLException e) {
            throw failure("create table " + TABLE, e);
        }
    }

    @Override
    public OptionalLong get(TenantId tenant, String key) {
        return query("read count " + key + " of tenant " + tenant, "SELECT used FROM " + TABLE
                + " WHERE tenant_id = ? AND quota_key = ?", tenant.value(), Objects.requireNonNull(key, "key"));
    }

    @Override
    public Map<String, Long> counts(TenantId tenant) {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement("SELECT quota_key,"
                + " used FROM " + TABLE + " WHERE tenant_id = ?")) {
            p.setString(1, tenant.value());
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    counts.put(r.getString(1), r.getLong(2));
                }
            }
            ControlPlaneRows.commit(c);
        } catch (SQLException e) {
            throw failure("read the counts of tenant " + tenant, e);
        }
        return Collections.unmodifiableMap(counts);
    }

    @Override
    public long initialise(TenantId tenant, String key, long value) {
        requireNotNegative(value);
        String action = "initialise count " + key + " of tenant " + tenant;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + TABLE + " (tenant_id, quota_key, used)"
                    + " VALUES (?, ?, ?) ON CONFLICT (tenant_id, quota_key) DO NOTHING")) {
                p.setString(1, tenant.value());
                p.setString(2, Objects.requireNonNull(key, "key"));
                p.setLong(3, value);
                p.executeUpdate();
            }
            ControlPlaneRows.commit(c);
        } catch (SQLException e) {
            throw failure(action, e);
        }
        // a concurrent forget may remove the row between the two statements: then this call's value stands
        return get(tenant, key).orElse(value);
    }

    @Override
    public OptionalLong tryAdd(TenantId tenant, String key, long amount, long limit) {
        requireNotNegative(amount);
        String action = "add " + amount + " to count " + key + " of tenant " + tenant;
        OptionalLong added;
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement("UPDATE " + TABLE
                + " SET used = used + ? WHERE tenant_id = ? AND quota_key = ? AND used + ? <= ? RETURNING used")) {
            p.setLong(1, amount);
            p.setString(2, tenant.value());
            p.setString(3, Objects.requireNonNull(key, "key"));
            p.setLong(4, amount);
            p.setLong(5, limit);
            added = single(p);
            ControlPlaneRows.commit(c);
        } catch (SQLException e) {
            throw failure(action, e);
        }
        if (added.isEmpty() && get(tenant, key).isEmpty()) {
            throw new IllegalStateException("No count of " + key + " for tenant " + tenant + " was initialised;"
                    + " initialise it from the store first.");
        }
        return added;
    }

    @Override
    public OptionalLong add(TenantId tenant, String key, long delta) {
        return query("add " + delta + " to count " + key + " of tenant " + tenant, "UPDATE " + TABLE
                + " SET used = GREATEST(used + ?, 0) WHERE tenant_id = ? AND quota_key = ? RETURNING used", delta,
                tenant.value(), Objects.requireNonNull(key, "key"));
    }

    @Override
    public boolean compareAndSet(TenantId tenant, String key, long expected, long value) {
        requireNotNegative(value);
        return query("replace count " + key + " of tenant " + tenant, "UPDATE " + TABLE + " SET used = ?"
                + " WHERE tenant_id = ? AND quota_key = ? AND used = ? RETURNING used", value, tenant.value(),
                Objects.requireNonNull(key, "key"), expected).isPresent();
    }

    @Override
    public void forget(TenantId tenant) {
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement("DELETE FROM " + TABLE
                + " WHERE tenant_id = ?")) {
            p.setString(1, tenant.value());
            p.executeUpdate();
            ControlPlaneRows.commit(c);
        } catch (SQLException e) {
            throw failure("forget the counts of tenant " + tenant, e);
        }
    }

    /** Runs {@code sql}, which returns at most one row of one bigint, with {@code parameters}, and commits. */
    private OptionalLong query(String action, String sql, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                p.setObject(i + 1, parameters[i]);
            }
            OptionalLong result = single(p);
            ControlPlaneRows.commit(c);
            return result;
        } catch (SQLException e) {
            throw failure(action, e);
        }
    }

    private static OptionalLong single(PreparedStatement p) throws SQLException {
        try (ResultSet r = p.executeQuery()) {
            return r.next() ? OptionalLong.of(r.getLong(1)) : OptionalLong.empty();
        }
    }

    private static void requireNotNegative(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("must not be negative, was " + value);
        }
    }

    private static RuntimeException failure(String action, SQLException e) {
        return ControlPlaneRows.failure("The quota ledger", TABLE, action,
                "Call createTableIfMissing() once to create table " + TABLE + ".", e);
    }

    @Override
    public String toString() {
        return "JdbcQuotaLedger(" + TABLE + ")";
    }
}
