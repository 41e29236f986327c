package io.tenantry.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.LoggerFactory;

/**
 * Every HikariCP pool Tenantry opens: one per shared database (schema model) and one per tenant
 * database (database model), created on first use. The pools are kept in least-recently-used order,
 * at most {@code maxPools} of them (pools with a connection on loan are never closed), all within one
 * {@link ConnectionBudget}, and they share one housekeeping thread instead of one each.
 *
 * <p>Thread-safe: the map and the loan counts are guarded by one lock that is never held while a pool
 * opens or closes a connection.
 */
final class TenantPools implements AutoCloseable {

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(TenantPools.class);

    /** Identifies a pool: one database on one store. */
    record Key(String store, String database) {
    }

    /** One pool and how many of its connections are on loan now. */
    static final class Pool {
        final Key key;
        final HikariDataSource dataSource;
        int loans;

        Pool(Key key, HikariDataSource dataSource) {
            this.key = key;
            this.dataSource = dataSource;
        }
    }

    /** Whether a clean schema-model session is reset when it goes back to the pool, or when another tenant takes it. */
    final boolean resetOnReturn;

    private final ConnectionBudget budget;
    private final int maxPools;
    private final ScheduledThreadPoolExecutor housekeeping;
    private final ThreadFactory threads;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<Key, Pool> pools = new LinkedHashMap<>(64, 0.75f, true);
    private final AtomicInteger created = new AtomicInteger();
    private boolean closed;

    TenantPools(int budget, int maxPools, boolean resetOnReturn) {
        this.resetOnReturn = resetOnReturn;
        this.maxPools = maxPools;
        AtomicInteger number = new AtomicInteger();
        this.threads = task -> {
            Thread thread = new Thread(task, "tenantry-jdbc-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.housekeeping = new ScheduledThreadPoolExecutor(1, threads);
        this.housekeeping.setRemoveOnCancelPolicy(true);
        this.budget = new ConnectionBudget(budget, housekeeping);
    }

    /**
     * Borrows a connection of the pool for {@code database} on {@code store}, creating the pool if
     * needed. The caller must give the loan back with {@link #giveBack(Pool)} after closing the
     * connection.
     *
     * @throws SQLException as HikariCP throws it when no connection comes within the timeout
     */
    Loan borrow(String storeName, JdbcStore store, String database) throws SQLException {
        Key key = new Key(storeName, database);
        List<Pool> evicted = new ArrayList<>();
        Pool pool;
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("This TenantJdbc is closed; its DataSource gives no more connections.");
            }
            pool = pools.get(key);
            if (pool == null) {
                pool = new Pool(key, open(key, store));
                pools.put(key, pool);
            }
            pool.loans++;
            if (pools.size() > maxPools) {
                Iterator<Pool> eldest = pools.values().iterator();
                while (pools.size() > maxPools && eldest.hasNext()) {
                    Pool candidate = eldest.next();
                    if (candidate.loans == 0) {
                        eldest.remove();
                        evicted.add(candidate);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        evicted.forEach(TenantPools::close);
        try {
            return new Loan(pool, pool.dataSource.getConnection());
        } catch (SQLException | RuntimeException e) {
            giveBack(pool);
            throw e;
        }
    }

    /** A connection on loan and the pool it came from. */
    record Loan(Pool pool, Connection connection) {
    }

    void giveBack(Pool pool) {
        lock.lock();
        try {
            pool.loans--;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the pool of {@code database} on {@code store}, if one is open, for a database about to be
     * dropped: its idle connections are closed at once and those on loan are aborted by HikariCP, so that
     * none holds the database open. A later checkout for the database opens a new pool.
     *
     * @return whether a pool was open
     */
    boolean evict(String store, String database) {
        Pool evicted;
        lock.lock();
        try {
            evicted = pools.remove(new Key(store, database));
        } finally {
            lock.unlock();
        }
        if (evicted != null) {
            close(evicted);
        }
        return evicted != null;
    }

    /**
     * Retires every connection of the pool of {@code database} on {@code store}, if one is open: idle ones
     * are closed now, those on loan when they come back. For a shared database whose sessions may still
     * point at a role that was just dropped (schema model with {@code resetOnReturn(false)}).
     */
    void retireConnections(String store, String database) {
        Pool pool;
        lock.lock();
        try {
            pool = pools.get(new Key(store, database));
        } finally {
            lock.unlock();
        }
        HikariPoolMXBean bean = pool == null ? null : pool.dataSource.getHikariPoolMXBean();
        if (bean != null) {
            bean.softEvictConnections();
        }
    }

    /** Returns the number of open pools. */
    int poolCount() {
        lock.lock();
        try {
            return pools.size();
        } finally {
            lock.unlock();
        }
    }

    /** Returns how many physical connections Tenantry holds open now, over all pools. */
    int openConnections() {
        return budget.inUse();
    }

    /** Returns the most connections the budget allows, over all pools of all stores. */
    int budgetLimit() {
        return budget.total();
    }

    /**
     * Returns the figures of {@code store}'s open pools, summed. The map is read under the lock, the
     * pools' figures after it, so that reading many pools never holds up a checkout.
     */
    JdbcPoolUsage usage(String store) {
        List<HikariDataSource> open = new ArrayList<>();
        lock.lock();
        try {
            for (Pool pool : pools.values()) {
                if (pool.key.store().equals(store)) {
                    open.add(pool.dataSource);
                }
            }
        } finally {
            lock.unlock();
        }
        int active = 0;
        int idle = 0;
        int total = 0;
        int pending = 0;
        int maximum = 0;
        for (HikariDataSource dataSource : open) {
            HikariPoolMXBean bean = dataSource.getHikariPoolMXBean();
            if (bean != null) {
                active += bean.getActiveConnections();
                idle += bean.getIdleConnections();
                total += bean.getTotalConnections();
                pending += bean.getThreadsAwaitingConnection();
            }
            maximum += dataSource.getMaximumPoolSize();
        }
        return new JdbcPoolUsage(store, open.size(), active, idle, total, pending, maximum);
    }

    /** Returns the pools opened since start, closed ones included. */
    int poolsCreated() {
        return created.get();
    }

    /**
     * Frees budget for {@code requester}: closes the least recently used pool that has no connection
     * on loan but some open, or else asks the least recently used pools to close their idle connections.
     *
     * @return whether anything was freed or is being freed
     */
    private boolean freeBudget(Key requester) {
        Pool victim = null;
        List<HikariPoolMXBean> withIdle = new ArrayList<>();
        lock.lock();
        try {
            for (Iterator<Pool> it = pools.values().iterator(); it.hasNext(); ) {
                Pool pool = it.next();
                if (pool.key.equals(requester)) {
                    continue;
                }
                HikariPoolMXBean bean = pool.dataSource.getHikariPoolMXBean();
                if (pool.loans == 0 && bean != null && bean.getTotalConnections() > 0) {
                    it.remove();
                    victim = pool;
                    break;
                }
                if (bean != null && bean.getIdleConnections() > 0) {
                    withIdle.add(bean);
                }
            }
        } finally {
            lock.unlock();
        }
        if (victim != null) {
            close(victim);
            return true;
        }
        withIdle.forEach(HikariPoolMXBean::softEvictConnections);
        return !withIdle.isEmpty();
    }

    private HikariDataSource open(Key key, JdbcStore store) {
        PGSimpleDataSource driver = new PGSimpleDataSource();
        driver.setURL(store.url(key.database()));
        driver.setUser(store.user());
        driver.setPassword(store.password());
        driver.setApplicationName("tenantry");
        // application_name goes in the start-up packet only from 9.0 on; sent as a SET instead, the
        // RESET ALL of every schema-model return would clear it from pg_stat_activity
        driver.setAssumeMinServerVersion("9.0");
        int connectSeconds = (int) Math.max(1, store.connectionTimeout().toSeconds());
        driver.setConnectTimeout(connectSeconds);
        driver.setLoginTimeout(connectSeconds);

        HikariConfig config = new HikariConfig();
        config.setPoolName("tenantry:" + key.store() + "/" + key.database());
        config.setDataSource(new Budgeted(driver, key, store.connectionTimeout().toMillis()));
        config.setMaximumPoolSize(Math.min(store.maximumPoolSize(), budget.total()));
        config.setMinimumIdle(0);
        config.setConnectionTimeout(store.connectionTimeout().toMillis());
        config.setIdleTimeout(store.idleTimeout().toMillis());
        config.setInitializationFailTimeout(-1);
        config.setAutoCommit(true);
        config.setScheduledExecutor(housekeeping);
        config.setThreadFactory(threads);
        created.incrementAndGet();
        return new HikariDataSource(config);
    }

    private static void close(Pool pool) {
        try {
            pool.dataSource.close();
        } catch (RuntimeException e) {
            LOG.warn("Closing pool {} failed", pool.key, e);
        }
    }

    @Override
    public void close() {
        List<Pool> all;
        lock.lock();
        try {
            closed = true;
            all = new ArrayList<>(pools.values());
            pools.clear();
        } finally {
            lock.unlock();
        }
        all.forEach(TenantPools::close);
        housekeeping.shutdownNow();
    }

    /** Snapshot of the open pools' HikariCP figures, by pool, for metrics and tests. */
    Map<Key, HikariPoolMXBean> beans() {
        Map<Key, HikariPoolMXBean> beans = new LinkedHashMap<>();
        lock.lock();
        try {
            pools.forEach((key, pool) -> {
                HikariPoolMXBean bean = pool.dataSource.getHikariPoolMXBean();
                if (bean != null) {
                    beans.put(key, bean);
                }
            });
        } finally {
            lock.unlock();
        }
        return beans;
    }

    /** The driver's data source with every new connection counted against the budget. */
    private final class Budgeted implements DataSource {
        private final PGSimpleDataSource driver;
        private final Key key;
        private final long timeoutMillis;

        Budgeted(PGSimpleDataSource driver, Key key, long timeoutMillis) {
            this.driver = driver;
            this.key = key;
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return budget.open(driver::getConnection, () -> freeBudget(key), timeoutMillis);
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new SQLFeatureNotSupportedException("Tenantry's pools log in with the store's credentials");
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return driver.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            driver.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) {
            driver.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() {
            return driver.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return driver.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("Not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
