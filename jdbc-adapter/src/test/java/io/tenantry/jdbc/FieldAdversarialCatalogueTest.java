package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tenantry.IsolationViolationException;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycleException;
import io.tenantry.TenantRouter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Part 2 of the adversarial catalogue: named attempts by tenant {@code acme} on the FIELD model, where it
 * shares tables with {@code acme1} (whose id starts with the attacker's) and {@code acme_1}, to read,
 * change or learn of their rows, or to move its session to another tenant. Each attempt runs with both
 * walls (SQL rewriting and row-level security) and with row-level security alone, and asserts its exact
 * outcome in each: refused by Tenantry before anything is sent, with a message that says why; refused by
 * PostgreSQL, with its SQLState; or run on the attacker's own rows, returning exactly the rows given and
 * leaving exactly the attacker's rows given. After every attempt, the other tenants' rows, the shared
 * table and the shared sequence are checked unchanged through a superuser connection, and the
 * attacker's next connection is checked to be an ordinary one.
 *
 * <p>Every attempt starts from the same rows: each tenant has an item {@code secret}; the attacker and
 * the victim each have a note {@code n1} on it; only the attacker has the item {@code own}; only the
 * victim has the item {@code hidden} and the note {@code v1}. An attempt that tells {@code hidden} apart
 * from a key nobody has is an existence oracle.
 */
class FieldAdversarialCatalogueTest {

    private static final TenantId ATTACKER = TenantId.of("acme");
    private static final TenantId VICTIM = TenantId.of("acme1");
    private static final List<TenantId> TENANTS = List.of(ATTACKER, VICTIM, TenantId.of("acme_1"));

    /** The attacker's rows as every attempt finds them: items as "k=v", notes as "note:id=body". */
    private static final String OWN = "own=acme-own";
    private static final String SECRET = "secret=acme-secret";
    private static final String NOTE = "note:n1=acme-note";

    private static final String SEED = "DELETE FROM notes; DELETE FROM items;"
            + " INSERT INTO items (tenant_id, k, v) VALUES ('acme', 'secret', 'acme-secret'), ('acme', 'own', 'acme-own'),"
            + " ('acme1', 'secret', 'acme1-secret'), ('acme1', 'hidden', 'acme1-hidden'),"
            + " ('acme_1', 'secret', 'acme_1-secret');"
            + " INSERT INTO notes (tenant_id, id, item_k, body) VALUES ('acme', 'n1', 'secret', 'acme-note'),"
            + " ('acme1', 'n1', 'secret', 'acme1-note'), ('acme1', 'v1', 'hidden', 'acme1-hidden-note')";

    /** Everything an attempt could change, read as the superuser (who bypasses row-level security). */
    private static final String EVERYTHING = "SELECT 'items ' || tenant_id || ' ' || k || '=' || v FROM items"
            + " UNION ALL SELECT 'notes ' || tenant_id || ' ' || id || '=' || body FROM notes"
            + " UNION ALL SELECT 'countries ' || code || '=' || name FROM countries"
            + " UNION ALL SELECT 'ticket_numbers ' || last_value || ' ' || is_called FROM ticket_numbers";

    /** A missing privilege, or a row that row-level security's WITH CHECK refuses. */
    private static final String DENIED = "42501";
    /** The tenant column is not among the columns a rewritten read sees. */
    private static final String NO_SUCH_COLUMN = "42703";
    /** ON CONFLICT (k) names no unique key: the keys are (tenant_id, k). */
    private static final String NO_SUCH_KEY = "42P10";
    private static final String FOREIGN_KEY = "23503";
    private static final String DUPLICATE_KEY = "23505";
    private static final String NOT_IN_A_TRANSACTION = "25P01";

    private static Stage bothWalls;
    private static Stage rowSecurityAlone;

    @BeforeAll
    static void start() throws SQLException {
        bothWalls = new Stage(JdbcFixture.shared("fieldattack", TENANTS,
                b -> b.sharedMigrations("classpath:db/field-adversarial")));
        rowSecurityAlone = new Stage(JdbcFixture.shared("fieldattackrls", TENANTS,
                b -> b.sharedMigrations("classpath:db/field-adversarial").sqlRewriting(false)));
    }

    @AfterAll
    static void stop() throws SQLException {
        bothWalls.close();
        rowSecurityAlone.close();
    }

    /** One configuration of the walls: its fixture, and a superuser connection to seed and check its rows. */
    static final class Stage implements AutoCloseable {
        final JdbcFixture fixture;
        final Connection superuser;

        Stage(JdbcFixture fixture) throws SQLException {
            this.fixture = fixture;
            this.superuser = fixture.server.admin(fixture.sharedDatabase).getConnection();
        }

        void seed() throws SQLException {
            try (Statement s = superuser.createStatement()) {
                s.execute(SEED);
            }
        }

        List<String> everything() throws SQLException {
            try (Statement s = superuser.createStatement()) {
                return rows(s.executeQuery(EVERYTHING));
            }
        }

        @Override
        public void close() throws SQLException {
            superuser.close();
            fixture.close();
        }
    }

    /** What an attempt does as the attacker, on its own connection. */
    interface Attack {
        List<String> run(Scene scene) throws Exception;
    }

    record Scene(JdbcFixture fixture, Connection connection) {
    }

    /**
     * How an attempt must end.
     *
     * @param expected for REFUSED a phrase of the message, for FAILS the SQLState
     * @param rows for RETURNS the rows returned ("updated n" for an update count), in any order
     * @param attackerAfter the attacker's rows afterwards, in any order
     */
    record Outcome(Kind kind, String expected, List<String> rows, List<String> attackerAfter) {

        enum Kind { REFUSED, FAILS, RETURNS, RETURNS_A_PLAN }

        Outcome leaving(String... rows) {
            return new Outcome(kind, expected, this.rows, List.of(rows));
        }

        @Override
        public String toString() {
            return kind + " " + (kind == Kind.RETURNS ? rows : expected) + " leaving " + attackerAfter;
        }
    }

    record Attempt(String name, Attack attack, Outcome withBothWalls, Outcome withRowSecurityAlone) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Outcome refused(String why) {
        return new Outcome(Outcome.Kind.REFUSED, why, List.of(), List.of(OWN, SECRET, NOTE));
    }

    private static Outcome fails(String sqlState) {
        return new Outcome(Outcome.Kind.FAILS, sqlState, List.of(), List.of(OWN, SECRET, NOTE));
    }

    private static Outcome returns(String... rows) {
        return new Outcome(Outcome.Kind.RETURNS, "", List.of(rows), List.of(OWN, SECRET, NOTE));
    }

    private static Outcome updates(int count) {
        return returns("updated " + count);
    }

    /** EXPLAIN's output: the plan of a statement on items (row-level security alone lets it through). */
    private static Outcome plan() {
        return new Outcome(Outcome.Kind.RETURNS_A_PLAN, "on items", List.of(), List.of(OWN, SECRET, NOTE));
    }

    /** An attempt that ends the same way with row-level security alone. */
    private static Attempt attempt(String name, Attack attack, Outcome outcome) {
        return new Attempt(name, attack, outcome, outcome);
    }

    private static Attempt attempt(String name, Attack attack, Outcome withBothWalls, Outcome withRowSecurityAlone) {
        return new Attempt(name, attack, withBothWalls, withRowSecurityAlone);
    }

    private static Attack sql(String sql) {
        return s -> execute(s.connection(), sql);
    }

    private static Attack prepared(String sql, Object... values) {
        return s -> {
            try (PreparedStatement p = s.connection().prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    p.setObject(i + 1, values[i]);
                }
                return p.execute() ? rows(p.getResultSet()) : List.of("updated " + p.getUpdateCount());
            }
        };
    }

    static List<String> execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            return s.execute(sql) ? rows(s.getResultSet()) : List.of("updated " + s.getUpdateCount());
        }
    }

    static List<String> rows(ResultSet r) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (r) {
            int columns = r.getMetaData().getColumnCount();
            while (r.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i == 1 ? "" : "|").append(r.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    static Stream<Attempt> attempts() {
        return Stream.of(forgedTenantValues(), conflictsAndKeyOracles(), alwaysTrueConditions(),
                hiddenInCommentsAndLiterals(), theTenantSetting(), writableWithQueriesAndMerge(),
                statementsOnSharedTables(), cataloguesAndSequences(), subqueriesEverywhere(), namesAndForms(),
                sharedTableAndReuse()).flatMap(s -> s);
    }

    static Stream<Attempt> forgedTenantValues() {
        return Stream.of(
                attempt("WHERE tenant_id = the victim", sql("SELECT k, v FROM items WHERE tenant_id = 'acme1'"),
                        fails(NO_SUCH_COLUMN), returns()),
                attempt("OR tenant_id = the victim", sql("SELECT k, v FROM items WHERE k = 'own' OR tenant_id = 'acme1'"),
                        fails(NO_SUCH_COLUMN), returns("own|acme-own")),
                attempt("UPDATE ... WHERE tenant_id = the victim",
                        sql("UPDATE items SET v = 'owned' WHERE tenant_id = 'acme1'"), updates(0)),
                attempt("UPDATE ... WHERE own key OR tenant_id = the victim",
                        sql("UPDATE items SET v = 'owned' WHERE k = 'secret' OR tenant_id = 'acme1'"),
                        updates(1).leaving(OWN, "secret=owned", NOTE)),
                attempt("DELETE ... WHERE own key OR tenant_id = the victim",
                        sql("DELETE FROM items WHERE k = 'own' OR tenant_id = 'acme1'"),
                        updates(1).leaving(SECRET, NOTE)),
                attempt("UPDATE ... WHERE tenant_id = ? bound to the victim",
                        prepared("UPDATE items SET v = 'owned' WHERE tenant_id = ?", "acme1"), updates(0)),
                attempt("UPDATE SET tenant_id = the victim", sql("UPDATE items SET tenant_id = 'acme1' WHERE k = 'own'"),
                        refused("it assigns the tenant_id column"), fails(DENIED)),
                attempt("UPDATE SET (v, tenant_id) = a row naming the victim",
                        sql("UPDATE items SET (v, tenant_id) = ('x', 'acme1')"),
                        refused("it assigns the tenant_id column"), fails(DENIED)),
                attempt("UPDATE SET \"tenant_id\" quoted", sql("UPDATE items SET \"tenant_id\" = 'acme1'"),
                        refused("it assigns the tenant_id column"), fails(DENIED)),
                attempt("UPDATE SET tenant_id = the attacker's own id", sql("UPDATE items SET tenant_id = 'acme'"),
                        refused("it assigns the tenant_id column"), updates(2)),
                attempt("INSERT with tenant_id 'victim'",
                        sql("INSERT INTO items (tenant_id, k, v) VALUES ('acme1', 'planted', 'x')"),
                        refused("the value 'acme1'"), fails(DENIED)),
                attempt("INSERT with tenant_id the attacker's own id",
                        sql("INSERT INTO items (tenant_id, k, v) VALUES ('acme', 'planted', 'x')"),
                        updates(1).leaving(OWN, "planted=x", SECRET, NOTE)),
                attempt("INSERT of two rows, the second for the victim",
                        sql("INSERT INTO items (tenant_id, k, v) VALUES ('acme', 'a', 'x'), ('acme1', 'b', 'y')"),
                        refused("the value 'acme1'"), fails(DENIED)),
                attempt("INSERT with tenant_id ? bound to the victim",
                        prepared("INSERT INTO items (tenant_id, k, v) VALUES (?, ?, ?)", "acme1", "planted", "x"),
                        refused("is not the bound tenant"), fails(DENIED)),
                attempt("INSERT with tenant_id ? bound to the attacker's own id",
                        prepared("INSERT INTO items (tenant_id, k, v) VALUES (?, ?, ?)", "acme", "planted", "x"),
                        updates(1).leaving(OWN, "planted=x", SECRET, NOTE)),
                attempt("INSERT with tenant_id CAST(? AS text) bound to the victim",
                        prepared("INSERT INTO items (tenant_id, k, v) VALUES (CAST(? AS text), ?, ?)", "acme1", "p", "x"),
                        refused("is not the bound tenant"), fails(DENIED)),
                attempt("INSERT with tenant_id ? set to null", s -> {
                    try (PreparedStatement p = s.connection().prepareStatement(
                            "INSERT INTO items (tenant_id, k, v) VALUES (?, 'planted', 'x')")) {
                        p.setNull(1, Types.VARCHAR);
                        return List.of("updated " + p.executeUpdate());
                    }
                }, refused("its value null is not the bound tenant"), fails(DENIED)),
                attempt("INSERT with tenant_id 'victim'::text",
                        sql("INSERT INTO items (tenant_id, k, v) VALUES ('acme1'::text, 'planted', 'x')"),
                        refused("the value 'acme1'"), fails(DENIED)),
                attempt("INSERT with tenant_id in a dollar quote",
                        sql("INSERT INTO items (tenant_id, k, v) VALUES ($$acme1$$, 'planted', 'x')"),
                        refused("the value 'acme1'"), fails(DENIED)),
                attempt("INSERT with tenant_id spelled in E-string escapes",
                        sql("INSERT INTO items (tenant_id, k, v) VALUES (E'\\x61cme1', 'planted', 'x')"),
                        refused("the value 'acme1'"), fails(DENIED)),
                attempt("INSERT with tenant_id computed by an expression",
                        sql("INSERT INTO items (tenant_id, k, v) VALUES ('acme' || '1', 'planted', 'x')"),
                        refused("neither a literal nor a ? placeholder"), fails(DENIED)),
                attempt("INSERT ... SELECT giving tenant_id",
                        sql("INSERT INTO items (tenant_id, k, v) SELECT 'acme1', 'planted', 'x'"),
                        refused("column from a query"), fails(DENIED)),
                // rewritten, the list is the columns a tenant sees plus tenant_id: one value too many
                attempt("INSERT without a column list, the victim's id first",
                        sql("INSERT INTO items VALUES ('acme1', 'planted', 'x')"), fails("42601"), fails(DENIED)),
                // the check ignores case only for a uuid, which PostgreSQL reads the same in either case
                attempt("INSERT with tenant_id the attacker's id in upper case",
                        sql("INSERT INTO items (tenant_id, k, v) VALUES ('ACME', 'planted', 'x')"),
                        refused("the value 'ACME'"), fails(DENIED)),
                attempt("a batch entry inserting for the victim", s -> {
                    try (Statement st = s.connection().createStatement()) {
                        st.addBatch("INSERT INTO items (tenant_id, k, v) VALUES ('acme1', 'planted', 'x')");
                        return List.of("batched " + st.executeBatch().length);
                    }
                }, refused("the value 'acme1'"), fails(DENIED)));
    }

    static Stream<Attempt> conflictsAndKeyOracles() {
        return Stream.of(
                attempt("ON CONFLICT (k) DO UPDATE on a key both tenants have",
                        sql("INSERT INTO items (k, v) VALUES ('secret', 'mine')"
                                + " ON CONFLICT (k) DO UPDATE SET v = 'overwritten'"),
                        updates(1).leaving(OWN, "secret=overwritten", NOTE), fails(NO_SUCH_KEY)),
                attempt("ON CONFLICT (k) DO UPDATE SET tenant_id",
                        sql("INSERT INTO items (k, v) VALUES ('secret', 'x')"
                                + " ON CONFLICT (k) DO UPDATE SET tenant_id = 'acme1'"),
                        refused("it assigns the tenant_id column"), fails(NO_SUCH_KEY)),
                attempt("ON CONFLICT ON CONSTRAINT DO UPDATE SET tenant_id",
                        sql("INSERT INTO items (k, v) VALUES ('secret', 'x') ON CONFLICT ON CONSTRAINT items_pkey"
                                + " DO UPDATE SET tenant_id = 'acme1'"),
                        refused("it assigns the tenant_id column"), fails(DENIED)),
                attempt("ON CONFLICT ON CONSTRAINT DO UPDATE on a key both tenants have",
                        sql("INSERT INTO items (k, v) VALUES ('secret', 'x') ON CONFLICT ON CONSTRAINT items_pkey"
                                + " DO UPDATE SET v = 'overwritten'"),
                        updates(1).leaving(OWN, "secret=overwritten", NOTE)),
                attempt("ON CONFLICT (k) DO NOTHING with a key only the victim has",
                        sql("INSERT INTO items (k, v) VALUES ('hidden', 'probe') ON CONFLICT (k) DO NOTHING"),
                        updates(1).leaving("hidden=probe", OWN, SECRET, NOTE), fails(NO_SUCH_KEY)),
                attempt("ON CONFLICT DO NOTHING with a key only the victim has",
                        sql("INSERT INTO items (k, v) VALUES ('hidden', 'probe') ON CONFLICT DO NOTHING"),
                        updates(1).leaving("hidden=probe", OWN, SECRET, NOTE)),
                attempt("INSERT of a key only the victim has: no duplicate-key error",
                        sql("INSERT INTO items (k, v) VALUES ('hidden', 'probe')"),
                        updates(1).leaving("hidden=probe", OWN, SECRET, NOTE)),
                attempt("INSERT of a key the attacker has collides with its own row",
                        sql("INSERT INTO items (k, v) VALUES ('secret', 'again')"), fails(DUPLICATE_KEY)),
                attempt("UPDATE of a key to one only the victim has",
                        sql("UPDATE items SET k = 'hidden' WHERE k = 'own'"),
                        updates(1).leaving("hidden=acme-own", SECRET, NOTE)),
                attempt("a note on an item only the victim has fails as if it did not exist",
                        sql("INSERT INTO notes (id, item_k, body) VALUES ('n2', 'hidden', 'probe')"), fails(FOREIGN_KEY)),
                attempt("a note with an id only the victim has",
                        sql("INSERT INTO notes (id, item_k, body) VALUES ('v1', 'secret', 'probe')"),
                        updates(1).leaving(OWN, SECRET, NOTE, "note:v1=probe")),
                attempt("DELETE of an item both have cascades to the attacker's note only",
                        sql("DELETE FROM items WHERE k = 'secret'"), updates(1).leaving(OWN)));
    }

    static Stream<Attempt> alwaysTrueConditions() {
        return Stream.of(
                attempt("OR 1=1", sql("SELECT k, v FROM items WHERE k = 'none' OR 1=1"),
                        returns("own|acme-own", "secret|acme-secret")),
                attempt("OR true", sql("SELECT count(*) FROM items WHERE false OR true"), returns("2")),
                attempt("IS NULL OR IS NOT NULL", sql("SELECT k FROM items WHERE v IS NULL OR v IS NOT NULL"),
                        returns("own", "secret")),
                attempt("WHERE tenant_id IS NULL", sql("SELECT k FROM items WHERE tenant_id IS NULL"),
                        fails(NO_SUCH_COLUMN), returns()),
                attempt("UPDATE ... WHERE tenant_id IS NOT NULL",
                        sql("UPDATE items SET v = 'owned' WHERE tenant_id IS NOT NULL"),
                        updates(2).leaving("own=owned", "secret=owned", NOTE)),
                attempt("DELETE ... WHERE tenant_id IS NOT NULL", sql("DELETE FROM items WHERE tenant_id IS NOT NULL"),
                        updates(2).leaving()),
                attempt("DELETE ... WHERE k = 'none' OR true", sql("DELETE FROM items WHERE k = 'none' OR true"),
                        updates(2).leaving()),
                attempt("UPDATE ... WHERE NOT (tenant_id = the attacker)",
                        sql("UPDATE items SET v = 'owned' WHERE NOT (tenant_id = 'acme')"), updates(0)));
    }

    static Stream<Attempt> hiddenInCommentsAndLiterals() {
        return Stream.of(
                attempt("a forged WHERE inside a block comment",
                        sql("SELECT k, v FROM items /* WHERE tenant_id = 'acme1' */ ORDER BY k"),
                        returns("own|acme-own", "secret|acme-secret")),
                attempt("a DELETE inside a nested comment",
                        sql("/* /* */ DELETE FROM items WHERE tenant_id = 'acme1'; */ SELECT k, v FROM items"),
                        returns("own|acme-own", "secret|acme-secret")),
                attempt("OR true after --", sql("SELECT k, v FROM items WHERE k = 'own' -- OR true"),
                        returns("own|acme-own")),
                attempt("a second statement on the line after --",
                        sql("SELECT k FROM items -- harmless\n; DELETE FROM items"),
                        refused("it holds more than one statement")),
                attempt("a forged WHERE inside $$...$$",
                        sql("SELECT k, v FROM items WHERE v <> $$x' OR tenant_id = 'acme1$$"),
                        returns("own|acme-own", "secret|acme-secret")),
                attempt("a DELETE inside $tag$...$tag$",
                        sql("SELECT $tag$'; DELETE FROM items; --$tag$ AS s, v FROM items WHERE k = 'secret'"),
                        returns("'; DELETE FROM items; --|acme-secret")),
                attempt("an E'' string with escaped quotes",
                        sql("SELECT k FROM items WHERE v = E'\\' OR tenant_id = \\'acme1'"), returns()),
                attempt("two statements in one string",
                        sql("SELECT k FROM items; UPDATE items SET tenant_id = 'acme1'"),
                        refused("it holds more than one statement")),
                // sent as written, $1 makes the driver's bind message short of a parameter
                attempt("a positional $1 parameter", sql("SELECT k FROM items WHERE k = $1"),
                        refused("positional parameter $1"), fails("08P01")));
    }

    static Stream<Attempt> theTenantSetting() {
        return Stream.of(
                attempt("set_config('tenantry.tenant', victim) in a SELECT",
                        sql("SELECT set_config('tenantry.tenant', 'acme1', false)"), refused("set_config changes settings")),
                attempt("set_config in a WHERE before the read",
                        sql("SELECT k FROM items WHERE set_config('tenantry.tenant', 'acme1', true) IS NOT NULL"),
                        refused("set_config changes settings")),
                attempt("SET tenantry.tenant = victim", sql("SET tenantry.tenant = 'acme1'"),
                        refused("SET is allowed only")),
                attempt("SET tenantry.tenant TO victim", sql("SET tenantry.tenant TO 'acme1'"),
                        refused("SET is allowed only")),
                attempt("SET LOCAL tenantry.tenant", sql("SET LOCAL tenantry.tenant = 'acme1'"),
                        refused("SET is allowed only")),
                attempt("SET SESSION \"tenantry.tenant\" quoted", sql("SET SESSION \"tenantry.tenant\" = 'acme1'"),
                        refused("SET is allowed only")),
                attempt("RESET tenantry.tenant", sql("RESET tenantry.tenant"), refused("RESET would undo")),
                attempt("RESET ALL", sql("RESET ALL"), refused("RESET would undo")),
                attempt("SET ROLE to the login role", sql("SET ROLE " + PostgresServer.APP_USER),
                        refused("the connection's role confines it to the tenant")),
                attempt("SET ROLE NONE", sql("SET ROLE NONE"), refused("the connection's role confines it")),
                attempt("current_setting('tenantry.tenant') reads the attacker's own id",
                        sql("SELECT current_setting('tenantry.tenant')"), returns("acme")),
                attempt("SHOW tenantry.tenant shows the attacker's own id", sql("SHOW tenantry.tenant"),
                        returns("acme")));
    }

    static Stream<Attempt> writableWithQueriesAndMerge() {
        return Stream.of(
                attempt("WITH x AS (DELETE ... RETURNING *)",
                        sql("WITH x AS (DELETE FROM items RETURNING *) SELECT * FROM x"),
                        returns("own|acme-own", "secret|acme-secret").leaving(),
                        returns("acme|own|acme-own", "acme|secret|acme-secret").leaving()),
                attempt("WITH x AS (UPDATE ... RETURNING *)",
                        sql("WITH x AS (UPDATE items SET v = 'p' RETURNING *) SELECT count(*) FROM x"),
                        returns("2").leaving("own=p", "secret=p", NOTE)),
                attempt("WITH x AS (INSERT ... RETURNING *)",
                        sql("WITH x AS (INSERT INTO items (k, v) VALUES ('cte', 'c') RETURNING *) SELECT * FROM x"),
                        returns("cte|c").leaving("cte=c", OWN, SECRET, NOTE),
                        returns("acme|cte|c").leaving("cte=c", OWN, SECRET, NOTE)),
                attempt("WITH x AS (INSERT ... the victim's id)",
                        sql("WITH x AS (INSERT INTO items (tenant_id, k, v) VALUES ('acme1', 'cte', 'c') RETURNING k)"
                                + " SELECT * FROM x"),
                        refused("the value 'acme1'"), fails(DENIED)),
                attempt("WITH x AS (UPDATE ... SET tenant_id)",
                        sql("WITH x AS (UPDATE items SET tenant_id = 'acme1' RETURNING k) SELECT * FROM x"),
                        refused("it assigns the tenant_id column"), fails(DENIED)),
                attempt("a DELETE driven by a WITH query for the victim's key",
                        sql("WITH wanted AS (SELECT k FROM items WHERE k = 'hidden')"
                                + " DELETE FROM items WHERE k IN (SELECT k FROM wanted)"),
                        updates(0)),
                attempt("MERGE WHEN MATCHED UPDATE on a key both have",
                        sql("MERGE INTO items t USING (VALUES ('secret', 'merged')) AS s(k, v) ON t.k = s.k"
                                + " WHEN MATCHED THEN UPDATE SET v = s.v"),
                        updates(1).leaving(OWN, "secret=merged", NOTE)),
                attempt("MERGE WHEN NOT MATCHED INSERT of a key only the victim has",
                        sql("MERGE INTO items t USING (VALUES ('hidden', 'merged')) AS s(k, v) ON t.k = s.k"
                                + " WHEN MATCHED THEN UPDATE SET v = s.v"
                                + " WHEN NOT MATCHED THEN INSERT (k, v) VALUES (s.k, s.v)"),
                        updates(1).leaving("hidden=merged", OWN, SECRET, NOTE)),
                attempt("MERGE WHEN MATCHED DELETE on a key both have",
                        sql("MERGE INTO items t USING (VALUES ('secret')) AS s(k) ON t.k = s.k WHEN MATCHED THEN DELETE"),
                        updates(1).leaving(OWN)),
                attempt("MERGE with items as its own source, matching the victim's values",
                        sql("MERGE INTO items t USING items s ON t.k = s.k AND s.v LIKE 'acme1%' WHEN MATCHED THEN DELETE"),
                        updates(0)),
                attempt("MERGE WHEN MATCHED UPDATE SET tenant_id",
                        sql("MERGE INTO items t USING (VALUES ('secret')) AS s(k) ON t.k = s.k"
                                + " WHEN MATCHED THEN UPDATE SET tenant_id = 'acme1'"),
                        refused("it assigns the tenant_id column"), fails(DENIED)),
                attempt("MERGE WHEN NOT MATCHED INSERT with the victim's id",
                        sql("MERGE INTO items t USING (VALUES ('planted', 'x')) AS s(k, v) ON t.k = s.k"
                                + " WHEN NOT MATCHED THEN INSERT (tenant_id, k, v) VALUES ('acme1', s.k, s.v)"),
                        refused("the value 'acme1'"), fails(DENIED)));
    }

    static Stream<Attempt> statementsOnSharedTables() {
        return Stream.of(
                attempt("COPY items TO STDOUT", sql("COPY items TO STDOUT"), refused("COPY can read and write files")),
                attempt("COPY items FROM STDIN", sql("COPY items FROM STDIN"), refused("COPY can read and write files")),
                attempt("COPY (SELECT ...) TO STDOUT", sql("COPY (SELECT * FROM items) TO STDOUT"),
                        refused("COPY can read and write files")),
                attempt("a DO block that sets the tenant",
                        sql("DO $$ BEGIN PERFORM set_config('tenantry.tenant', 'acme1', false); END $$"),
                        refused("DO runs a code block")),
                attempt("CREATE FUNCTION reading every row",
                        sql("CREATE FUNCTION steal() RETURNS SETOF text LANGUAGE sql AS $$ SELECT v FROM items $$"),
                        refused("CREATE FUNCTION is DDL outside")),
                attempt("CREATE TABLE AS a copy of items", sql("CREATE TABLE stolen AS SELECT * FROM items"),
                        refused("would act on tables every tenant shares"), fails(DENIED)),
                attempt("CREATE VIEW over items", sql("CREATE VIEW every_item AS SELECT * FROM items"),
                        refused("would act on tables every tenant shares"), fails(DENIED)),
                attempt("ALTER TABLE items DISABLE ROW LEVEL SECURITY",
                        sql("ALTER TABLE items DISABLE ROW LEVEL SECURITY"),
                        refused("would act on tables every tenant shares"), fails(DENIED)),
                attempt("ALTER TABLE items NO FORCE ROW LEVEL SECURITY",
                        sql("ALTER TABLE items NO FORCE ROW LEVEL SECURITY"),
                        refused("would act on tables every tenant shares"), fails(DENIED)),
                attempt("ALTER TABLE items DROP COLUMN tenant_id", sql("ALTER TABLE items DROP COLUMN tenant_id"),
                        refused("would act on tables every tenant shares"), fails(DENIED)),
                attempt("DROP TABLE items", sql("DROP TABLE items"),
                        refused("would act on tables every tenant shares"), fails(DENIED)),
                attempt("DROP POLICY on items", sql("DROP POLICY tenantry_tenant ON items"),
                        refused("DROP POLICY is DDL outside")),
                attempt("CREATE POLICY on items", sql("CREATE POLICY open ON items USING (true)"),
                        refused("CREATE POLICY is DDL outside")),
                attempt("TRUNCATE items", sql("TRUNCATE items"),
                        refused("would act on tables every tenant shares"), fails(DENIED)),
                attempt("LOCK TABLE items", sql("LOCK TABLE items IN ACCESS EXCLUSIVE MODE"),
                        refused("LOCK TABLE would lock a table every tenant shares"), fails(NOT_IN_A_TRANSACTION)),
                // row-level security alone lets the lock through: it holds every tenant off the table until commit
                attempt("LOCK TABLE items inside a transaction", s -> {
                    s.connection().setAutoCommit(false);
                    try {
                        return execute(s.connection(), "LOCK TABLE items IN ACCESS EXCLUSIVE MODE");
                    } finally {
                        s.connection().rollback();
                    }
                }, refused("LOCK TABLE would lock a table every tenant shares"), updates(0)),
                // row-level security alone lets EXPLAIN through: no row shows, but its estimates count every tenant's
                attempt("EXPLAIN and its row estimates", sql("EXPLAIN SELECT * FROM items"),
                        refused("EXPLAIN shows the planner's row estimates"), plan()),
                attempt("EXPLAIN ANALYZE DELETE", sql("EXPLAIN ANALYZE DELETE FROM items"),
                        refused("EXPLAIN shows the planner's row estimates"), plan().leaving()),
                attempt("CALL a procedure", sql("CALL steal()"), refused("a procedure's SQL runs without"),
                        fails("42883")),
                attempt("DECLARE a cursor over items", sql("DECLARE c CURSOR FOR SELECT * FROM items"),
                        refused("a cursor's query is not rewritten"), fails(NOT_IN_A_TRANSACTION)));
    }

    static Stream<Attempt> cataloguesAndSequences() {
        String catalogs = "PostgreSQL's catalogs and administrative functions ignore privileges";
        String sequence = "reads or moves a sequence shared by every tenant";
        return Stream.of(
                attempt("pg_stats of items", sql("SELECT attname, most_common_vals FROM pg_stats WHERE tablename = 'items'"),
                        refused(catalogs)),
                attempt("pg_class reltuples of items", sql("SELECT reltuples FROM pg_class WHERE relname = 'items'"),
                        refused(catalogs)),
                attempt("pg_stat_user_tables n_live_tup of items",
                        sql("SELECT n_live_tup FROM pg_stat_user_tables WHERE relname = 'items'"), refused(catalogs)),
                attempt("pg_relation_size of items", sql("SELECT pg_relation_size('items')"), refused(catalogs)),
                // refused whether or not the statement names a tenant table; with the SQL as written, the
                // field role has no right on the sequence
                attempt("nextval of a shared sequence on its own", sql("SELECT nextval('ticket_numbers')"),
                        refused(sequence), fails(DENIED)),
                attempt("nextval in an INSERT",
                        sql("INSERT INTO items (k, v) VALUES (nextval('ticket_numbers')::text, 'x')"), refused(sequence),
                        fails(DENIED)),
                attempt("currval beside items", sql("SELECT currval('ticket_numbers') FROM items"), refused(sequence),
                        fails(DENIED)),
                attempt("setval beside items", sql("SELECT setval('ticket_numbers', 1) FROM items"), refused(sequence),
                        fails(DENIED)),
                attempt("lastval beside items", sql("SELECT lastval() FROM items"), refused(sequence), fails("55000")));
    }

    static Stream<Attempt> subqueriesEverywhere() {
        return Stream.of(
                attempt("a subquery in the select list",
                        sql("SELECT (SELECT string_agg(v, ',' ORDER BY v) FROM items)"), returns("acme-own,acme-secret")),
                attempt("WHERE EXISTS on the victim's key",
                        sql("SELECT k FROM items WHERE EXISTS (SELECT 1 FROM items i WHERE i.k = 'hidden')"), returns()),
                attempt("IN over the victim's values",
                        sql("SELECT k FROM items WHERE k IN (SELECT k FROM items WHERE v LIKE 'acme1%')"), returns()),
                attempt("= ANY over an array of every value",
                        sql("SELECT 'acme1-secret' = ANY (ARRAY(SELECT v FROM items))"), returns("f")),
                attempt("CASE WHEN EXISTS on the victim's key",
                        sql("SELECT CASE WHEN EXISTS (SELECT 1 FROM items WHERE k = 'hidden') THEN 'victim has it'"
                                + " ELSE 'unknown' END"),
                        returns("unknown")),
                attempt("a subquery as a function argument",
                        sql("SELECT coalesce((SELECT v FROM items WHERE k = 'hidden'), 'none')"), returns("none")),
                attempt("LATERAL from the shared table",
                        sql("SELECT c.code, x.v FROM countries c"
                                + " CROSS JOIN LATERAL (SELECT v FROM items WHERE k = 'secret') x"),
                        returns("fr|acme-secret", "jp|acme-secret")),
                attempt("UNION of the victim's key and the notes",
                        sql("SELECT v FROM items WHERE k = 'hidden' UNION SELECT body FROM notes"), returns("acme-note")),
                attempt("LEFT JOIN of items and notes on a key both have",
                        sql("SELECT i.v, n.body FROM items i LEFT JOIN notes n ON n.item_k = i.k"),
                        returns("acme-own|null", "acme-secret|acme-note")),
                attempt("EXISTS on the victim's key from the shared table",
                        sql("SELECT code FROM countries WHERE EXISTS (SELECT 1 FROM items WHERE k = 'hidden')"), returns()),
                attempt("UPDATE SET from a subquery on the victim's key",
                        sql("UPDATE items SET v = coalesce((SELECT v FROM items WHERE k = 'hidden'), 'nothing')"
                                + " WHERE k = 'secret'"),
                        updates(1).leaving(OWN, "secret=nothing", NOTE)),
                attempt("UPDATE ... FROM items joined on the victim's key",
                        sql("UPDATE items SET v = o.v FROM items o WHERE o.k = 'hidden' AND items.k = 'secret'"),
                        updates(0)),
                attempt("DELETE ... USING notes matching the victim's note",
                        sql("DELETE FROM items USING notes n WHERE n.item_k = items.k AND n.body LIKE 'acme1%'"),
                        updates(0)),
                attempt("INSERT ... SELECT copies own rows only",
                        sql("INSERT INTO items (k, v) SELECT k || '-copy', v FROM items"),
                        updates(2).leaving(OWN, "own-copy=acme-own", SECRET, "secret-copy=acme-secret", NOTE)));
    }

    static Stream<Attempt> namesAndForms() {
        return Stream.of(
                attempt("SELECT * leaves tenant_id out", sql("SELECT * FROM items"),
                        returns("own|acme-own", "secret|acme-secret"),
                        returns("acme|own|acme-own", "acme|secret|acme-secret")),
                attempt("SELECT items.* leaves tenant_id out", sql("SELECT items.* FROM items"),
                        returns("own|acme-own", "secret|acme-secret"),
                        returns("acme|own|acme-own", "acme|secret|acme-secret")),
                attempt("SELECT tenant_id", sql("SELECT tenant_id FROM items"), fails(NO_SUCH_COLUMN),
                        returns("acme", "acme")),
                attempt("TABLE items", sql("TABLE items"), refused("TABLE is not rewritten"),
                        returns("acme|own|acme-own", "acme|secret|acme-secret")),
                attempt("PUBLIC.ITEMS in upper case", sql("SELECT K, V FROM PUBLIC.ITEMS"),
                        returns("own|acme-own", "secret|acme-secret")),
                attempt("\"public\".\"items\" quoted", sql("SELECT \"k\", \"v\" FROM \"public\".\"items\""),
                        returns("own|acme-own", "secret|acme-secret")),
                attempt("U&\"\\0069tems\", a Unicode-escaped name", sql("SELECT k, v FROM U&\"\\0069tems\""),
                        returns("own|acme-own", "secret|acme-secret")),
                attempt("FROM ONLY items", sql("SELECT k, v FROM ONLY items"), fails("42601"),
                        returns("own|acme-own", "secret|acme-secret")),
                attempt("items qualified with its database",
                        s -> execute(s.connection(), "SELECT * FROM " + JdbcNames.quote(s.fixture().sharedDatabase)
                                + ".public.items"),
                        refused("with its database"), returns("acme|own|acme-own", "acme|secret|acme-secret")),
                attempt("DELETE from items qualified with its database",
                        s -> execute(s.connection(), "DELETE FROM " + JdbcNames.quote(s.fixture().sharedDatabase)
                                + ".public.items"),
                        refused("with its database"), updates(2).leaving()),
                attempt("SELECT ... FOR UPDATE", sql("SELECT k FROM items WHERE k = 'secret' FOR UPDATE"),
                        returns("secret")),
                attempt("SELECT ... FOR UPDATE OF items", sql("SELECT k FROM items FOR UPDATE OF items"),
                        returns("own", "secret")),
                attempt("OFFSET ? before LIMIT ?", prepared("SELECT k FROM items ORDER BY k OFFSET ? LIMIT ?", 1, 1),
                        refused("LIMIT before OFFSET"), returns("secret")),
                attempt("LIMIT ? OFFSET ?", prepared("SELECT k FROM items ORDER BY k LIMIT ? OFFSET ?", 1, 1),
                        returns("secret")),
                attempt("generated keys of an INSERT", s -> {
                    try (Statement st = s.connection().createStatement()) {
                        st.executeUpdate("INSERT INTO items (k, v) VALUES ('gk', 'x')", Statement.RETURN_GENERATED_KEYS);
                        return rows(st.getGeneratedKeys());
                    }
                }, returns("acme|gk|x").leaving("gk=x", OWN, SECRET, NOTE)));
    }

    static Stream<Attempt> sharedTableAndReuse() {
        String shared = "a table every tenant shares";
        return Stream.of(
                attempt("INSERT into the shared table", sql("INSERT INTO countries VALUES ('xx', 'Nowhere')"),
                        refused(shared), fails(DENIED)),
                attempt("UPDATE of the shared table", sql("UPDATE countries SET name = 'Owned'"), refused(shared),
                        fails(DENIED)),
                attempt("DELETE from the shared table", sql("DELETE FROM countries"), refused(shared), fails(DENIED)),
                attempt("WITH x AS (DELETE FROM the shared table)",
                        sql("WITH x AS (DELETE FROM countries RETURNING code) SELECT count(*) FROM x"), refused(shared),
                        fails(DENIED)),
                attempt("the same SQL text as the attacker, then as the victim", s -> {
                    String sql = "SELECT k, v FROM items";
                    List<String> seen = new ArrayList<>();
                    execute(s.connection(), sql).forEach(row -> seen.add("acme: " + row));
                    TenantContext.runAs(VICTIM, () -> {
                        try (Connection victims = s.fixture().dataSource().getConnection()) {
                            execute(victims, sql).forEach(row -> seen.add("acme1: " + row));
                        }
                    });
                    return seen;
                }, returns("acme: own|acme-own", "acme: secret|acme-secret", "acme1: hidden|acme1-hidden",
                        "acme1: secret|acme1-secret")),
                attempt("a prepared INSERT run with the attacker's id, then with the victim's", s -> {
                    try (PreparedStatement p = s.connection().prepareStatement(
                            "INSERT INTO items (tenant_id, k, v) VALUES (?, ?, 'x')")) {
                        p.setString(1, "acme");
                        p.setString(2, "first");
                        p.executeUpdate();
                        p.setString(1, "acme1");
                        p.setString(2, "second");
                        return List.of("updated " + p.executeUpdate());
                    }
                }, refused("is not the bound tenant").leaving("first=x", OWN, SECRET, NOTE),
                        fails(DENIED).leaving("first=x", OWN, SECRET, NOTE)));
    }

    @ParameterizedTest(name = "both walls: {0}")
    @MethodSource("attempts")
    void with_both_walls_each_attempt_ends_as_catalogued(Attempt attempt) throws Exception {
        attack(bothWalls, attempt, attempt.withBothWalls());
    }

    @ParameterizedTest(name = "row-level security alone: {0}")
    @MethodSource("attempts")
    void with_row_level_security_alone_each_attempt_ends_as_catalogued(Attempt attempt) throws Exception {
        attack(rowSecurityAlone, attempt, attempt.withRowSecurityAlone());
    }

    @Test
    void a_tenant_table_keyed_by_a_serial_column_is_refused_at_provisioning() {
        PostgresServer server = PostgresServer.get();
        String database = server.freshDatabase("fieldserial");
        server.execute(database, "SET ROLE " + PostgresServer.APP_USER + "; CREATE TABLE tickets"
                + " (tenant_id text NOT NULL, id serial PRIMARY KEY, title text NOT NULL)");
        try (TenantJdbc jdbc = TenantJdbc.builder().store("main", server.appStore())
                .directory(TenantDirectory.inMemory(Tenant.builder(ATTACKER).build()))
                .router(TenantRouter.builder().otherwise(Placement.field("main", database)).build())
                .rolePrefix("fserial_").build()) {
            Throwable thrown = catchThrowable(() -> jdbc.provisioning().ensureAll(List.of(ATTACKER), 1).throwIfFailed());
            assertThat(thrown).isInstanceOf(TenantLifecycleException.class)
                    .hasMessageContaining("tickets").hasMessageContaining("from a sequence (serial or identity)");
        }
    }

    private static void attack(Stage stage, Attempt attempt, Outcome outcome) throws Exception {
        stage.seed();
        List<String> before = stage.everything();
        Object[] returned = new Object[1];
        Throwable thrown = TenantContext.callAs(ATTACKER, () -> {
            try (Connection c = stage.fixture.dataSource().getConnection()) {
                return catchThrowable(() -> returned[0] = attempt.attack().run(new Scene(stage.fixture, c)));
            }
        });
        switch (outcome.kind()) {
            case REFUSED -> assertThat(thrown).as(attempt.name()).isInstanceOf(IsolationViolationException.class)
                    .hasMessageContaining(outcome.expected());
            case FAILS -> {
                assertThat(thrown).as(attempt.name()).isInstanceOf(SQLException.class);
                assertThat(((SQLException) thrown).getSQLState()).as("SQLState of %s: %s", attempt.name(),
                        thrown.getMessage()).isEqualTo(outcome.expected());
            }
            case RETURNS -> {
                assertThat(thrown).as(attempt.name()).isNull();
                assertThat(returnedRows(returned)).as("rows of %s", attempt.name())
                        .containsExactlyInAnyOrderElementsOf(outcome.rows());
            }
            case RETURNS_A_PLAN -> {
                assertThat(thrown).as(attempt.name()).isNull();
                assertThat(returnedRows(returned)).as("plan of %s", attempt.name()).first().asString()
                        .contains(outcome.expected());
            }
        }
        List<String> after = stage.everything();
        assertThat(notTheAttackers(after)).as("the other tenants' rows, the shared table and the sequence after %s",
                attempt.name()).isEqualTo(notTheAttackers(before));
        assertThat(theAttackers(after)).as("the attacker's rows after %s", attempt.name())
                .containsExactlyInAnyOrderElementsOf(outcome.attackerAfter());
        String fieldRole = stage.fixture.targetOf(ATTACKER).role();
        TenantContext.runAs(ATTACKER, () -> {
            try (Connection c = stage.fixture.dataSource().getConnection()) {
                assertThat(execute(c, "SELECT current_user, current_setting('tenantry.tenant')"))
                        .as("the attacker's next connection is its own").containsExactly(fieldRole + "|acme");
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static List<String> returnedRows(Object[] returned) {
        return (List<String>) returned[0];
    }

    private static List<String> notTheAttackers(List<String> everything) {
        return everything.stream().filter(row -> !row.startsWith("items acme ") && !row.startsWith("notes acme "))
                .sorted().toList();
    }

    private static List<String> theAttackers(List<String> everything) {
        List<String> rows = new ArrayList<>();
        for (String row : everything) {
            if (row.startsWith("items acme ")) {
                rows.add(row.substring("items acme ".length()));
            } else if (row.startsWith("notes acme ")) {
                rows.add("note:" + row.substring("notes acme ".length()));
            }
        }
        return rows;
    }
}
