package io.tenantry.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One measured operation of {@link JdbcWorkloadComparison}, run on a connection that the side under
 * test obtained for the tenant. The same code runs on both sides, so they differ only in how the
 * connection was obtained and returned, and in what the connection does on the way. Each returns a
 * checksum of what it read or wrote, so that nothing is optimised away.
 */
enum JdbcOperation implements JdbcWorkload.Work {

    /** {@code SELECT} of one row by primary key. */
    POINT_SELECT("point select") {
        @Override
        public long run(Connection c, Table table) throws SQLException {
            try (PreparedStatement p = c.prepareStatement("SELECT tenant_note, v, payload FROM items WHERE id = ?")) {
                p.setLong(1, ThreadLocalRandom.current().nextLong(table.rows));
                return read(p, 3);
            }
        }
    },

    /** {@code SELECT} of 50 consecutive rows by a primary-key range. */
    RANGE_SELECT("range select (50)") {
        @Override
        public long run(Connection c, Table table) throws SQLException {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT id, tenant_note, v, payload FROM items WHERE id >= ? AND id < ? ORDER BY id")) {
                long from = ThreadLocalRandom.current().nextLong(table.rows - RANGE);
                p.setLong(1, from);
                p.setLong(2, from + RANGE);
                return read(p, 4);
            }
        }
    },

    /** {@code INSERT} of one new row. */
    INSERT("insert") {
        @Override
        public long run(Connection c, Table table) throws SQLException {
            try (PreparedStatement p = c.prepareStatement(INSERT_SQL)) {
                bindNewRow(p, table.nextId.getAndIncrement());
                return p.executeUpdate();
            }
        }
    },

    /** {@code UPDATE} of one row by primary key. */
    UPDATE("update by pk") {
        @Override
        public long run(Connection c, Table table) throws SQLException {
            try (PreparedStatement p = c.prepareStatement("UPDATE items SET v = v + 1 WHERE id = ?")) {
                p.setLong(1, ThreadLocalRandom.current().nextLong(table.rows));
                return p.executeUpdate();
            }
        }
    },

    /** {@code INSERT} of 50 new rows with {@code addBatch}/{@code executeBatch}, in one round trip. */
    BATCH_INSERT("batch insert (50)") {
        @Override
        public long run(Connection c, Table table) throws SQLException {
            try (PreparedStatement p = c.prepareStatement(INSERT_SQL)) {
                long first = table.nextId.getAndAdd(BATCH_ROWS);
                for (int i = 0; i < BATCH_ROWS; i++) {
                    bindNewRow(p, first + i);
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

    private static void bindNewRow(PreparedStatement p, long id) throws SQLException {
        p.setLong(1, id);
        p.setString(2, "written " + id);
        p.setInt(3, (int) (id % 1000));
        p.setString(4, PAYLOAD);
    }

    /**
     * One tenant's {@code items} table as the workload sees it: how many rows it was filled with
     * (selects and updates pick among those) and the next free id, shared by both sides so that their
     * inserts never collide.
     */
    static final class Table {
        final long rows;
        final AtomicLong nextId;

        Table(long rows) {
            this.rows = rows;
            this.nextId = new AtomicLong(rows);
        }
    }
}
