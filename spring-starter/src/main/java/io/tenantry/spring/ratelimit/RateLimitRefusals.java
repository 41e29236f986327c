package io.tenantry.spring.ratelimit;

import io.tenantry.spring.ratelimit.TenantRateLimiter.Refusal;

/** Told of each request refused by its tenant's rate limit, e.g. to count refusals. Thread-safe, fast, never throws. */
@FunctionalInterface
interface RateLimitRefusals {

    /** Tells nobody. */
    RateLimitRefusals NONE = refusal -> {
    };

    void refused(Refusal refusal);
}
