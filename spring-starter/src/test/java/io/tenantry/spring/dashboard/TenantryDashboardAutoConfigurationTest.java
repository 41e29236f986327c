package io.tenantry.spring.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.Tenant;
import io.tenantry.TenantId;
import io.tenantry.spring.InvalidTenantryConfigurationException;
import io.tenantry.spring.TenantryAutoConfiguration;
import io.tenantry.spring.actuate.TenantryEndpointAutoConfiguration;
import io.tenantry.spring.actuate.TenantsEndpoint;
import io.tenantry.spring.web.TenantFilter;
import io.tenantry.spring.web.TenantryWebAutoConfiguration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;

/** When the dashboard is wired, and the start-up failures that say why it cannot be. */
class TenantryDashboardAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TenantryAutoConfiguration.class, EndpointAutoConfiguration.class,
                    TenantryEndpointAutoConfiguration.class, TenantryWebAutoConfiguration.class,
                    TenantryDashboardAutoConfiguration.class))
            .withPropertyValues("tenantry.directory.tenants[0].id=acme", "tenantry.mongodb.enabled=false");

    @Test
    @DisplayName("off by default: no routes, no security chain, and no tenants endpoint unless exposed")
    void absentUnlessEnabled() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("tenantryDashboardRoutes")
                .doesNotHaveBean("tenantryDashboardSecurityFilterChain").doesNotHaveBean(RequestRates.class)
                .doesNotHaveBean(TenantsEndpoint.class));
    }

    @Test
    @DisplayName("without Spring Security it refuses to start, unless allowed to run unsecured")
    void refusesToRunUnsecured() {
        WebApplicationContextRunner withoutSecurity = runner.withClassLoader(new FilteredClassLoader(HttpSecurity.class))
                .withPropertyValues("tenantry.dashboard.enabled=true");
        withoutSecurity.run(context -> assertThat(context).getFailure().rootCause()
                .isInstanceOf(InvalidTenantryConfigurationException.class)
                .hasMessageContaining("tenantry.dashboard.allow-unsecured")
                .hasMessageContaining("spring-boot-starter-security"));
        withoutSecurity.withPropertyValues("tenantry.dashboard.allow-unsecured=true").run(context -> {
            assertThat(context).hasNotFailed().hasBean("tenantryDashboardRoutes").hasSingleBean(TenantsEndpoint.class)
                    .doesNotHaveBean(DashboardSecurity.class);
            TenantFilter filter = context.getBean(TenantFilter.class);
            assertThat(filter).as("the tenant filter leaves the dashboard alone")
                    .matches(f -> excluded(f, "/tenantry/api/tenants")).matches(f -> !excluded(f, "/cards"));
        });
    }

    @Test
    @DisplayName("without the actuator, or with a path that is not one, it refuses to start and says what to change")
    void refusesWhatCannotWork() {
        runner.withClassLoader(new FilteredClassLoader(Endpoint.class)).withPropertyValues("tenantry.dashboard.enabled=true")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("spring-boot-starter-actuator"));
        for (String path : new String[] {"/", "tenantry", "/a b", "/x/../y", "/x//y", "/.."}) {
            runner.withClassLoader(new FilteredClassLoader(HttpSecurity.class)).withPropertyValues(
                    "tenantry.dashboard.enabled=true", "tenantry.dashboard.allow-unsecured=true",
                    "tenantry.dashboard.path=" + path)
                    .run(context -> assertThat(context).getFailure().rootCause().as(path)
                            .hasMessageContaining("tenantry.dashboard.path"));
        }
    }

    @Test
    @DisplayName("the request rate counts each tenant's admitted requests of the last minute")
    void requestRates() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        RequestRates rates = new RequestRates(now::get);
        Tenant acme = Tenant.builder("acme").build();
        for (int i = 0; i < 5; i++) {
            rates.admitted(new MockHttpServletRequest(), acme);
            now.addAndGet(7_000);
        }
        assertThat(rates.lastMinute(TenantId.of("acme"))).isEqualTo(5);
        assertThat(rates.lastMinute(TenantId.of("bravo"))).isZero();
        now.addAndGet(30_000);
        assertThat(rates.lastMinute(TenantId.of("acme"))).as("the first slot has left the minute").isEqualTo(3);
        now.addAndGet(60_000);
        assertThat(rates.lastMinute(TenantId.of("acme"))).isZero();
        rates.admitted(new MockHttpServletRequest(), acme);
        assertThat(rates.lastMinute(TenantId.of("acme"))).as("a reused slot starts again").isEqualTo(1);
    }

    /** Whether the filter lets a request without a tenant through, which it does on excluded paths only. */
    private static boolean excluded(TenantFilter filter, String path) {
        MockFilterChain chain = new MockFilterChain();
        try {
            filter.doFilter(new MockHttpServletRequest("GET", path), new MockHttpServletResponse(), chain);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return chain.getRequest() != null;
    }
}
