package io.tenantry.jdbc;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How Tenantry reaches one PostgreSQL server: its URL without a database, the login credentials and
 * the pool settings of each pool Tenantry opens on it (one per shared database, one per tenant
 * database). A {@link io.tenantry.Placement} names a store by the name it is registered under in
 * {@link TenantJdbc.Builder#store(String, JdbcStore)}.
 *
 * <p>The login role should not be a superuser: Tenantry switches each connection to the tenant's
 * own role ({@code SET ROLE}) on the schema model, so the login role needs membership in the
 * tenant roles (provisioning grants it) and, to provision, {@code CREATEROLE} and {@code CREATEDB}.
 *
 * <p>Immutable and thread-safe.
 */
public final class JdbcStore {

    private static final Pattern SERVER_URL = Pattern.compile("jdbc:postgresql://[^/?]+/(\\?.*)?");

    private final String serverUrl;
    private final String user;
    private final String password;
    private final int maximumPoolSize;
    private final Duration connectionTimeout;
    private final Duration idleTimeout;
    private final String maintenanceDatabase;

    private JdbcStore(Builder b) {
        this.serverUrl = b.serverUrl;
        this.user = b.user;
        this.password = b.password;
        this.maximumPoolSize = b.maximumPoolSize;
        this.connectionTimeout = b.connectionTimeout;
        this.idleTimeout = b.idleTimeout;
        this.maintenanceDatabase = b.maintenanceDatabase;
    }

    /**
     * Starts a store for the PostgreSQL server at {@code serverUrl}, a JDBC URL that ends at the
     * server, with optional parameters: {@code jdbc:postgresql://db.internal:5432/} or
     * {@code jdbc:postgresql://db1:5432,db2:5432/?sslmode=require}.
     *
     * @throws IllegalArgumentException if the URL is not a PostgreSQL URL, or names a database (each
     *     placement names its own)
     */
    public static Builder builder(String serverUrl) {
        return new Builder(serverUrl);
    }

    /** Returns the JDBC URL of {@code database} on this server. */
    String url(String database) {
        int query = serverUrl.indexOf('?');
        return query < 0 ? serverUrl + database : serverUrl.substring(0, query) + database + serverUrl.substring(query);
    }

    /** Returns the server URL, without a database. */
    public String serverUrl() {
        return serverUrl;
    }

    /** Returns the login role. */
    public String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** Returns the most connections of each pool Tenantry opens on this server. */
    public int maximumPoolSize() {
        return maximumPoolSize;
    }

    /** Returns how long a caller waits for a connection before a {@link io.tenantry.StoreUnavailableException}. */
    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    /** Returns how long an unused connection stays open. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Returns the database Tenantry connects to when it creates tenant databases ({@code postgres}). */
    public String maintenanceDatabase() {
        return maintenanceDatabase;
    }

    @Override
    public String toString() {
        return "JdbcStore(" + serverUrl + " as " + user + ")";
    }

    /** Configures a {@link JdbcStore}. Not thread-safe. */
    public static final class Builder {
        private final String serverUrl;
        private String user = "postgres";
        private String password = "";
        private int maximumPoolSize = 10;
        private Duration connectionTimeout = Duration.ofSeconds(5);
        private Duration idleTimeout = Duration.ofMinutes(1);
        private String maintenanceDatabase = "postgres";

        private Builder(String serverUrl) {
            Objects.requireNonNull(serverUrl, "serverUrl");
            String url = serverUrl.matches("jdbc:postgresql://[^/?]+") ? serverUrl + "/" : serverUrl;
            if (!SERVER_URL.matcher(url).matches()) {
                throw new IllegalArgumentException("Invalid store URL \"" + serverUrl + "\": give the server without a"
                        + " database, such as \"jdbc:postgresql://localhost:5432/\"; each placement names its database.");
            }
            this.serverUrl = url;
        }

        /** Sets the login role and its password (default {@code postgres} and none). */
        public Builder credentials(String user, String password) {
            this.user = Objects.requireNonNull(user, "user");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * Sets the most connections of each pool (default 10).
         *
         * @throws IllegalArgumentException if under 1
         */
        public Builder maximumPoolSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("maximumPoolSize must be at least 1, was " + size);
            }
            this.maximumPoolSize = size;
            return this;
        }

        /**
         * Sets how long a caller waits for a connection (default 5 s) before it gets a
         * {@link io.tenantry.StoreUnavailableException} naming this store.
         *
         * @throws IllegalArgumentException if under 250 ms (HikariCP's least)
         */
        public Builder connectionTimeout(Duration timeout) {
            if (Objects.requireNonNull(timeout, "timeout").toMillis() < 250) {
                throw new IllegalArgumentException("connectionTimeout must be at least 250 ms, was " + timeout);
            }
            this.connectionTimeout = timeout;
            return this;
        }

        /**
         * Sets how long an unused connection stays open (default 1 min).
         *
         * @throws IllegalArgumentException if under 10 s (HikariCP's least)
         */
        public Builder idleTimeout(Duration timeout) {
            if (Objects.requireNonNull(timeout, "timeout").toSeconds() < 10) {
                throw new IllegalArgumentException("idleTimeout must be at least 10 s, was " + timeout);
            }
            this.idleTimeout = timeout;
            return this;
        }

        /** Sets the database Tenantry connects to when it creates or lists databases (default {@code postgres}). */
        public Builder maintenanceDatabase(String database) {
            this.maintenanceDatabase = Objects.requireNonNull(database, "database");
            return this;
        }

        public JdbcStore build() {
            return new JdbcStore(this);
        }
    }
}
