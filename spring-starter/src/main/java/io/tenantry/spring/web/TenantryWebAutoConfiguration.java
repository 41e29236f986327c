package io.tenantry.spring.web;

import io.tenantry.TenantAdmission;
import io.tenantry.spring.TenantryAutoConfiguration;
import jakarta.servlet.DispatcherType;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Servlet web wiring: the {@link TenantFilter}, registered just after the Spring Security filter
 * chain (so token claims are known) and before everything else, with its claim source, rejection
 * handler (which conceals tenants from the callers {@code tenantry.web.conceal-tenants} names, as told
 * by the {@link RequestAuthentication} bean) and listeners. The filter leaves the paths of
 * {@code tenantry.web.excluded-paths}, of its defaults and, when enabled, of the dashboard alone.
 */
@AutoConfiguration(after = TenantryAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({OncePerRequestFilter.class, FilterRegistrationBean.class})
@ConditionalOnProperty(name = "tenantry.web.enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(TenantryWebProperties.class)
public final class TenantryWebAutoConfiguration {

    /** Spring Boot's default order of the Spring Security filter chain (spring.security.filter.order). */
    static final int SECURITY_FILTER_ORDER = -100;

    /** The tenant filter's default distance behind the security filter chain. */
    static final int AFTER_SECURITY = 10;

    @Bean
    @ConditionalOnMissingBean
    TenantRejectionHandler tenantRejectionHandler(TenantryWebProperties properties,
            ObjectProvider<RequestAuthentication> authentication) {
        return new ProblemDetailsRejectionHandler(properties.getRetryAfter(), properties.getConcealTenants(),
                authentication.getIfUnique(() -> RequestAuthentication.SERVLET));
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(TenantAdmission.class)
    TenantFilter tenantFilter(TenantAdmission admission, ObjectProvider<RequestClaims> claims,
            TenantRejectionHandler rejections, ObjectProvider<TenantRequestListener> listeners,
            TenantryWebProperties properties, Environment environment) {
        List<String> excluded = new ArrayList<>(properties.effectiveExcludedPaths());
        if (environment.getProperty("tenantry.dashboard.enabled", Boolean.class, false)) {
            // the dashboard works across tenants, for operators; its own chain guards it
            String dashboard = environment.getProperty("tenantry.dashboard.path", "/tenantry");
            excluded.add((dashboard.endsWith("/") ? dashboard : dashboard + "/") + "**");
        }
        return new TenantFilter(admission, claims.getIfUnique(() -> RequestClaims.NONE), rejections,
                listeners.orderedStream().toList(), excluded);
    }

    @Bean
    @ConditionalOnMissingBean(name = "tenantFilterRegistration")
    @ConditionalOnBean(TenantFilter.class)
    FilterRegistrationBean<TenantFilter> tenantFilterRegistration(TenantFilter filter,
            TenantryWebProperties properties, Environment environment) {
        FilterRegistrationBean<TenantFilter> registration = new FilterRegistrationBean<>(filter);
        Integer order = properties.getFilterOrder();
        registration.setOrder(order != null ? order
                : environment.getProperty("spring.security.filter.order", Integer.class, SECURITY_FILTER_ORDER)
                        + AFTER_SECURITY);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
        registration.setName("tenantFilter");
        return registration;
    }

    /** Quota refusals as problem details, when Spring MVC is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(WebMvcConfigurer.class)
    static class QuotaRefusals {

        @Bean
        @ConditionalOnMissingBean(name = "tenantryQuotaRefusals")
        WebMvcConfigurer tenantryQuotaRefusals() {
            return new WebMvcConfigurer() {
                @Override
                public void extendHandlerExceptionResolvers(List<HandlerExceptionResolver> resolvers) {
                    resolvers.add(new QuotaExceededResolver());
                }
            };
        }
    }
}
