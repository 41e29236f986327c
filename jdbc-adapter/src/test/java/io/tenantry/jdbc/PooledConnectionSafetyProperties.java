package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.tck.Trials;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random interleavings of checkouts by different tenants on a pool of two connections, many of them
 * returned dirty (an open or failed transaction, a changed setting, a transaction begun in SQL text),
 * with statements server-prepared from their first use: every statement still runs as its own tenant,
 * in its own schema or database, with default settings, and nothing a dirty connection did survives.
 */
class PooledConnectionSafetyProperties {

    private static final List<TenantId> TENANTS = JdbcFixture.TENANTS.subList(0, 4);
    private static JdbcFixture schemas;
    private static JdbcFixture lazySchemas;
    private static JdbcFixture databases;
    private static JdbcFixture shared;
    private static JdbcFixture lazyShared;

    @BeforeAll
    static void start() {
        JdbcStore twoConnections = JdbcStore.builder(PostgresServer.get().serverUrl() + "?prepareThreshold=1")
                .credentials(PostgresServer.APP_USER, PostgresServer.APP_PASSWORD).maximumPoolSize(2).build();
        schemas = JdbcFixture.schemas("pooled", TENANTS, b -> b.connectionBudget(2), twoConnections);
        lazySchemas = JdbcFixture.schemas("pooledlazy", TENANTS, b -> b.connectionBudget(2).resetOnReturn(false),
                twoConnections);
        databases = JdbcFixture.databases("pooled", TENANTS, b -> b.connectionBudget(2), twoConnections);
        shared = JdbcFixture.shared("pooled", TENANTS, b -> b.connectionBudget(2), twoConnections);
        lazyShared = JdbcFixture.shared("pooledlazy", TENANTS, b -> b.connectionBudget(2).resetOnReturn(false),
                twoConnections);
        for (JdbcFixture f : List.of(schemas, lazySchemas, databases, shared, lazyShared)) {
            for (TenantId tenant : TENANTS) {
                // as the tenant's role (and, on shared tables, with its setting): its own rows only
                f.asAdmin(tenant, "DELETE FROM items; INSERT INTO items (k, v) VALUES ('marker', '" + tenant + "')");
            }
        }
    }

    @AfterAll
    static void stop() {
        schemas.close();
        lazySchemas.close();
        databases.close();
        shared.close();
        lazyShared.close();
    }

    /** What a step does with one of the (at most two) connections held. */
    enum Action { OPEN, CHECK, OPEN_TRANSACTION, FAILED_TRANSACTION, CHANGE_SETTING, BEGIN_IN_SQL, CLIENT_INFO, CLOSE }

    record Step(Action action, int tenant, int slot) {
        @Override
        public String toString() {
            return action + (action == Action.OPEN ? "(" + TENANTS.get(tenant) + ")" : "") + " on slot " + slot;
        }
    }

    /** A connection held between steps, and whether it changed a setting itself during this checkout. */
    private static final class Held {
        final TenantId tenant;
        final Connection connection;
        boolean changedSetting;

        Held(TenantId tenant, Connection connection) {
            this.tenant = tenant;
            this.connection = connection;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"schema", "schema, no reset on return", "database", "shared tables",
        "shared tables, no reset on return"})
    void checkouts_never_see_another_tenants_session(String model) {
        JdbcFixture f = switch (model) {
            case "schema" -> schemas;
            case "database" -> databases;
            case "shared tables" -> shared;
            case "shared tables, no reset on return" -> lazyShared;
            default -> lazySchemas;
        };
        // half the default tries per setting: three settings, every step a round trip or two
        Trials.forAllLists("pooled connections never cross tenants (" + model + ")",
                Math.max(1, Trials.defaultTries() / 2), PooledConnectionSafetyProperties::steps, steps -> run(f, steps));
    }

    private static List<Step> steps(SplittableRandom random) {
        int size = 5 + random.nextInt(40);
        List<Step> steps = new ArrayList<>(size);
        Action[] actions = Action.values();
        for (int i = 0; i < size; i++) {
            Action action = random.nextInt(4) == 0 ? Action.OPEN : actions[random.nextInt(actions.length)];
            steps.add(new Step(action, random.nextInt(TENANTS.size()), random.nextInt(2)));
        }
        return steps;
    }

    private static void run(JdbcFixture f, List<Step> steps) {
        Held[] slots = new Held[2];
        try {
            for (Step step : steps) {
                apply(f, step, slots);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } finally {
            for (int i = 0; i < slots.length; i++) {
                try {
                    close(slots[i]);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                slots[i] = null;
            }
        }
        for (TenantId tenant : TENANTS) {
            assertThat(f.itemsOf(tenant)).as("rows of %s after the sequence (dirty work must be rolled back)", tenant)
                    .containsExactly("marker=" + tenant);
        }
    }

    private static void apply(JdbcFixture f, Step step, Held[] slots) throws SQLException {
        Held held = slots[step.slot()];
        if (step.action() == Action.OPEN) {
            if (held == null) {
                TenantId tenant = TENANTS.get(step.tenant());
                held = new Held(tenant, TenantContext.callAs(tenant, () -> f.dataSource().getConnection()));
                slots[step.slot()] = held;
                check(f, held);
            }
            return;
        }
        if (held == null) {
            return;
        }
        Held h = held;
        TenantContext.runAs(h.tenant, () -> {
            try {
                act(f, step, slots, h);
            } catch (SQLException e) {
                if (!"25P02".equals(e.getSQLState())) {
                    throw e;
                }
                // the connection is in a failed transaction, which ignores everything until it ends
            }
        });
    }

    private static void act(JdbcFixture f, Step step, Held[] slots, Held h) throws SQLException {
        Connection c = h.connection;
        switch (step.action()) {
            case CHECK:
                check(f, h);
                break;
            case OPEN_TRANSACTION:
                c.setAutoCommit(false);
                execute(c, "INSERT INTO items VALUES ('dirty-" + System.nanoTime() + "', 'x')");
                break;
            case FAILED_TRANSACTION:
                c.setAutoCommit(false);
                try {
                    execute(c, "SELECT 1 / 0");
                } catch (SQLException expected) {
                    // the transaction is now failed, and stays so until rolled back
                }
                break;
            case CHANGE_SETTING:
                execute(c, "SET statement_timeout = 98765");
                h.changedSetting = true;
                break;
            case BEGIN_IN_SQL:
                if (c.getAutoCommit()) {
                    execute(c, "BEGIN");
                    execute(c, "INSERT INTO items VALUES ('begun-" + System.nanoTime() + "', 'x')");
                }
                break;
            case CLIENT_INFO:
                c.setClientInfo("ApplicationName", "dirty-" + h.tenant);
                break;
            case CLOSE:
                close(h);
                slots[step.slot()] = null;
                break;
            default:
                throw new IllegalStateException(step.toString());
        }
    }

    /** The session is the tenant's: role, schema or database, its own rows, and no setting left by anyone else. */
    private static void check(JdbcFixture f, Held h) throws SQLException {
        TenantContext.runAs(h.tenant, () -> {
            JdbcTarget target = f.targetOf(h.tenant);
            try (PreparedStatement p = h.connection.prepareStatement("SELECT current_user, current_database(),"
                    + " current_setting('search_path'), current_setting('statement_timeout'),"
                    + " current_setting('application_name'), (SELECT v FROM items WHERE k = ?)")) {
                p.setString(1, "marker");
                try (ResultSet r = p.executeQuery()) {
                    if (!r.next()) {
                        throw new AssertionError("no row");
                    }
                    assertThat(r.getString(2)).as("database of %s", h.tenant).isEqualTo(target.database());
                    assertThat(r.getString(6)).as("marker row seen by %s", h.tenant).isEqualTo(h.tenant.value());
                    if (target.schemaModel()) {
                        assertThat(r.getString(1)).as("role of %s", h.tenant).isEqualTo(target.role());
                        assertThat(r.getString(3)).as("search_path of %s", h.tenant)
                                .isIn(target.schema(), JdbcNames.quote(target.schema()));
                    }
                    if (!h.changedSetting) {
                        assertThat(r.getString(4)).as("statement_timeout seen by %s", h.tenant).isEqualTo("0");
                    }
                }
            } catch (SQLException e) {
                if (failedTransaction(h.connection) == null) {
                    throw e;
                }
            }
        });
    }

    private static @Nullable String failedTransaction(Connection c) {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT 1")) {
            return null;
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void close(@Nullable Held held) throws SQLException {
        if (held != null) {
            TenantContext.runAs(held.tenant, held.connection::close);
        }
    }
}
