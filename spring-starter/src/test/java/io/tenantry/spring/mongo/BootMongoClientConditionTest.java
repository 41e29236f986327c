package io.tenantry.spring.mongo;

import io.tenantry.spring.NoSqlDatabase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.tenantry.mongo.TenantMongo;
import io.tenantry.spring.EmbeddedMongo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.mock.env.MockEnvironment;

/**
 * Spring Boot's own MongoClient backs off when Tenantry's clusters are configured, and only then: an
 * application's own client, or one it asks Boot for, stays.
 */
@ExtendWith(OutputCaptureExtension.class)
class BootMongoClientConditionTest {

    private static final String BOOT_CLIENT = "org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration";
    private static final String BOOT_REACTIVE_CLIENT =
            "org.springframework.boot.mongodb.autoconfigure.MongoReactiveAutoConfiguration";
    private static final String BOOT_DATA =
            "org.springframework.boot.data.mongodb.autoconfigure.DataMongoAutoConfiguration";

    @Test
    void bootsClientsAreFilteredOutWhenTenantryNamesTheClusters() {
        BootMongoClientCondition filter = filter(new MockEnvironment()
                .withProperty("tenantry.mongodb.clusters.main", "mongodb://mongo-main:27017"));
        assertThat(filter.match(new String[] {BOOT_CLIENT, null, BOOT_DATA, BOOT_REACTIVE_CLIENT}, null))
                .containsExactly(false, true, true, false);
    }

    @Test
    void bootsClientStaysWhenItIsTheOnlyClusterWhenTheApplicationAsksForItOrWhenTenantryIsOff() {
        assertThat(reason(new MockEnvironment())).as("no cluster: Boot's client is cluster main").isNull();
        assertThat(reason(clusters().withProperty("spring.mongodb.uri", "mongodb://reports:27017/reports"))).isNull();
        assertThat(reason(clusters().withProperty("spring.mongodb.host", "reports"))).isNull();
        assertThat(reason(clusters().withProperty("tenantry.mongodb.enabled", "false"))).isNull();
        assertThat(BootMongoClientCondition.backOffReason(clusters(),
                new FilteredClassLoader(TenantMongo.class))).as("without the adapter").isNull();
        assertThat(reason(clusters())).contains("tenantry.mongodb.clusters [main]").contains("spring.mongodb.uri");
    }

    @Test
    void anUnresolvedPlaceholderInAClusterUriDoesNotFailTheDecision() {
        assertThat(reason(new MockEnvironment().withProperty("tenantry.mongodb.clusters.main", "${not.yet.set}")))
                .isNotNull();
    }

    @Test
    void withClustersConfiguredTheApplicationHasNoBootClient() {
        try (ConfigurableApplicationContext context = start(Application.class)) {
            assertThat(context.getBeansOfType(MongoClient.class)).isEmpty();
            assertThat(context.getBean(TenantMongo.class).clusterNames()).containsExactly("main");
            assertThat(context.containsBean("mongoHealthContributor")).as("Boot's health indicator").isFalse();
        }
    }

    @Test
    void anApplicationsOwnMongoClientIsKeptAndBootReportsItsHealth() {
        try (ConfigurableApplicationContext context = start(OwnClient.class)) {
            assertThat(context.getBeansOfType(MongoClient.class)).containsOnlyKeys("reportsClient");
            assertThat(context.getBean(TenantMongo.class).cluster("main"))
                    .isNotSameAs(context.getBean(MongoClient.class));
            assertThat(context.containsBean("mongoHealthContributor")).isTrue();
        }
    }

    @Test
    void setting_spring_mongodb_uriKeepsBootsClientForNonTenantData() {
        try (ConfigurableApplicationContext context = start(Application.class,
                "spring.mongodb.uri=" + EmbeddedMongo.dedicated().uri() + "/reports")) {
            assertThat(context.getBeansOfType(MongoClient.class)).containsOnlyKeys("mongo");
            assertThat(context.getBean(MongoClient.class).getClusterDescription().getClusterSettings().getHosts())
                    .isNotEmpty().allSatisfy(host -> assertThat(host.getHost()).isEqualTo("127.0.0.1"));
        }
    }

    @Test
    void anInjectedMongoClientThatNoLongerExistsIsExplainedAtStartUp(CapturedOutput output) {
        assertThatThrownBy(() -> start(NeedsClient.class).close()).isNotNull();
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Parameter 0 of method reportsDatabase in " + NeedsClient.class.getName()
                        + " required a bean of type 'com.mongodb.client.MongoClient', and there is none: Tenantry's"
                        + " MongoDB clusters come from tenantry.mongodb.clusters [main]")
                .contains("Use TenantMongo, or MongoTemplate and repositories, for tenant data")
                .contains("define a MongoClient bean or set spring.mongodb.uri");
    }

    private static MockEnvironment clusters() {
        return new MockEnvironment().withProperty("tenantry.mongodb.clusters.main", "mongodb://mongo-main:27017");
    }

    private static String reason(MockEnvironment environment) {
        return BootMongoClientCondition.backOffReason(environment, BootMongoClientConditionTest.class.getClassLoader());
    }

    private static BootMongoClientCondition filter(MockEnvironment environment) {
        BootMongoClientCondition filter = new BootMongoClientCondition();
        filter.setEnvironment(environment);
        filter.setBeanClassLoader(BootMongoClientConditionTest.class.getClassLoader());
        return filter;
    }

    private static ConfigurableApplicationContext start(Class<?> application, String... properties) {
        return new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
                .properties("tenantry.mongodb.clusters.main=" + EmbeddedMongo.main().uri(),
                        "tenantry.mongodb.provision-on-startup=false", "spring.main.banner-mode=off")
                .properties(properties)
                .run();
    }

    /** An application with Tenantry's clusters and nothing of its own. */
    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = NoSqlDatabase.DATA_SOURCE)
    static class Application {
    }

    /** An application with a MongoClient of its own, for data that belongs to no tenant. */
    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = NoSqlDatabase.DATA_SOURCE)
    static class OwnClient {

        @Bean(destroyMethod = "close")
        MongoClient reportsClient() {
            return MongoClients.create(EmbeddedMongo.dedicated().uri());
        }
    }

    /** An application that injects a MongoClient without defining one. */
    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = NoSqlDatabase.DATA_SOURCE)
    static class NeedsClient {

        @Bean
        String reportsDatabase(MongoClient client) {
            return client.getDatabase("reports").getName();
        }
    }
}
