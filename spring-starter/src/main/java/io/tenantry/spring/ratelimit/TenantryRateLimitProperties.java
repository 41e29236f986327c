package io.tenantry.spring.ratelimit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The {@code tenantry.rate-limits.*} properties: requests per period for each tenant, by tier. */
@ConfigurationProperties("tenantry.rate-limits")
public class TenantryRateLimitProperties {

    /**
     * Whether the requests of each tenant are limited (a token bucket per tenant, sized by its tier); a
     * request above its tenant's limit gets 429 with Retry-After.
     */
    private boolean enabled;

    /**
     * Limits by tenant tier, e.g. free -> 100 requests per 1m, enterprise -> unlimited; a tier not listed
     * gets the default limit.
     */
    private Map<String, Limit> tiers = new LinkedHashMap<>();

    /** Limit of the tenants whose tier is not listed in tiers; with requests unset they are not limited. */
    private Limit defaultLimit = new Limit();

    /**
     * Most tenant buckets kept at once; past it those least likely to be used again are dropped, and such
     * a tenant starts again with a full bucket. A bucket left alone for its period is full anyway and is
     * dropped.
     */
    private long maxBuckets = 10_000;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Map<String, Limit> getTiers() {
        return tiers;
    }

    public void setTiers(Map<String, Limit> tiers) {
        this.tiers = tiers;
    }

    public Limit getDefaultLimit() {
        return defaultLimit;
    }

    public void setDefaultLimit(Limit defaultLimit) {
        this.defaultLimit = defaultLimit;
    }

    public long getMaxBuckets() {
        return maxBuckets;
    }

    public void setMaxBuckets(long maxBuckets) {
        this.maxBuckets = maxBuckets;
    }

    /** A number of requests per period, or no limit. */
    public static class Limit {

        /**
         * Requests admitted per period, which is also the largest burst. A listed tier needs it unless it is
         * unlimited; unset on the default limit, tiers not listed are not limited.
         */
        private @Nullable Long requests;

        /** Period over which the requests are admitted; used tokens come back evenly over it. */
        private Duration period = Duration.ofMinutes(1);

        /**
         * Whether these tenants are not limited at all, e.g. a tier exempt from the default limit; requests
         * and period are then ignored.
         */
        private boolean unlimited;

        public @Nullable Long getRequests() {
            return requests;
        }

        public void setRequests(@Nullable Long requests) {
            this.requests = requests;
        }

        public Duration getPeriod() {
            return period;
        }

        public void setPeriod(Duration period) {
            this.period = period;
        }

        public boolean isUnlimited() {
            return unlimited;
        }

        public void setUnlimited(boolean unlimited) {
            this.unlimited = unlimited;
        }
    }
}
