package io.tenantry.jdbc;

import static io.tenantry.jdbc.ControlPlaneRows.ceilingMicros;
import static io.tenantry.jdbc.ControlPlaneRows.commit;
import static io.tenantry.jdbc.ControlPlaneRows.timestamp;

import io.tenantry.AuditEvent;
import io.tenantry.AuditQuery;
import io.tenantry.StoreUnavailableException;
import io.tenantry.TenantId;
import io.tenantry.spi.AuditLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AuditLog} kept in a table (by default {@value #DEFAULT_TABLE}) of the control-plane database,
 * beside {@link JdbcTenantDirectory}'s catalogue: one row per event, {@code (id, at, kind, tenant, detail,
 * thread)}, with {@code id} an identity column that orders events recorded at the same microsecond, and
 * indexes on {@code (tenant, at)} and {@code (at)} for the queries and the purge. {@link #createTableIfMissing()}
 * creates both.
 *
 * <p>{@link #record} is one {@code INSERT} on a connection of its own, committed before it returns, on the
 * calling thread: the event is stored before the audited operation goes on, and a slow control plane slows
 * audited operations down (at most by the pool's connection timeout). If the insert fails, the event is
 * logged at WARN on the logger {@code io.tenantry.audit}, in full, and the call returns normally.
 * Times are kept to the microsecond, as {@code timestamptz} holds them; query bounds are widened to whole
 * microseconds. {@link #purge} deletes in batches of 5,000 rows, each committed on its own.
 *
 * <p>Thread-safe: it holds nothing but the data source and the table's name.
 */
public final class JdbcAuditLog implements AuditLog {

    /** The table used by {@link #of(DataSource)}. */
    public static final String DEFAULT_TABLE = "tenant_audit";

    /** Rows each statement of a purge deletes at most, so that no purge holds long locks or a long transaction. */
    static final int PURGE_BATCH = 5_000;

    private static final Logger AUDIT = LoggerFactory.getLogger("io.tenantry.audit");

    /** Room is left in the 63 bytes of an identifier for the index names, table name plus "_tenant_at". */
    private static final Pattern TABLE_NAME = Pattern.compile("(?:[a-z_][a-z0-9_]{0,62}\\.)?[a-z_][a-z0-9_]{0,52}");
    private static final String COLUMNS = "id, at, kind, tenant, detail, thread";

    private final DataSource dataSource;
    /** The table's name, quoted. */
    private final String table;
    /** The table's own name without its schema, unquoted: the stem of its index names. */
    private final String stem;
    private final int purgeBatch;

    private JdbcAuditLog(DataSource dataSource, String table, String stem, int purgeBatch) {
        this.dataSource = dataSource;
        this.table = table;
        this.stem = stem;
        this.purgeBatch = purgeBatch;
    }

    /**
     * Returns the log kept in table {@value #DEFAULT_TABLE} of the control-plane database.
     *
     * @param controlPlane a data source on the control-plane database, not one from {@code TenantJdbc}
     * @return the log
     * @throws NullPointerException if {@code controlPlane} is null
     * @throws IllegalArgumentException if {@code controlPlane} is a Tenantry tenant data source
     */
    public static JdbcAuditLog of(DataSource controlPlane) {
        return of(controlPlane, DEFAULT_TABLE);
    }

    /**
     * Returns the log kept in table {@code table} of the control-plane database.
     *
     * @param controlPlane a data source on the control-plane database, not one from {@code TenantJdbc}
     * @param table a lower-case identifier ({@code [a-z_][a-z0-9_]*}, at most 53 characters, leaving room for
     *     its index names), optionally qualified by a schema ({@code control.tenant_audit}); quoted in every
     *     statement
     * @return the log
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code controlPlane} is a Tenantry tenant data source or the
     *     table's name is invalid
     */
    public static JdbcAuditLog of(DataSource controlPlane, String table) {
        return of(controlPlane, table, PURGE_BATCH);
    }

    static JdbcAuditLog of(DataSource controlPlane, String table, int purgeBatch) {
        Objects.requireNonNull(controlPlane, "controlPlane");
        Objects.requireNonNull(table, "table");
        if (controlPlane.getClass().getName().startsWith("io.tenantry.")) {
            throw new IllegalArgumentException("The audit log needs the control-plane DataSource, not a Tenantry"
                    + " tenant DataSource, which routes every connection to the current tenant: the audit trail"
                    + " belongs to no tenant.");
        }
        if (!TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("Invalid table name \"" + table + "\": use a lower-case identifier of"
                    + " a-z, 0-9 and '_', not starting with a digit and at most 53 characters, optionally qualified"
                    + " by a schema of the same form, for example \"control.tenant_audit\".");
        }
        StringBuilder quoted = new StringBuilder();
        for (String part : table.split("\\.")) {
            quoted.append(quoted.length() == 0 ? "" : ".").append('"').append(part).append('"');
        }
        return new JdbcAuditLog(controlPlane, quoted.toString(), table.substring(table.indexOf('.') + 1), purgeBatch);
    }

    /**
     * Creates the table and its indexes unless the table exists, all in one transaction, so that a table this
     * method made always has its indexes; idempotent, also when several processes start at the same moment. A
     * table that exists is left as it is, whoever made it: the application's login needs no right to create or
     * own it then, only to select, insert and delete. A schema named in the table's name must exist.
     *
     * @throws StoreUnavailableException if the control-plane database cannot be reached
     * @throws IllegalStateException if a statement fails, for example for lack of the right to create tables
     */
    public void createTableIfMissing() {
        String[] statements = {
            "CREATE TABLE IF NOT EXISTS " + table + " (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                    + " at timestamptz NOT NULL, kind text NOT NULL, tenant text NULL, detail text NOT NULL,"
                    + " thread text NOT NULL)",
            "CREATE INDEX IF NOT EXISTS \"" + stem + "_tenant_at\" ON " + table + " (tenant, at)",
            "CREATE INDEX IF NOT EXISTS \"" + stem + "_at\" ON " + table + " (at)"};
        try {
            ControlPlaneRows.createIfMissing(dataSource, table, statements);
        } catch (SQLException e) {
            throw failure("create table " + table, e);
        }
    }

    /**
     * {@inheritDoc} One {@code INSERT}, committed before it returns; a failure is logged at WARN on
     * {@code io.tenantry.audit} with the event, never thrown.
     */
    @Override
    public void record(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement("INSERT INTO " + table
                + " (at, kind, tenant, detail, thread) VALUES (?, ?, ?, ?, ?)")) {
            p.setObject(1, timestamp(event.at().truncatedTo(ChronoUnit.MICROS)));
            p.setString(2, event.kind().name());
            p.setString(3, event.tenant().map(TenantId::value).orElse(null));
            p.setString(4, event.detail());
            p.setString(5, event.thread());
            p.executeUpdate();
            commit(c);
        } catch (SQLException | RuntimeException e) {
            AUDIT.warn("Audit event NOT STORED in table {} of the control plane. {} The event: {}", table,
                    e instanceof SQLException sql ? failure("store the event", sql).getMessage() : e.toString(), event);
        }
    }

    /**
     * {@inheritDoc} One query, on the index of {@code (tenant, at)} for a tenant's events and of {@code (at)}
     * otherwise.
     */
    @Override
    public List<AuditEvent> find(AuditQuery query) {
        Objects.requireNonNull(query, "query");
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM ").append(table)
                .append(" WHERE true");
        List<Object> arguments = new ArrayList<>();
        query.tenant().ifPresent(tenant -> {
            sql.append(" AND tenant = ?");
            arguments.add(tenant.value());
        });
        if (!query.kinds().isEmpty()) {
            sql.append(" AND kind IN (").append("?, ".repeat(query.kinds().size() - 1)).append("?)");
            query.kinds().forEach(kind -> arguments.add(kind.name()));
        }
        query.from().ifPresent(from -> {
            sql.append(" AND at >= ?");
            arguments.add(timestamp(from.truncatedTo(ChronoUnit.MICROS)));
        });
        query.to().ifPresent(to -> {
            sql.append(" AND at < ?");
            arguments.add(timestamp(ceilingMicros(to)));
        });
        sql.append(" ORDER BY at DESC, id DESC LIMIT ").append(query.limit());
        List<AuditEvent> found = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < arguments.size(); i++) {
                p.setObject(i + 1, arguments.get(i));
            }
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    found.add(toEvent(r));
                }
            }
            commit(c);
        } catch (SQLException e) {
            throw failure("read the audit trail", e);
        }
        return List.copyOf(found);
    }

    private AuditEvent toEvent(ResultSet r) throws SQLException {
        long id = r.getLong("id");
        try {
            String tenant = r.getString("tenant");
            return new AuditEvent(AuditEvent.Kind.valueOf(r.getString("kind")), tenant == null ? null : TenantId.of(tenant),
                    r.getString("detail"), r.getString("thread"), r.getObject("at", OffsetDateTime.class).toInstant());
        } catch (RuntimeException e) {
            throw new IllegalStateException("Row " + id + " of table " + table + " is not an audit event this version"
                    + " of Tenantry reads (" + e.getMessage() + "); a newer version may have written it.", e);
        }
    }

    /**
     * {@inheritDoc} Deletes 5,000 rows at a time, oldest first, each batch committed on its own.
     */
    @Override
    public long purge(Instant before) {
        Objects.requireNonNull(before, "before");
        long[] removed = new long[1];
        try {
            return ControlPlaneRows.purge(dataSource, table, "at", before, purgeBatch, n -> removed[0] = n);
        } catch (SQLException e) {
            throw failure("purge events before " + before + " (" + removed[0] + " removed so far)", e);
        }
    }


    private RuntimeException failure(String action, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (e instanceof SQLTransientConnectionException || state.startsWith("08")) {
            return new StoreUnavailableException(JdbcTenantDirectory.STORE, "The audit log could not " + action
                    + ": the control-plane database is unreachable (" + e.getMessage() + ").", e);
        }
        String hint = state.isEmpty() ? ""
                : "42P01".equals(state) || "42703".equals(state)
                        ? " Call createTableIfMissing() once to create table " + table + "."
                        : " Check that table " + table + " has the form createTableIfMissing() gives it.";
        return new IllegalStateException("The audit log could not " + action + ": " + e.getMessage()
                + (state.isEmpty() ? "" : " (SQLState " + state + ").") + hint, e);
    }

    @Override
    public String toString() {
        return "JdbcAuditLog(" + table + ")";
    }
}
