package io.tenantry.jdbc;

import io.tenantry.StoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
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

    /**
     * Runs {@code statements} (a table's {@code CREATE TABLE IF NOT EXISTS} and its indexes) in one
     * transaction unless {@code table} exists, so that a table made here always has its indexes and a table
     * made by someone else is left as it is. Two processes starting at once may both pass the check; the
     * loser's duplicate-object error is swallowed, the table exists then.
     *
     * @throws SQLException any other failure
     */
    static void createIfMissing(DataSource dataSource, String table, String... statements) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                exists.setString(1, table);
                try (java.sql.ResultSet r = exists.executeQuery()) {
                    r.next();
                    if (r.getBoolean(1)) {
                        commit(c);
                        return;
                    }
                }
            }
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (java.sql.Statement s = c.createStatement()) {
                for (String statement : statements) {
                    s.execute(statement);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            String state = e.getSQLState();
            // 23505 unique violation, 42P07 duplicate table, 42710 duplicate object: a concurrent creation won
            if (!"23505".equals(state) && !"42P07".equals(state) && !"42710".equals(state)) {
                throw e;
            }
        }
    }

    /**
     * Returns the exception for a failed statement on control-plane table {@code table}: a
     * {@link StoreUnavailableException} when the database is unreachable, otherwise an
     * {@link IllegalStateException} that names the SQLState and, for a missing table or column,
     * {@code whenMissing}, the step that creates it.
     *
     * @param subject what failed, with its article: "The usage history"
     * @param action what it could not do: "record a measurement"
     */
    static RuntimeException failure(String subject, String table, String action, String whenMissing,
            SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (e instanceof SQLTransientConnectionException || state.startsWith("08")) {
            return new StoreUnavailableException(JdbcTenantDirectory.STORE, subject + " could not " + action
                    + ": the control-plane database is unreachable (" + e.getMessage() + ").", e);
        }
        return new IllegalStateException(subject + " could not " + action + ": " + e.getMessage() + " (SQLState "
                + state + "). " + ("42P01".equals(state) || "42703".equals(state) ? whenMissing
                        : "Check that table " + table + " has the form createTableIfMissing() gives it."), e);
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
