package io.tenantry.spring.actuate;

import com.mongodb.client.MongoClient;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantLifecycle;
import io.tenantry.TenantQuotas;
import io.tenantry.TenantRouter;
import io.tenantry.jdbc.TenantJdbc;
import io.tenantry.mongo.TenantMongo;
import io.tenantry.spi.UsageHistory;
import io.tenantry.spring.TenantryAutoConfiguration;
import io.tenantry.spring.jdbc.TenantryJdbcAutoConfiguration;
import io.tenantry.spring.lifecycle.TenantryLifecycleAutoConfiguration;
import io.tenantry.spring.lifecycle.TenantryLifecycleProperties;
import io.tenantry.spring.metering.MeteringSnapshot;
import io.tenantry.spring.metering.TenantryMeteringAutoConfiguration;
import io.tenantry.spring.mongo.TenantryMongoAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code tenants} actuator endpoint, when the actuator is present and the endpoint is available or the
 * dashboard ({@code tenantry.dashboard.enabled}) shows it. It shows each placement's physical names through
 * whichever adapters are wired, MongoDB, PostgreSQL or both, and, when metering is wired, each tenant's latest
 * usage and its usage history.
 */
@AutoConfiguration(after = {TenantryAutoConfiguration.class, TenantryMongoAutoConfiguration.class,
        TenantryJdbcAutoConfiguration.class, TenantryLifecycleAutoConfiguration.class,
        TenantryMeteringAutoConfiguration.class})
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
public final class TenantryEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @Conditional(OnTenantsEndpointOrDashboard.class)
    @ConditionalOnBean({TenantDirectory.class, TenantRouter.class})
    TenantsEndpoint tenantsEndpoint(TenantDirectory directory, TenantRouter router,
            ObjectProvider<AdapterPlacements> adapters, ObjectProvider<TenantOperations> operations,
            ObjectProvider<MeteringSnapshot> usage, ObjectProvider<UsageHistory> history,
            ObjectProvider<TenantQuotas> quotas) {
        MeteringSnapshot snapshot = usage.getIfUnique();
        return new TenantsEndpoint(directory, router, adapters.orderedStream().toList(), operations.getIfAvailable(),
                snapshot, snapshot == null ? null : history.getIfUnique(), quotas.getIfUnique());
    }

    /** The endpoint's write side, when the tenant lifecycle is wired. */
    @Configuration(proxyBeanMethods = false)
    @Conditional(OnTenantsEndpointOrDashboard.class)
    static class Operations {

        @Bean
        @ConditionalOnBean(TenantLifecycle.class)
        TenantOperations tenantryTenantOperations(TenantLifecycle lifecycle,
                ObjectProvider<TenantryLifecycleProperties> properties) {
            TenantryLifecycleProperties settings = properties.getIfAvailable();
            return new TenantOperations(lifecycle, settings == null ? null : settings.getArchiveDirectory());
        }
    }

    /** Physical names of placements on PostgreSQL stores. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(TenantJdbc.class)
    @Conditional(OnTenantsEndpointOrDashboard.class)
    static class JdbcPlacements {

        @Bean
        @ConditionalOnBean(TenantJdbc.class)
        AdapterPlacements tenantryJdbcPlacements(TenantJdbc jdbc) {
            return new JdbcAdapterPlacements(jdbc);
        }
    }

    /** Physical names of placements on MongoDB clusters. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({TenantMongo.class, MongoClient.class})
    @Conditional(OnTenantsEndpointOrDashboard.class)
    static class MongoPlacements {

        @Bean
        @ConditionalOnBean(TenantMongo.class)
        AdapterPlacements tenantryMongoPlacements(TenantMongo mongo) {
            return new MongoAdapterPlacements(mongo);
        }
    }
}
