package io.tenantry.spring.web;

import io.tenantry.spring.InvalidTenantryConfigurationException;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * Refuses to start a reactive (WebFlux) web application while {@code tenantry.web.enabled} is on.
 * Tenantry binds a tenant to servlet requests only, and its tenant context is a thread-bound scope
 * that a reactive pipeline, hopping between threads, does not carry. Without this, such an
 * application would start and then fail every tenant-scoped call of every request with
 * {@link io.tenantry.NoTenantBoundException}; the start-up report says so once, with the way out.
 * The refusal runs as a bean factory post-processor, so that lazy initialisation cannot skip it.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnProperty(name = "tenantry.web.enabled", havingValue = "true", matchIfMissing = true)
public final class TenantryReactiveWebAutoConfiguration {

    @Bean
    static BeanFactoryPostProcessor tenantryReactiveWebRefusal() {
        return beanFactory -> {
            throw new InvalidTenantryConfigurationException("tenantry.web.enabled", true,
                    "this is a reactive (WebFlux) web application, and Tenantry does not support WebFlux yet: it binds"
                            + " tenants to servlet requests only, so no request would have a tenant and every tenant-scoped"
                            + " call would fail.",
                    "Build the web layer on Spring MVC (spring-boot-starter-webmvc instead of spring-boot-starter-webflux),"
                            + " or, if no request needs a tenant, set tenantry.web.enabled=false and bind tenants"
                            + " yourself around blocking work (TenantContext.runAs, TenantJobs).");
        };
    }
}
