package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.tck.Trials;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Model-based: random sequences of inserts, updates, deletes, selects and counts by five tenants
 * whose ids collide under naive naming ({@code acme}, {@code acme1}, {@code acme_1}, {@code acme-1},
 * {@code b}), each step applied through Tenantry's DataSource and to a map per tenant; the step's
 * result and then every tenant's whole table are compared with the model after every step.
 */
class ModelBasedIsolationProperties {

    private static final List<TenantId> TENANTS = JdbcFixture.TENANTS;
    private static final int SEQUENCES = 300;
    private static final String[] KEYS = {"a", "b", "c", "d"};

    private static JdbcFixture schemas;
    private static JdbcFixture databases;

    @BeforeAll
    static void start() {
        schemas = JdbcFixture.schemas("model");
        databases = JdbcFixture.databases("model");
    }

    @AfterAll
    static void stop() {
        schemas.close();
        databases.close();
    }

    enum Kind { INSERT, UPDATE, DELETE, SELECT, COUNT }

    record Op(Kind kind, TenantId tenant, String key, String value) {
        @Override
        public String toString() {
            return tenant + ": " + kind + "(" + key + (kind == Kind.INSERT || kind == Kind.UPDATE ? ", " + value : "")
                    + ")";
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"schema", "database"})
    void every_tenant_sees_exactly_its_model(String model) {
        JdbcFixture f = model.equals("schema") ? schemas : databases;
        Trials.forAllLists("every tenant's table equals its model (" + model + ")",
                Math.max(SEQUENCES, Trials.defaultTries()), ModelBasedIsolationProperties::ops, ops -> {
                    try {
                        check(f, ops);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    private static List<Op> ops(SplittableRandom random) {
        int size = 1 + random.nextInt(12);
        List<Op> ops = new ArrayList<>(size);
        Kind[] kinds = Kind.values();
        for (int i = 0; i < size; i++) {
            ops.add(new Op(kinds[random.nextInt(kinds.length)], TENANTS.get(random.nextInt(TENANTS.size())),
                    KEYS[random.nextInt(KEYS.length)], "v" + random.nextInt(100)));
        }
        return ops;
    }

    private static void check(JdbcFixture f, List<Op> ops) throws SQLException {
        f.clear(TENANTS);
        Map<TenantId, TreeMap<String, String>> model = new HashMap<>();
        TENANTS.forEach(t -> model.put(t, new TreeMap<>()));
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            Object expected = expect(model.get(op.tenant()), op);
            Object actual = TenantContext.callAs(op.tenant(), () -> perform(f, op));
            assertThat(actual).as("result of step %d, %s", i + 1, op).isEqualTo(expected);
            for (TenantId tenant : TENANTS) {
                assertThat(TenantContext.callAs(tenant, () -> all(f))).as("table of %s after step %d, %s", tenant,
                        i + 1, op).isEqualTo(model.get(tenant));
            }
        }
    }

    private static Object expect(TreeMap<String, String> rows, Op op) {
        switch (op.kind()) {
            case INSERT:
                return rows.putIfAbsent(op.key(), op.value()) == null ? 1 : "duplicate";
            case UPDATE:
                return rows.replace(op.key(), op.value()) == null ? 0 : 1;
            case DELETE:
                return rows.remove(op.key()) == null ? 0 : 1;
            case SELECT:
                return String.valueOf(rows.get(op.key()));
            default:
                return (long) rows.size();
        }
    }

    private static Object perform(JdbcFixture f, Op op) throws SQLException {
        try (Connection c = f.dataSource().getConnection()) {
            switch (op.kind()) {
                case INSERT:
                    try {
                        return update(c, "INSERT INTO items (k, v) VALUES (?, ?)", op.key(), op.value());
                    } catch (SQLException e) {
                        if ("23505".equals(e.getSQLState())) {
                            return "duplicate";
                        }
                        throw e;
                    }
                case UPDATE:
                    return update(c, "UPDATE items SET v = ? WHERE k = ?", op.value(), op.key());
                case DELETE:
                    return update(c, "DELETE FROM items WHERE k = ?", op.key());
                case SELECT:
                    try (PreparedStatement p = c.prepareStatement("SELECT v FROM items WHERE k = ?")) {
                        p.setString(1, op.key());
                        try (ResultSet r = p.executeQuery()) {
                            return r.next() ? r.getString(1) : "null";
                        }
                    }
                default:
                    try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM items");
                            ResultSet r = p.executeQuery()) {
                        r.next();
                        return r.getLong(1);
                    }
            }
        }
    }

    private static int update(Connection c, String sql, String... parameters) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                p.setString(i + 1, parameters[i]);
            }
            return p.executeUpdate();
        }
    }

    private static TreeMap<String, String> all(JdbcFixture f) throws SQLException {
        TreeMap<String, String> rows = new TreeMap<>();
        try (Connection c = f.dataSource().getConnection();
                PreparedStatement p = c.prepareStatement("SELECT k, v FROM items");
                ResultSet r = p.executeQuery()) {
            while (r.next()) {
                rows.put(r.getString(1), r.getString(2));
            }
        }
        return rows;
    }
}
