package io.tenantry.jdbc;

import static io.tenantry.jdbc.QuotaFixture.ACME;
import static io.tenantry.jdbc.QuotaFixture.OTHER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.IsolationModel;
import io.tenantry.IsolationViolationException;
import io.tenantry.QuotaExceededException;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Quotas at write time, statement kind by statement kind, on shared tables (FIELD), a schema per tenant and a
 * database per tenant: tenant acme may hold {@value #LIMIT} items, tenant b more. Raw counts are the superuser's,
 * bypassing Tenantry.
 */
class JdbcQuotaEnforcementTest {

    private static final long LIMIT = 5;
    private static final Map<IsolationModel, QuotaFixture> FIXTURES = new EnumMap<>(IsolationModel.class);

    private static QuotaFixture on(IsolationModel model) {
        QuotaFixture quota = FIXTURES.computeIfAbsent(model, m -> QuotaFixture.of(m, LIMIT, 100));
        quota.reset();
        return quota;
    }

    @AfterAll
    static void close() {
        FIXTURES.values().forEach(QuotaFixture::close);
    }

    private static String values(String prefix, int from, int to) {
        StringBuilder rows = new StringBuilder();
        for (int i = from; i <= to; i++) {
            rows.append(i == from ? "" : ", ").append("('").append(prefix).append(i).append("', 'v')");
        }
        return "INSERT INTO items (k, v) VALUES " + rows;
    }

    private static void assertRefused(ThrowingCall call, long usage, long requested) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(QuotaExceededException.class, e -> {
            assertThat(e.quota().key()).isEqualTo(QuotaFixture.KEY);
            assertThat(e.limit()).isEqualTo(LIMIT);
            assertThat(e.usage()).isEqualTo(usage);
            assertThat(e.requested()).isEqualTo(requested);
            assertThat(e.tenant()).isEqualTo(ACME);
        });
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }

    @ParameterizedTest
    @EnumSource(IsolationModel.class)
    @DisplayName("single INSERTs pass up to the limit; the next is refused, writes nothing, and leaves other tenants free")
    void singleInsertsStopAtTheLimit(IsolationModel model) throws SQLException {
        QuotaFixture q = on(model);
        for (int i = 1; i <= LIMIT; i++) {
            assertThat(q.update(ACME, values("a", i, i))).isEqualTo(1);
        }
        assertRefused(() -> q.update(ACME, values("a", 6, 6)), LIMIT, 1);
        assertThat(q.raw(ACME)).isEqualTo(LIMIT);
        assertThat(q.counted(ACME)).hasValue(LIMIT);
        assertThat(q.update(OTHER, values("b", 1, 7))).isEqualTo(7);
        assertThat(q.raw(OTHER)).isEqualTo(7);
        assertThat(q.counted(OTHER)).hasValue(7);
    }

    @ParameterizedTest
    @EnumSource(IsolationModel.class)
    @DisplayName("multi-row VALUES, INSERT ... SELECT and executeLargeUpdate are counted exactly and all or nothing")
    void multiRowStatementsAreCountedExactly(IsolationModel model) throws SQLException {
        QuotaFixture q = on(model);
        assertThat(q.update(ACME, values("a", 1, 3))).isEqualTo(3);
        assertRefused(() -> q.update(ACME, values("a", 4, 6)), 3, 3);
        assertRefused(() -> q.update(ACME, "INSERT INTO items (k, v) SELECT 's' || g, 'v' FROM generate_series(1, 3) g"),
                3, 3);
        assertThat(q.raw(ACME)).isEqualTo(3);
        assertThat(q.update(ACME, "INSERT INTO items (k, v) SELECT 's' || g, 'v' FROM generate_series(1, 2) g"))
                .isEqualTo(2);
        assertThat(q.raw(ACME)).isEqualTo(LIMIT);
        assertThat(q.counted(ACME)).hasValue(LIMIT);
    }

    @ParameterizedTest
    @EnumSource(IsolationModel.class)
    @DisplayName("a prepared batch and a statement batch keep exact counts, and a batch that does not fit writes nothing")
    void batchesKeepExactCounts(IsolationModel model) throws SQLException {
        QuotaFixture q = on(model);
        int[] done = q.as(ACME, c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO items (k, v) VALUES (?, ?)")) {
                for (int i = 1; i <= 3; i++) {
                    p.setString(1, "p" + i);
                    p.setString(2, "v");
                    p.addBatch();
                }
                return p.executeBatch();
            }
        });
        assertThat(done).containsExactly(1, 1, 1);
        assertThat(q.counted(ACME)).hasValue(3);
        assertRefused(() -> q.as(ACME, c -> {
            try (Statement s = c.createStatement()) {
                s.addBatch(values("s", 1, 1));
                s.addBatch("DELETE FROM items WHERE k = 'p1'");
                s.addBatch(values("s", 2, 4));
                return s.executeBatch();
            }
        }), 3, 3);
        assertThat(q.raw(ACME)).isEqualTo(3);
        long one = q.as(ACME, c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO items (k, v) VALUES (?, 'v')")) {
                p.setString(1, "large");
                return p.executeLargeUpdate();
            }
        });
        assertThat(one).isEqualTo(1);
        assertThat(q.raw(ACME)).isEqualTo(4);
        assertThat(q.counted(ACME)).hasValue(4);
    }

    @ParameterizedTest
    @EnumSource(IsolationModel.class)
    @DisplayName("ON CONFLICT DO NOTHING and DO UPDATE count only the rows they insert, so an upsert at the limit may update")
    void upsertsCountOnlyInsertedRows(IsolationModel model) throws SQLException {
        QuotaFixture q = on(model);
        q.update(ACME, values("a", 1, 4));
        assertThat(q.update(ACME, values("a", 3, 5) + " ON CONFLICT (k) DO NOTHING")).isEqualTo(1);
        assertThat(q.counted(ACME)).hasValue(LIMIT);
        assertThat(q.update(ACME, values("a", 1, 5) + " ON CONFLICT (k) DO UPDATE SET v = 'w'")).isEqualTo(5);
        assertThat(q.counted(ACME)).hasValue(LIMIT);
        assertRefused(() -> q.update(ACME, values("a", 5, 6) + " ON CONFLICT (k) DO UPDATE SET v = 'x'"), LIMIT, 1);
        assertThat(q.fixture.itemsOf(ACME)).containsExactly("a1=w", "a2=w", "a3=w", "a4=w", "a5=w");
    }

    @ParameterizedTest
    @EnumSource(IsolationModel.class)
    @DisplayName("writing WITH queries, INSERT ... RETURNING through executeQuery and MERGE are counted, never bypass")
    void writingQueriesAreCounted(IsolationModel model) throws SQLException {
        QuotaFixture q = on(model);
        long inserted = q.as(ACME, c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("WITH x AS (" + values("w", 1, 2)
                    + " RETURNING k) SELECT count(*) FROM x")) {
                r.next();
                return r.getLong(1);
            }
        });
        assertThat(inserted).isEqualTo(2);
        assertThat(q.counted(ACME)).hasValue(2);
        String returned = q.as(ACME, c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(values("r", 1, 1) + " RETURNING k")) {
                r.next();
                return r.getString(1);
            }
        });
        assertThat(returned).isEqualTo("r1");
        assertThat(q.counted(ACME)).hasValue(3);
        String merge = "MERGE INTO items t USING (SELECT 'm' || g AS k FROM generate_series(1, %d) g) s ON t.k = s.k"
                + " WHEN NOT MATCHED THEN INSERT (k, v) VALUES (s.k, 'v')";
        assertRefused(() -> q.update(ACME, merge.formatted(3)), 3, 3);
        assertRefused(() -> q.as(ACME, c -> {
            try (Statement s = c.createStatement()) {
                return s.execute("WITH x AS (" + values("w", 3, 5) + " RETURNING k) SELECT count(*) FROM x");
            }
        }), 3, 3);
        assertThat(q.raw(ACME)).isEqualTo(3);
        assertThat(q.update(ACME, merge.formatted(2))).isEqualTo(2);
        assertThat(q.raw(ACME)).isEqualTo(LIMIT);
        assertThat(q.counted(ACME)).hasValue(LIMIT);
        assertThatThrownBy(() -> q.update(ACME, "COPY items FROM STDIN")).isInstanceOf(IsolationViolationException.class);
    }

    @ParameterizedTest
    @EnumSource(IsolationModel.class)
    @DisplayName("deletes give their rows back once committed, not while their transaction may still roll back")
    void deletesGiveBackOnCommit(IsolationModel model) throws SQLException {
        QuotaFixture q = on(model);
        q.update(ACME, values("a", 1, 5));
        assertThat(q.update(ACME, "DELETE FROM items WHERE k IN ('a1', 'a2')")).isEqualTo(2);
        assertThat(q.counted(ACME)).hasValue(3);
        q.as(ACME, c -> {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM items WHERE k = 'a3'");
                assertThat(q.counted(ACME)).hasValue(3);
                c.rollback();
                s.executeUpdate("DELETE FROM items WHERE k = 'a4'");
                c.commit();
            }
            return null;
        });
        assertThat(q.counted(ACME)).hasValue(2);
        assertThat(q.raw(ACME)).isEqualTo(2);
        q.as(ACME, c -> {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM items WHERE k = 'a5'");
                assertThatThrownBy(() -> s.executeQuery("SELECT 1 / 0")).isInstanceOf(SQLException.class);
                try {
                    c.commit();
                } catch (SQLException e) {
                    // pgjdbc refuses to report a commit that PostgreSQL turned into a rollback: either way, undone
                }
                s.executeUpdate("UPDATE items SET v = 'after'");
                c.commit();
            }
            return null;
        });
        assertThat(q.raw(ACME)).isEqualTo(2);
        assertThat(q.counted(ACME)).as("a delete of a failed transaction gives nothing back").hasValue(2);
        assertThat(q.update(ACME, values("a", 6, 8))).isEqualTo(3);
        assertThat(q.raw(ACME)).isEqualTo(LIMIT);
        assertThat(q.counted(ACME)).hasValue(LIMIT);
    }

    @ParameterizedTest
    @EnumSource(value = IsolationModel.class, names = {"COLLECTION", "DATABASE"})
    @DisplayName("TRUNCATE brings the count to zero when it commits, not before (the FIELD model refuses it)")
    void truncateEmptiesTheCount(IsolationModel model) throws SQLException {
        QuotaFixture q = on(model);
        q.update(ACME, values("a", 1, 5));
        q.as(ACME, c -> {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("TRUNCATE items");
                assertRefused(() -> s.executeUpdate(values("t", 1, 2)), LIMIT, 2);
                assertThat(q.counted(ACME)).hasValue(LIMIT);
                c.commit();
            }
            return null;
        });
        assertThat(q.counted(ACME)).hasValue(0);
        q.update(ACME, values("t", 1, 2));
        assertThat(q.counted(ACME)).hasValue(2);
        q.update(ACME, "TRUNCATE TABLE ONLY items");
        assertThat(q.counted(ACME)).hasValue(0);
        q.update(ACME, values("a", 1, 5));
        assertThat(q.raw(ACME)).isEqualTo(LIMIT);
        assertThat(q.counted(ACME)).hasValue(LIMIT);
    }

    @ParameterizedTest
    @EnumSource(IsolationModel.class)
    @DisplayName("a refusal inside a transaction undoes only the refused statement; a rollback leaves the count high until reconciled")
    void transactionsErrOnRefusingUntilReconciled(IsolationModel model) throws SQLException {
        QuotaFixture q = on(model);
        q.as(ACME, c -> {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate(values("a", 1, 3));
                assertRefused(() -> s.executeUpdate(values("a", 4, 6)), 3, 3);
                s.executeUpdate(values("b", 1, 1));
                c.commit();
            }
            return null;
        });
        assertThat(q.fixture.itemsOf(ACME)).containsExactly("a1=v", "a2=v", "a3=v", "b1=v");
        assertThat(q.counted(ACME)).hasValue(4);
        q.as(ACME, c -> {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate(values("c", 1, 1));
                c.rollback();
            }
            return null;
        });
        assertThat(q.raw(ACME)).isEqualTo(4);
        assertThat(q.counted(ACME)).hasValue(LIMIT);
        assertRefused(() -> q.update(ACME, values("d", 1, 1)), LIMIT, 1);
        q.reconcile(ACME);
        assertThat(q.counted(ACME)).hasValue(4);
        assertThat(q.update(ACME, values("d", 1, 1))).isEqualTo(1);
        assertThat(q.raw(ACME)).isEqualTo(LIMIT);
    }

    @ParameterizedTest
    @EnumSource(IsolationModel.class)
    @DisplayName("the table is known however the tenant names it: quoted, or qualified with its own schema")
    void namesAsTheTenantWritesThem(IsolationModel model) throws SQLException {
        QuotaFixture q = on(model);
        String schema = model == IsolationModel.COLLECTION
                ? JdbcNames.quote(q.fixture.jdbc.schemaName(ACME).orElseThrow()) : "public";
        q.update(ACME, values("a", 1, 2).replace("INTO items", "INTO \"items\""));
        q.update(ACME, values("a", 3, 4).replace("INTO items", "INTO " + schema + ".items"));
        q.update(ACME, values("a", 5, 5).replace("INTO items", "INTO " + schema + ".\"items\""));
        assertRefused(() -> q.update(ACME, values("a", 6, 6).replace("INTO items", "INTO " + schema + ".items")),
                LIMIT, 1);
        assertThat(q.raw(ACME)).isEqualTo(LIMIT);
        assertThat(q.counted(ACME)).hasValue(LIMIT);
    }

    @ParameterizedTest
    @EnumSource(IsolationModel.class)
    @DisplayName("the first write under a quota counts the store once, without its own rows twice")
    void theFirstWriteCountsTheStore(IsolationModel model) throws SQLException {
        QuotaFixture q = on(model);
        q.fixture.asAdmin(ACME, values("x", 1, 3));
        assertThat(q.counted(ACME)).isEmpty();
        q.as(ACME, c -> {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate(values("a", 1, 1));
            }
            c.commit();
            return null;
        });
        assertThat(q.counted(ACME)).hasValue(4);
        assertRefused(() -> q.update(ACME, values("a", 2, 3)), 4, 2);
        assertThat(q.raw(ACME)).isEqualTo(4);
        assertThat(q.counted(OTHER)).isEmpty();
    }

    @Test
    @DisplayName("erasing a deleted tenant forgets its counts; erasing a tenant still in the directory (a move's source) keeps them")
    void erasingADeletedTenantForgetsItsCounts() throws SQLException {
        QuotaFixture q = on(IsolationModel.FIELD);
        q.update(OTHER, values("b", 1, 2));
        q.fixture.jdbc.dataStore().erase(OTHER, q.fixture.placement);
        assertThat(q.counted(OTHER)).hasValue(2);
        TenantDirectory directory = q.fixture.directory;
        directory.update(directory.require(OTHER).toBuilder().status(TenantStatus.DELETED).build());
        try {
            q.fixture.jdbc.dataStore().erase(OTHER, q.fixture.placement);
            assertThat(q.counted(OTHER)).isEmpty();
        } finally {
            directory.update(directory.require(OTHER).toBuilder().status(TenantStatus.ACTIVE).build());
        }
    }
}
