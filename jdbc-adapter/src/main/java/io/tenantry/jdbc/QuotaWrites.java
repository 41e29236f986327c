package io.tenantry.jdbc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tenantry.Quota;
import io.tenantry.QuotaExceededException;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantQuotas;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces the tenant's {@link TenantQuotas} on one checkout: every statement that may add rows to a table under
 * a quota runs inside a savepoint (in the caller's transaction) or a transaction of its own (in auto-commit mode),
 * then reserves exactly the rows it added; if the reservation is refused, the savepoint or transaction is rolled
 * back and the {@link QuotaExceededException} thrown, so the rows never become visible. Rows become visible
 * only on commit, after their reservation, so concurrent writers never take the committed rows past a limit.
 *
 * <p>What a statement added: its update count for a plain {@code INSERT} (also {@code ON CONFLICT DO NOTHING});
 * otherwise ({@code ON CONFLICT DO UPDATE}, whose count adds updated rows to inserted ones, {@code MERGE},
 * {@code RETURNING}, writing {@code WITH} queries, {@code CREATE TABLE ... AS}, batches) PostgreSQL's own count of
 * the rows the transaction inserted into and deleted from the table and its partitions
 * ({@code pg_stat_get_xact_tuples_inserted}), read before and after the statement in the same transaction.
 * Rows a statement removed ({@code DELETE}, {@code MERGE}) and tables it emptied ({@code TRUNCATE},
 * {@code DROP TABLE}) are given back once its transaction commits, never before: a delete rolled back later
 * would otherwise leave room for rows the limit does not have.
 *
 * <p>The tenant's quotas are looked up for each statement that names a written table; statements that name none
 * (reads) cost one cache lookup of their text. Not thread-safe, like the connection it serves.
 */
final class QuotaWrites {

    private static final Logger LOG = LoggerFactory.getLogger(QuotaWrites.class);

    private static final Cache<String, RowChanges> CHANGES = Caffeine.newBuilder().maximumSize(10_000).build();

    private static final String SAVEPOINT = "tenantry_quota";

    /**
     * Rows inserted minus rows deleted by this transaction, per named table, its partitions included
     * ({@code pg_partition_tree} lists nothing for a table that is not partitioned, hence the table itself too).
     */
    private static final String NET_ROWS = "SELECT coalesce(sum(pg_catalog.pg_stat_get_xact_tuples_inserted(p.relid)"
            + " - pg_catalog.pg_stat_get_xact_tuples_deleted(p.relid)), 0) FROM unnest(?::text[]) WITH ORDINALITY"
            + " AS t(name, n) LEFT JOIN LATERAL (SELECT pg_catalog.to_regclass(t.name) AS relid UNION SELECT tree.relid"
            + " FROM pg_catalog.pg_partition_tree(pg_catalog.to_regclass(t.name)) tree) p ON true"
            + " GROUP BY t.n ORDER BY t.n";

    /** A driver call that runs the statement; returns what the JDBC method returns. */
    @FunctionalInterface
    interface Call {
        @Nullable Object run() throws Throwable;
    }

    private final TenantQuotas quotas;
    private final TenantDirectory directory;
    private final Checkout checkout;
    private final TenantId tenant;
    /** The schema of the tenant's tables: names qualified with another schema are not the tenant's tables. */
    private final String ownSchema;
    /** Rows removed and tables emptied in the open transaction, given back when it commits. */
    private final List<Runnable> onCommit = new ArrayList<>();

    QuotaWrites(TenantQuotas quotas, TenantDirectory directory, Checkout checkout) {
        this.quotas = quotas;
        this.directory = directory;
        this.checkout = checkout;
        this.tenant = checkout.target.tenant();
        this.ownSchema = checkout.target.schema() != null ? checkout.target.schema() : "public";
    }

    /**
     * Runs {@code call}, which executes {@code sqls} (one statement, or a {@link Statement}'s batch) on
     * {@code statement}, under the tenant's quotas.
     *
     * @param batch whether the call is {@code executeBatch} or {@code executeLargeBatch}
     * @param rows whether the call is {@code executeQuery}, which returns rows instead of an update count
     * @throws QuotaExceededException if the statement would take the tenant past a quota; nothing was written
     */
    @Nullable Object execute(List<String> sqls, Statement statement, boolean batch, boolean rows, Call call)
            throws Throwable {
        List<RowChanges> changes = new ArrayList<>(sqls.size());
        boolean none = true;
        RowChanges.Ending ending = RowChanges.Ending.NONE;
        for (String sql : sqls) {
            RowChanges change = CHANGES.get(sql, RowChanges::of);
            changes.add(change);
            none &= change.none();
            ending = change.ending != RowChanges.Ending.NONE ? change.ending : ending;
        }
        if (none) {
            return call.run();
        }
        if (ending != RowChanges.Ending.NONE && sqls.size() == 1) {
            if (ending == RowChanges.Ending.COMMIT) {
                return commit(call);
            }
            Object result = call.run();
            rolledBack();
            return result;
        }
        Map<String, Quota> inForce = quotas.quotasOf(directory.require(tenant));
        if (inForce.isEmpty()) {
            return call.run();
        }
        boolean bytes = inForce.containsKey(Quota.Kind.BYTES.label());
        Set<String> added = new LinkedHashSet<>();
        Set<String> removed = new LinkedHashSet<>();
        Set<String> emptied = new LinkedHashSet<>();
        for (RowChanges change : changes) {
            change.added.stream().map(this::own).filter(t -> t != null && (bytes || items(inForce, t)))
                    .forEach(added::add);
            change.removed.stream().map(this::own).filter(t -> t != null && items(inForce, t)).forEach(removed::add);
            change.emptied.stream().map(this::own).filter(t -> t != null && items(inForce, t)).forEach(emptied::add);
        }
        if (added.isEmpty() && removed.isEmpty() && emptied.isEmpty()) {
            return call.run();
        }
        if (ending != RowChanges.Ending.NONE) {
            throw new IllegalArgumentException("A batch that ends the transaction cannot be checked against the"
                    + " quotas of tenant \"" + tenant + "\": send COMMIT or ROLLBACK on its own, after executeBatch.");
        }
        boolean counted = sqls.size() == 1 && changes.get(0).counted && !batch && !rows;
        if (counted && added.isEmpty() && emptied.isEmpty()) {
            return removeCounted(removed.iterator().next(), statement, call);
        }
        return guarded(new ArrayList<>(added), new ArrayList<>(removed), new ArrayList<>(emptied), counted,
                statement, call);
    }

    /** A plain DELETE: nothing to check, its count given back once committed. */
    private @Nullable Object removeCounted(String table, Statement statement, Call call) throws Throwable {
        boolean inTransaction = checkout.inTransaction();
        Object result = call.run();
        long count = updateCount(result, statement);
        onCommit.add(() -> quotas.removed(tenant, table, count));
        if (!inTransaction) {
            committed();
        }
        return result;
    }

    private @Nullable Object guarded(List<String> added, List<String> removed, List<String> emptied, boolean counted,
            Statement statement, Call call) throws Throwable {
        Connection c = checkout.connection;
        boolean own = !checkout.inTransaction();
        List<String> measured = new ArrayList<>(added);
        removed.stream().filter(t -> !measured.contains(t)).forEach(measured::add);
        if (own) {
            c.setAutoCommit(false);
        } else {
            run("SAVEPOINT " + SAVEPOINT);
        }
        List<TenantQuotas.Reservation> reservations = new ArrayList<>();
        List<Runnable> giveBacks = new ArrayList<>();
        try {
            Object result;
            try {
                long[] before = counted ? new long[0] : netRows(measured);
                try {
                    result = call.run();
                } catch (Throwable e) {
                    undo(own, false, e);
                    throw new StatementFailed(e);
                }
                Map<String, Long> net = net(measured, before, counted, added.isEmpty(), result, statement);
                for (Map.Entry<String, Long> table : net.entrySet()) {
                    long rows = table.getValue();
                    if (rows > 0) {
                        reservations.add(quotas.reserve(tenant, table.getKey(), rows, 0,
                                () -> Math.max(0, count(table.getKey()) - rows)));
                    } else if (rows < 0) {
                        giveBacks.add(() -> quotas.removed(tenant, table.getKey(), -rows));
                    }
                }
                for (String table : emptied) {
                    String key = Quota.key(Quota.Kind.ITEMS, table);
                    long held = quotas.ledger().get(tenant, key).orElse(0);
                    giveBacks.add(() -> quotas.ledger().add(tenant, key, -held));
                }
                if (own) {
                    c.commit();
                } else {
                    run("RELEASE SAVEPOINT " + SAVEPOINT);
                }
            } catch (Throwable e) {
                // refused, or the ledger, the count or the commit failed: what the statement wrote must not stay
                reservations.forEach(TenantQuotas.Reservation::cancel);
                if (!(e instanceof StatementFailed)) {
                    undo(own, true, e);
                }
                throw e instanceof StatementFailed failed ? failed.getCause() : e;
            }
            onCommit.addAll(giveBacks);
            if (own) {
                committed();
            }
            reservations.forEach(r -> r.settle(r.items()));
            return result;
        } finally {
            if (own) {
                c.setAutoCommit(true);
            }
        }
    }

    /** The rows the statement added to (or, negative, removed from) each of {@code measured}. */
    private Map<String, Long> net(List<String> measured, long[] before, boolean counted, boolean removes,
            @Nullable Object result, Statement statement) throws SQLException {
        Map<String, Long> net = new LinkedHashMap<>();
        if (counted) {
            long count = updateCount(result, statement);
            net.put(measured.get(0), removes ? -count : count);
        } else {
            long[] after = netRows(measured);
            for (int i = 0; i < measured.size(); i++) {
                net.put(measured.get(i), after[i] - before[i]);
            }
        }
        return net;
    }

    /**
     * Undoes what the statement wrote: the transaction of its own, or back to the savepoint. A caller's
     * transaction that the statement's own error aborted is left aborted, as it would be without quotas.
     */
    private void undo(boolean own, boolean refused, Throwable cause) {
        try {
            if (own) {
                checkout.connection.rollback();
            } else if (refused || !checkout.transactionFailed()) {
                run("ROLLBACK TO SAVEPOINT " + SAVEPOINT + "; RELEASE SAVEPOINT " + SAVEPOINT);
            }
        } catch (SQLException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /**
     * Runs {@code call}, which commits the tenant's transaction, and then gives back what it removed and emptied;
     * a commit that fails, or that PostgreSQL turns into a rollback (the transaction had failed), gives back
     * nothing.
     */
    @Nullable Object commit(Call call) throws Throwable {
        boolean failed = checkout.transactionFailed();
        Object result;
        try {
            result = call.run();
        } catch (Throwable e) {
            rolledBack();
            throw e;
        }
        if (failed) {
            rolledBack();
        } else {
            committed();
        }
        return result;
    }

    /** The transaction committed: what it removed and emptied is given back. */
    private void committed() {
        List<Runnable> pending = List.copyOf(onCommit);
        onCommit.clear();
        for (Runnable giveBack : pending) {
            try {
                giveBack.run();
            } catch (RuntimeException e) {
                // the count stays high, which refuses early, until the next reconciliation
                LOG.warn("Tenant {}: giving back removed rows to the quota ledger failed: {}", tenant, e.toString());
            }
        }
    }

    /** The transaction, or part of it, rolled back: nothing it removed is given back, which errs on refusing. */
    void rolledBack() {
        onCommit.clear();
    }

    /** The logical name of {@code name} if it is one of the tenant's own tables, else null. */
    private @Nullable String own(RowChanges.Name name) {
        return name.schema() == null || name.schema().equals(ownSchema) ? name.table() : null;
    }

    private static boolean items(Map<String, Quota> inForce, String table) {
        return inForce.containsKey(Quota.key(Quota.Kind.ITEMS, table));
    }

    private static long updateCount(@Nullable Object result, Statement statement) throws SQLException {
        if (result instanceof Integer count) {
            return count;
        }
        if (result instanceof Long count) {
            return count;
        }
        if (Boolean.FALSE.equals(result)) {
            return Math.max(0, statement.getLargeUpdateCount());
        }
        throw new IllegalStateException("The driver returned rows where an update count was expected: " + result);
    }

    /** Returns the net rows this transaction added to each of {@code tables}, in order. */
    private long[] netRows(List<String> tables) throws SQLException {
        long[] net = new long[tables.size()];
        String[] names = tables.stream().map(t -> JdbcNames.quote(ownSchema) + "." + JdbcNames.quote(t))
                .toArray(String[]::new);
        try (PreparedStatement p = checkout.connection.prepareStatement(NET_ROWS)) {
            p.setArray(1, checkout.connection.createArrayOf("text", names));
            try (ResultSet r = p.executeQuery()) {
                for (int i = 0; i < net.length && r.next(); i++) {
                    net[i] = r.getLong(1);
                }
            }
        }
        return net;
    }

    /** Counts the tenant's rows of {@code table}, in the statement's transaction, to start the quota's count. */
    private long count(String table) {
        String sql = "SELECT count(*) FROM " + JdbcNames.quote(ownSchema) + "." + JdbcNames.quote(table);
        FieldStatements field = checkout.statements;
        if (field != null) {
            sql = field.rewrite("SELECT count(*) FROM " + JdbcNames.quote(table)).sql();
        }
        try (Statement s = checkout.connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Counting the rows of table " + table + " of tenant \"" + tenant
                    + "\" to start its quota failed: " + e.getMessage(), e);
        }
    }

    /** The tenant's statement itself failed, and what it left was undone already; carries its exception. */
    private static final class StatementFailed extends Exception {

        private static final long serialVersionUID = 1L;

        StatementFailed(Throwable cause) {
            super(cause);
        }
    }

    private void run(String sql) throws SQLException {
        try (Statement s = checkout.connection.createStatement()) {
            s.execute(sql);
        }
    }
}
