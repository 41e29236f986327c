package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.IsolationViolationException;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.jdbc.DifferentialSchema.Table;
import io.tenantry.jdbc.SqlStatementGenerator.GeneratedStatement;
import io.tenantry.jdbc.SqlStatementGenerator.Kind;
import io.tenantry.tck.Trials;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Differential: random SQL over four related tenant tables and a shared reference table (joins of
 * every kind, subqueries in every clause, aggregates, windows, set operations, recursive and writable
 * CTEs, INSERT ... ON CONFLICT, UPDATE ... FROM, DELETE ... USING, MERGE; see
 * {@link SqlStatementGenerator}) runs as tenant "alpha" through Tenantry on shared tables where three
 * tenants have rows with the same keys, and as plain SQL on a database that holds only alpha's rows,
 * without the tenant column: what a tenant would have on a database of its own.
 *
 * <p>With SQL rewriting and row-level security, results, update counts and, after each write, alpha's
 * tables must be the same on both sides. With row-level security alone (SQL as written, so {@code *}
 * shows the tenant column, which the comparison leaves out), reads must be the same, and writes need
 * only stay in alpha's rows: an {@code ON CONFLICT (id)} fails there, for one, as the keys lead with
 * the tenant column. In both, the other tenants' rows and the reference table never change, and a few
 * hostile statements aim at them through the tenant column. A statement Tenantry refuses is counted,
 * not failed; one that fails on both sides must fail with the same class of error.
 *
 * <p>{@code -Dtenantry.field.statements=N} sets how many statements the class runs (default 2,100,
 * five sevenths with rewriting); {@code -Dtenantry.field.verbose=true} prints the refused statements
 * and an example of each error; {@code -Dtenantry.tck.seed} replays a failure, which {@link Trials}
 * shrinks to the statements that still fail.
 */
class FieldDifferentialProperties {

    private static final TenantId BOUND = TenantId.of(DifferentialSchema.TENANTS.get(0));
    private static final int STATEMENTS = Integer.getInteger("tenantry.field.statements", 2_100);
    private static final boolean VERBOSE = Boolean.getBoolean("tenantry.field.verbose");
    private static final int PER_TRY = 10;

    @Test
    void rewriting_with_row_security_answers_as_the_tenant_own_database_would() {
        try (Side side = new Side("fielddiff", false)) {
            Trials.forAllLists("alpha's SQL through Tenantry gives what it gives on alpha's own tables",
                    Math.max(1, STATEMENTS * 5 / 7 / PER_TRY),
                    random -> SqlStatementGenerator.sequence(random, false, PER_TRY), side::check);
            side.report("rewriting + row-level security");
        }
    }

    @Test
    void row_security_alone_reads_as_the_tenant_own_database_and_writes_stay_in_the_tenant() {
        try (Side side = new Side("fielddiffrls", true)) {
            Trials.forAllLists("alpha's SQL under row-level security alone reads alpha's rows and writes only them",
                    Math.max(1, STATEMENTS * 2 / 7 / PER_TRY),
                    random -> SqlStatementGenerator.sequence(random, true, PER_TRY), side::check);
            side.report("row-level security alone");
        }
    }

    /** What one statement did on one side: rows and their labels, an update count, an error, or a refusal. */
    record Outcome(List<String> labels, List<String> rows, int updateCount, String sqlState, String error,
            boolean refused) {

        boolean failed() {
            return error != null;
        }

        /** The SQLSTATE class, such as "23" for integrity constraint violations. */
        String errorClass() {
            return sqlState == null || sqlState.length() < 2 ? String.valueOf(sqlState) : sqlState.substring(0, 2);
        }

        @Override
        public String toString() {
            return refused ? "refused: " + error : failed() ? "error " + sqlState + ": " + error
                    : labels == null ? "update count " + updateCount : labels + " " + rows;
        }
    }

    /** The shared database behind Tenantry and the plain one, for one mode, with its tallies. */
    private static final class Side implements AutoCloseable {

        final boolean rlsAlone;
        final JdbcFixture fixture;
        final Connection shared;
        final Connection plain;
        /** The other tenants' rows and the reference table, as dumped at the start: they must stay so. */
        final Map<String, List<String>> others;
        int run;
        int equal;
        int refused;
        int bothErrored;
        int hostile;
        int writesConfined;
        int writesDiverged;
        final Map<String, Integer> refusals = new TreeMap<>();
        final Map<String, Integer> errorStates = new TreeMap<>();
        final Map<String, String> examples = new TreeMap<>();

        Side(String hint, boolean rlsAlone) {
            this.rlsAlone = rlsAlone;
            List<TenantId> tenants = DifferentialSchema.TENANTS.stream().map(TenantId::of).toList();
            this.fixture = JdbcFixture.shared(hint, tenants,
                    b -> b.sharedMigrations("classpath:db/field-diff").sqlRewriting(!rlsAlone));
            PostgresServer server = PostgresServer.get();
            String plainDatabase = server.freshDatabase(hint + "plain");
            try {
                shared = server.admin(fixture.sharedDatabase).getConnection();
                plain = server.admin(plainDatabase).getConnection();
                execute(plain, DifferentialSchema.plainSchemaSql() + ";\nSET statement_timeout = '20s'");
                reset();
                others = othersNow();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        private void reset() throws SQLException {
            execute(shared, DifferentialSchema.resetSql(DifferentialSchema.TENANTS));
            execute(plain, DifferentialSchema.resetSql(null));
        }

        /** Runs the statements in order from the tenants' starting rows, as alpha and as plain SQL. */
        void check(List<GeneratedStatement> statements) {
            try {
                reset();
                TenantContext.runAs(BOUND, () -> {
                    Connection tenant = tenantConnection();
                    try {
                        for (GeneratedStatement statement : statements) {
                            if (step(tenant, statement) && !tenant.isValid(5)) {
                                // HikariCP evicts a connection after SQLSTATE 0A000 (FOR UPDATE with GROUP BY, say),
                                // and Tenantry's isClosed() does not tell
                                tenant.close();
                                tenant = tenantConnection();
                            }
                        }
                    } finally {
                        tenant.close();
                    }
                });
                assertThat(othersNow()).as("other tenants and reference data after the statements").isEqualTo(others);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        private Connection tenantConnection() throws SQLException {
            Connection tenant = fixture.dataSource().getConnection();
            execute(tenant, "SET statement_timeout = '20s'");
            return tenant;
        }

        /** Runs one statement on both sides and checks them; returns whether it failed through Tenantry. */
        private boolean step(Connection tenant, GeneratedStatement statement) throws SQLException {
            run++;
            Outcome mine = run(tenant, statement);
            if (statement.kind() == Kind.HOSTILE) {
                hostile++;
                assertThat(mine.rows() == null ? List.of() : mine.rows()).as("%s gave %s", statement, mine)
                        .allMatch(row -> row.matches("\\[0?]"));
                assertThat(mine.updateCount()).as("%s gave %s", statement, mine).isLessThanOrEqualTo(0);
                checkState(statement, mine, null, false);
                return mine.failed();
            }
            if (mine.refused()) {
                refused++;
                String reason = mine.error().substring(mine.error().indexOf("\": ") + 3);
                refusals.merge(reason.substring(0, Math.min(100, reason.length())), 1, Integer::sum);
                examples.merge("refused", "\n      " + statement, String::concat);
                return false;
            }
            Outcome theirs = run(plain, statement);
            boolean compared = statement.kind() == Kind.READ || !rlsAlone;
            if (mine.failed() && theirs.failed()) {
                bothErrored++;
                errorStates.merge(theirs.sqlState(), 1, Integer::sum);
                examples.putIfAbsent(theirs.sqlState(), statement + "\n      " + theirs);
                if (compared) {
                    // the class only: which of two bad rows fails first (a duplicate key, a null) is the plan's choice
                    assertThat(mine.errorClass()).as("error of %s; plain: %s; Tenantry: %s", statement, theirs, mine)
                            .isEqualTo(theirs.errorClass());
                }
            } else if (compared) {
                assertThat(mine.toString()).as("outcome of %s", statement).isEqualTo(theirs.toString());
                equal++;
            }
            if (statement.kind() == Kind.WRITE) {
                if (!compared) {
                    writesConfined++;
                }
                checkState(statement, mine, theirs, compared);
            }
            return mine.failed();
        }

        /**
         * The other tenants' rows and the reference table are as they were; alpha's tables equal the plain
         * ones, or, where the write is not compared, become the plain database's rows for what follows.
         */
        private void checkState(GeneratedStatement statement, Outcome mine, Outcome theirs, boolean compared)
                throws SQLException {
            Map<String, List<String>> after = dump(shared, DifferentialSchema.dumpSql(true, null));
            List<String> alpha = after.remove(BOUND.toString());
            assertThat(after).as("other tenants and reference data after %s (Tenantry: %s)", statement, mine)
                    .isEqualTo(others);
            alpha = alpha == null ? List.of() : alpha;
            List<String> expected = dump(plain, DifferentialSchema.dumpSql(false, BOUND.toString()))
                    .getOrDefault(BOUND.toString(), List.of());
            if (compared) {
                assertThat(alpha).as("alpha's tables after %s (Tenantry: %s; plain: %s)", statement, mine, theirs)
                        .isEqualTo(expected);
            } else if (!alpha.equals(expected)) {
                writesDiverged += statement.kind() == Kind.WRITE ? 1 : 0;
                copyAlphaToPlain();
            }
        }

        /** Every row of the shared database but alpha's, by owner: "*shared" for the reference table. */
        private Map<String, List<String>> othersNow() throws SQLException {
            Map<String, List<String>> rows = dump(shared, DifferentialSchema.dumpSql(true, null));
            rows.remove(BOUND.toString());
            return rows;
        }

        private static Map<String, List<String>> dump(Connection c, String sql) throws SQLException {
            Map<String, List<String>> rows = new TreeMap<>();
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
                while (r.next()) {
                    rows.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(r.getString(2));
                }
            }
            rows.values().forEach(list -> list.sort(Comparator.naturalOrder()));
            return rows;
        }

        /** Makes the plain tables hold alpha's rows as they are on the shared tables. */
        private void copyAlphaToPlain() throws SQLException {
            List<String> rows = new ArrayList<>();
            for (Table table : DifferentialSchema.TENANT_TABLES) {
                try (PreparedStatement p = shared.prepareStatement("SELECT coalesce(json_agg(x), '[]') FROM (SELECT "
                        + table.columnList() + " FROM " + table.name() + " WHERE tenant_id = ?) x")) {
                    p.setString(1, BOUND.toString());
                    try (ResultSet r = p.executeQuery()) {
                        r.next();
                        rows.add(r.getString(1));
                    }
                }
            }
            String reset = DifferentialSchema.resetSql(null);
            execute(plain, reset.substring(0, reset.indexOf("INSERT")));
            for (int i = 0; i < rows.size(); i++) {
                Table table = DifferentialSchema.TENANT_TABLES.get(i);
                try (PreparedStatement p = plain.prepareStatement("INSERT INTO " + table.name() + " ("
                        + table.columnList() + ") SELECT " + table.columnList() + " FROM json_populate_recordset(NULL::"
                        + table.name() + ", ?::json)")) {
                    p.setString(1, rows.get(i));
                    p.executeUpdate();
                }
            }
        }

        private Outcome run(Connection c, GeneratedStatement statement) {
            try {
                Statement s;
                boolean result;
                if (statement.prepared()) {
                    PreparedStatement p = c.prepareStatement(statement.sql());
                    s = p;
                    bind(p, statement.parameters());
                    result = p.execute();
                } else {
                    s = c.createStatement();
                    result = s.execute(statement.sql());
                }
                try (s) {
                    return result ? rows(s.getResultSet(), statement.ordered())
                            : new Outcome(null, null, s.getUpdateCount(), null, null, false);
                }
            } catch (IsolationViolationException e) {
                return new Outcome(null, null, -1, null, e.getMessage(), true);
            } catch (SQLException e) {
                if (e.getCause() instanceof IsolationViolationException refusal) {
                    return new Outcome(null, null, -1, null, refusal.getMessage(), true);
                }
                return new Outcome(null, null, -1, e.getSQLState(), e.getMessage(), false);
            }
        }

        private static void bind(PreparedStatement p, List<Object> parameters) throws SQLException {
            for (int i = 0; i < parameters.size(); i++) {
                Object value = parameters.get(i);
                if (value instanceof Integer number) {
                    p.setInt(i + 1, number);
                } else if (value instanceof BigDecimal number) {
                    p.setBigDecimal(i + 1, number);
                } else {
                    p.setString(i + 1, (String) value);
                }
            }
        }

        /**
         * The rows, in order if the statement orders them totally, else sorted; without the tenant column,
         * which row-level security alone shows.
         */
        private Outcome rows(ResultSet r, boolean ordered) throws SQLException {
            ResultSetMetaData meta = r.getMetaData();
            List<Integer> kept = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                if (!rlsAlone || !meta.getColumnLabel(i).equals(DifferentialSchema.TENANT_COLUMN)) {
                    kept.add(i);
                    labels.add(meta.getColumnLabel(i));
                }
            }
            List<String> rows = new ArrayList<>();
            while (r.next()) {
                List<String> row = new ArrayList<>();
                for (int i : kept) {
                    row.add(r.getString(i));
                }
                rows.add(row.toString());
            }
            if (!ordered) {
                rows.sort(Comparator.naturalOrder());
            }
            return new Outcome(labels, rows, -1, null, null, false);
        }

        void report(String mode) {
            StringBuilder out = new StringBuilder();
            out.append(String.format("FieldDifferentialProperties, %s: %d statements, %d equal, %d refused by Tenantry,"
                    + " %d errored on both sides (SQLSTATEs %s), %d hostile and confined", mode, run, equal, refused,
                    bothErrored, errorStates, hostile));
            if (rlsAlone) {
                out.append(String.format("; %d writes checked for confinement only, %d of them left alpha's rows"
                        + " other than plain SQL would", writesConfined, writesDiverged));
            }
            refusals.forEach((reason, count) -> out.append("\n  refused ").append(count).append(" x: ").append(reason));
            if (VERBOSE) {
                examples.forEach((key, example) -> out.append("\n  ").append(key).append(":\n      ").append(example));
            }
            System.out.println(out);
        }

        @Override
        public void close() {
            try {
                shared.close();
                plain.close();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            } finally {
                fixture.close();
            }
        }

        private static void execute(Connection c, String sql) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }
    }
}
