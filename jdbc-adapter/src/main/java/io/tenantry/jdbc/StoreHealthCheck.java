package io.tenantry.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code SELECT 1} on a store's maintenance database, on a connection of its own: never one of the
 * pools, so the check neither waits for nor takes a connection a tenant needs, never counts against the
 * budget, and never reaches a tenant's schema or database.
 *
 * <p>The check runs on a thread of its own, which the caller waits for at most the timeout: pgjdbc's
 * timeouts count in whole seconds and apply to each step (connect, log in, read) separately, so they
 * alone could not bound the check to, say, 500 ms. They still end that thread soon after a timeout,
 * closing whatever connection it opened. Thread-safe.
 */
final class StoreHealthCheck {

    private StoreHealthCheck() {
    }

    /** Checks {@code store} (named {@code name}) within {@code timeout}; never throws. */
    static JdbcStoreHealth check(String name, JdbcStore store, Duration timeout) {
        long start = System.nanoTime();
        String database = store.maintenanceDatabase();
        CompletableFuture<Void> answer = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                selectOne(store, timeout);
                answer.complete(null);
            } catch (Exception e) {
                answer.completeExceptionally(e);
            }
        }, "tenantry-jdbc-health-" + name);
        worker.setDaemon(true);
        try {
            worker.start();
            answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return JdbcStoreHealth.up(name, database, since(start));
        } catch (TimeoutException e) {
            return JdbcStoreHealth.down(name, database, since(start), new SQLTimeoutException("Store \"" + name
                    + "\" (" + store.serverUrl() + ") did not answer SELECT 1 on database \"" + database + "\" within "
                    + timeout.toMillis() + " ms.", "08006", e));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return JdbcStoreHealth.down(name, database, since(start),
                    cause instanceof Exception ? (Exception) cause : e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return JdbcStoreHealth.down(name, database, since(start), e);
        } catch (RuntimeException e) {
            return JdbcStoreHealth.down(name, database, since(start), e);
        }
    }

    private static void selectOne(JdbcStore store, Duration timeout) throws SQLException {
        int seconds = (int) Math.min(Integer.MAX_VALUE, Math.max(1, (timeout.toMillis() + 999) / 1000));
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(store.url(store.maintenanceDatabase()));
        ds.setUser(store.user());
        ds.setPassword(store.password());
        ds.setApplicationName("tenantry-health");
        ds.setConnectTimeout(seconds);
        ds.setLoginTimeout(seconds);
        ds.setSocketTimeout(seconds);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(seconds);
            try (ResultSet r = s.executeQuery("SELECT 1")) {
                if (!r.next() || r.getInt(1) != 1) {
                    throw new SQLException("SELECT 1 did not answer 1", "08006");
                }
            }
        }
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
