package io.tenantry.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One measured operation of {@link JdbcWorkloadComparison}, run on a connection that the side under
 * test obtained for the tenant. The same code runs on both sides, so they differ only in how the
 * connection was obtained and returned, and in what the connection does on the way; on the FIELD
 * model's shared table the raw side also names the tenant itself ({@code WHERE tenant_id = ? AND ...},
 * {@code INSERT INTO items (tenant_id, ...)}), as an application without Tenantry must. Each returns a
 * checksum of what it read or wrote, so that nothing is optimised away.
 */
enum JdbcOperation implements JdbcWorkload.Work {

    /** {@code SELECT} of one row by primary key. */
    POINT_SELECT("point select") {
        @Override
        public long run(Connection c, Table table) throws SQLException {
            try (PreparedStatement p = c.prepareStatement(table.tenant == null
                    ? "SELECT tenant_note, v, payload FROM items WHERE id = ?"
                    : "SELECT tenant_note, v, payload FROM items WHERE tenant_id = ? AND id = ?")) {
                p.setLong(table.bindTenant(p), ThreadLocalRandom.current().nextLong(table.rows));
                return read(p, 3);
            }
        }
    },

    /** {@code SELECT} of 50 consecutive rows by a primary-key range. */
    RANGE_SELECT("range select (50)") {
        @Override
        public long run(Connection c, Table table) throws SQLException {
            try (PreparedStatement p = c.prepareStatement(table.tenant == null
                    ? "SELECT id, tenant_note, v, payload FROM items WHERE id >= ? AND id < ? ORDER BY id"
                    : "SELECT id, tenant_note, v, payload FROM items WHERE tenant_id = ? AND id >= ? AND id < ?"
                            + " ORDER BY id")) {
                long from = ThreadLocalRandom.current().nextLong(table.rows - RANGE);
                int next = table.bindTenant(p);
                p.setLong(next, from);
                p.setLong(next + 1, from + RANGE);
                return read(p, 4);
            }
        }
    },

    /** {@code INSERT} of one new row. */
    INSERT("insert") {
        @Override
        public long run(Connection c, Table table) throws SQLException {
            try (PreparedStatement p = c.prepareStatement(insertSql(table))) {
                bindNewRow(p, table, table.nextId.getAndIncrement());
                return p.executeUpdate();
            }
        }
    },

    /** {@code UPDATE} of one row by primary key. */
    UPDATE("update by pk") {
        @Override
        public long run(Connection c, Table table) throws SQLException {
            try (PreparedStatement p = c.prepareStatement(table.tenant == null
                    ? "UPDATE items SET v = v + 1 WHERE id = ?"
                    : "UPDATE items SET v = v + 1 WHERE tenant_id = ? AND id = ?")) {
                p.setLong(table.bindTenant(p), ThreadLocalRandom.current().nextLong(table.rows));
                return p.executeUpdate();
            }
        }
    },

    /** {@code INSERT} of 50 new rows with {@code addBatch}/{@code executeBatch}, in one round trip. */
    BATCH_INSERT("batch insert (50)") {
        @Override
        public long run(Connection c, Table table) throws SQLException {
            try (PreparedStatement p = c.prepareStatement(insertSql(table))) {
                long first = table.nextId.getAndAdd(BATCH_ROWS);
                for (int i = 0; i < BATCH_ROWS; i++) {
                    bindNewRow(p, table, first + i);
                    p.addBatch();
                }
                long sum = 0;
                for (int n : p.executeBatch()) {
                    sum += n;
                }
                return sum;
            }
        }
    };

    /** Rows a range select reads. */
    static final int RANGE = 50;
    /** Rows a batch insert writes. */
    static final int BATCH_ROWS = 50;

    private static final String INSERT_SQL = "INSERT INTO items (id, tenant_note, v, payload) VALUES (?, ?, ?, ?)";
    private static final String INSERT_TENANT_SQL = "INSERT INTO items (tenant_id, id, tenant_note, v, payload)"
            + " VALUES (?, ?, ?, ?, ?)";
    private static final String PAYLOAD = "x".repeat(200);

    private final String label;

    JdbcOperation(String label) {
        this.label = label;
    }

    /** Runs the operation once on {@code c}, in {@code table}; returns a checksum. */
    @Override
    public abstract long run(Connection c, Table table) throws SQLException;

    /** Returns the name printed in the report. */
    String label() {
        return label;
    }

    private static long read(PreparedStatement p, int columns) throws SQLException {
        long sum = 0;
        try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
                for (int i = 1; i <= columns; i++) {
                    String value = r.getString(i);
                    sum += value == null ? 0 : value.length();
                }
            }
        }
        return sum;
    }

    private static String insertSql(Table table) {
        return table.tenant == null ? INSERT_SQL : INSERT_TENANT_SQL;
    }

    private static void bindNewRow(PreparedStatement p, Table table, long id) throws SQLException {
        int next = table.bindTenant(p);
        p.setLong(next, id);
        p.setString(next + 1, "written " + id);
        p.setInt(next + 2, (int) (id % 1000));
        p.setString(next + 3, PAYLOAD);
    }

    /**
     * One tenant's {@code items} table as the workload sees it: how many rows it was filled with
     * (selects and updates pick among those), the next free id, shared by both sides so that their
     * inserts never collide, and, for the raw side of the FIELD model, the tenant's value of the tenant
     * column, which its statements give themselves.
     */
    static final class Table {
        final long rows;
        final AtomicLong nextId;
        final @Nullable String tenant;

        Table(long rows) {
            this(rows, new AtomicLong(rows), null);
        }

        private Table(long rows, AtomicLong nextId, @Nullable String tenant) {
            this.rows = rows;
            this.nextId = nextId;
            this.tenant = tenant;
        }

        /** The same rows and ids, seen by a side that names the tenant in its statements. */
        Table naming(String tenantValue) {
            return new Table(rows, nextId, tenantValue);
        }

        /** Binds the tenant as the first parameter if this side names it; returns the next parameter's index. */
        int bindTenant(PreparedStatement p) throws SQLException {
            if (tenant == null) {
                return 1;
            }
            p.setString(1, tenant);
            return 2;
        }
    }
}
