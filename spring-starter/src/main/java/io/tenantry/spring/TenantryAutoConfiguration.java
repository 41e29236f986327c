package io.tenantry.spring;

import io.tenantry.TenantAdmission;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantResolver;
import io.tenantry.TenantRouter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Core wiring: the resolver chain, the tenant catalogue (from properties, or from the store an
 * adapter's {@link TenantDirectoryProvider} opens, cached either way), the router and the {@link TenantAdmission} that web
 * filters and listeners go through. Every bean backs off when the application defines its own.
 */
@AutoConfiguration
@EnableConfigurationProperties(TenantryProperties.class)
public final class TenantryAutoConfiguration {

    @Bean
    @ConfigurationPropertiesBinding
    static IsolationModelConverter tenantryIsolationModelConverter() {
        return new IsolationModelConverter();
    }

    @Bean
    @ConditionalOnMissingBean
    TenantResolver tenantResolver(TenantryProperties properties) {
        return FromProperties.resolver(properties);
    }

    @Bean
    @ConditionalOnMissingBean
    TenantDirectory tenantDirectory(TenantryProperties properties, ObjectProvider<TenantDirectoryProvider> providers) {
        return FromProperties.directory(properties.getDirectory(), providers.orderedStream().toList());
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
}
