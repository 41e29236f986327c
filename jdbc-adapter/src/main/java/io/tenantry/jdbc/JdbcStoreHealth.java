package io.tenantry.jdbc;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one {@link TenantJdbc#checkHealth(String, Duration)}: whether the store's server
 * answered {@code SELECT 1} on its maintenance database in time and, if not, why. Created by Tenantry
 * only; immutable (the exception aside) and thread-safe. Nothing it returns is null.
 */
public final class JdbcStoreHealth {

    private final String store;
    private final String database;
    private final Duration elapsed;
    private final @Nullable Exception error;

    private JdbcStoreHealth(String store, String database, Duration elapsed, @Nullable Exception error) {
        this.store = Objects.requireNonNull(store, "store");
        this.database = Objects.requireNonNull(database, "database");
        this.elapsed = Objects.requireNonNull(elapsed, "elapsed");
        this.error = error;
    }

    static JdbcStoreHealth up(String store, String database, Duration elapsed) {
        return new JdbcStoreHealth(store, database, elapsed, null);
    }

    static JdbcStoreHealth down(String store, String database, Duration elapsed, Exception error) {
        return new JdbcStoreHealth(store, database, elapsed, Objects.requireNonNull(error, "error"));
    }

    /** Returns the name of the store checked. */
    public String store() {
        return store;
    }

    /** Returns the database the check connected to: the store's {@link JdbcStore#maintenanceDatabase()}. */
    public String database() {
        return database;
    }

    /** Returns whether the server answered in time. */
    public boolean isUp() {
        return error == null;
    }

    /** Returns how long the check took, up to the answer, the failure or the timeout. */
    public Duration elapsed() {
        return elapsed;
    }

    /**
     * Returns why the store is down: the driver's exception (connection refused, authentication
     * failed, ...) or a {@link java.sql.SQLTimeoutException} when no answer came in time; empty when up.
     */
    public Optional<Exception> error() {
        return Optional.ofNullable(error);
    }

    /** Returns one line, for example {@code main UP in 3 ms} or {@code main DOWN in 1002 ms: <error>}. */
    @Override
    public String toString() {
        return store + (error == null ? " UP" : " DOWN") + " in " + elapsed.toMillis() + " ms"
                + (error == null ? "" : ": " + error);
    }
}
