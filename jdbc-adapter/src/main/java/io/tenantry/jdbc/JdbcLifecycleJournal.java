package io.tenantry.jdbc;

import io.tenantry.IsolationModel;
import io.tenantry.LifecycleOperation;
import io.tenantry.Placement;
import io.tenantry.StoreUnavailableException;
import io.tenantry.TenantId;
import io.tenantry.TenantStatus;
import io.tenantry.spi.LifecycleJournal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The {@link LifecycleJournal} kept in table {@value #TABLE} of the control-plane database, beside
 * {@link JdbcTenantDirectory}'s catalogue, so that a restarted process finds what a crashed one left. One
 * row per operation; {@link #save} is one upsert, committed when it returns. {@link #createTableIfMissing()}
 * creates the table. Thread-safe: it holds nothing but the data source.
 */
public final class JdbcLifecycleJournal implements LifecycleJournal {

    /** The journal's table. */
    public static final String TABLE = "tenant_operations";

    private static final String COLUMNS = "id, kind, tenant, step, from_model, from_store, from_namespace, to_model,"
            + " to_store, to_namespace, target_tier, archive, previous_status, started_at, updated_at, detail";

    private final DataSource dataSource;

    private JdbcLifecycleJournal(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Returns the journal in the control-plane database of {@code controlPlane}.
     *
     * @throws IllegalArgumentException if {@code controlPlane} is a Tenantry tenant data source
     */
    public static JdbcLifecycleJournal of(DataSource controlPlane) {
        Objects.requireNonNull(controlPlane, "controlPlane");
        if (controlPlane.getClass().getName().startsWith("io.tenantry.")) {
            throw new IllegalArgumentException("The lifecycle journal needs the control-plane DataSource, not a"
                    + " Tenantry tenant DataSource, which routes every connection to the current tenant.");
        }
        return new JdbcLifecycleJournal(controlPlane);
    }

    /**
     * Creates the table unless it exists, and adds the {@code archive} column (exports and imports) to a
     * table created by an earlier version; idempotent.
     */
    public void createTableIfMissing() {
        String ddl = "CREATE TABLE IF NOT EXISTS " + TABLE + " (id text PRIMARY KEY, kind text NOT NULL,"
                + " tenant text NOT NULL, step text NOT NULL, from_model text NOT NULL, from_store text NOT NULL,"
                + " from_namespace text NOT NULL, to_model text NULL, to_store text NULL, to_namespace text NULL,"
                + " target_tier text NULL, archive text NULL, previous_status text NOT NULL,"
                + " started_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, detail text NOT NULL)";
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(ddl);
            s.execute("ALTER TABLE " + TABLE + " ADD COLUMN IF NOT EXISTS archive text NULL");
            commit(c);
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState()) && !"42P07".equals(e.getSQLState())) {
                throw failure("create table " + TABLE, e);
            }
        }
    }

    @Override
    public void save(LifecycleOperation op) {
        Objects.requireNonNull(op, "op");
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement("INSERT INTO " + TABLE
                + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE"
                + " SET step = EXCLUDED.step, updated_at = EXCLUDED.updated_at, detail = EXCLUDED.detail")) {
            int i = 1;
            p.setString(i++, op.id());
            p.setString(i++, op.kind().name());
            p.setString(i++, op.tenant().value());
            p.setString(i++, op.step().name());
            i = bind(p, i, op.from());
            i = bind(p, i, op.to());
            p.setString(i++, op.targetTier());
            p.setString(i++, op.archive());
            p.setString(i++, op.previousStatus().name());
            p.setObject(i++, OffsetDateTime.ofInstant(op.startedAt(), ZoneOffset.UTC));
            p.setObject(i++, OffsetDateTime.ofInstant(op.updatedAt(), ZoneOffset.UTC));
            p.setString(i, op.detail());
            p.executeUpdate();
            commit(c);
        } catch (SQLException e) {
            throw failure("save operation " + op.id(), e);
        }
    }

    private static int bind(PreparedStatement p, int i, @Nullable Placement placement) throws SQLException {
        p.setString(i, placement == null ? null : placement.model().name());
        p.setString(i + 1, placement == null ? null : placement.store());
        p.setString(i + 2, placement == null ? null : placement.namespace());
        return i + 3;
    }

    @Override
    public List<LifecycleOperation> unfinished() {
        return query(" WHERE step NOT IN ('DONE', 'ROLLED_BACK')");
    }

    @Override
    public List<LifecycleOperation> all() {
        return query("");
    }

    private List<LifecycleOperation> query(String where) {
        List<LifecycleOperation> found = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT " + COLUMNS + " FROM " + TABLE + where
                        + " ORDER BY started_at, id")) {
            while (r.next()) {
                found.add(new LifecycleOperation(r.getString("id"), LifecycleOperation.Kind.valueOf(r.getString("kind")),
                        TenantId.of(r.getString("tenant")), LifecycleOperation.Step.valueOf(r.getString("step")),
                        placement(r, "from"), placement(r, "to"), r.getString("target_tier"), r.getString("archive"),
                        TenantStatus.valueOf(r.getString("previous_status")),
                        r.getObject("started_at", OffsetDateTime.class).toInstant(),
                        r.getObject("updated_at", OffsetDateTime.class).toInstant(), r.getString("detail")));
            }
            commit(c);
        } catch (SQLException e) {
            throw failure("read the journal", e);
        }
        return found;
    }

    private static @Nullable Placement placement(ResultSet r, String side) throws SQLException {
        String model = r.getString(side + "_model");
        return model == null ? null : Placement.of(IsolationModel.valueOf(model), r.getString(side + "_store"),
                r.getString(side + "_namespace"));
    }

    private static void commit(Connection c) throws SQLException {
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    private static RuntimeException failure(String action, SQLException e) {
        return ControlPlaneRows.failure("The lifecycle journal", TABLE, action,
                "Call createTableIfMissing() once (it also adds the archive column to an older table).", e);
    }

    @Override
    public String toString() {
        return "JdbcLifecycleJournal(" + TABLE + ")";
    }
}
