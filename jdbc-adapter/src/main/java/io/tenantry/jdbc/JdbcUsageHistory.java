package io.tenantry.jdbc;

import static io.tenantry.jdbc.ControlPlaneRows.ceilingMicros;
import static io.tenantry.jdbc.ControlPlaneRows.commit;
import static io.tenantry.jdbc.ControlPlaneRows.timestamp;

import io.tenantry.IsolationModel;
import io.tenantry.Placement;
import io.tenantry.StoreUnavailableException;
import io.tenantry.TenantId;
import io.tenantry.TenantUsage;
import io.tenantry.spi.UsageHistory;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The {@link UsageHistory} kept in table {@value #TABLE} of the control-plane database, beside
 * {@link JdbcTenantDirectory}'s catalogue, like the PostgreSQL card vault's {@code tenant_usage_metrics}.
 * {@link #createTableIfMissing()} creates it:
 *
 * <pre>{@code
 * CREATE TABLE tenant_usage_history (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
 *     tenant text NOT NULL, measured_at timestamptz NOT NULL,
 *     model text NOT NULL, store text NOT NULL, namespace text NOT NULL,
 *     items bigint NOT NULL, bytes bigint NOT NULL,
 *     resources jsonb NOT NULL);              -- {"cards": {"items": 3, "bytes": 12288}, ...}
 * CREATE INDEX tenant_usage_history_tenant_measured_at ON tenant_usage_history (tenant, measured_at);
 * CREATE INDEX tenant_usage_history_measured_at ON tenant_usage_history (measured_at);
 * }</pre>
 *
 * <p>One row per tenant per measurement: {@code items} and {@code bytes} are the totals over the tenant's
 * tables, so that a growth chart is one indexed query ({@code SELECT measured_at, bytes ... WHERE tenant = ?}),
 * and {@code resources} holds each table's part, read in SQL with {@code jsonb_each}. A measurement of a
 * tenant with no tables is a row too, of zeros. The index on {@code (tenant, measured_at)} serves
 * {@link #find}, the one on {@code (measured_at)} the purge, which deletes {@value #PURGE_BATCH} rows at a
 * time, each batch committed on its own. Times are kept to the microsecond, as {@code timestamptz} holds them.
 *
 * <p>Thread-safe: it holds nothing but the data source.
 */
public final class JdbcUsageHistory implements UsageHistory {

    /** The history's table. */
    public static final String TABLE = "tenant_usage_history";

    /** Rows each statement of a purge deletes at most, so that no purge holds long locks or a long transaction. */
    static final int PURGE_BATCH = 5_000;

    private final DataSource dataSource;

    private JdbcUsageHistory(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Returns the history in table {@value #TABLE} of the control-plane database of {@code controlPlane}.
     *
     * @param controlPlane a data source on the control-plane database, not one from {@code TenantJdbc}
     * @throws NullPointerException if {@code controlPlane} is null
     * @throws IllegalArgumentException if {@code controlPlane} is a Tenantry tenant data source
     */
    public static JdbcUsageHistory of(DataSource controlPlane) {
        Objects.requireNonNull(controlPlane, "controlPlane");
        if (controlPlane.getClass().getName().startsWith("io.tenantry.")) {
            throw new IllegalArgumentException("The usage history needs the control-plane DataSource, not a"
                    + " Tenantry tenant DataSource, which routes every connection to the current tenant.");
        }
        return new JdbcUsageHistory(controlPlane);
    }

    /**
     * Creates the table and its indexes unless the table exists, all in one transaction, so that a table this
     * method made always has its indexes; idempotent, also when several processes start at the same moment. A
     * table that exists is left as it is, whoever made it (a migration of the application, say): the login
     * then needs only to select, insert and delete.
     *
     * @throws StoreUnavailableException if the control-plane database cannot be reached
     * @throws IllegalStateException if a statement fails, for example for lack of the right to create tables
     */
    public void createTableIfMissing() {
        String[] statements = {
            "CREATE TABLE IF NOT EXISTS " + TABLE + " (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                    + " tenant text NOT NULL, measured_at timestamptz NOT NULL, model text NOT NULL,"
                    + " store text NOT NULL, namespace text NOT NULL, items bigint NOT NULL, bytes bigint NOT NULL,"
                    + " resources jsonb NOT NULL)",
            "CREATE INDEX IF NOT EXISTS " + TABLE + "_tenant_measured_at ON " + TABLE + " (tenant, measured_at)",
            "CREATE INDEX IF NOT EXISTS " + TABLE + "_measured_at ON " + TABLE + " (measured_at)"};
        try {
            ControlPlaneRows.createIfMissing(dataSource, TABLE, statements);
        } catch (SQLException e) {
            throw failure("create table " + TABLE, e);
        }
    }

    /**
     * {@inheritDoc} One {@code INSERT}, committed before it returns; PostgreSQL builds the {@code resources}
     * document from arrays of the tables' names, items and bytes.
     */
    @Override
    public void record(TenantUsage usage) {
        Objects.requireNonNull(usage, "usage");
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement("INSERT INTO "
                + TABLE + " (tenant, measured_at, model, store, namespace, items, bytes, resources)"
                + " SELECT ?, ?, ?, ?, ?, ?, ?, coalesce(jsonb_object_agg(r.name, jsonb_build_object('items', r.items,"
                + " 'bytes', r.bytes)), '{}'::jsonb) FROM unnest(?::text[], ?::bigint[], ?::bigint[])"
                + " AS r(name, items, bytes)")) {
            List<String> names = new ArrayList<>(usage.resources().keySet());
            Long[] items = new Long[names.size()];
            Long[] bytes = new Long[names.size()];
            for (int i = 0; i < names.size(); i++) {
                TenantUsage.Resource resource = usage.resources().get(names.get(i));
                items[i] = resource.items();
                bytes[i] = resource.bytes();
            }
            Placement placement = usage.placement();
            p.setString(1, usage.tenant().value());
            p.setObject(2, timestamp(usage.measuredAt().truncatedTo(ChronoUnit.MICROS)));
            p.setString(3, placement.model().name());
            p.setString(4, placement.store());
            p.setString(5, placement.namespace());
            p.setLong(6, usage.totalItems());
            p.setLong(7, usage.totalBytes());
            Array nameArray = c.createArrayOf("text", names.toArray());
            Array itemArray = c.createArrayOf("bigint", items);
            Array byteArray = c.createArrayOf("bigint", bytes);
            p.setArray(8, nameArray);
            p.setArray(9, itemArray);
            p.setArray(10, byteArray);
            p.executeUpdate();
            commit(c);
        } catch (SQLException e) {
            throw failure("record the usage of tenant " + usage.tenant(), e);
        }
    }

    /** {@inheritDoc} One query on the index of {@code (tenant, measured_at)}. */
    @Override
    public List<TenantUsage> find(TenantId tenant, Instant from, Instant to, int limit) {
        Objects.requireNonNull(tenant, "tenant");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("The window ends (" + to + ") before it starts (" + from + ").");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        String sql = "SELECT h.id, h.measured_at, h.model, h.store, h.namespace, r.key,"
                + " (r.value->>'items')::bigint AS items, (r.value->>'bytes')::bigint AS bytes"
                + " FROM (SELECT id, measured_at, model, store, namespace, resources FROM " + TABLE
                + " WHERE tenant = ? AND measured_at >= ? AND measured_at < ? ORDER BY measured_at DESC, id DESC"
                + " LIMIT ?) h LEFT JOIN LATERAL jsonb_each(h.resources) r ON true ORDER BY h.measured_at, h.id";
        Map<Long, Measured> found = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, tenant.value());
            p.setObject(2, timestamp(from.truncatedTo(ChronoUnit.MICROS)));
            p.setObject(3, timestamp(ceilingMicros(to)));
            p.setInt(4, limit);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    long id = r.getLong("id");
                    Measured measured = found.get(id);
                    if (measured == null) {
                        measured = new Measured(placement(id, r), r.getObject("measured_at", OffsetDateTime.class)
                                .toInstant(), new LinkedHashMap<>());
                        found.put(id, measured);
                    }
                    String resource = r.getString("key");
                    if (resource != null) {
                        measured.resources().put(resource, resource(id, r));
                    }
                }
            }
            commit(c);
        } catch (SQLException e) {
            throw failure("read the usage of tenant " + tenant, e);
        }
        return found.values().stream().map(m -> new TenantUsage(tenant, m.placement(), m.resources(), m.measuredAt()))
                .toList();
    }

    private record Measured(Placement placement, Instant measuredAt, Map<String, TenantUsage.Resource> resources) {
    }

    private static Placement placement(long id, ResultSet r) throws SQLException {
        try {
            return Placement.of(IsolationModel.valueOf(r.getString("model")), r.getString("store"),
                    r.getString("namespace"));
        } catch (RuntimeException e) {
            throw unreadable(id, e);
        }
    }

    private static TenantUsage.Resource resource(long id, ResultSet r) throws SQLException {
        long items = r.getLong("items");
        boolean noItems = r.wasNull();
        long bytes = r.getLong("bytes");
        if (noItems || r.wasNull()) {
            throw unreadable(id, new IllegalArgumentException("resource " + r.getString("key")
                    + " lacks items or bytes"));
        }
        try {
            return new TenantUsage.Resource(items, bytes);
        } catch (RuntimeException e) {
            throw unreadable(id, e);
        }
    }

    private static IllegalStateException unreadable(long id, RuntimeException e) {
        return new IllegalStateException("Row " + id + " of table " + TABLE + " is not a measurement this version of"
                + " Tenantry reads (" + e.getMessage() + "); a newer version may have written it.", e);
    }

    /** {@inheritDoc} Deletes {@value #PURGE_BATCH} rows at a time, oldest first, each batch committed on its own. */
    @Override
    public long purge(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        long[] removed = new long[1];
        try {
            return ControlPlaneRows.purge(dataSource, TABLE, "measured_at", cutoff, PURGE_BATCH, n -> removed[0] = n);
        } catch (SQLException e) {
            throw failure("purge the measurements before " + cutoff + " (" + removed[0] + " removed so far)", e);
        }
    }


    private static RuntimeException failure(String action, SQLException e) {
        return ControlPlaneRows.failure("The usage history", TABLE, action,
                "Call createTableIfMissing() once to create table " + TABLE + ".", e);
    }

    @Override
    public String toString() {
        return "JdbcUsageHistory(" + TABLE + ")";
    }
}
