package io.tenantry.jdbc;

import io.tenantry.IsolationViolationException;
import io.tenantry.TenantQuotas;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ConnectionBuilder;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.ShardingKeyBuilder;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The routing {@link DataSource}: each {@link #getConnection()} routes the tenant bound now to its
 * placement and hands out a connection confined to that tenant. Thread-safe; keep one for the
 * application's lifetime.
 */
final class RoutingDataSource implements DataSource {

    private final JdbcRouting routing;
    private final TenantPools pools;
    private final @Nullable TenantQuotas quotas;
    private volatile int loginTimeout;

    RoutingDataSource(JdbcRouting routing, TenantPools pools, @Nullable TenantQuotas quotas) {
        this.routing = routing;
        this.pools = pools;
        this.quotas = quotas;
    }

    /**
     * {@inheritDoc}
     *
     * @throws io.tenantry.NoTenantBoundException if no tenant is bound; nothing is sent to any server
     * @throws io.tenantry.UnknownTenantException if the tenant is not in the directory
     * @throws io.tenantry.TenantUnavailableException if the tenant is suspended or deleted
     * @throws io.tenantry.StoreUnavailableException if the tenant's store gives no connection in time
     * @throws io.tenantry.TenantLifecycleException if the tenant's schema or database is not provisioned
     */
    @Override
    public Connection getConnection() {
        JdbcTarget target = routing.current();
        Checkout checkout = Checkout.open(target, routing.store(target.store()), pools, routing.field);
        if (quotas != null) {
            checkout.quota = new QuotaWrites(quotas, routing.directory, checkout);
        }
        return TenantHandles.connection(checkout);
    }

    /** Refused: connections log in with the store's credentials, and switch to the tenant's role. */
    @Override
    public Connection getConnection(String username, String password) {
        throw new IsolationViolationException("getConnection(user, password) is refused: Tenantry's connections log in"
                + " with the store's credentials and act as the bound tenant; call getConnection().");
    }

    /** Refused, like {@link #getConnection(String, String)}: a builder could name a user or sharding key. */
    @Override
    public ConnectionBuilder createConnectionBuilder() throws SQLException {
        throw new SQLFeatureNotSupportedException("Tenantry's DataSource hands out connections with getConnection()"
                + " only, for the tenant bound when it is called.");
    }

    /** Refused: PostgreSQL has no sharding keys, and tenants are chosen by TenantContext. */
    @Override
    public ShardingKeyBuilder createShardingKeyBuilder() throws SQLException {
        throw new SQLFeatureNotSupportedException("Tenantry chooses the shard (store) from the bound tenant's"
                + " placement; sharding keys are not supported.");
    }

    /** Returns null: Tenantry logs through SLF4J. */
    @Override
    public @Nullable PrintWriter getLogWriter() {
        return null;
    }

    /** Ignored: Tenantry logs through SLF4J. */
    @Override
    public void setLogWriter(PrintWriter out) {
        // Tenantry and HikariCP log through SLF4J
    }

    /** Kept for callers that read it back; each store's connection timeout is what applies. */
    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("Tenantry logs through SLF4J");
    }

    /**
     * Returns this data source for {@code DataSource.class}; refuses everything else, the pools
     * included, which are not confined to a tenant.
     */
    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(this) && !type.getName().startsWith("io.tenantry.jdbc.")) {
            return type.cast(this);
        }
        throw new IsolationViolationException("unwrap(" + type.getName() + ") is refused: the pools behind Tenantry's"
                + " DataSource are not confined to a tenant.");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this) && !type.getName().startsWith("io.tenantry.jdbc.");
    }

    @Override
    public String toString() {
        return "TenantryRoutingDataSource(stores " + routing.stores.keySet() + ")";
    }
}
