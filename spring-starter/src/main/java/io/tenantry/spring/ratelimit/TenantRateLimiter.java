package io.tenantry.spring.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.tenantry.Tenant;
import io.tenantry.TenantId;
import java.time.DateTimeException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.convert.DurationStyle;

/**
 * Decides whether a tenant may make one more request: a Bucket4j token bucket per tenant, sized by the
 * limit of its tier (or the default limit, or the tenant's own attributes {@value #REQUESTS_ATTRIBUTE}
 * and {@value #PERIOD_ATTRIBUTE}). Buckets are kept in a Caffeine cache bounded in size, keyed by the
 * tenant and what its limit is made of, so a tenant whose tier or attributes change gets a bucket of the
 * new size at its next request. A bucket untouched for its whole period has refilled, so it is dropped
 * then at no cost; one dropped for the size bound starts full again, which lets that tenant burst once
 * more. Thread-safe.
 */
final class TenantRateLimiter {

    /** Tenant attribute that overrides the tier's requests per period: a positive number, or {@code unlimited}. */
    static final String REQUESTS_ATTRIBUTE = "rate-limit.requests";

    /** Tenant attribute that overrides the tier's period: a duration such as {@code 1m} or {@code PT1M}. */
    static final String PERIOD_ATTRIBUTE = "rate-limit.period";

    /** The tier tag of refusals of tenants whose tier is not listed. */
    static final String OTHER_TIERS = "other";

    private static final Logger LOG = LoggerFactory.getLogger(TenantRateLimiter.class);

    /** How long an entry without a bucket (an unlimited tenant) is kept. */
    private static final Duration UNLIMITED_ENTRY_LIFETIME = Duration.ofMinutes(1);

    private final Map<String, RateLimit> tierLimits;
    private final Set<String> unlimitedTiers;
    private final @Nullable RateLimit defaultLimit;
    private final TimeMeter time;
    private final Cache<BucketKey, TenantBucket> buckets;

    /**
     * Creates the limiter.
     *
     * @param tierLimits limits by tier
     * @param unlimitedTiers tiers without a limit, even when there is a default limit
     * @param defaultLimit limit of the tiers in neither, or null to leave them unlimited
     * @param maxBuckets most buckets kept at once
     * @param time the clock of the buckets and of their expiry
     */
    TenantRateLimiter(Map<String, RateLimit> tierLimits, Set<String> unlimitedTiers, @Nullable RateLimit defaultLimit,
            long maxBuckets, TimeMeter time) {
        this.tierLimits = Map.copyOf(tierLimits);
        this.unlimitedTiers = Set.copyOf(unlimitedTiers);
        this.defaultLimit = defaultLimit;
        this.time = Objects.requireNonNull(time, "time");
        this.buckets = Caffeine.newBuilder().maximumSize(maxBuckets).ticker(time::currentTimeNanos)
                .expireAfter(Expiry.accessing((BucketKey key, TenantBucket bucket) -> bucket.lifetime()))
                .build();
    }

    /**
     * Takes one request from {@code tenant}'s bucket.
     *
     * @return null when the request may go on, or the refusal: the limit and how long until a request fits
     */
    @Nullable Refusal tryAcquire(Tenant tenant) {
        Map<String, String> attributes = tenant.attributes();
        String requests = attributes.get(REQUESTS_ATTRIBUTE);
        String period = attributes.get(PERIOD_ATTRIBUTE);
        if (requests == null && period == null && tierLimit(tenant.tier()) == null) {
            return null;
        }
        TenantBucket entry = buckets.get(new BucketKey(tenant.id(), tenant.tier(), requests, period), this::bucketOf);
        Bucket bucket = entry.bucket();
        RateLimit limit = entry.limit();
        if (bucket == null || limit == null) {
            return null;
        }
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return null;
        }
        return new Refusal(tenant.id(), tierTag(tenant.tier()), limit, Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    /** Returns the number of buckets (and unlimited entries) kept now, after pending evictions ran. */
    long buckets() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    private @Nullable RateLimit tierLimit(String tier) {
        if (unlimitedTiers.contains(tier)) {
            return null;
        }
        RateLimit limit = tierLimits.get(tier);
        return limit != null ? limit : defaultLimit;
    }

    private String tierTag(String tier) {
        return tierLimits.containsKey(tier) || unlimitedTiers.contains(tier) ? tier : OTHER_TIERS;
    }

    private TenantBucket bucketOf(BucketKey key) {
        RateLimit limit = limitOf(key);
        if (limit == null) {
            return new TenantBucket(null, null);
        }
        Bucket bucket = Bucket.builder()
                .addLimit(bandwidth -> bandwidth.capacity(limit.requests()).refillGreedy(limit.requests(), limit.period()))
                .withCustomTimePrecision(time).build();
        return new TenantBucket(limit, bucket);
    }

    /**
     * Returns the limit {@code key} makes: the tier's, with the tenant's attributes over it (a period alone
     * spreads the tier's requests over it; requests alone take the tier's period, or 1m on an unlimited
     * tier). Attributes that make no limit are logged, once per bucket, and the tier's limit applies.
     */
    private @Nullable RateLimit limitOf(BucketKey key) {
        RateLimit tier = tierLimit(key.tier());
        String requests = key.requests();
        String period = key.period();
        if (requests == null && period == null) {
            return tier;
        }
        if (requests != null && requests.trim().equals("unlimited")) {
            return null;
        }
        try {
            if (requests == null && tier == null) {
                throw new IllegalArgumentException("a period alone, and the tier has no requests to spread over it");
            }
            return new RateLimit(requests != null ? Long.parseLong(requests.trim()) : tier.requests(),
                    period != null ? DurationStyle.detectAndParse(period.trim())
                            : tier != null ? tier.period() : Duration.ofMinutes(1));
        } catch (IllegalArgumentException | DateTimeException e) {
            LOG.warn("Tenant {} has a rate limit in its attributes ({}={}, {}={}) that cannot be used: {}. Its tier's"
                    + " limit applies ({}). Set {} to a positive number or \"unlimited\", and {} to a positive duration"
                    + " such as 1m, or remove them.", key.tenant(), REQUESTS_ATTRIBUTE, quoted(requests), PERIOD_ATTRIBUTE,
                    quoted(period), e.getMessage(), tier == null ? "unlimited" : tier, REQUESTS_ATTRIBUTE,
                    PERIOD_ATTRIBUTE);
            return tier;
        }
    }

    private static String quoted(@Nullable String value) {
        return value == null ? "(unset)" : "\"" + value + "\"";
    }

    /** What a tenant's bucket depends on: a change to any of it is a new bucket. */
    private record BucketKey(TenantId tenant, String tier, @Nullable String requests, @Nullable String period) {
    }

    /** A tenant's limit and bucket, both null when the tenant is not limited. */
    private record TenantBucket(@Nullable RateLimit limit, @Nullable Bucket bucket) {

        Duration lifetime() {
            return limit != null ? limit.period() : UNLIMITED_ENTRY_LIFETIME;
        }
    }

    /**
     * A request refused by its tenant's limit.
     *
     * @param tenant the tenant
     * @param tier the tenant's tier when tenantry.rate-limits lists it, else {@value TenantRateLimiter#OTHER_TIERS}
     * @param limit the limit that refused it
     * @param retryIn how long until the bucket holds a request again
     */
    record Refusal(TenantId tenant, String tier, RateLimit limit, Duration retryIn) {

        /** Returns {@link #retryIn()} in whole seconds, rounded up, at least 1: the value of {@code Retry-After}. */
        long retryAfterSeconds() {
            long seconds = retryIn.getSeconds() + (retryIn.getNano() > 0 ? 1 : 0);
            return Math.max(1, seconds);
        }
    }
}
