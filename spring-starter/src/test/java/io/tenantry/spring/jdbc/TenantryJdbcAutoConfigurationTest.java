package io.tenantry.spring.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.tenantry.IsolationModel;
import io.tenantry.IsolationViolationException;
import io.tenantry.NoTenantBoundException;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.jdbc.JdbcTenantDirectory;
import io.tenantry.jdbc.TenantJdbc;
import io.tenantry.spring.InvalidTenantryConfigurationException;
import io.tenantry.spring.TenantStores;
import io.tenantry.spring.TenantryAutoConfiguration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.UserConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jdbc.core.dialect.JdbcDialect;
import org.springframework.data.jdbc.core.dialect.JdbcPostgresDialect;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Every condition and property of the JDBC wiring, on a real PostgreSQL. */
class TenantryJdbcAutoConfigurationTest {

    private static TestPostgres postgres;
    private static String control;
    private static String shared;

    @BeforeAll
    static void databases() {
        postgres = TestPostgres.get();
        control = postgres.freshDatabase("wiring_control");
        shared = postgres.freshDatabase("wiring_shared");
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TenantryAutoConfiguration.class,
                    TenantryJdbcAutoConfiguration.class, DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, JdbcTemplateAutoConfiguration.class));

    private static String[] controlPlane(String database) {
        return new String[] {"spring.datasource.url=" + postgres.url(database),
                "spring.datasource.username=" + TestPostgres.APP_USER,
                "spring.datasource.password=" + TestPostgres.APP_PASSWORD};
    }

    /** Two tenants per model: acme and acme1 on schemas, bravo on shared tables, carol on a database. */
    private ApplicationContextRunner threeModels() {
        String prefix = postgres.freshPrefix();
        return runner.withPropertyValues(controlPlane(control)).withPropertyValues(
                "tenantry.directory.tenants[0].id=acme", "tenantry.directory.tenants[0].tier=pro",
                "tenantry.directory.tenants[1].id=acme1", "tenantry.directory.tenants[1].tier=pro",
                "tenantry.directory.tenants[2].id=bravo", "tenantry.directory.tenants[2].tier=free",
                "tenantry.directory.tenants[3].id=carol", "tenantry.directory.tenants[3].tier=enterprise",
                "tenantry.routing.tiers.free.model=field", "tenantry.routing.tiers.free.database=" + shared,
                "tenantry.routing.tiers.pro.model=schema", "tenantry.routing.tiers.pro.database=" + shared,
                "tenantry.routing.tiers.enterprise.model=database", "tenantry.routing.tiers.enterprise.prefix=" + prefix,
                "tenantry.jdbc.migrations=classpath:jdbc/wiring/tenant",
                "tenantry.jdbc.shared-migrations=classpath:jdbc/wiring/shared");
    }

    private static void assertInvalid(AssertableApplicationContext context, String property, String... words) {
        assertThat(context).hasFailed();
        Throwable failure = context.getStartupFailure();
        while (failure != null && !(failure instanceof InvalidTenantryConfigurationException)) {
            failure = failure.getCause();
        }
        assertThat(failure).as("an InvalidTenantryConfigurationException in %s", context.getStartupFailure())
                .isInstanceOf(InvalidTenantryConfigurationException.class);
        InvalidTenantryConfigurationException invalid = (InvalidTenantryConfigurationException) failure;
        assertThat(invalid.property()).isEqualTo(property);
        if (words.length > 0) {
            assertThat(invalid.getMessage()).contains(words);
        }
    }

    @Test
    @DisplayName("Without a DataSource, a URL or stores, the JDBC adapter on the class path wires nothing")
    void backsOffWithoutPostgres() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TenantryAutoConfiguration.class,
                TenantryJdbcAutoConfiguration.class)).withPropertyValues("tenantry.directory.tenants[0].id=acme")
                .run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(TenantJdbc.class)
                    .doesNotHaveBean(TenantryJdbcAutoConfiguration.CONTROL_PLANE_DATA_SOURCE);
        });
    }

    @Test
    @DisplayName("tenantry.jdbc.enabled=false leaves Spring Boot's own DataSource in place")
    void disabled() {
        runner.withPropertyValues(controlPlane(control)).withPropertyValues("tenantry.jdbc.enabled=false")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(TenantJdbc.class);
                    assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
                });
    }

    @Test
    @DisplayName("The primary DataSource routes per tenant; the control plane is a plain pool on spring.datasource.*")
    void routingDataSourceIsPrimaryAndTheControlPlaneIsPlain() {
        threeModels().run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(TenantJdbc.class);
            DataSource routing = context.getBean(DataSource.class);
            assertThat(routing).isSameAs(context.getBean(TenantJdbc.class).dataSource());
            DataSource plane = context.getBean(TenantryJdbcAutoConfiguration.CONTROL_PLANE_DATA_SOURCE, DataSource.class);
            assertThat(plane).isInstanceOf(HikariDataSource.class);
            assertThat(((HikariDataSource) plane).getJdbcUrl()).isEqualTo(postgres.url(control));
            assertThat(context.getBean("tenantryJdbcStoreNames", TenantStores.class).names()).containsExactly("main");

            JdbcTemplate template = context.getBean(JdbcTemplate.class);
            assertThatThrownBy(() -> template.queryForList("SELECT body FROM notes"))
                    .isInstanceOf(NoTenantBoundException.class);
            for (String tenant : List.of("acme", "acme1", "bravo", "carol")) {
                TenantContext.runAs(TenantId.of(tenant), () -> template.update("INSERT INTO notes (body) VALUES (?)",
                        "note of " + tenant));
            }
            for (String tenant : List.of("acme", "acme1", "bravo", "carol")) {
                assertThat(TenantContext.callAs(TenantId.of(tenant),
                        () -> template.queryForList("SELECT body FROM notes", String.class)))
                        .containsExactly("note of " + tenant);
            }
            TenantJdbc jdbc = context.getBean(TenantJdbc.class);
            assertThat(jdbc.placement(TenantId.of("acme")).model()).isEqualTo(IsolationModel.COLLECTION);
            assertThat(jdbc.schemaName(TenantId.of("acme"))).isPresent();
        });
    }

    @Test
    @DisplayName("Tenants are provisioned at start-up, unless provision-on-startup is off")
    void provisioningOnStartup() {
        threeModels().withPropertyValues("tenantry.jdbc.provision-on-startup=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(JdbcProvisioningOnStartup.class);
            JdbcTemplate template = context.getBean(JdbcTemplate.class);
            assertThatThrownBy(() -> TenantContext.runAs(TenantId.of("carol"),
                    () -> template.queryForList("SELECT body FROM notes")))
                    .hasMessageContaining("provision");
        });
    }

    @Test
    @DisplayName("An unplaced tenant stops the start-up, naming the tier rule to add")
    void unplacedTenant() {
        threeModels().withPropertyValues("tenantry.directory.tenants[4].id=dave", "tenantry.directory.tenants[4].tier=gold")
                .run(context -> assertInvalid(context, "tenantry.routing.tiers.gold", "dave"));
    }

    @Test
    @DisplayName("The application's own DataSource becomes the control plane, and the routing one is primary")
    void applicationDataSourceIsTheControlPlane() {
        threeModels().withConfiguration(UserConfigurations.of(OwnDataSource.class)).run(context -> {
            assertThat(context).hasNotFailed()
                    .doesNotHaveBean(TenantryJdbcAutoConfiguration.CONTROL_PLANE_DATA_SOURCE);
            assertThat(context.getBean(ControlPlane.class).beanName()).isEqualTo("adminDataSource");
            assertThat(context.getBean(DataSource.class)).isSameAs(context.getBean(TenantJdbc.class).dataSource());
            assertThat(context.getBean(Consumer.class).admin()).isSameAs(context.getBean("adminDataSource"));
        });
    }

    @Test
    @DisplayName("Several DataSources of the application need tenantry.jdbc.control-plane")
    void severalDataSources() {
        threeModels().withConfiguration(UserConfigurations.of(TwoDataSources.class))
                .run(context -> assertInvalid(context, "tenantry.jdbc.control-plane", "adminDataSource",
                        "reportingDataSource"));
        threeModels().withConfiguration(UserConfigurations.of(TwoDataSources.class))
                .withPropertyValues("tenantry.jdbc.control-plane=adminDataSource")
                .run(context -> assertThat(context.getBean(ControlPlane.class).beanName()).isEqualTo("adminDataSource"));
        threeModels().withPropertyValues("tenantry.jdbc.control-plane=nothing")
                .run(context -> assertInvalid(context, "tenantry.jdbc.control-plane", "no DataSource bean"));
    }

    @Test
    @DisplayName("Stores come from tenantry.jdbc.stores, and a URL naming a database is refused")
    void storesFromProperties() {
        threeModels().withPropertyValues("tenantry.jdbc.stores.main.url=" + postgres.serverUrl(),
                "tenantry.jdbc.stores.main.username=" + TestPostgres.APP_USER,
                "tenantry.jdbc.stores.main.password=" + TestPostgres.APP_PASSWORD,
                "tenantry.jdbc.stores.main.maximum-pool-size=3",
                "tenantry.jdbc.stores.spare.url=jdbc:postgresql://localhost:1/",
                "tenantry.jdbc.stores.spare.connection-timeout=1s").run(context -> {
                    assertThat(context).hasNotFailed();
                    TenantJdbc jdbc = context.getBean(TenantJdbc.class);
                    assertThat(jdbc.storeNames()).containsExactlyInAnyOrder("main", "spare");
                    assertThat(jdbc.store("main").maximumPoolSize()).isEqualTo(3);
                    assertThat(jdbc.store("spare").connectionTimeout()).hasSeconds(1);
                });
        threeModels().withPropertyValues("tenantry.jdbc.stores.main.url=" + postgres.url("app"))
                .run(context -> assertInvalid(context, "tenantry.jdbc.stores.main.url", "without a database"));
        threeModels().withPropertyValues("tenantry.jdbc.stores.main.username=app")
                .run(context -> assertInvalid(context, "tenantry.jdbc.stores.main.url", "needs its server's URL"));
        threeModels().withPropertyValues("tenantry.jdbc.stores.main.url=" + postgres.serverUrl(),
                "tenantry.jdbc.stores.main.maximum-pool-size=0")
                .run(context -> assertInvalid(context, "tenantry.jdbc.stores.main.maximum-pool-size"));
    }

    @Test
    @DisplayName("A rule naming a store no adapter has is refused at start-up")
    void unknownStore() {
        threeModels().withPropertyValues("tenantry.routing.tiers.enterprise.store=dedicated")
                .run(context -> assertInvalid(context, "tenantry.routing.tiers.enterprise.store",
                        "tenantry.jdbc.stores.dedicated"));
    }

    @Test
    @DisplayName("A rule naming a store that is both a MongoDB cluster and a PostgreSQL store is refused")
    void storeOfTwoAdapters() {
        threeModels().withBean("tenantryMongoStores", TenantStores.class,
                () -> TenantStores.of("MongoDB cluster", List.of("main"), "tenantry.mongodb.clusters."))
                .run(context -> assertInvalid(context, "tenantry.routing.tiers.free.store", "2 adapters",
                        "tenantry.jdbc.stores.main-postgresql", "tenantry.mongodb.clusters.main-mongodb"));
    }

    @Test
    @DisplayName("Shared tables in the control plane's public schema are refused: tenants could read the catalogue")
    void sharedTablesBesideTheControlPlane() {
        threeModels().withPropertyValues("tenantry.routing.tiers.free.database=" + control)
                .run(context -> assertInvalid(context, "tenantry.routing.tiers.free.database", "tenant catalogue"));
    }

    @Test
    @DisplayName("Adapter settings are passed on, and unusable ones are named")
    void adapterSettings() {
        threeModels().withPropertyValues("tenantry.jdbc.connection-budget=0")
                .run(context -> assertInvalid(context, "tenantry.jdbc.connection-budget"));
        threeModels().withPropertyValues("tenantry.jdbc.provisioning-parallelism=0")
                .run(context -> assertInvalid(context, "tenantry.jdbc.provisioning-parallelism"));
        threeModels().withPropertyValues("tenantry.jdbc.schema-prefix=Bad-Prefix")
                .run(context -> assertInvalid(context, "tenantry.jdbc.schema-prefix"));
        threeModels().withPropertyValues("tenantry.jdbc.row-level-security=false", "tenantry.jdbc.sql-rewriting=false")
                .run(context -> assertInvalid(context, "tenantry.jdbc", "row-level-security"));
        threeModels().withPropertyValues("tenantry.jdbc.schema-prefix=org_").run(context -> assertThat(
                context.getBean(TenantJdbc.class).schemaName(TenantId.of("acme"))).contains("org_acme"));
    }

    @Test
    @DisplayName("tenantry.directory.source=jdbc keeps the catalogue in the control plane's tenants table")
    void jdbcDirectory() {
        String database = postgres.freshDatabase("wiring_directory");
        runner.withPropertyValues(controlPlane(database)).withPropertyValues("tenantry.directory.source=jdbc",
                "tenantry.routing.default-placement.model=schema", "tenantry.routing.default-placement.database=" + shared)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    TenantDirectory directory = context.getBean(TenantDirectory.class);
                    directory.register(Tenant.builder("zed").build());
                    assertThat(JdbcTenantDirectory.of(postgres.admin(database)).find(TenantId.of("zed"))).isPresent();
                });
        runner.withPropertyValues(controlPlane(postgres.freshDatabase("wiring_nodir")))
                .withPropertyValues("tenantry.directory.source=jdbc", "tenantry.directory.jdbc.create-table=false")
                .run(context -> assertThat(context).getFailure().hasMessageContaining("createTableIfMissing()")
                        .rootCause().hasMessageContaining("relation \"tenants\" does not exist"));
    }

    @Test
    @DisplayName("Boot's Flyway migrates the control plane, before the catalogue is opened")
    void bootFlywayMigratesTheControlPlane() {
        String database = postgres.freshDatabase("wiring_flyway");
        runner.withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
                .withPropertyValues(controlPlane(database)).withPropertyValues("tenantry.directory.source=jdbc",
                        "spring.flyway.locations=classpath:jdbc/wiring/control",
                        "tenantry.routing.default-placement.model=schema",
                        "tenantry.routing.default-placement.database=" + shared)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    JdbcTemplate admin = new JdbcTemplate(postgres.admin(database));
                    assertThat(admin.queryForList("SELECT version FROM flyway_schema_history WHERE success",
                            String.class)).containsExactly("1");
                    assertThat(admin.queryForObject("SELECT count(*) FROM admin_audit", Integer.class)).isZero();
                    assertThat(admin.queryForObject("SELECT count(*) FROM tenants", Integer.class)).isZero();
                });
    }

    @Test
    @DisplayName("Spring Data JDBC gets the PostgreSQL dialect without asking the routing DataSource")
    void dataJdbcDialect() {
        threeModels().run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(JdbcDialect.class)).isSameAs(JdbcPostgresDialect.INSTANCE);
                });
        threeModels().withClassLoader(new FilteredClassLoader("org.springframework.data.jdbc"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("jdbcDialect"));
    }

    @Test
    @DisplayName("Binding another tenant inside a transaction on the routing DataSource is refused")
    void transactionsStayWithOneTenant() {
        threeModels().run(context -> {
            TransactionTemplate transaction = new TransactionTemplate(
                    context.getBean(org.springframework.transaction.PlatformTransactionManager.class));
            JdbcTemplate template = context.getBean(JdbcTemplate.class);
            TenantContext.runAs(TenantId.of("acme"), () -> transaction.executeWithoutResult(status -> {
                template.update("INSERT INTO notes (body) VALUES ('in a transaction')");
                assertThatThrownBy(() -> TenantContext.runAs(TenantId.of("acme1"),
                        () -> template.queryForList("SELECT body FROM notes")))
                        .isInstanceOf(IsolationViolationException.class)
                        .hasMessageContaining("transaction").hasMessageContaining("\"acme\"")
                        .hasMessageContaining("\"acme1\"");
                assertThatThrownBy(() -> TenantContext.openSystem("report"))
                        .isInstanceOf(IsolationViolationException.class);
                TenantContext.runAs(TenantId.of("acme"), () -> template.queryForList("SELECT body FROM notes"));
            }));
            // outside the transaction, switching is what fan-out does
            TenantContext.runAs(TenantId.of("acme"), () -> TenantContext.runAs(TenantId.of("acme1"),
                    () -> assertThat(template.queryForList("SELECT body FROM notes", String.class))
                            .doesNotContain("in a transaction")));
        });
        // the context is closed: its guard is gone
        TenantContext.runAs(TenantId.of("acme"), () -> TenantContext.runAs(TenantId.of("acme1"), () -> { }));
    }

    @Test
    @DisplayName("\"schema\" is read as the collection model, the schema per tenant")
    void schemaAlias() {
        threeModels().run(context -> assertThat(context.getBean(TenantJdbc.class).placement(TenantId.of("acme")))
                .isEqualTo(Placement.schema("main", shared)));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnDataSource {

        @Bean
        HikariDataSource adminDataSource() {
            HikariDataSource dataSource = new HikariDataSource();
            dataSource.setJdbcUrl(postgres.url(control));
            dataSource.setUsername(TestPostgres.APP_USER);
            dataSource.setPassword(TestPostgres.APP_PASSWORD);
            return dataSource;
        }

        @Bean
        Consumer consumer(@Qualifier("adminDataSource") DataSource admin) {
            return new Consumer(admin);
        }
    }

    record Consumer(DataSource admin) {
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoDataSources {

        @Bean
        HikariDataSource adminDataSource() {
            return new OwnDataSource().adminDataSource();
        }

        @Bean
        HikariDataSource reportingDataSource() {
            return new OwnDataSource().adminDataSource();
        }
    }
}
