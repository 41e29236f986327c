package io.tenantry.spring.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tenantry.spring.ratelimit.TenantRateLimiter.Refusal;
import java.util.Objects;

/**
 * Counts refused requests in {@value #METER}, tagged {@code tier}: a tier that tenantry.rate-limits
 * lists, or {@value TenantRateLimiter#OTHER_TIERS}. Not tagged by tenant, so the number of time series
 * is bounded by the configuration, however many tenants there are.
 */
final class RateLimitMetrics implements RateLimitRefusals {

    /** The counter's name. */
    static final String METER = "tenantry.rate_limit.refused";

    private final MeterRegistry registry;

    RateLimitMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void refused(Refusal refusal) {
        Counter.builder(METER).description("Requests refused by their tenant's rate limit, by tier")
                .tag("tier", refusal.tier()).register(registry).increment();
    }
}
