package io.tenantry.spring.security;

import io.tenantry.spring.web.RequestAuthentication;
import io.tenantry.spring.web.RequestClaims;
import io.tenantry.spring.web.TenantryWebAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Spring Security wiring: the claims of the authenticated principal feed the {@code claim} source of
 * the resolver chain, so a request whose header or subdomain names another tenant than its token is
 * refused (403) by the chain's conflict rule; and whether the principal is authenticated decides
 * whether a refused caller learns why ({@code tenantry.web.conceal-tenants}). The tenant filter is
 * ordered after the security filter chain so that the principal is known when it runs.
 */
@AutoConfiguration(before = TenantryWebAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({SecurityContextHolder.class, RequestClaims.class, jakarta.servlet.Filter.class})
public final class TenantrySecurityAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RequestClaims tenantRequestClaims() {
        return new SecurityContextClaims();
    }

    @Bean
    @ConditionalOnMissingBean
    RequestAuthentication tenantRequestAuthentication() {
        return new SecurityContextAuthentication();
    }
}
