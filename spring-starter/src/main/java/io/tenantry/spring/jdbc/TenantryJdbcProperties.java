package io.tenantry.spring.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The {@code tenantry.jdbc.*} properties: the JDBC adapter's PostgreSQL stores and settings. */
@ConfigurationProperties("tenantry.jdbc")
public class TenantryJdbcProperties {

    /** Whether Tenantry's JDBC wiring (the routing DataSource, its stores and provisioning) is active. */
    private boolean enabled = true;

    /**
     * PostgreSQL servers by name; routing rules name them as their store. When empty, the server of the
     * control plane (spring.datasource.*) is the single store "main", with the same credentials.
     */
    private Map<String, Store> stores = new LinkedHashMap<>();

    /**
     * Name of a DataSource bean of the application that holds the control plane (the tenant catalogue and
     * Boot's Flyway migrations); unset means the application's only DataSource bean, or else one built
     * from spring.datasource.*.
     */
    private @Nullable String controlPlane;

    /** Column that tells tenants apart in the shared tables of the field model. */
    private String tenantColumn = "tenant_id";

    /** Tables of the field model that hold tenant rows; empty means every table of the shared schema with the tenant column. */
    private List<String> tenantTables = new ArrayList<>();

    /** Schema of the field model's shared tables. */
    private String sharedSchema = "public";

    /** Whether the field model's tables get PostgreSQL row-level security as a second wall behind the SQL rewriting. */
    private boolean rowLevelSecurity = true;

    /** Whether SQL on the field model's tables is rewritten to the tenant's rows (off leaves row-level security alone). */
    private boolean sqlRewriting = true;

    /** Prefix of each tenant's schema on the schema model; the adapter's default ("tenant_") when unset. */
    private @Nullable String schemaPrefix;

    /** Prefix of the PostgreSQL roles Tenantry creates; the adapter's default when unset. */
    private @Nullable String rolePrefix;

    /** Flyway locations of each tenant's migrations (schema and database models), run by provisioning. */
    private List<String> migrations = new ArrayList<>();

    /** Flyway locations of the field model's shared tables, run once per shared database by provisioning. */
    private List<String> sharedMigrations = new ArrayList<>();

    /** Whether the placements of all catalogue tenants (schemas, roles, databases, migrations) are created at start-up. */
    private boolean provisionOnStartup = true;

    /** Tenants provisioned at the same time at start-up; each holds up to three connections of its own. */
    private int provisioningParallelism = 4;

    /** Most connections open at once over all pools of all stores. */
    private int connectionBudget = 100;

    /** Most pools open at once over all stores (one per shared database and per tenant database in use). */
    private int maxPools = 200;

    /** Whether every connection is reset when returned to its pool (off: only connections returned dirty). */
    private boolean resetOnReturn = true;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Map<String, Store> getStores() {
        return stores;
    }

    public void setStores(Map<String, Store> stores) {
        this.stores = stores;
    }

    public @Nullable String getControlPlane() {
        return controlPlane;
    }

    public void setControlPlane(@Nullable String controlPlane) {
        this.controlPlane = controlPlane;
    }

    public String getTenantColumn() {
        return tenantColumn;
    }

    public void setTenantColumn(String tenantColumn) {
        this.tenantColumn = tenantColumn;
    }

    public List<String> getTenantTables() {
        return tenantTables;
    }

    public void setTenantTables(List<String> tenantTables) {
        this.tenantTables = tenantTables;
    }

    public String getSharedSchema() {
        return sharedSchema;
    }

    public void setSharedSchema(String sharedSchema) {
        this.sharedSchema = sharedSchema;
    }

    public boolean isRowLevelSecurity() {
        return rowLevelSecurity;
    }

    public void setRowLevelSecurity(boolean rowLevelSecurity) {
        this.rowLevelSecurity = rowLevelSecurity;
    }

    public boolean isSqlRewriting() {
        return sqlRewriting;
    }

    public void setSqlRewriting(boolean sqlRewriting) {
        this.sqlRewriting = sqlRewriting;
    }

    public @Nullable String getSchemaPrefix() {
        return schemaPrefix;
    }

    public void setSchemaPrefix(@Nullable String schemaPrefix) {
        this.schemaPrefix = schemaPrefix;
    }

    public @Nullable String getRolePrefix() {
        return rolePrefix;
    }

    public void setRolePrefix(@Nullable String rolePrefix) {
        this.rolePrefix = rolePrefix;
    }

    public List<String> getMigrations() {
        return migrations;
    }

    public void setMigrations(List<String> migrations) {
        this.migrations = migrations;
    }

    public List<String> getSharedMigrations() {
        return sharedMigrations;
    }

    public void setSharedMigrations(List<String> sharedMigrations) {
        this.sharedMigrations = sharedMigrations;
    }

    public boolean isProvisionOnStartup() {
        return provisionOnStartup;
    }

    public void setProvisionOnStartup(boolean provisionOnStartup) {
        this.provisionOnStartup = provisionOnStartup;
    }

    public int getProvisioningParallelism() {
        return provisioningParallelism;
    }

    public void setProvisioningParallelism(int provisioningParallelism) {
        this.provisioningParallelism = provisioningParallelism;
    }

    public int getConnectionBudget() {
        return connectionBudget;
    }

    public void setConnectionBudget(int connectionBudget) {
        this.connectionBudget = connectionBudget;
    }

    public int getMaxPools() {
        return maxPools;
    }

    public void setMaxPools(int maxPools) {
        this.maxPools = maxPools;
    }

    public boolean isResetOnReturn() {
        return resetOnReturn;
    }

    public void setResetOnReturn(boolean resetOnReturn) {
        this.resetOnReturn = resetOnReturn;
    }

    /** One PostgreSQL server. */
    public static class Store {

        /** JDBC URL of the server without a database, e.g. jdbc:postgresql://db1:5432/ (parameters allowed after "/?"). */
        private @Nullable String url;

        /** Login role: an ordinary role with CREATEROLE and CREATEDB is enough (see the JDBC adapter's README). */
        private @Nullable String username;

        /** Password of the login role. */
        private @Nullable String password;

        /** Most connections of each pool Tenantry opens on this server (one per shared database, one per tenant database). */
        private int maximumPoolSize = 10;

        /** Longest wait for a connection, after which the caller gets a StoreUnavailableException naming the store. */
        private Duration connectionTimeout = Duration.ofSeconds(5);

        /** How long an unused connection stays open. */
        private Duration idleTimeout = Duration.ofMinutes(1);

        /** Database Tenantry connects to when it creates tenant databases. */
        private String maintenanceDatabase = "postgres";

        public @Nullable String getUrl() {
            return url;
        }

        public void setUrl(@Nullable String url) {
            this.url = url;
        }

        public @Nullable String getUsername() {
            return username;
        }

        public void setUsername(@Nullable String username) {
            this.username = username;
        }

        public @Nullable String getPassword() {
            return password;
        }

        public void setPassword(@Nullable String password) {
            this.password = password;
        }

        public int getMaximumPoolSize() {
            return maximumPoolSize;
        }

        public void setMaximumPoolSize(int maximumPoolSize) {
            this.maximumPoolSize = maximumPoolSize;
        }

        public Duration getConnectionTimeout() {
            return connectionTimeout;
        }

        public void setConnectionTimeout(Duration connectionTimeout) {
            this.connectionTimeout = connectionTimeout;
        }

        public Duration getIdleTimeout() {
            return idleTimeout;
        }

        public void setIdleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
        }

        public String getMaintenanceDatabase() {
            return maintenanceDatabase;
        }

        public void setMaintenanceDatabase(String maintenanceDatabase) {
            this.maintenanceDatabase = maintenanceDatabase;
        }
    }
}
