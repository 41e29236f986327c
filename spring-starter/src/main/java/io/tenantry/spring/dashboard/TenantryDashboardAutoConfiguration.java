package io.tenantry.spring.dashboard;

import io.tenantry.TenantLifecycle;
import io.tenantry.spi.AuditLog;
import io.tenantry.spring.InvalidTenantryConfigurationException;
import io.tenantry.spring.actuate.TenantryEndpointAutoConfiguration;
import io.tenantry.spring.actuate.TenantsEndpoint;
import io.tenantry.spring.audit.TenantryAuditAutoConfiguration;
import io.tenantry.spring.web.TenantryWebAutoConfiguration;
import java.util.regex.Pattern;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The tenant management dashboard, when {@code tenantry.dashboard.enabled}: its routes below
 * {@code tenantry.dashboard.path} over the {@code tenants} endpoint (which then exists whether or not it is
 * exposed), and, with Spring Security, a filter chain of its own that requires {@code tenantry.dashboard.role}
 * there. Without Spring Security start-up fails unless {@code tenantry.dashboard.allow-unsecured}; without the
 * actuator it fails. The tenant filter leaves the dashboard's path alone (see {@link TenantryWebAutoConfiguration}).
 *
 * <p>It comes after Spring Boot's security auto-configurations, so that its filter chain, which covers the
 * dashboard's path only, does not stand in for the default chain they add when the application has none.
 */
@AutoConfiguration(after = {TenantryEndpointAutoConfiguration.class, TenantryAuditAutoConfiguration.class,
        TenantryWebAutoConfiguration.class},
        afterName = {"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
                "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
                "org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty(name = "tenantry.dashboard.enabled")
@EnableConfigurationProperties(TenantryDashboardProperties.class)
public final class TenantryDashboardAutoConfiguration {

    /**
     * Order of the dashboard's security filter chain: ahead of the application's chains, which it cannot
     * disturb since it matches the dashboard's path only, so that none of them serves that path without the role.
     */
    public static final int SECURITY_ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    private static final Pattern PATH = Pattern.compile("(/(?!\\.{1,2}(?:/|$))[A-Za-z0-9._~-]+)+");

    /** Returns {@code tenantry.dashboard.path} without a trailing slash, or refuses it. */
    static String path(TenantryDashboardProperties properties) {
        String path = properties.getPath().endsWith("/") ? properties.getPath().substring(0,
                properties.getPath().length() - 1) : properties.getPath();
        if (!PATH.matcher(path).matches()) {
            throw new InvalidTenantryConfigurationException("tenantry.dashboard.path", properties.getPath(),
                    "the dashboard needs a path of its own below the application's root, in plain segments.",
                    "Use a path such as /tenantry or /admin/tenants.");
        }
        return path;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({RouterFunction.class, Endpoint.class})
    static class Dashboard {

        @Bean
        @ConditionalOnMissingBean
        RequestRates tenantryDashboardRequestRates() {
            return new RequestRates();
        }

        @Bean
        @ConditionalOnMissingBean(name = "tenantryDashboardRoutes")
        RouterFunction<ServerResponse> tenantryDashboardRoutes(TenantryDashboardProperties properties,
                ObjectProvider<TenantsEndpoint> endpoint, ObjectProvider<AuditLog> audit,
                ObjectProvider<TenantLifecycle> lifecycle, RequestRates rates,
                ObjectProvider<DashboardSecurity> security) {
            String path = path(properties);
            DashboardSecurity secured = security.getIfUnique();
            if (secured == null && !properties.isAllowUnsecured()) {
                throw new InvalidTenantryConfigurationException("tenantry.dashboard.allow-unsecured", false,
                        "the dashboard at " + path + " suspends and moves tenants, and without Spring Security"
                                + " nothing would require tenantry.dashboard.role of whoever reaches it.",
                        "Add spring-boot-starter-security (users then need the role), or, if something in front of"
                                + " the application already guards " + path + ", set"
                                + " tenantry.dashboard.allow-unsecured=true.");
            }
            TenantsEndpoint tenants = endpoint.getIfUnique();
            if (tenants == null) {
                throw new InvalidTenantryConfigurationException("tenantry.dashboard.enabled", true,
                        "the dashboard shows the tenants actuator endpoint, and there is no TenantsEndpoint bean"
                                + " (management.endpoint.tenants.access=none turns it off).",
                        "Leave the endpoint's access on (it need not be exposed over HTTP), or set"
                                + " tenantry.dashboard.enabled=false.");
            }
            DashboardSecurity chosen = secured == null ? DashboardSecurity.NONE : secured;
            DashboardApi api = new DashboardApi(tenants, audit.getIfUnique(), rates, chosen,
                    lifecycle.getIfUnique() != null);
            return DashboardPages.routes(path, api, chosen);
        }
    }

    /** With Spring Security active: the dashboard's own chain, which requires the role below its path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({HttpSecurity.class, SecurityFilterChain.class, RouterFunction.class, Endpoint.class})
    @ConditionalOnBean(HttpSecurity.class)
    static class Security {

        @Bean
        @ConditionalOnMissingBean
        DashboardSecurity tenantryDashboardSecurity() {
            return DashboardSecurityChain.csrf();
        }

        @Bean
        @Order(SECURITY_ORDER)
        @ConditionalOnMissingBean(name = "tenantryDashboardSecurityFilterChain")
        SecurityFilterChain tenantryDashboardSecurityFilterChain(HttpSecurity http,
                TenantryDashboardProperties properties) throws Exception {
            return DashboardSecurityChain.build(http, path(properties), properties.getRole());
        }
    }

    /** Without the actuator there is no tenants endpoint to show: start-up fails, saying what to add. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("org.springframework.boot.actuate.endpoint.annotation.Endpoint")
    static class WithoutActuator implements InitializingBean {

        @Override
        public void afterPropertiesSet() {
            throw new InvalidTenantryConfigurationException("tenantry.dashboard.enabled", true,
                    "the dashboard shows the tenants actuator endpoint, and the actuator is not on the class path.",
                    "Add spring-boot-starter-actuator (the endpoint need not be exposed over HTTP), or set"
                            + " tenantry.dashboard.enabled=false.");
        }
    }
}
