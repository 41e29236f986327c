package io.tenantry.spring.cache;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CachingConfigurer;
import org.springframework.cache.interceptor.CacheResolver;
import org.springframework.context.annotation.Bean;

/**
 * Confines Spring's cache abstraction to the bound tenant: a {@link CachingConfigurer} whose cache
 * resolver pairs every key of every cache with the tenant, except the caches named in
 * {@code tenantry.caching.shared-caches}. Backs off when the application has its own
 * {@link CachingConfigurer}, or with {@code tenantry.caching.tenant-scoped=false}.
 */
@AutoConfiguration
@ConditionalOnClass({CacheManager.class, CachingConfigurer.class})
@ConditionalOnProperty(prefix = "tenantry.caching", name = "tenant-scoped", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(TenantryCachingProperties.class)
public class TenantryCacheAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(CachingConfigurer.class)
    CachingConfigurer tenantryCachingConfigurer(ObjectProvider<CacheManager> cacheManager,
            TenantryCachingProperties properties) {
        CacheResolver resolver = new TenantScopedCacheResolver(cacheManager, properties.getSharedCaches());
        return new CachingConfigurer() {
            @Override
            public CacheResolver cacheResolver() {
                return resolver;
            }
        };
    }
}
