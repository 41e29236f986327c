package io.tenantry.spring.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.tenantry.AuditEvent;
import io.tenantry.AuditEvent.Kind;
import io.tenantry.AuditQuery;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycle;
import io.tenantry.TenantScope;
import io.tenantry.jdbc.JdbcAuditLog;
import io.tenantry.mongo.MongoAuditLog;
import io.tenantry.spi.AuditLog;
import io.tenantry.spi.AuditSink;
import io.tenantry.spring.EmbeddedMongo;
import io.tenantry.spring.InvalidTenantryConfigurationException;
import io.tenantry.spring.TenantryAutoConfiguration;
import io.tenantry.spring.jdbc.TenantryJdbcAutoConfiguration;
import io.tenantry.spring.jdbc.TestPostgres;
import io.tenantry.spring.lifecycle.TenantryLifecycleAutoConfiguration;
import io.tenantry.spring.mongo.TenantryMongoAutoConfiguration;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Where audit events go, by tenantry.audit.*, and the retention of a stored trail; on a real PostgreSQL. */
class TenantryAuditAutoConfigurationTest {

    private static final AtomicInteger NAMES = new AtomicInteger();

    private static TestPostgres postgres;
    private static String shared;

    @BeforeAll
    static void databases() {
        postgres = TestPostgres.get();
        shared = postgres.freshDatabase("audit_shared");
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TenantryAutoConfiguration.class,
                    TenantryAuditAutoConfiguration.class))
            .withPropertyValues("tenantry.directory.tenants[0].id=acme");

    /** The JDBC wiring with the catalogue and the lifecycle on the control plane {@code database}. */
    private static ApplicationContextRunner jdbc(String database) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TenantryAutoConfiguration.class,
                        TenantryJdbcAutoConfiguration.class, TenantryLifecycleAutoConfiguration.class,
                        TenantryAuditAutoConfiguration.class, DataSourceAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + postgres.url(database),
                        "spring.datasource.username=" + TestPostgres.APP_USER,
                        "spring.datasource.password=" + TestPostgres.APP_PASSWORD,
                        "tenantry.directory.source=jdbc", "tenantry.lifecycle.settle=0",
                        "tenantry.routing.default-placement.model=schema",
                        "tenantry.routing.default-placement.database=" + shared,
                        "tenantry.jdbc.schema-prefix=a" + NAMES.incrementAndGet() + "_");
    }

    /** Returns a data source on {@code database} that logs in as the application does. */
    private static DataSource appUser(String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(postgres.url(database));
        dataSource.setUser(TestPostgres.APP_USER);
        dataSource.setPassword(TestPostgres.APP_PASSWORD);
        return dataSource;
    }

    private static void assertInvalid(AssertableApplicationContext context, String property, String... words) {
        assertThat(context).hasFailed();
        Throwable failure = context.getStartupFailure();
        while (failure != null && !(failure instanceof InvalidTenantryConfigurationException)) {
            failure = failure.getCause();
        }
        assertThat(failure).as("an InvalidTenantryConfigurationException in %s", context.getStartupFailure())
                .isInstanceOf(InvalidTenantryConfigurationException.class);
        assertThat(((InvalidTenantryConfigurationException) failure).property()).isEqualTo(property);
        assertThat(failure.getMessage()).contains(words);
    }

    @Test
    @DisplayName("By default audit events go to the io.tenantry.audit logger, and the sink before comes back at close")
    void logByDefault() {
        AuditSink before = TenantContext.auditSink();
        runner.run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(AuditLog.class).doesNotHaveBean(AuditRetention.class);
            assertThat(TenantContext.auditSink()).isSameAs(context.getBean(AuditSink.class)).isNotSameAs(before);
        });
        assertThat(TenantContext.auditSink()).isSameAs(before);
    }

    @Test
    @DisplayName("tenantry.audit.store=jdbc stores lifecycle events and system scopes in the control plane's table")
    void jdbcStoresLifecycleAndSystemScopes() {
        String database = postgres.freshDatabase("audit_jdbc");
        AuditSink before = TenantContext.auditSink();
        jdbc(database).withPropertyValues("tenantry.audit.store=jdbc").run(context -> {
            assertThat(context).hasNotFailed();
            AuditLog log = context.getBean(AuditLog.class);
            assertThat(log).isInstanceOf(JdbcAuditLog.class);
            assertThat(TenantContext.auditSink()).isSameAs(log);

            Instant start = Instant.now();
            TenantLifecycle lifecycle = context.getBean(TenantLifecycle.class);
            TenantId zed = TenantId.of("zed");
            lifecycle.create(Tenant.builder(zed).build());
            lifecycle.suspend(zed);
            lifecycle.create(Tenant.builder("other").build());
            try (TenantScope scope = TenantContext.openSystem("starter test: monthly invoice run")) {
                assertThat(TenantContext.isSystem()).isTrue();
            }

            JdbcAuditLog controlPlane = JdbcAuditLog.of(postgres.admin(database));
            assertThat(controlPlane.find(AuditQuery.all().tenant(zed))).extracting(AuditEvent::kind)
                    .containsExactly(Kind.TENANT_STATUS_CHANGED, Kind.TENANT_CREATED);
            assertThat(controlPlane.find(AuditQuery.all().tenant(zed).kinds(Kind.TENANT_CREATED)))
                    .singleElement().satisfies(created -> assertThat(created.detail()).startsWith("created at"));
            assertThat(controlPlane.find(AuditQuery.all().kinds(Kind.SYSTEM_SCOPE_OPENED).from(start)))
                    .singleElement().satisfies(opened -> {
                        assertThat(opened.detail()).isEqualTo("starter test: monthly invoice run");
                        assertThat(opened.tenant()).isEmpty();
                    });
            assertThat(controlPlane.find(AuditQuery.all().to(start))).isEmpty();
        });
        assertThat(TenantContext.auditSink()).isSameAs(before);
    }

    @Test
    @DisplayName("A stored trail is purged of events older than tenantry.audit.retention at start-up and then every interval")
    void retention() {
        String database = postgres.freshDatabase("audit_retention");
        JdbcAuditLog stored = JdbcAuditLog.of(appUser(database), "control_audit");
        stored.createTableIfMissing();
        Instant now = Instant.now();
        stored.record(new AuditEvent(Kind.TENANT_DELETED, TenantId.of("old"), "ten days ago", "t", now.minus(Duration.ofDays(10))));
        stored.record(new AuditEvent(Kind.TENANT_CREATED, TenantId.of("new"), "an hour ago", "t", now.minus(Duration.ofHours(1))));
        jdbc(database).withPropertyValues("tenantry.audit.store=jdbc", "tenantry.audit.table=control_audit",
                "tenantry.audit.retention=1d", "tenantry.audit.purge-interval=200ms").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(AuditRetention.class).isRunning()).isTrue();
            // the purge runs on its own thread, by design: wait for its effect, not for a time
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(stored.find(AuditQuery.all()))
                    .extracting(AuditEvent::detail).containsExactly("an hour ago"));
            stored.record(new AuditEvent(Kind.TENANT_DELETED, TenantId.of("old"), "two days ago", "t",
                    Instant.now().minus(Duration.ofDays(2))));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(stored.find(AuditQuery.all()))
                    .extracting(AuditEvent::detail).containsExactly("an hour ago"));
        });
        stored.record(new AuditEvent(Kind.TENANT_DELETED, TenantId.of("old"), "kept", "t", now.minus(Duration.ofDays(10))));
        jdbc(database).withPropertyValues("tenantry.audit.store=jdbc", "tenantry.audit.table=control_audit",
                "tenantry.audit.retention=0").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(AuditRetention.class).isRunning()).isFalse();
            assertThat(context.getBean(AuditRetention.class).purge()).isZero();
        });
        assertThat(stored.find(AuditQuery.all())).extracting(AuditEvent::detail).contains("kept");
    }

    @Test
    @DisplayName("tenantry.audit.store=mongodb stores system scopes in the administration database of the catalogue")
    void mongoStoresSystemScopes() {
        String collection = "audit_" + NAMES.incrementAndGet();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TenantryAutoConfiguration.class,
                        TenantryMongoAutoConfiguration.class, TenantryAuditAutoConfiguration.class))
                .withPropertyValues("tenantry.mongodb.clusters.main=" + EmbeddedMongo.main().uri(),
                        "tenantry.mongodb.clusters.eu=" + EmbeddedMongo.dedicated().uri(),
                        "tenantry.directory.mongodb.cluster=eu", "tenantry.directory.mongodb.database=admin_db",
                        "tenantry.directory.tenants[0].id=acme", "tenantry.mongodb.provision-on-startup=false",
                        "tenantry.routing.default-placement.model=collection",
                        "tenantry.routing.default-placement.database=app",
                        "tenantry.audit.store=mongodb", "tenantry.audit.collection=" + collection,
                        "tenantry.audit.retention=30d")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(AuditRetention.class);
                    assertThat(context.getBean(AuditLog.class)).isInstanceOf(MongoAuditLog.class);
                    Instant start = Instant.now();
                    try (TenantScope scope = TenantContext.openSystem("starter test: re-index")) {
                        assertThat(TenantContext.isSystem()).isTrue();
                    }
                    try (MongoClient client = MongoClients.create(EmbeddedMongo.dedicated().uri())) {
                        MongoAuditLog stored = MongoAuditLog.of(client.getDatabase("admin_db"), collection);
                        assertThat(stored.find(AuditQuery.all().from(start))).extracting(AuditEvent::kind)
                                .containsExactly(Kind.SYSTEM_SCOPE_CLOSED, Kind.SYSTEM_SCOPE_OPENED);
                    }
                });
    }

    @Test
    @DisplayName("The application's own AuditSink wins over tenantry.audit.store")
    void ownSinkWins() {
        jdbc(postgres.freshDatabase("audit_own")).withPropertyValues("tenantry.audit.store=jdbc")
                .withUserConfiguration(OwnLog.class).run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(JdbcAuditLog.class);
                    assertThat(TenantContext.auditSink()).isSameAs(context.getBean("ownAuditLog"));
                    assertThat(context).hasSingleBean(AuditRetention.class);
                });
        runner.withUserConfiguration(TwoSinks.class).run(context -> assertInvalid(context, "tenantry.audit.store",
                "2 AuditSink beans", "@Primary"));
    }

    @Test
    @DisplayName("Settings that cannot work fail the start-up, naming the property")
    void invalidSettings() {
        runner.withPropertyValues("tenantry.audit.store=jdbc").run(context -> assertInvalid(context,
                "tenantry.audit.store", "JDBC wiring is not active", "spring.datasource.url"));
        runner.withPropertyValues("tenantry.audit.store=mongodb").run(context -> assertInvalid(context,
                "tenantry.audit.store", "MongoDB wiring is not active"));
        String database = postgres.freshDatabase("audit_invalid");
        jdbc(database).withPropertyValues("tenantry.audit.store=jdbc", "tenantry.audit.table=Audit Log")
                .run(context -> assertInvalid(context, "tenantry.audit.table", "Invalid table name"));
        jdbc(database).withPropertyValues("tenantry.audit.store=jdbc", "tenantry.audit.retention=-1d")
                .run(context -> assertInvalid(context, "tenantry.audit.retention", "negative"));
        jdbc(database).withPropertyValues("tenantry.audit.store=jdbc", "tenantry.audit.purge-interval=0s")
                .run(context -> assertInvalid(context, "tenantry.audit.purge-interval", "at least a millisecond"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnLog {
        @Bean
        AuditLog ownAuditLog() {
            return AuditLog.inMemory();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoSinks {
        @Bean
        AuditSink firstSink() {
            return event -> { };
        }

        @Bean
        AuditSink secondSink() {
            return event -> { };
        }
    }
}
