package io.tenantry.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;

/**
 * What the control-plane tables of this adapter (the audit trail, the usage history, the lifecycle journal)
 * do alike: timestamps at PostgreSQL's microsecond precision, commits that work with or without
 * auto-commit, and purges of old rows in batches. Stateless.
 */
final class ControlPlaneRows {

    private ControlPlaneRows() {
    }

    /** Returns {@code instant} as a {@code timestamptz} parameter, in UTC. */
    static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** Returns {@code instant} rounded up to the microsecond, so that a window's end never drops a stored row. */
    static Instant ceilingMicros(Instant instant) {
        Instant truncated = instant.truncatedTo(ChronoUnit.MICROS);
        return truncated.equals(instant) ? instant : truncated.plus(1, ChronoUnit.MICROS);
    }

    /** Commits, unless the connection auto-commits. */
    static void commit(Connection c) throws SQLException {
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    /**
     * Deletes the rows of {@code table} whose {@code column} is before {@code before} (truncated to the
     * microsecond), {@code batch} rows at a time, oldest first, each batch committed on its own, so that an
     * interrupted purge has removed only old rows and can run again.
     *
     * @param removed told the running total after each batch, for the caller's error message
     * @return how many rows were removed
     */
    static long purge(DataSource dataSource, String table, String column, Instant before, int batch,
            java.util.function.LongConsumer removed) throws SQLException {
        long total = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement("DELETE FROM " + table
                + " WHERE id IN (SELECT id FROM " + table + " WHERE " + column + " < ? ORDER BY " + column + " LIMIT "
                + batch + ")")) {
            int deleted;
            do {
                p.setObject(1, timestamp(before.truncatedTo(ChronoUnit.MICROS)));
                deleted = p.executeUpdate();
                commit(c);
                total += deleted;
                removed.accept(total);
            } while (deleted == batch);
        }
        return total;
    }
}
