package io.tenantry.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.postgresql.core.BaseConnection;

/**
 * The most physical connections Tenantry holds open, over every pool of every store. Each connection
 * a pool opens takes a permit and gives it back when the pool closes it. When none is free, the
 * opener asks the pools to give up idle connections of their least recently used tenants, and waits
 * at most the store's connection timeout.
 *
 * <p>A closed connection keeps its permit for {@value #TEARDOWN_MILLIS} ms more: the driver's close
 * sends PostgreSQL a goodbye and returns, while the server ends the connection's backend a moment
 * later, and until then the backend still counts in {@code pg_stat_activity} and against
 * {@code max_connections}. Without the grace, a busy budget would be exceeded on the server by the
 * connections still being torn down. Thread-safe.
 */
final class ConnectionBudget {

    private static final long SLICE_MILLIS = 20;

    /** How long a closed connection keeps its permit: the server's teardown of its backend. */
    static final long TEARDOWN_MILLIS = 100;

    private final int total;
    private final Semaphore permits;
    private final ScheduledExecutorService timer;

    ConnectionBudget(int total, ScheduledExecutorService timer) {
        this.total = total;
        this.permits = new Semaphore(total, true);
        this.timer = timer;
    }

    int total() {
        return total;
    }

    /** Returns how many connections are open now. */
    int inUse() {
        return total - permits.availablePermits();
    }

    /**
     * Opens a connection with {@code opener} once a permit is free, freeing idle connections with
     * {@code evictor} while none is.
     *
     * @throws SQLTransientConnectionException if no permit is free within {@code timeoutMillis}
     */
    Connection open(Opener opener, BooleanSupplier evictor, long timeoutMillis) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try {
            while (!permits.tryAcquire()) {
                boolean freed = evictor.getAsBoolean();
                // what was freed comes back after the teardown grace: wait for it before freeing more
                if (permits.tryAcquire(freed ? TEARDOWN_MILLIS + SLICE_MILLIS : SLICE_MILLIS, TimeUnit.MILLISECONDS)) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new SQLTransientConnectionException("All " + total + " connections of Tenantry's"
                            + " connection budget are in use by other tenants; raise TenantJdbc.Builder"
                            + ".connectionBudget(...) or lower the stores' maximumPoolSize.", "08004");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("Interrupted while waiting for a connection", "08004", e);
        }
        try {
            return returningPermit(opener.open());
        } catch (SQLException | RuntimeException e) {
            releaseAfterTeardown();
            throw e;
        }
    }

    private void releaseAfterTeardown() {
        try {
            timer.schedule(() -> permits.release(), TEARDOWN_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            permits.release(); // closing down: nothing waits for the permit any more
        }
    }

    /** Opens one physical connection. */
    @FunctionalInterface
    interface Opener {
        Connection open() throws SQLException;
    }

    /**
     * Wraps {@code connection} so that closing or aborting it gives its permit back, once, and so that
     * it carries its {@link ServerSession}.
     */
    private Connection returningPermit(Connection connection) throws SQLException {
        Tracked tracked = new Tracked(connection, connection.unwrap(BaseConnection.class));
        return (Connection) Proxy.newProxyInstance(ConnectionBudget.class.getClassLoader(),
                new Class<?>[] {Connection.class, ServerSession.class}, tracked);
    }

    /** The wrapper's handler: the permit, the session state, and plain delegation of everything else. */
    private final class Tracked implements InvocationHandler, ServerSession {
        private final Connection connection;
        private final BaseConnection driver;
        private final AtomicBoolean returned = new AtomicBoolean();
        private volatile @Nullable String pointsAt;

        Tracked(Connection connection, BaseConnection driver) {
            this.connection = connection;
            this.driver = driver;
        }

        @Override
        public BaseConnection driver() {
            return driver;
        }

        @Override
        public @Nullable String pointsAt() {
            return pointsAt;
        }

        @Override
        public void pointsAt(@Nullable String key) {
            this.pointsAt = key;
        }

        @Override
        public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
            if (method.getDeclaringClass() == ServerSession.class) {
                return method.invoke(this, args);
            }
            String name = method.getName();
            if (name.equals("equals") && method.getParameterCount() == 1) {
                return proxy == args[0];
            }
            if (name.equals("hashCode") && method.getParameterCount() == 0) {
                return System.identityHashCode(proxy);
            }
            try {
                JdbcMethods.kind(method); // makes the reflective call below skip its access check
                return method.invoke(connection, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                if ((name.equals("close") || name.equals("abort")) && returned.compareAndSet(false, true)) {
                    releaseAfterTeardown();
                }
            }
        }
    }
}
