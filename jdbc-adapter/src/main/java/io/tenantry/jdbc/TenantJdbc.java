package io.tenantry.jdbc;

import io.tenantry.Placement;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantQuotas;
import io.tenantry.TenantRouter;
import io.tenantry.spi.TenantDataStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The entry point of the JDBC adapter: one routing {@link DataSource} that an application keeps as a
 * singleton and hands to {@code JdbcTemplate}, Spring Data JDBC, jOOQ, MyBatis or Hibernate unchanged.
 * Each connection it hands out is confined to the tenant bound in {@link io.tenantry.TenantContext}
 * when it was obtained, on whichever store and model the {@link TenantRouter} places that tenant:
 *
 * <ul>
 *   <li>{@link Placement#field(String, String)}: shared tables with a tenant column; every statement is
 *       rewritten so that it reads and writes the tenant's rows only, and PostgreSQL's row-level
 *       security holds the same line as a second wall (see {@link Builder#tenantColumn(String)});
 *   <li>{@link Placement#schema(String, String)}: a schema per tenant in a shared database; each
 *       connection is switched to the tenant's schema and to the tenant's own role, which has rights
 *       on that schema only, so even a schema-qualified name of another tenant fails in PostgreSQL;
 *   <li>{@link Placement#database(String, String)}: a database per tenant, each with a HikariCP pool
 *       created on first use, at most {@link Builder#maxPools(int)} of them, least recently used
 *       closed first, all within {@link Builder#connectionBudget(int)} connections.
 * </ul>
 *
 * <pre>{@code
 * TenantJdbc jdbc = TenantJdbc.builder()
 *     .store("main", JdbcStore.builder("jdbc:postgresql://db:5432/").credentials("app", secret).build())
 *     .directory(TenantDirectory.caching(JdbcTenantDirectory.of(controlPlane)).build())
 *     .router(TenantRouter.builder()
 *         .tier("standard", Placement.schema("main", "app"))
 *         .tier("enterprise", Placement.database("main", "t_"))
 *         .build())
 *     .migrations("classpath:db/tenant")
 *     .build();
 * DataSource dataSource = jdbc.dataSource();         // keep it; it routes per connection
 * jdbc.provisioning().ensure(TenantId.of("acme"));   // schema, role or database, and migrations
 * }</pre>
 *
 * <p>No tenant bound: {@code getConnection()} throws {@link io.tenantry.NoTenantBoundException} and
 * nothing is sent. A connection used while another tenant is bound, SQL that would leave the tenant
 * ({@code SET ROLE}, {@code SET search_path}, several statements in one string, the catalogs that
 * list every tenant) and {@code unwrap} to the driver's objects are refused with an
 * {@link io.tenantry.IsolationViolationException}. Thread-safe. Close it to close its pools.
 */
public final class TenantJdbc implements AutoCloseable {

    /** The default prefix of tenant schemas: tenant {@code acme}'s schema is {@code tenant_acme}. */
    public static final String DEFAULT_SCHEMA_PREFIX = "tenant_";

    /** The default prefix of tenant roles: tenant {@code acme}'s role in database {@code app} is {@code tenant_acme~app}. */
    public static final String DEFAULT_ROLE_PREFIX = "tenant_";

    /** The default tenant column of the FIELD model's shared tables. */
    public static final String DEFAULT_TENANT_COLUMN = "tenant_id";

    /** The rows per batch of {@link #dataStore()}'s copies. */
    public static final int DEFAULT_COPY_BATCH = 500;

    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    private final JdbcRouting routing;
    private final TenantPools pools;
    private final RoutingDataSource dataSource;
    private final JdbcProvisioning provisioning;
    private final JdbcTenantDataStore dataStore;
    private final @Nullable TenantQuotas quotas;

    private TenantJdbc(Builder builder) {
        if (builder.stores.isEmpty()) {
            throw new IllegalStateException("No store is configured: add .store(\"main\", JdbcStore.builder(url)"
                    + ".build()) to the TenantJdbc builder.");
        }
        if (!builder.rowLevelSecurity && !builder.sqlRewriting) {
            throw new IllegalStateException("Both walls of the FIELD model are off: with sqlRewriting(false), keep"
                    + " rowLevelSecurity(true), or nothing would confine tenants on shared tables.");
        }
        FieldModel field = new FieldModel(builder.sharedSchema, builder.tenantColumn, builder.tenantTables,
                builder.rowLevelSecurity, builder.sqlRewriting, builder.sharedMigrations, builder.rolePrefix);
        this.routing = new JdbcRouting(Objects.requireNonNull(builder.directory, "directory"),
                Objects.requireNonNull(builder.router, "router"), builder.stores, builder.schemaPrefix,
                builder.rolePrefix, field);
        this.pools = new TenantPools(builder.connectionBudget, builder.maxPools, builder.resetOnReturn);
        this.quotas = builder.quotas;
        this.dataSource = new RoutingDataSource(routing, pools, quotas);
        this.provisioning = new JdbcProvisioning(routing, List.copyOf(builder.migrations), field.sharedMigrations);
        this.dataStore = new JdbcTenantDataStore(routing, provisioning, pools, DEFAULT_COPY_BATCH, quotas);
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the routing data source; keep it, it routes per connection. The same instance on every call.
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /** Returns the provisioning of tenants' schemas, roles, databases and migrations. */
    public JdbcProvisioning provisioning() {
        return provisioning;
    }

    /**
     * Returns the {@link TenantDataStore} of this adapter, for {@link io.tenantry.TenantLifecycle}: it
     * provisions, copies (in batches of at most {@value #DEFAULT_COPY_BATCH} rows), measures and erases a
     * tenant's data at any placement on this adapter's stores, shared tables, schema or database, on one
     * server or across two.
     *
     * <pre>{@code
     * TenantLifecycle lifecycle = TenantLifecycle.builder(directory, router)
     *     .store(jdbc.dataStore())
     *     .journal(JdbcLifecycleJournal.of(controlPlane))
     *     .build();
     * lifecycle.recover();
     * lifecycle.move(TenantId.of("acme"), Placement.database("dedicated", "t_"), LifecycleProgress.Listener.none());
     * }</pre>
     *
     * <p>The tenant's tables are those of its schema or database (made by the
     * {@linkplain Builder#migrations(String...) tenant migrations}), or on shared tables the tenant tables and
     * the tenant's rows in them (the tenant column left out); a move needs the same tables and columns on both
     * sides. A copy reads the source through a server-side cursor in one snapshot and writes the target in
     * one transaction, parents before children, with batched inserts; each value goes as its type's text, so
     * {@code numeric}, {@code timestamptz}, {@code jsonb}, {@code bytea}, arrays, {@code uuid} and NULLs arrive
     * exactly, and serial and identity sequences are moved past the copied values. A digest counts and hashes
     * each table's rows on the server. Erasing deletes the tenant's rows from shared tables, or drops its
     * schema and role, or closes Tenantry's pool of its database and drops the database.
     *
     * <p>It works on new connections of the stores' login roles, outside any tenant scope and outside the
     * connection budget, and is confined to no tenant: hand it to the lifecycle only. Thread-safe; the same
     * instance on every call.
     *
     * @return the data store
     */
    public TenantDataStore dataStore() {
        return dataStore;
    }

    /**
     * Returns {@link #dataStore()} copying in batches of at most {@code batchRows} rows (and, once rows are
     * known to be wide, about 4 M characters of values): fewer for very wide rows, more for many narrow ones.
     *
     * @param batchRows rows per batch (of {@code INSERT}s into shared tables; of a {@code COPY}'s stream, and of
     *     the source's cursor, on every model), at least 1
     * @return a new data store
     * @throws IllegalArgumentException if {@code batchRows} is less than 1
     */
    public TenantDataStore dataStore(int batchRows) {
        return new JdbcTenantDataStore(routing, provisioning, pools, batchRows, quotas);
    }

    /**
     * Returns this adapter's {@link io.tenantry.spi.UsageMeter} for {@link io.tenantry.TenantMetering}: rows
     * and bytes per table, by {@code count(*)} of the tenant's rows, and {@code pg_total_relation_size} of
     * its own tables (schema and database models) or the sum of {@code pg_column_size} of its rows (shared
     * tables). It uses new connections of each store's login role, as the lifecycle does.
     */
    public io.tenantry.spi.UsageMeter meter() {
        return new JdbcTenantDataStore(routing, provisioning, pools, DEFAULT_COPY_BATCH, quotas);
    }

    /**
     * Returns where {@code tenant}'s data lives now.
     *
     * @throws io.tenantry.UnknownTenantException if the tenant is not in the directory
     * @throws io.tenantry.RoutingException if no placement applies
     */
    public Placement placement(TenantId tenant) {
        return routing.router.route(routing.directory.require(tenant));
    }

    /**
     * Returns the physical database that holds {@code tenant}'s data: its own on the database model, the
     * shared one on the schema model.
     */
    public String databaseName(TenantId tenant) {
        return routing.target(tenant).database();
    }

    /**
     * Returns the schema that holds {@code tenant}'s tables on the schema model, or empty on the database
     * model (where they are in the tenant database's own schemas).
     */
    public java.util.Optional<String> schemaName(TenantId tenant) {
        return java.util.Optional.ofNullable(routing.target(tenant).schema());
    }

    /** Returns the names of the configured stores. */
    public Set<String> storeNames() {
        return routing.stores.keySet();
    }

    /** Returns the store named {@code name}. @throws io.tenantry.RoutingException if there is none */
    public JdbcStore store(String name) {
        return routing.store(name);
    }

    /** Returns the tenant directory. */
    public TenantDirectory directory() {
        return routing.directory;
    }

    /**
     * Returns how many connections count against the budget now, over every pool of every store: those
     * open, and those closed in the last 100 ms, whose server backends may still be ending.
     */
    public int openConnections() {
        return pools.openConnections();
    }

    /** Returns the number of pools open now. */
    public int openPools() {
        return pools.poolCount();
    }

    /**
     * Returns the most connections Tenantry holds open at once, over every pool of every store: the
     * {@link Builder#connectionBudget(int)}. {@link #openConnections()} says how many count against it now.
     */
    public int connectionBudget() {
        return pools.budgetLimit();
    }

    /**
     * Returns the connections of store {@code store}'s pools now, summed over all of them (one per shared
     * database, one per tenant database in use): one figure per store, however many tenants it holds.
     * Opens nothing and sends nothing to the server; cheap enough for a metrics gauge.
     *
     * @throws io.tenantry.RoutingException if there is no such store
     */
    public JdbcPoolUsage poolUsage(String store) {
        routing.store(Objects.requireNonNull(store, "store"));
        return pools.usage(store);
    }

    /**
     * Checks whether store {@code store}'s server answers: runs {@code SELECT 1} on its
     * {@link JdbcStore#maintenanceDatabase()}, on a connection of its own that logs in with the store's
     * credentials and is closed at once. It takes no connection from the pools (a busy or exhausted pool
     * does not make the store look down) and does not count against the connection budget, and it
     * neither reaches a tenant's schema or database nor binds a tenant. Each call opens one connection,
     * so call it at the pace of a health probe, not per request.
     *
     * <p>Never throws for a failing store: a refused connection, a failed login or no answer within
     * {@code timeout} all give a {@linkplain JdbcStoreHealth#isUp() down} result carrying the error. The
     * call returns within {@code timeout} (plus the time to start a thread); a check that timed out ends
     * in the background once the driver's own timeouts, {@code timeout} rounded up to whole seconds,
     * have passed. Thread-safe.
     *
     * @param store the store's name
     * @param timeout how long to wait for the answer, for example the store's
     *     {@link JdbcStore#connectionTimeout()}
     * @throws io.tenantry.RoutingException if there is no such store
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public JdbcStoreHealth checkHealth(String store, java.time.Duration timeout) {
        JdbcStore checked = routing.store(Objects.requireNonNull(store, "store"));
        if (Objects.requireNonNull(timeout, "timeout").isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("The health check's timeout must be positive, was " + timeout);
        }
        return StoreHealthCheck.check(store, checked, timeout);
    }

    JdbcRouting routing() {
        return routing;
    }

    TenantPools pools() {
        return pools;
    }

    /** Closes every pool; connections on loan are closed by HikariCP. Idempotent. */
    @Override
    public void close() {
        pools.close();
        provisioning.close();
    }

    /** Configures a {@link TenantJdbc}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, JdbcStore> stores = new LinkedHashMap<>();
        private final List<String> migrations = new ArrayList<>();
        private @Nullable TenantDirectory directory;
        private @Nullable TenantRouter router;
        private String schemaPrefix = DEFAULT_SCHEMA_PREFIX;
        private String rolePrefix = DEFAULT_ROLE_PREFIX;
        private int connectionBudget = 100;
        private int maxPools = 200;
        private boolean resetOnReturn = true;
        private String tenantColumn = DEFAULT_TENANT_COLUMN;
        private final Set<String> tenantTables = new java.util.LinkedHashSet<>();
        private String sharedSchema = "public";
        private final List<String> sharedMigrations = new ArrayList<>();
        private boolean rowLevelSecurity = true;
        private boolean sqlRewriting = true;
        private @Nullable TenantQuotas quotas;

        private Builder() {
        }

        /** Adds a named PostgreSQL server; placements name it as their store. */
        public Builder store(String name, JdbcStore store) {
            Objects.requireNonNull(name, "name");
            Placement.field(name, "check");
            if (stores.putIfAbsent(name, Objects.requireNonNull(store, "store")) != null) {
                throw new IllegalArgumentException("Store \"" + name + "\" is configured twice.");
            }
            return this;
        }

        /** Sets the tenant catalogue; wrap it in {@link TenantDirectory#caching} for speed. */
        public Builder directory(TenantDirectory directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** Sets the router that places tenants. */
        public Builder router(TenantRouter router) {
            this.router = Objects.requireNonNull(router, "router");
            return this;
        }

        /**
         * Sets the prefix of tenant schemas (default {@value TenantJdbc#DEFAULT_SCHEMA_PREFIX}).
         *
         * @throws IllegalArgumentException unless 1 to 32 characters of {@code [a-z0-9_]}, starting with a letter
         */
        public Builder schemaPrefix(String prefix) {
            this.schemaPrefix = checkPrefix(prefix, "schema");
            return this;
        }

        /**
         * Sets the prefix of tenant roles (default {@value TenantJdbc#DEFAULT_ROLE_PREFIX}); roles are
         * server-wide, so two applications on one server should use different prefixes.
         *
         * @throws IllegalArgumentException unless 1 to 32 characters of {@code [a-z0-9_]}, starting with a letter
         */
        public Builder rolePrefix(String prefix) {
            this.rolePrefix = checkPrefix(prefix, "role");
            return this;
        }

        /**
         * Adds Flyway locations of the tenant migrations ({@code classpath:db/tenant},
         * {@code filesystem:/migrations}), run by {@link JdbcProvisioning} in each tenant's schema or database.
         */
        public Builder migrations(String... locations) {
            for (String location : locations) {
                if (!migrations.contains(Objects.requireNonNull(location, "location"))) {
                    migrations.add(location);
                }
            }
            return this;
        }

        /**
         * Sets the most physical connections Tenantry holds open, over all pools of all stores (default 100).
         *
         * @throws IllegalArgumentException if under 1
         */
        public Builder connectionBudget(int connections) {
            if (connections < 1) {
                throw new IllegalArgumentException("connectionBudget must be at least 1, was " + connections);
            }
            this.connectionBudget = connections;
            return this;
        }

        /**
         * Sets the most pools open at once (default 200): one per shared database and one per tenant
         * database in use. Beyond it the least recently used pool without a connection on loan is closed.
         *
         * @throws IllegalArgumentException if under 1
         */
        public Builder maxPools(int pools) {
            if (pools < 1) {
                throw new IllegalArgumentException("maxPools must be at least 1, was " + pools);
            }
            this.maxPools = pools;
            return this;
        }

        /**
         * Sets whether a schema-model connection is reset to the login role and the empty schema each
         * time it goes back to the pool (default true). With false, a connection returned clean keeps
         * pointing at its tenant while idle in the pool, and is switched by the next checkout instead:
         * in the same single round trip when another tenant takes it, and with none at all when the
         * same tenant does, which saves one or two round trips per checkout. Connections returned
         * dirty (open or failed transaction, changed settings) are reset on return either way, and
         * no connection ever leaves the pool except through a checkout that switches it first.
         */
        public Builder resetOnReturn(boolean reset) {
            this.resetOnReturn = reset;
            return this;
        }

        /**
         * Sets the tenant column of the FIELD model's shared tables (default
         * {@value TenantJdbc#DEFAULT_TENANT_COLUMN}), as PostgreSQL stores its name (unquoted names are
         * lower case). Tenant code never sees it: {@code SELECT *} leaves it out, inserts fill it, and
         * assigning it is refused.
         *
         * @throws IllegalArgumentException if blank
         */
        public Builder tenantColumn(String column) {
            Objects.requireNonNull(column, "column");
            if (column.isBlank()) {
                throw new IllegalArgumentException("The tenant column must not be blank");
            }
            this.tenantColumn = column;
            return this;
        }

        /**
         * Declares the FIELD model's tenant tables. By default they are discovered: every table and view
         * of the shared schema with the tenant column. Once declared, exactly these are tenant tables, and
         * provisioning fails if one lacks the column; the others are shared (read-only for tenants).
         */
        public Builder tenantTables(String... tables) {
            for (String table : tables) {
                tenantTables.add(Objects.requireNonNull(table, "table"));
            }
            return this;
        }

        /** Sets the schema of the FIELD model's shared tables in each shared database (default {@code public}). */
        public Builder sharedSchema(String schema) {
            Objects.requireNonNull(schema, "schema");
            if (schema.isBlank() || schema.startsWith("pg_")) {
                throw new IllegalArgumentException("Invalid shared schema \"" + schema + "\"");
            }
            this.sharedSchema = schema;
            return this;
        }

        /**
         * Adds Flyway locations of the migrations that create the FIELD model's shared tables, run by
         * {@link JdbcProvisioning} once per shared database, in the shared schema, before it prepares the
         * tables (tenant-scoped keys, row-level security). Without them, the tables must exist already.
         */
        public Builder sharedMigrations(String... locations) {
            for (String location : locations) {
                if (!sharedMigrations.contains(Objects.requireNonNull(location, "location"))) {
                    sharedMigrations.add(location);
                }
            }
            return this;
        }

        /**
         * Sets whether the FIELD model's tenant tables get PostgreSQL row-level security as a second wall
         * (default true): a policy whose {@code USING} and {@code WITH CHECK} compare the tenant column
         * with the bound tenant, enabled and forced, so that even SQL Tenantry did not rewrite (a view,
         * a function) sees and writes the tenant's rows only. Provisioning applies the change either way.
         */
        public Builder rowLevelSecurity(boolean enabled) {
            this.rowLevelSecurity = enabled;
            return this;
        }

        /**
         * Sets whether the FIELD model rewrites tenant SQL (default true). Turn it off only to diagnose a
         * statement, or to run with row-level security alone: then {@code SELECT *} shows the tenant
         * column, and confinement rests on the policies.
         *
         * @see #rowLevelSecurity(boolean)
         */
        public Builder sqlRewriting(boolean enabled) {
            this.sqlRewriting = enabled;
            return this;
        }

        /**
         * Enforces {@code quotas} on every write of tenant code through {@link TenantJdbc#dataSource()} (off unless
         * set; without it no statement is read for quotas and writes cost nothing more). A statement that may add
         * rows to a table under an items quota of the tenant (by its name as the tenant writes it, {@code cards}
         * for {@code cards}, {@code "cards"} or a name qualified with the tenant's own schema), or any table when
         * the tenant has a bytes quota, runs inside a savepoint of the caller's transaction (or, in auto-commit
         * mode, a transaction of its own), reserves exactly the rows it added, and is rolled back and refused
         * with an {@link io.tenantry.QuotaExceededException} if they do not fit. Deletes, {@code TRUNCATE} and
         * {@code DROP TABLE} give rows back when their transaction commits. Erasing a deleted tenant through
         * {@link TenantJdbc#dataStore()} forgets its counts. See the adapter's README for the bound on overshoot
         * and the cost.
         */
        public Builder quotas(TenantQuotas quotas) {
            this.quotas = Objects.requireNonNull(quotas, "quotas");
            return this;
        }

        /**
         * Builds the adapter. No connection is opened until the first use.
         *
         * @throws NullPointerException if the directory or router is missing
         * @throws IllegalStateException if no store is configured, or both row-level security and SQL
         *     rewriting are off
         */
        public TenantJdbc build() {
            return new TenantJdbc(this);
        }

        private static String checkPrefix(String prefix, String what) {
            Objects.requireNonNull(prefix, "prefix");
            if (!PREFIX.matcher(prefix).matches()) {
                throw new IllegalArgumentException("Invalid " + what + " prefix \"" + prefix + "\": use 1 to 32"
                        + " characters of a-z, 0-9 and '_', starting with a letter, such as \"tenant_\".");
            }
            return prefix;
        }
    }
}
