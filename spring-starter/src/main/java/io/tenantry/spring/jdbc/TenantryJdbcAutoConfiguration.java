package io.tenantry.spring.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.tenantry.IsolationModel;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantQuotas;
import io.tenantry.TenantRouter;
import io.tenantry.jdbc.JdbcStore;
import io.tenantry.jdbc.TenantJdbc;
import io.tenantry.spring.InvalidTenantryConfigurationException;
import io.tenantry.spring.TenantStores;
import io.tenantry.spring.TenantryAutoConfiguration;
import io.tenantry.spring.TenantryProperties;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Primary;

/**
 * PostgreSQL wiring. The application's primary {@link DataSource} becomes Tenantry's routing one
 * ({@link #ROUTING_DATA_SOURCE}), so {@code JdbcTemplate}, {@code JdbcClient}, Spring Data JDBC and JPA and
 * Spring's transaction managers all work on the bound tenant's schema, database or rows. The control
 * plane (the catalogue, Boot's Flyway, the application's administration tables) stays on a plain pool:
 * the application's own {@code DataSource} bean if it has one, else {@link #CONTROL_PLANE_DATA_SOURCE}
 * built from {@code spring.datasource.*}.
 *
 * <p>Runs before Spring Boot's {@code DataSource} auto-configuration, which then backs off.
 */
@AutoConfiguration(after = TenantryAutoConfiguration.class, beforeName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
        "org.springframework.boot.data.jdbc.autoconfigure.DataJdbcRepositoriesAutoConfiguration",
        "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"})
@ConditionalOnClass({TenantJdbc.class, DataSourceProperties.class, HikariDataSource.class})
@ConditionalOnBooleanProperty(name = "tenantry.jdbc.enabled", matchIfMissing = true)
@Conditional(OnJdbcConfigured.class)
@EnableConfigurationProperties({TenantryProperties.class, TenantryJdbcProperties.class, DataSourceProperties.class})
@Import({TenantryJdbcAutoConfiguration.ControlPlaneConfiguration.class, JdbcDirectoryConfiguration.class,
        JdbcFrameworkConfiguration.class, JdbcLifecycleConfiguration.class, JdbcAuditConfiguration.class,
        JdbcMeteringConfiguration.class, JdbcQuotaConfiguration.class})
public final class TenantryJdbcAutoConfiguration {

    /** Name of the routing {@code DataSource} bean, the application's primary one. */
    public static final String ROUTING_DATA_SOURCE = "tenantryDataSource";

    /**
     * Name of the control-plane {@code DataSource} built from {@code spring.datasource.*} when the
     * application has none of its own. It is not a default candidate for injection by type; ask for it by
     * {@code @Qualifier(CONTROL_PLANE_DATA_SOURCE)}.
     */
    public static final String CONTROL_PLANE_DATA_SOURCE = "tenantryControlPlaneDataSource";

    /** The store name of the control plane's server when {@code tenantry.jdbc.stores} is empty. */
    public static final String DEFAULT_STORE = "main";

    /** Builds the control plane from {@code spring.datasource.*} when the application defines no DataSource. */
    @Configuration(proxyBeanMethods = false)
    static class ControlPlaneConfiguration {

        @Bean(name = CONTROL_PLANE_DATA_SOURCE, defaultCandidate = false, destroyMethod = "close")
        @ConditionalOnMissingBean(DataSource.class)
        @ConfigurationProperties("spring.datasource.hikari")
        HikariDataSource tenantryControlPlaneDataSource(DataSourceProperties properties) {
            if (properties.getUrl() == null || properties.getUrl().isBlank()) {
                throw new InvalidTenantryConfigurationException("spring.datasource.url", null,
                        "Tenantry's JDBC wiring needs the control-plane database, which holds the tenant catalogue"
                                + " and the migrations Spring Boot's Flyway runs, and no DataSource is configured.",
                        "Set spring.datasource.url (e.g. jdbc:postgresql://localhost:5432/app), username and"
                                + " password, define a DataSource bean for it, or set tenantry.jdbc.enabled=false.");
            }
            HikariDataSource dataSource = properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
            dataSource.setPoolName("tenantry-control-plane");
            return dataSource;
        }
    }

    @Bean
    @ConditionalOnMissingBean
    ControlPlane tenantryJdbcControlPlane(ListableBeanFactory beans, TenantryJdbcProperties properties,
            DataSourceProperties boot) {
        String named = properties.getControlPlane();
        List<String> candidates = new ArrayList<>();
        if (named != null) {
            if (!beans.containsBean(named) || !beans.isTypeMatch(named, DataSource.class)) {
                throw new InvalidTenantryConfigurationException("tenantry.jdbc.control-plane", named,
                        "there is no DataSource bean of that name.", "Name the bean of your control-plane DataSource,"
                                + " or remove the property to use spring.datasource.*.");
            }
            candidates.add(named);
        } else {
            for (String name : beans.getBeanNamesForType(DataSource.class, true, false)) {
                if (!name.equals(ROUTING_DATA_SOURCE) && !name.equals(CONTROL_PLANE_DATA_SOURCE)) {
                    candidates.add(name);
                }
            }
            if (candidates.isEmpty() && beans.containsBean(CONTROL_PLANE_DATA_SOURCE)) {
                candidates.add(CONTROL_PLANE_DATA_SOURCE);
            }
        }
        if (candidates.size() != 1) {
            throw new InvalidTenantryConfigurationException("tenantry.jdbc.control-plane", null,
                    candidates.isEmpty() ? "no DataSource for the control plane exists."
                            : "the application has several DataSource beans " + candidates + ", and Tenantry cannot"
                                    + " tell which one holds the control plane (the tenant catalogue).",
                    "Set tenantry.jdbc.control-plane to the bean name of the control-plane DataSource.");
        }
        String name = candidates.get(0);
        DataSource dataSource = beans.getBean(name, DataSource.class);
        if (dataSource instanceof HikariDataSource hikari) {
            return new ControlPlane(dataSource, name, hikari.getJdbcUrl(), hikari.getUsername(), hikari.getPassword());
        }
        return name.equals(CONTROL_PLANE_DATA_SOURCE)
                ? new ControlPlane(dataSource, name, boot.getUrl(), boot.getUsername(), boot.getPassword())
                : new ControlPlane(dataSource, name, null, null, null);
    }

    @Bean
    @ConditionalOnMissingBean
    JdbcStores tenantryJdbcStores(TenantryJdbcProperties properties, ControlPlane controlPlane) {
        Map<String, JdbcStore> stores = new LinkedHashMap<>();
        if (properties.getStores().isEmpty()) {
            String server = controlPlane.serverUrl();
            if (server == null) {
                throw new InvalidTenantryConfigurationException("tenantry.jdbc.stores", null,
                        "no PostgreSQL store is configured, and the control plane (" + controlPlane.beanName()
                                + ") does not tell a PostgreSQL server to use as store \"" + DEFAULT_STORE + "\".",
                        "Add tenantry.jdbc.stores." + DEFAULT_STORE + ".url=jdbc:postgresql://host:5432/ with its"
                                + " username and password.");
            }
            JdbcStore.Builder store = build("spring.datasource.url", controlPlane.url(),
                    () -> JdbcStore.builder(server), "Use a PostgreSQL URL such as jdbc:postgresql://host:5432/app.");
            if (controlPlane.username() != null) {
                store.credentials(controlPlane.username(), controlPlane.password() == null ? "" : controlPlane.password());
            }
            stores.put(DEFAULT_STORE, store.build());
            return new JdbcStores(stores, true);
        }
        properties.getStores().forEach((name, settings) -> stores.put(name, store(name, settings)));
        return new JdbcStores(stores, false);
    }

    private static JdbcStore store(String name, TenantryJdbcProperties.Store settings) {
        String at = "tenantry.jdbc.stores." + name;
        String url = settings.getUrl();
        if (url == null || url.isBlank()) {
            throw new InvalidTenantryConfigurationException(at + ".url", null, "every store needs its server's URL.",
                    "Set " + at + ".url=jdbc:postgresql://host:5432/ (the server, without a database).");
        }
        JdbcStore.Builder store = build(at + ".url", url, () -> JdbcStore.builder(url),
                "Use the server's URL without a database, e.g. jdbc:postgresql://db1:5432/ (each placement names its"
                        + " database).");
        if (settings.getUsername() != null) {
            store.credentials(settings.getUsername(), settings.getPassword() == null ? "" : settings.getPassword());
        }
        build(at + ".maximum-pool-size", settings.getMaximumPoolSize(),
                () -> store.maximumPoolSize(settings.getMaximumPoolSize()), "Use at least 1.");
        build(at + ".connection-timeout", settings.getConnectionTimeout(),
                () -> store.connectionTimeout(settings.getConnectionTimeout()), "Use a positive duration, e.g. 5s.");
        build(at + ".idle-timeout", settings.getIdleTimeout(), () -> store.idleTimeout(settings.getIdleTimeout()),
                "Use a positive duration, e.g. 1m.");
        build(at + ".maintenance-database", settings.getMaintenanceDatabase(),
                () -> store.maintenanceDatabase(settings.getMaintenanceDatabase()), "Name an existing database.");
        return store.build();
    }

    @Bean
    @ConditionalOnMissingBean(name = "tenantryJdbcStoreNames")
    TenantStores tenantryJdbcStoreNames(JdbcStores stores) {
        return TenantStores.of("PostgreSQL store", stores.stores().keySet(), "tenantry.jdbc.stores.");
    }

    /**
     * The adapter. The directory is resolved on first use: Boot's Flyway asks for the primary DataSource
     * (this adapter's) while the JDBC catalogue waits for Flyway's migrations.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    TenantJdbc tenantJdbc(JdbcStores stores, ControlPlane controlPlane, @Lazy TenantDirectory directory, TenantRouter router,
            TenantryProperties tenantry, TenantryJdbcProperties properties,
            ObjectProvider<TenantJdbcBuilderCustomizer> customizers, ObjectProvider<TenantQuotas> quotas) {
        if (stores.derived()) {
            refuseControlPlaneAsSharedTables(controlPlane, tenantry.getRouting(), properties);
        }
        TenantJdbc.Builder builder = TenantJdbc.builder().directory(directory).router(router);
        stores.stores().forEach(builder::store);
        quotas.ifUnique(builder::quotas);
        build("tenantry.jdbc.tenant-column", properties.getTenantColumn(),
                () -> builder.tenantColumn(properties.getTenantColumn()), "Use a plain column name such as tenant_id.");
        if (!properties.getTenantTables().isEmpty()) {
            build("tenantry.jdbc.tenant-tables", properties.getTenantTables(),
                    () -> builder.tenantTables(properties.getTenantTables().toArray(String[]::new)),
                    "List plain table names of the shared schema.");
        }
        build("tenantry.jdbc.shared-schema", properties.getSharedSchema(),
                () -> builder.sharedSchema(properties.getSharedSchema()), "Use a plain schema name such as public.");
        builder.rowLevelSecurity(properties.isRowLevelSecurity()).sqlRewriting(properties.isSqlRewriting());
        if (properties.getSchemaPrefix() != null) {
            build("tenantry.jdbc.schema-prefix", properties.getSchemaPrefix(),
                    () -> builder.schemaPrefix(properties.getSchemaPrefix()), "Use e.g. tenant_.");
        }
        if (properties.getRolePrefix() != null) {
            build("tenantry.jdbc.role-prefix", properties.getRolePrefix(),
                    () -> builder.rolePrefix(properties.getRolePrefix()), "Use e.g. tenant_.");
        }
        build("tenantry.jdbc.migrations", properties.getMigrations(),
                () -> builder.migrations(properties.getMigrations().toArray(String[]::new)),
                "Use Flyway locations such as classpath:db/tenant.");
        build("tenantry.jdbc.shared-migrations", properties.getSharedMigrations(),
                () -> builder.sharedMigrations(properties.getSharedMigrations().toArray(String[]::new)),
                "Use Flyway locations such as classpath:db/shared.");
        build("tenantry.jdbc.connection-budget", properties.getConnectionBudget(),
                () -> builder.connectionBudget(properties.getConnectionBudget()), "Use at least 1.");
        build("tenantry.jdbc.max-pools", properties.getMaxPools(), () -> builder.maxPools(properties.getMaxPools()),
                "Use at least 1.");
        builder.resetOnReturn(properties.isResetOnReturn());
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        try {
            return builder.build();
        } catch (IllegalStateException e) {
            throw new InvalidTenantryConfigurationException("tenantry.jdbc", null, String.valueOf(e.getMessage()),
                    "Turn tenantry.jdbc.row-level-security or tenantry.jdbc.sql-rewriting back on.");
        }
    }

    /**
     * Tenants on the field model may read every table of the shared schema that has no tenant column
     * (shared reference data). In the control-plane database that would be the catalogue, Flyway's history
     * and the application's administration tables.
     */
    private static void refuseControlPlaneAsSharedTables(ControlPlane controlPlane, TenantryProperties.Routing routing,
            TenantryJdbcProperties properties) {
        String database = controlPlane.database();
        if (database == null || !"public".equals(properties.getSharedSchema())) {
            return;
        }
        Map<String, TenantryProperties.PlacementRule> rules = new LinkedHashMap<>();
        routing.getTiers().forEach((tier, rule) -> rules.put("tenantry.routing.tiers." + tier, rule));
        routing.getRegions().forEach((region, rule) -> rules.put("tenantry.routing.regions." + region, rule));
        if (routing.getDefaultPlacement() != null) {
            rules.put("tenantry.routing.default-placement", routing.getDefaultPlacement());
        }
        rules.forEach((at, rule) -> {
            if (rule.getModel() == IsolationModel.FIELD && DEFAULT_STORE.equals(rule.getStore())
                    && database.equals(rule.getDatabase())) {
                throw new InvalidTenantryConfigurationException(at + ".database", database, "the field model's"
                        + " shared tables would be in the control-plane database's public schema, where tenants may"
                        + " read every table without a tenant column: the tenant catalogue, Flyway's history and your"
                        + " administration tables.", "Give the shared tables a database of their own (" + at
                        + ".database=" + database + "_shared), or a schema of their own (tenantry.jdbc.shared-schema).");
            }
        });
    }

    /**
     * The routing {@code DataSource}: every connection belongs to the tenant bound when it is taken. No
     * tenant bound: {@link io.tenantry.NoTenantBoundException}.
     */
    @Bean(ROUTING_DATA_SOURCE)
    @Primary
    @ConditionalOnMissingBean(name = ROUTING_DATA_SOURCE)
    DataSource tenantryDataSource(TenantJdbc jdbc) {
        return jdbc.dataSource();
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "tenantry.jdbc.provision-on-startup", matchIfMissing = true)
    JdbcProvisioningOnStartup tenantryJdbcProvisioning(TenantJdbc jdbc, TenantryJdbcProperties properties) {
        int parallelism = properties.getProvisioningParallelism();
        if (parallelism < 1) {
            throw new InvalidTenantryConfigurationException("tenantry.jdbc.provisioning-parallelism", parallelism,
                    "at least one tenant must be provisioned at a time.", "Use 1 or more (default 4).");
        }
        return new JdbcProvisioningOnStartup(jdbc, parallelism);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnClass(name = "org.springframework.transaction.support.TransactionSynchronizationManager")
    TransactionTenantGuard tenantryTransactionTenantGuard(TenantJdbc jdbc) {
        return new TransactionTenantGuard(jdbc.dataSource());
    }

    static <T> T build(String property, @Nullable Object value, Supplier<T> factory, String action) {
        try {
            return factory.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidTenantryConfigurationException(property,
                    value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                            : value instanceof Object[] array ? Arrays.toString(array) : value,
                    String.valueOf(e.getMessage()), action);
        }
    }
}
