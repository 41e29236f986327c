package io.tenantry.jdbc;

import io.tenantry.StoreUnavailableException;
import io.tenantry.TenantLifecycleException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import org.jspecify.annotations.Nullable;
import org.postgresql.core.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One physical connection on loan to one tenant, from checkout to return.
 *
 * <p>On the schema model, checkout switches the session to the tenant's role and schema in one round
 * trip ({@code SET ROLE}, {@code SET search_path}) with auto-commit on, so no later rollback can undo
 * it. Return rolls back whatever the tenant left open and, by default, resets the session to the
 * login role and the empty schema {@value JdbcNames#EMPTY_SCHEMA} in one more round trip, so an idle
 * connection in the pool points at nothing. With {@link TenantJdbc.Builder#resetOnReturn(boolean)}
 * off, a connection returned clean keeps pointing at its tenant (its {@link ServerSession} remembers
 * which): the same tenant's next checkout sends nothing, another tenant's sends
 * {@code RESET ALL} with its switch, still one round trip. A connection whose reset fails is evicted
 * from the pool, never reused. On the database model the connection is on the tenant's own database,
 * and only a transaction left open and changed settings are reset.
 *
 * <p>Not thread-safe beyond what JDBC connections are; {@link #close()} is idempotent.
 */
final class Checkout {

    private static final Logger LOG = LoggerFactory.getLogger(Checkout.class);

    final JdbcTarget target;
    final Connection connection;
    private final TenantPools pools;
    private final TenantPools.Pool pool;
    /** The server session, whatever HikariCP wraps around it per checkout. */
    private final ServerSession session;
    private boolean settingsChanged;
    private boolean closed;
    /** On the FIELD model, the rewritten statements of the tenant's shared schema. */
    @Nullable FieldStatements statements;
    /** With quotas configured, their enforcement on this checkout's writes. */
    @Nullable QuotaWrites quota;

    private Checkout(JdbcTarget target, TenantPools pools, TenantPools.Loan loan) throws SQLException {
        this.target = target;
        this.pools = pools;
        this.pool = loan.pool();
        this.connection = loan.connection();
        // the wrapper's handler itself, so that the calls below are plain calls, not proxied ones
        this.session = (ServerSession) Proxy.getInvocationHandler(connection.unwrap(ServerSession.class));
    }

    /**
     * Borrows a connection for {@code target} and switches it to the tenant.
     *
     * @throws StoreUnavailableException if the store gives no connection within its timeout
     * @throws TenantLifecycleException if the tenant's database or role does not exist (not provisioned)
     */
    static Checkout open(JdbcTarget target, JdbcStore store, TenantPools pools, FieldModel field) {
        TenantPools.Loan loan;
        try {
            loan = pools.borrow(target.store(), store, target.database());
        } catch (SQLException e) {
            throw translate(e, target, store);
        }
        Checkout checkout;
        try {
            checkout = new Checkout(target, pools, loan);
        } catch (SQLException e) {
            loan.pool().dataSource.evictConnection(loan.connection());
            pools.giveBack(loan.pool());
            throw translate(e, target, store);
        }
        try {
            checkout.switchToTenant();
        } catch (SQLException e) {
            checkout.discard();
            throw translate(e, target, store);
        }
        if (target.fieldModel()) {
            try {
                checkout.statements = field.statements(target, checkout.connection);
            } catch (SQLException | RuntimeException e) {
                checkout.close();
                throw e instanceof SQLException sql ? translate(sql, target, store) : (RuntimeException) e;
            }
        }
        return checkout;
    }

    private void switchToTenant() throws SQLException {
        StringBuilder sql = new StringBuilder();
        String wanted = target.switchSql();
        if (wanted != null) {
            String current = session.pointsAt();
            if (wanted.equals(current)) {
                // the same tenant's clean session: nothing to send
            } else if (target.tenantSql() != null && current != null
                    && (current.equals(target.role()) || target.sameSharedTables(current))) {
                // the shared tables' role and schema already: set the tenant only. Not touching search_path
                // keeps the driver's server-side prepared statements, which it drops when search_path changes.
                sql.append(target.tenantSql());
            } else {
                // a session left pointing at another tenant (no reset on return) loses that tenant's settings too
                sql.append(current == null ? "" : "RESET ALL; ").append(wanted);
            }
        }
        if (target.readOnly()) {
            sql.append(sql.length() == 0 ? "" : "; ").append("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
            settingsChanged = true;
        }
        if (sql.length() > 0) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql.toString());
            }
        }
        if (wanted != null) {
            session.pointsAt(wanted);
        }
    }

    /**
     * Whether auto-commit is off or a transaction is open (a {@code BEGIN} sent as SQL), so that what a
     * statement writes becomes visible only when the tenant commits.
     */
    boolean inTransaction() throws SQLException {
        return !connection.getAutoCommit() || session.driver().getTransactionState() != TransactionState.IDLE;
    }

    /** Whether the open transaction failed, so that PostgreSQL ignores everything until it is rolled back. */
    boolean transactionFailed() {
        return session.driver().getTransactionState() == TransactionState.FAILED;
    }

    /** Notes that the tenant changed a session setting, which return must reset. */
    void settingsChanged() {
        settingsChanged = true;
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Resets the session and returns the connection to its pool; evicts it instead if the reset fails.
     * Idempotent.
     */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            reset();
            connection.close();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Resetting a connection of tenant {} failed; evicting it", target.tenant(), e);
            discard();
        } finally {
            pools.giveBack(pool);
        }
    }

    /** Aborts the physical connection (for {@link Connection#abort}) and gives the loan back. */
    void abort(java.util.concurrent.Executor executor) throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            connection.abort(executor);
        } finally {
            pools.giveBack(pool);
        }
    }

    private void reset() throws SQLException {
        boolean dirty = settingsChanged;
        if (!connection.getAutoCommit()) {
            connection.rollback();
            connection.setAutoCommit(true);
            dirty = true;
        }
        StringBuilder sql = new StringBuilder();
        if (session.driver().getTransactionState() != TransactionState.IDLE) {
            sql.append("ROLLBACK; ");
            dirty = true;
        }
        if (target.switches()) {
            if (dirty || (pools.resetOnReturn && target.tenantSql() == null)) {
                // the reset rides one round trip anyway, so it resets every setting, noticed or not
                sql.append("RESET ALL; RESET ROLE; SET search_path TO ").append(JdbcNames.EMPTY_SCHEMA).append("; ");
                session.pointsAt(null);
            } else if (pools.resetOnReturn) {
                // FIELD: the idle session keeps the shared tables' role and schema, with no tenant, so it
                // reads and writes no row; the next checkout sets a tenant and search_path stays as it is
                sql.append("RESET ").append(FieldCatalogue.SETTING).append("; ");
                // on the shared tables' role and schema, no tenant: named by the role, which no switch equals
                session.pointsAt(target.role());
            }
        } else if (settingsChanged) {
            sql.append("RESET ALL; ");
        }
        if (sql.length() > 0) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql.substring(0, sql.length() - 2));
            }
        }
    }

    private void discard() {
        session.pointsAt(null);
        try {
            pool.dataSource.evictConnection(connection);
        } catch (RuntimeException e) {
            LOG.debug("Evicting a connection failed", e);
        }
        if (!closed) {
            closed = true;
            pools.giveBack(pool);
        }
    }

    static RuntimeException translate(SQLException e, JdbcTarget target, JdbcStore store) {
        SQLException cause = e.getCause() instanceof SQLException ? (SQLException) e.getCause() : e;
        String state = cause.getSQLState() == null ? "" : cause.getSQLState();
        if (state.equals("3D000") || state.equals("22023") || state.equals("42704") || state.equals("3F000")) {
            return new TenantLifecycleException("Tenant \"" + target.tenant() + "\" is not provisioned on store \""
                    + target.store() + "\" (" + cause.getMessage() + "): run provisioning().ensure(TenantId.of(\""
                    + target.tenant() + "\")) before its first request.");
        }
        if (e instanceof SQLTransientConnectionException || state.startsWith("08")) {
            return new StoreUnavailableException(target.store(), "PostgreSQL store \"" + target.store() + "\" ("
                    + store.serverUrl() + "), which holds the data of tenant \"" + target.tenant() + "\", gave no"
                    + " connection within " + store.connectionTimeout().toMillis() + " ms: " + cause.getMessage()
                    + " Tenants on other stores are unaffected; check the server and the store's settings.", e);
        }
        return new IllegalStateException("Could not prepare a connection of tenant \"" + target.tenant()
                + "\" on store \"" + target.store() + "\": " + e.getMessage(), e);
    }
}
