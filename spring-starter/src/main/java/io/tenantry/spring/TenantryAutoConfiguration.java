package io.tenantry.spring;

import io.tenantry.TenantAdmission;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantResolver;
import io.tenantry.TenantRouter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Core wiring: the resolver chain, the tenant catalogue (from properties; store-backed catalogues
 * come from the adapters' auto-configurations), the router and the {@link TenantAdmission} that web
 * filters and listeners go through. Every bean backs off when the application defines its own.
 */
@AutoConfiguration
@EnableConfigurationProperties(TenantryProperties.class)
public final class TenantryAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    TenantResolver tenantResolver(TenantryProperties properties) {
        return FromProperties.resolver(properties);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "tenantry.directory.source", havingValue = "properties", matchIfMissing = true)
    TenantDirectory tenantDirectory(TenantryProperties properties) {
        return FromProperties.directory(properties.getDirectory());
    }

    @Bean
    @ConditionalOnMissingBean
    TenantRouter tenantRouter(TenantryProperties properties, ObjectProvider<TenantStores> stores) {
        return FromProperties.router(properties.getRouting(), stores.orderedStream().toList());
    }

    @Bean
    @ConditionalOnMissingBean
    TenantAdmission tenantAdmission(TenantResolver resolver, TenantDirectory directory) {
        return TenantAdmission.of(resolver, directory);
    }

    /** A MongoDB catalogue was asked for, but the adapter that provides it is not on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "tenantry.directory.source", havingValue = "mongodb")
    @ConditionalOnMissingClass("io.tenantry.mongo.MongoTenantDirectory")
    static class MissingMongoDirectoryConfiguration {

        @Bean
        @ConditionalOnMissingBean
        TenantDirectory tenantDirectory() {
            throw new InvalidTenantryConfigurationException("tenantry.directory.source", "mongodb",
                    "the MongoDB tenant catalogue needs the Tenantry MongoDB adapter, which is not on the class path.",
                    "Add the io.tenantry:tenantry-mongo dependency, or use tenantry.directory.source=properties.");
        }
    }
}
