package io.tenantry.spring.actuate;

import io.tenantry.TenantDirectory;
import io.tenantry.TenantRouter;
import io.tenantry.spring.TenantryAutoConfiguration;
import io.tenantry.spring.mongo.TenantryMongoAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code tenants} actuator endpoint, when the actuator is present and the endpoint is available. */
@AutoConfiguration(after = {TenantryAutoConfiguration.class, TenantryMongoAutoConfiguration.class})
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
public final class TenantryEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    @ConditionalOnBean({TenantDirectory.class, TenantRouter.class})
    TenantsEndpoint tenantsEndpoint(TenantDirectory directory, TenantRouter router) {
        return new TenantsEndpoint(directory, router);
    }
}
