package io.tenantry.spring.data.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.mongo.TenantMongo;
import io.tenantry.spring.EmbeddedMongo;
import io.tenantry.spring.TenantryAutoConfiguration;
import io.tenantry.spring.mongo.TenantryMongoAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.mongodb.autoconfigure.DataMongoAutoConfiguration;
import org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;

class TenantryDataMongoAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TenantryAutoConfiguration.class, MongoAutoConfiguration.class,
                    TenantryMongoAutoConfiguration.class, TenantryDataMongoAutoConfiguration.class,
                    DataMongoAutoConfiguration.class))
            .withPropertyValues("spring.mongodb.uri=" + EmbeddedMongo.main().uri() + "/app",
                    "tenantry.mongodb.clusters.main=" + EmbeddedMongo.main().uri());

    @Test
    void springBootsTemplateIsBuiltOnTheRoutingFactory() {
        runner.withPropertyValues("spring.data.mongodb.auto-index-creation=true").run(context -> {
            assertThat(context.getBean(MongoDatabaseFactory.class)).isInstanceOf(TenantMongoDatabaseFactory.class);
            assertThat(context.getBean(MongoTemplate.class).getMongoDatabaseFactory())
                    .isSameAs(context.getBean(MongoDatabaseFactory.class));
            assertThat(context.getBean(MongoMappingContext.class).isAutoIndexCreation()).isFalse();
        });
    }

    @Test
    void backsOffForTheApplicationsOwnFactoryAndLeavesItsIndexSettingAlone() {
        runner.withPropertyValues("spring.data.mongodb.auto-index-creation=true")
                .withBean(MongoDatabaseFactory.class,
                        () -> new SimpleMongoClientDatabaseFactory(EmbeddedMongo.main().uri() + "/own"))
                .run(context -> {
                    assertThat(context.getBean(MongoDatabaseFactory.class))
                            .isInstanceOf(SimpleMongoClientDatabaseFactory.class);
                    assertThat(context).doesNotHaveBean(AutoIndexCreationGuard.class);
                    assertThat(context.getBean(MongoMappingContext.class).isAutoIndexCreation()).isTrue();
                });
    }

    @Test
    void staysAwayWithoutSpringDataOrWithoutTenantMongo() {
        runner.withClassLoader(new FilteredClassLoader(MongoDatabaseFactory.class))
                .run(context -> assertThat(context).doesNotHaveBean(TenantMongoDatabaseFactory.class));
        runner.withPropertyValues("tenantry.mongodb.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(TenantMongo.class);
            assertThat(context.getBean(MongoDatabaseFactory.class)).isInstanceOf(SimpleMongoClientDatabaseFactory.class);
        });
    }
}
