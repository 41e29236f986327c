package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tenantry.IsolationViolationException;
import io.tenantry.NoTenantBoundException;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Named attempts by tenant {@code acme} to reach tenant {@code acme1} (whose names start with the
 * attacker's) or to leave state behind for it, on both models. Each asserts its exact outcome:
 * refused by Tenantry before anything is sent, denied by PostgreSQL itself (the second wall), or
 * answered with the attacker's own data only. After each, every tenant's rows are checked unchanged
 * and the attacker's next connection is checked to be an ordinary one.
 */
class AdversarialCatalogueTest {

    private static final TenantId ATTACKER = TenantId.of("acme");
    private static final TenantId VICTIM = TenantId.of("acme1");
    private static final List<TenantId> TENANTS = List.of(ATTACKER, VICTIM, TenantId.of("acme_1"));

    private static JdbcFixture schemas;
    private static JdbcFixture databases;

    @BeforeAll
    static void start() {
        schemas = JdbcFixture.schemas("attack", TENANTS, b -> { });
        databases = JdbcFixture.databases("attack", TENANTS, b -> { });
        for (JdbcFixture f : List.of(schemas, databases)) {
            for (TenantId tenant : TENANTS) {
                f.asAdmin(tenant, "INSERT INTO items VALUES ('secret', '" + tenant + "-secret')");
            }
        }
    }

    @AfterAll
    static void stop() {
        schemas.close();
        databases.close();
    }

    /** How an attempt must end. */
    enum Outcome { REFUSED, NO_TENANT, DENIED_BY_POSTGRES, OWN_DATA_ONLY }

    /** What an attempt can do: run SQL or JDBC calls as the attacker, knowing the victim's physical names. */
    interface Attack {
        List<String> run(Scene scene) throws Exception;
    }

    record Attempt(String name, boolean schemaModel, boolean databaseModel, Outcome outcome, Attack attack) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The attacker's view: its own connection, and the victim's names as an attacker could guess them. */
    static final class Scene {
        final JdbcFixture fixture;
        final Connection connection;
        final String victimSchema;
        final String victimRole;
        final String victimDatabase;

        Scene(JdbcFixture fixture, Connection connection) {
            this.fixture = fixture;
            this.connection = connection;
            JdbcTarget victim = fixture.targetOf(VICTIM);
            this.victimSchema = victim.schema() == null ? "public" : victim.schema();
            this.victimRole = victim.role() == null ? PostgresServer.APP_USER : victim.role();
            this.victimDatabase = victim.database();
        }

        List<String> sql(String sql) throws SQLException {
            try (Statement s = connection.createStatement()) {
                return s.execute(sql) ? rows(s.getResultSet()) : List.of("updated " + s.getUpdateCount());
            }
        }

        List<String> prepared(String sql) throws SQLException {
            try (PreparedStatement p = connection.prepareStatement(sql)) {
                return p.execute() ? rows(p.getResultSet()) : List.of("updated " + p.getUpdateCount());
            }
        }

        String victimTable() {
            return JdbcNames.quote(victimSchema) + ".items";
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

    private static Attempt both(String name, Outcome outcome, Attack attack) {
        return new Attempt(name, true, true, outcome, attack);
    }

    private static Attempt schemaModel(String name, Outcome outcome, Attack attack) {
        return new Attempt(name, true, false, outcome, attack);
    }

    private static Attempt databaseModel(String name, Outcome outcome, Attack attack) {
        return new Attempt(name, false, true, outcome, attack);
    }

    static Stream<Attempt> attempts() {
        return Stream.of(
                // names of the other tenant: PostgreSQL's own privileges refuse them
                schemaModel("select from the victim's schema-qualified table", Outcome.DENIED_BY_POSTGRES,
                        s -> s.sql("SELECT * FROM " + s.victimTable())),
                schemaModel("insert into the victim's schema-qualified table", Outcome.DENIED_BY_POSTGRES,
                        s -> s.sql("INSERT INTO " + s.victimTable() + " VALUES ('planted', 'x')")),
                schemaModel("update the victim's schema-qualified table", Outcome.DENIED_BY_POSTGRES,
                        s -> s.sql("UPDATE " + s.victimTable() + " SET v = 'owned'")),
                schemaModel("delete from the victim's schema-qualified table", Outcome.DENIED_BY_POSTGRES,
                        s -> s.sql("DELETE FROM " + s.victimTable())),
                schemaModel("prepared select of the victim's table", Outcome.DENIED_BY_POSTGRES,
                        s -> s.prepared("SELECT v FROM " + s.victimTable() + " WHERE k = 'secret'")),
                schemaModel("join own table with the victim's", Outcome.DENIED_BY_POSTGRES,
                        s -> s.sql("SELECT o.v, t.v FROM items o JOIN " + s.victimTable() + " t ON true")),
                schemaModel("subquery on the victim's table", Outcome.DENIED_BY_POSTGRES,
                        s -> s.sql("SELECT (SELECT count(*) FROM " + s.victimTable() + ")")),
                schemaModel("create a table in the victim's schema", Outcome.DENIED_BY_POSTGRES,
                        s -> s.sql("CREATE TABLE " + JdbcNames.quote(s.victimSchema) + ".planted (x int)")),
                databaseModel("cross-database reference to the victim's database", Outcome.DENIED_BY_POSTGRES,
                        s -> s.sql("SELECT * FROM " + JdbcNames.quote(s.victimDatabase) + ".public.items")),
                // session state: refused before anything is sent
                both("SET search_path to the victim's schema", Outcome.REFUSED,
                        s -> s.sql("SET search_path TO " + JdbcNames.quote(s.victimSchema))),
                both("set Search_Path in mixed case with =", Outcome.REFUSED,
                        s -> s.sql("set Search_Path = " + JdbcNames.quote(s.victimSchema) + ", public")),
                both("SET LOCAL search_path inside a transaction", Outcome.REFUSED,
                        s -> s.sql("SET LOCAL search_path TO " + JdbcNames.quote(s.victimSchema))),
                both("SET ROLE to the victim's role", Outcome.REFUSED,
                        s -> s.sql("SET ROLE " + JdbcNames.quote(s.victimRole))),
                both("SET ROLE NONE", Outcome.REFUSED, s -> s.sql("SET ROLE NONE")),
                both("RESET ROLE", Outcome.REFUSED, s -> s.sql("RESET ROLE")),
                both("RESET ALL", Outcome.REFUSED, s -> s.sql("RESET ALL")),
                both("DISCARD ALL", Outcome.REFUSED, s -> s.sql("DISCARD ALL")),
                both("SET SESSION AUTHORIZATION", Outcome.REFUSED,
                        s -> s.sql("SET SESSION AUTHORIZATION " + PostgresServer.APP_USER)),
                both("set_config of search_path", Outcome.REFUSED,
                        s -> s.sql("SELECT set_config('search_path', '" + s.victimSchema + "', false)")),
                both("set_config of role, schema-qualified", Outcome.REFUSED,
                        s -> s.sql("SELECT pg_catalog.set_config('role', '" + s.victimRole + "', false)")),
                both("SET default_transaction_read_only off", Outcome.REFUSED,
                        s -> s.sql("SET default_transaction_read_only = off")),
                // several statements in one string
                both("a second statement after a harmless one", Outcome.REFUSED,
                        s -> s.sql("SELECT 1; SET ROLE " + JdbcNames.quote(s.victimRole))),
                both("a second statement hidden after a comment holding a semicolon", Outcome.REFUSED,
                        s -> s.sql("SELECT 1 /* ; */; DELETE FROM " + s.victimTable())),
                both("a second statement after a nested comment", Outcome.REFUSED,
                        s -> s.sql("SELECT 1 /* /* */ */; RESET ROLE")),
                both("a second statement in a prepared statement", Outcome.REFUSED,
                        s -> s.prepared("SELECT 1; SET search_path TO " + JdbcNames.quote(s.victimSchema))),
                both("a second statement in a batch entry", Outcome.REFUSED, s -> {
                    try (Statement st = s.connection.createStatement()) {
                        st.addBatch("DELETE FROM items WHERE false; RESET ROLE");
                        return List.of(String.valueOf(st.executeBatch().length));
                    }
                }),
                // things hidden inside literals and comments stay harmless text
                both("SET ROLE inside an E-string stays a string", Outcome.OWN_DATA_ONLY,
                        s -> s.sql("SELECT E'\\'; SET ROLE x; --', (SELECT v FROM items WHERE k = 'secret')")),
                both("SET ROLE inside a dollar quote stays a string", Outcome.OWN_DATA_ONLY,
                        s -> s.sql("SELECT $q$; RESET ROLE; $q$, (SELECT v FROM items WHERE k = 'secret')")),
                both("SET ROLE inside a nested comment stays a comment", Outcome.OWN_DATA_ONLY,
                        s -> s.sql("/* /* */ SET ROLE x; */ SELECT v FROM items")),
                // catalogs that ignore privileges
                both("pg_namespace lists every schema", Outcome.REFUSED, s -> s.sql("SELECT nspname FROM pg_namespace")),
                both("pg_class lists every table", Outcome.REFUSED,
                        s -> s.sql("SELECT relname FROM pg_catalog.pg_class")),
                both("pg_stat_user_tables counts every table's rows", Outcome.REFUSED,
                        s -> s.sql("SELECT schemaname, n_live_tup FROM pg_stat_user_tables")),
                both("pg_database lists every tenant database", Outcome.REFUSED,
                        s -> s.sql("SELECT datname FROM pg_database")),
                both("pg_roles lists every tenant role", Outcome.REFUSED, s -> s.sql("SELECT rolname FROM pg_roles")),
                both("pg_stat_activity shows every session", Outcome.REFUSED,
                        s -> s.sql("SELECT query FROM pg_stat_activity")),
                both("quoted \"pg_class\"", Outcome.REFUSED, s -> s.sql("SELECT relname FROM \"pg_class\"")),
                schemaModel("pg_relation_size of the victim's table", Outcome.REFUSED,
                        s -> s.sql("SELECT pg_relation_size('" + s.victimSchema + ".items')")),
                schemaModel("a regclass cast confirms the victim's table exists", Outcome.REFUSED,
                        s -> s.sql("SELECT '" + s.victimSchema + ".items'::regclass")),
                schemaModel("to_regclass confirms the victim's table exists", Outcome.REFUSED,
                        s -> s.sql("SELECT to_regclass('" + s.victimSchema + ".items')")),
                schemaModel("query_to_xml runs SQL the guard never sees", Outcome.REFUSED,
                        s -> s.sql("SELECT query_to_xml('select * from " + s.victimSchema + ".items', true, true, '')")),
                both("information_schema.tables lists own tables only", Outcome.OWN_DATA_ONLY,
                        s -> s.sql("SELECT table_schema || '.' || table_name FROM information_schema.tables"
                                + " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')")),
                both("information_schema.schemata lists no other tenant's schema", Outcome.OWN_DATA_ONLY,
                        s -> s.sql("SELECT schema_name FROM information_schema.schemata")),
                both("information_schema.role_table_grants shows no other tenant's grants", Outcome.OWN_DATA_ONLY,
                        s -> s.sql("SELECT table_schema || '.' || table_name FROM information_schema.role_table_grants"
                                + " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')")),
                // JDBC metadata
                both("getSchemas lists the tenant's own", Outcome.OWN_DATA_ONLY,
                        s -> rows(s.connection.getMetaData().getSchemas())),
                both("getTables with no schema shows own tables only", Outcome.OWN_DATA_ONLY,
                        s -> column(s.connection.getMetaData().getTables(null, null, "%", new String[] {"TABLE"}), 2)),
                both("getCatalogs lists the connection's own database only", Outcome.OWN_DATA_ONLY,
                        s -> rows(s.connection.getMetaData().getCatalogs())),
                schemaModel("getTables of the victim's schema is empty", Outcome.OWN_DATA_ONLY, s -> {
                    DatabaseMetaData meta = s.connection.getMetaData();
                    return rows(meta.getTables(null, ScopedMetaData.escape(s.victimSchema), "%", null));
                }),
                schemaModel("getColumns of the victim's table is empty", Outcome.OWN_DATA_ONLY,
                        s -> rows(s.connection.getMetaData().getColumns(null, s.victimSchema, "items", null))),
                schemaModel("getPrimaryKeys of the victim's table is empty", Outcome.OWN_DATA_ONLY,
                        s -> rows(s.connection.getMetaData().getPrimaryKeys(null, s.victimSchema, "items"))),
                // the JDBC objects
                both("unwrap the connection to PGConnection", Outcome.REFUSED,
                        s -> List.of(s.connection.unwrap(org.postgresql.PGConnection.class).toString())),
                both("unwrap a statement to PGStatement", Outcome.REFUSED,
                        s -> List.of(s.connection.createStatement().unwrap(org.postgresql.PGStatement.class).toString())),
                both("unwrap the metadata to the driver's", Outcome.REFUSED,
                        s -> List.of(s.connection.getMetaData().unwrap(org.postgresql.jdbc.PgDatabaseMetaData.class)
                                .toString())),
                both("unwrap the DataSource to its HikariCP pool", Outcome.REFUSED,
                        s -> List.of(s.fixture.dataSource().unwrap(com.zaxxer.hikari.HikariDataSource.class).toString())),
                both("getConnection with other credentials", Outcome.REFUSED,
                        s -> List.of(s.fixture.dataSource().getConnection("postgres", "").toString())),
                schemaModel("setSchema to the victim's schema", Outcome.REFUSED, s -> {
                    s.connection.setSchema(s.victimSchema);
                    return List.of();
                }),
                both("setCatalog to another database", Outcome.REFUSED, s -> {
                    s.connection.setCatalog(s.victimDatabase + "x");
                    return List.of();
                }),
                both("createBlob reaches database-wide large objects", Outcome.REFUSED,
                        s -> List.of(String.valueOf(s.connection.createBlob()))),
                both("lo_import reads files and makes shared large objects", Outcome.REFUSED,
                        s -> s.sql("SELECT lo_import('/etc/passwd')")),
                // statements that escape or outlive the checkout
                both("DO block that switches role", Outcome.REFUSED,
                        s -> s.sql("DO $$ BEGIN EXECUTE 'SET ROLE " + s.victimRole + "'; END $$")),
                both("CREATE FUNCTION whose body could switch role", Outcome.REFUSED,
                        s -> s.sql("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$")),
                both("COPY to the client", Outcome.REFUSED, s -> s.sql("COPY items TO STDOUT")),
                both("CREATE TEMP TABLE that would shadow items for the next tenant", Outcome.REFUSED,
                        s -> s.sql("CREATE TEMP TABLE items (k text, v text)")),
                both("SELECT INTO TEMP", Outcome.REFUSED, s -> s.sql("SELECT * INTO TEMP stolen FROM items")),
                both("GRANT own table to PUBLIC", Outcome.REFUSED, s -> s.sql("GRANT SELECT ON items TO PUBLIC")),
                both("ALTER TABLE OWNER TO another role", Outcome.REFUSED,
                        s -> s.sql("ALTER TABLE items OWNER TO " + JdbcNames.quote(s.victimRole))),
                both("CREATE SCHEMA", Outcome.REFUSED, s -> s.sql("CREATE SCHEMA planted")),
                both("LISTEN on a channel the next tenant's session would keep", Outcome.REFUSED,
                        s -> s.sql("LISTEN tenant_events")),
                both("NOTIFY across tenants", Outcome.REFUSED, s -> s.sql("NOTIFY tenant_events, 'hello'")),
                both("PREPARE a named statement that outlives the checkout", Outcome.REFUSED,
                        s -> s.sql("PREPARE stolen AS SELECT * FROM items")),
                both("DECLARE a cursor WITH HOLD", Outcome.REFUSED,
                        s -> s.sql("DECLARE c CURSOR WITH HOLD FOR SELECT * FROM items")),
                both("dblink to another database", Outcome.REFUSED,
                        s -> s.sql("SELECT * FROM dblink('dbname=" + s.victimDatabase + "', 'select 1') AS t(x int)")),
                // connections and statements kept past their tenant
                both("a prepared statement reused after a tenant switch", Outcome.REFUSED, s -> {
                    PreparedStatement p = s.connection.prepareStatement("SELECT v FROM items");
                    return TenantContext.callAs(VICTIM, () -> rows(p.executeQuery()));
                }),
                both("a connection used under another tenant", Outcome.REFUSED,
                        s -> TenantContext.callAs(VICTIM, () -> s.sql("SELECT v FROM items"))),
                both("a result set read on after a tenant switch", Outcome.REFUSED, s -> {
                    ResultSet r = s.connection.createStatement().executeQuery("SELECT v FROM items");
                    return TenantContext.callAs(VICTIM, () -> List.of(String.valueOf(r.next())));
                }),
                both("a connection kept past its scope", Outcome.NO_TENANT, s -> {
                    Connection kept = s.connection;
                    try (var system = TenantContext.openSystem("adversarial: a kept connection in a system scope")) {
                        return List.of(String.valueOf(kept.createStatement().execute("SELECT 1")));
                    }
                }));
    }

    private static List<String> column(ResultSet r, int column) throws SQLException {
        List<String> values = new ArrayList<>();
        try (r) {
            while (r.next()) {
                values.add(r.getString(column));
            }
        }
        return values;
    }

    static Stream<Attempt> schemaModelAttempts() {
        return attempts().filter(Attempt::schemaModel);
    }

    static Stream<Attempt> databaseModelAttempts() {
        return attempts().filter(Attempt::databaseModel);
    }

    @ParameterizedTest(name = "schema model: {0}")
    @MethodSource("schemaModelAttempts")
    void on_the_schema_model(Attempt attempt) throws Exception {
        attack(schemas, attempt);
    }

    @ParameterizedTest(name = "database model: {0}")
    @MethodSource("databaseModelAttempts")
    void on_the_database_model(Attempt attempt) throws Exception {
        attack(databases, attempt);
    }

    private static void attack(JdbcFixture f, Attempt attempt) throws Exception {
        List<List<String>> before = new ArrayList<>();
        TENANTS.forEach(t -> before.add(f.itemsOf(t)));
        Object[] result = new Object[1];
        Throwable thrown = TenantContext.callAs(ATTACKER, () -> {
            try (Connection c = f.dataSource().getConnection()) {
                return catchThrowable(() -> result[0] = attempt.attack().run(new Scene(f, c)));
            }
        });
        String victimSecret = VICTIM + "-secret";
        switch (attempt.outcome()) {
            case REFUSED:
                assertThat(thrown).as(attempt.name()).isInstanceOf(IsolationViolationException.class);
                assertThat(thrown.getMessage()).as("the message says what happened").isNotBlank();
                break;
            case NO_TENANT:
                assertThat(thrown).as(attempt.name()).isInstanceOf(NoTenantBoundException.class);
                break;
            case DENIED_BY_POSTGRES:
                assertThat(thrown).as(attempt.name()).isInstanceOf(SQLException.class);
                assertThat(((SQLException) thrown).getSQLState()).as("SQLState of %s: %s", attempt.name(),
                        thrown.getMessage()).isIn("42501", "0A000");
                break;
            default:
                assertThat(thrown).as(attempt.name()).isNull();
                @SuppressWarnings("unchecked")
                List<String> rows = (List<String>) result[0];
                JdbcTarget own = f.targetOf(ATTACKER);
                Predicate<String> foreign = row -> row.contains(victimSecret)
                        || (own.schemaModel() && row.contains(f.targetOf(VICTIM).schema()))
                        || (!own.schemaModel() && row.contains(f.targetOf(VICTIM).database()));
                assertThat(rows).as("%s returned %s", attempt.name(), rows).noneMatch(foreign);
                break;
        }
        List<List<String>> after = new ArrayList<>();
        TENANTS.forEach(t -> after.add(f.itemsOf(t)));
        assertThat(after).as("every tenant's rows after %s", attempt.name()).isEqualTo(before);
        TenantContext.runAs(ATTACKER, () -> {
            try (Connection c = f.dataSource().getConnection(); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT current_user, current_setting('search_path'),"
                            + " (SELECT v FROM items WHERE k = 'secret')")) {
                r.next();
                assertThat(r.getString(3)).as("the attacker's next connection is its own").isEqualTo(ATTACKER
                        + "-secret");
            }
        });
    }
}
