package io.tenantry.spring.data.mongo;

import io.tenantry.mongo.TenantMongo;
import io.tenantry.spring.mongo.TenantMongoBuilderCustomizer;
import io.tenantry.spring.mongo.TenantryMongoAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;

/**
 * Spring Data MongoDB wiring: a tenant-routing {@link MongoDatabaseFactory}, registered before
 * Spring Boot's own so that Boot's {@code MongoTemplate}, {@code GridFsTemplate} and repositories
 * are built on it; the indexes declared on mapped entities handed to the adapter's per-tenant
 * provisioning; and Spring Data's own (unscoped) index creation turned off.
 */
@AutoConfiguration(after = TenantryMongoAutoConfiguration.class,
        beforeName = "org.springframework.boot.data.mongodb.autoconfigure.DataMongoAutoConfiguration")
@ConditionalOnClass({MongoDatabaseFactory.class, MongoMappingContext.class, TenantMongo.class})
@ConditionalOnBean(TenantMongo.class)
public final class TenantryDataMongoAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "tenantryEntityIndexes")
    TenantMongoBuilderCustomizer tenantryEntityIndexes(ObjectProvider<MongoMappingContext> mappingContext) {
        return builder -> mappingContext.ifAvailable(context -> new EntityIndexDeclarations(context).customize(builder));
    }

    /** The routing factory, unless the application brings its own factory. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(MongoDatabaseFactory.class)
    static class RoutingFactoryConfiguration {

        @Bean
        TenantMongoDatabaseFactory mongoDatabaseFactory(TenantMongo mongo) {
            return new TenantMongoDatabaseFactory(mongo);
        }

        @Bean
        static AutoIndexCreationGuard tenantryAutoIndexCreationGuard() {
            return new AutoIndexCreationGuard();
        }
    }
}
