package io.tenantry.spring.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tenantry.Tenant;
import io.tenantry.spring.InvalidTenantryConfigurationException;
import io.tenantry.spring.TenantryAutoConfiguration;
import io.tenantry.spring.TenantryConfigurationFailureAnalyzer;
import io.tenantry.spring.web.TenantFilter;
import io.tenantry.spring.web.TenantryWebAutoConfiguration;
import jakarta.servlet.DispatcherType;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class TenantryRateLimitAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TenantryAutoConfiguration.class, TenantryWebAutoConfiguration.class,
                    TenantryRateLimitAutoConfiguration.class));

    private final WebApplicationContextRunner enabled = runner.withPropertyValues("tenantry.rate-limits.enabled=true",
            "tenantry.rate-limits.tiers.free.requests=2");

    @Test
    void isOffByDefaultSoExistingApplicationsLimitNothing() {
        runner.withPropertyValues("tenantry.rate-limits.tiers.free.requests=0").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(TenantFilter.class).doesNotHaveBean(TenantRateLimiter.class)
                    .doesNotHaveBean(TenantryRateLimitProperties.class);
            assertThat(context.getBeansOfType(FilterRegistrationBean.class)).containsOnlyKeys("tenantFilterRegistration");
        });
    }

    @Test
    void registersItsFilterJustBehindTheTenantFilterForFirstDispatchesOnly() {
        enabled.run(context -> {
            FilterRegistrationBean<?> registration = registration(context);
            assertThat(registration.getOrder()).isEqualTo(-89);
            assertThat(registration.getFilter()).isInstanceOf(TenantRateLimitFilter.class);
            assertThat(registration.determineDispatcherTypes()).containsExactly(DispatcherType.REQUEST);
        });
        enabled.withPropertyValues("tenantry.web.filter-order=-500")
                .run(context -> assertThat(registration(context).getOrder()).isEqualTo(-499));
    }

    @Test
    void refusalsAreCountedByTierWhenThereIsAMeterRegistry() {
        enabled.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(statusOfThirdRequest(context)).isEqualTo(429);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get("tenantry.rate_limit.refused").tag("tier", "free").counter().count()).isEqualTo(1);
            assertThat(meters.get("tenantry.rate_limit.refused").counter().getId().getTags())
                    .extracting("key").containsExactly("tier");
        });
        enabled.withBean(MeterRegistry.class, SimpleMeterRegistry::new).withPropertyValues("tenantry.metrics.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(RateLimitRefusals.class));
        enabled.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(RateLimitRefusals.class);
            assertThat(statusOfThirdRequest(context)).isEqualTo(429);
        });
    }

    @Test
    void invalidLimitsStopStartUpNamingTheProperty() {
        assertInvalid("tenantry.rate-limits.tiers.free.requests", "tenantry.rate-limits.tiers.free.requests=0");
        assertInvalid("tenantry.rate-limits.tiers.free.requests", "tenantry.rate-limits.tiers.free.requests=-3");
        assertInvalid("tenantry.rate-limits.tiers.free.period", "tenantry.rate-limits.tiers.free.requests=5",
                "tenantry.rate-limits.tiers.free.period=0s");
        assertInvalid("tenantry.rate-limits.tiers.free.period", "tenantry.rate-limits.tiers.free.requests=5",
                "tenantry.rate-limits.tiers.free.period=-1m");
        assertInvalid("tenantry.rate-limits.tiers.pro.requests", "tenantry.rate-limits.tiers.pro.period=1m");
        assertInvalid("tenantry.rate-limits.default-limit.requests", "tenantry.rate-limits.default-limit.requests=0");
        assertInvalid("tenantry.rate-limits.default-limit.period", "tenantry.rate-limits.default-limit.requests=1",
                "tenantry.rate-limits.default-limit.period=0ms");
        assertInvalid("tenantry.rate-limits.max-buckets", "tenantry.rate-limits.max-buckets=0");
    }

    @Test
    void theStartUpReportSaysWhatToChange() {
        enabled.withPropertyValues("tenantry.rate-limits.tiers.free.requests=0").run(context -> {
            FailureAnalysis analysis = new TenantryConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("Property: tenantry.rate-limits.tiers.free.requests")
                    .contains("Value: \"0\"").contains("at least 1 request per period");
            assertThat(analysis.getAction()).contains("Set it to 1 or more")
                    .contains("tenantry.rate-limits.tiers.free.unlimited=true");
        });
    }

    @Test
    void anUnlimitedTierNeedsNoRequests() {
        enabled.withPropertyValues("tenantry.rate-limits.tiers.enterprise.unlimited=true",
                "tenantry.rate-limits.default-limit.requests=10").run(context -> assertThat(context).hasNotFailed()
                        .hasSingleBean(TenantRateLimiter.class));
    }

    @Test
    void refusesToStartWithoutTheTenantFilterWhoseRequestsItLimits() {
        enabled.withPropertyValues("tenantry.web.enabled=false").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidTenantryConfigurationException.class)
                    .hasMessageContaining("tenantry.rate-limits.enabled").hasMessageContaining("tenantry.web.enabled");
        });
    }

    @Test
    void staysAwayFromApplicationsThatAreNotServletWebApplications() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TenantryAutoConfiguration.class,
                TenantryWebAutoConfiguration.class, TenantryRateLimitAutoConfiguration.class))
                .withPropertyValues("tenantry.rate-limits.enabled=true", "tenantry.rate-limits.tiers.free.requests=2")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(TenantRateLimiter.class));
    }

    private void assertInvalid(String property, String... properties) {
        runner.withPropertyValues("tenantry.rate-limits.enabled=true").withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            while (failure != null && !(failure instanceof InvalidTenantryConfigurationException)) {
                failure = failure.getCause();
            }
            assertThat(failure).as("start-up failure of %s", String.join(", ", properties))
                    .isInstanceOf(InvalidTenantryConfigurationException.class);
            assertThat(((InvalidTenantryConfigurationException) failure).property()).isEqualTo(property);
        });
    }

    /** Sends three requests of a free tenant (two per minute) through the registered filter; returns the third's status. */
    private static int statusOfThirdRequest(AssertableWebApplicationContext context) throws Exception {
        Tenant acme = Tenant.builder("acme").tier("free").build();
        int status = 0;
        for (int i = 0; i < 3; i++) {
            MockHttpServletRequest request = new MockHttpServletRequest("GET", "/cards");
            request.setAttribute(TenantFilter.TENANT_ATTRIBUTE, acme);
            MockHttpServletResponse response = new MockHttpServletResponse();
            registration(context).getFilter().doFilter(request, response, new MockFilterChain());
            status = response.getStatus();
        }
        return status;
    }

    private static FilterRegistrationBean<?> registration(AssertableWebApplicationContext context) {
        return context.getBean("tenantRateLimitRegistration", FilterRegistrationBean.class);
    }
}
