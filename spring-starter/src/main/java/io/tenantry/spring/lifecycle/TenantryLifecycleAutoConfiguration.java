package io.tenantry.spring.lifecycle;

import io.tenantry.TenantDirectory;
import io.tenantry.TenantLifecycle;
import io.tenantry.TenantQuotas;
import io.tenantry.TenantRouter;
import io.tenantry.spi.LifecycleJournal;
import io.tenantry.spi.TenantDataStore;
import io.tenantry.spring.InvalidTenantryConfigurationException;
import io.tenantry.spring.TenantryAutoConfiguration;
import io.tenantry.spring.TenantryProperties;
import io.tenantry.spring.jdbc.TenantryJdbcAutoConfiguration;
import io.tenantry.spring.mongo.TenantryMongoAutoConfiguration;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The tenant lifecycle ({@link TenantLifecycle}: create, suspend, resume, move, delete) over every wired
 * adapter's {@link TenantDataStore}, journaled in the {@link LifecycleJournal} the adapter of the catalogue
 * keeps beside it. Only when the catalogue is in a store ({@code tenantry.directory.source} {@code jdbc} or
 * {@code mongodb}): a catalogue in properties forgets a moved tenant's new placement at the next start,
 * while its data has left the old one.
 */
@AutoConfiguration(after = {TenantryAutoConfiguration.class, TenantryMongoAutoConfiguration.class,
        TenantryJdbcAutoConfiguration.class})
@ConditionalOnBooleanProperty(name = "tenantry.lifecycle.enabled", matchIfMissing = true)
@ConditionalOnBean({LifecycleJournal.class, TenantDataStore.class, TenantDirectory.class, TenantRouter.class})
@EnableConfigurationProperties({TenantryProperties.class, TenantryLifecycleProperties.class})
public final class TenantryLifecycleAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    TenantLifecycle tenantLifecycle(TenantDirectory directory, TenantRouter router, LifecycleJournal journal,
            ObjectProvider<TenantDataStore> stores, ObjectProvider<TenantQuotas> quotas, TenantryProperties tenantry,
            TenantryLifecycleProperties properties) {
        TenantLifecycle.Builder builder = TenantLifecycle.builder(directory, router).journal(journal)
                .settle(settle(tenantry, properties));
        List<TenantDataStore> all = stores.orderedStream().toList();
        all.forEach(builder::store);
        quotas.ifUnique(builder::quotas);
        return builder.build();
    }

    private static Duration settle(TenantryProperties tenantry, TenantryLifecycleProperties properties) {
        Duration settle = properties.getSettle();
        if (settle == null) {
            TenantryProperties.Cache cache = tenantry.getDirectory().getCache();
            settle = cache.isEnabled() ? cache.getTtl() : Duration.ZERO;
        }
        if (settle.isNegative()) {
            throw new InvalidTenantryConfigurationException("tenantry.lifecycle.settle", settle,
                    "a wait cannot be negative.", "Use 0 or more, e.g. the directory cache's ttl.");
        }
        return settle;
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "tenantry.lifecycle.recover-on-startup", matchIfMissing = true)
    LifecycleRecoveryOnStartup tenantryLifecycleRecovery(TenantLifecycle lifecycle) {
        return new LifecycleRecoveryOnStartup(lifecycle);
    }
}
