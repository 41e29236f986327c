package io.tenantry.spring.ratelimit;

import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tenantry.spring.InvalidTenantryConfigurationException;
import io.tenantry.spring.ratelimit.TenantryRateLimitProperties.Limit;
import io.tenantry.spring.web.TenantFilter;
import io.tenantry.spring.web.TenantryWebAutoConfiguration;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
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
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Per-tenant rate limits, when {@code tenantry.rate-limits.enabled}: the limiter built (and checked)
 * from {@code tenantry.rate-limits.*}, and its filter, registered just behind the tenant filter for
 * first dispatches only, so that each request takes one token; with Micrometer, refusals are counted
 * by tier. Rate limits apply to the requests the tenant filter admits, so turning them on without the
 * tenant filter ({@code tenantry.web.enabled=false}) stops start-up.
 */
@AutoConfiguration(after = TenantryWebAutoConfiguration.class,
        afterName = {"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({OncePerRequestFilter.class, FilterRegistrationBean.class})
@ConditionalOnProperty(name = "tenantry.rate-limits.enabled", havingValue = "true")
@EnableConfigurationProperties(TenantryRateLimitProperties.class)
public final class TenantryRateLimitAutoConfiguration {

    private static final String PREFIX = "tenantry.rate-limits.";

    @Bean
    @ConditionalOnMissingBean
    TenantRateLimiter tenantRateLimiter(TenantryRateLimitProperties properties) {
        return limiter(properties, TimeMeter.SYSTEM_NANOTIME);
    }

    @Bean
    @ConditionalOnMissingBean(name = "tenantRateLimitRegistration")
    FilterRegistrationBean<TenantRateLimitFilter> tenantRateLimitRegistration(TenantRateLimiter limiter,
            ObjectProvider<RateLimitRefusals> refusals,
            ObjectProvider<FilterRegistrationBean<TenantFilter>> tenantFilterRegistration) {
        FilterRegistrationBean<TenantFilter> tenantFilter = tenantFilterRegistration.getIfUnique();
        if (tenantFilter == null) {
            throw new InvalidTenantryConfigurationException(PREFIX + "enabled", true,
                    "rate limits apply to the requests the tenant filter admits, and there is no tenant filter"
                            + " (tenantry.web.enabled is false, or no tenantFilterRegistration bean).",
                    "Turn the tenant filter on (tenantry.web.enabled=true), or set tenantry.rate-limits.enabled=false.");
        }
        FilterRegistrationBean<TenantRateLimitFilter> registration = new FilterRegistrationBean<>(
                new TenantRateLimitFilter(limiter, refusals.getIfUnique(() -> RateLimitRefusals.NONE)));
        int order = tenantFilter.getOrder();
        registration.setOrder(order == Integer.MAX_VALUE ? order : order + 1);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setName("tenantRateLimitFilter");
        return registration;
    }

    /**
     * Returns the limiter that {@code properties} describe, on the clock {@code time}.
     *
     * @throws InvalidTenantryConfigurationException naming the property, when a limit cannot work
     */
    static TenantRateLimiter limiter(TenantryRateLimitProperties properties, TimeMeter time) {
        Map<String, RateLimit> tiers = new HashMap<>();
        Set<String> unlimited = new HashSet<>();
        properties.getTiers().forEach((tier, limit) -> {
            RateLimit rateLimit = limitOf(PREFIX + "tiers." + tier + ".", limit, true);
            if (rateLimit == null) {
                unlimited.add(tier);
            } else {
                tiers.put(tier, rateLimit);
            }
        });
        RateLimit defaultLimit = limitOf(PREFIX + "default-limit.", properties.getDefaultLimit(), false);
        if (properties.getMaxBuckets() <= 0) {
            throw new InvalidTenantryConfigurationException(PREFIX + "max-buckets", properties.getMaxBuckets(),
                    "rate limits need room for at least one tenant's bucket.",
                    "Set it to at least the number of tenants that make requests within one period (default 10000).");
        }
        return new TenantRateLimiter(tiers, unlimited, defaultLimit, properties.getMaxBuckets(), time);
    }

    private static @Nullable RateLimit limitOf(String prefix, Limit limit, boolean listed) {
        if (limit.isUnlimited()) {
            return null;
        }
        Long requests = limit.getRequests();
        if (requests == null) {
            if (listed) {
                throw new InvalidTenantryConfigurationException(prefix + "requests", null,
                        "a tier listed under tenantry.rate-limits.tiers needs its number of requests per period.",
                        "Set " + prefix + "requests (and " + prefix + "period, 1m by default), or " + prefix
                                + "unlimited=true to leave the tier unlimited.");
            }
            return null;
        }
        if (requests <= 0) {
            throw new InvalidTenantryConfigurationException(prefix + "requests", requests,
                    "a rate limit must admit at least 1 request per period.", "Set it to 1 or more, or set " + prefix
                            + "unlimited=true" + (listed ? "" : " (or leave it unset)") + " for no limit.");
        }
        Duration period = limit.getPeriod();
        if (period == null || period.isZero() || period.isNegative()) {
            throw new InvalidTenantryConfigurationException(prefix + "period", period,
                    "a rate limit's period must be longer than zero.",
                    "Set it to a positive duration such as 1s, 1m or 1h (1m by default).");
        }
        return new RateLimit(requests, period);
    }

    /** Counts refusals in Micrometer, tagged by tier. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    @ConditionalOnProperty(name = "tenantry.metrics.enabled", havingValue = "true", matchIfMissing = true)
    static class Metrics {

        @Bean
        @ConditionalOnMissingBean
        RateLimitRefusals tenantRateLimitMetrics(MeterRegistry registry) {
            return new RateLimitMetrics(registry);
        }
    }
}
