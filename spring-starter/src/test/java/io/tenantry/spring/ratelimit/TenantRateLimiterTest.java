package io.tenantry.spring.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.Tenant;
import io.tenantry.spring.ratelimit.TenantRateLimiter.Refusal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TenantRateLimiterTest {

    private static final RateLimit FREE = new RateLimit(3, Duration.ofSeconds(10));
    private static final RateLimit PRO = new RateLimit(50, Duration.ofSeconds(10));

    private final ManualTime time = new ManualTime();
    private final TenantRateLimiter limiter = new TenantRateLimiter(Map.of("free", FREE, "pro", PRO),
            Set.of("enterprise"), new RateLimit(2, Duration.ofMinutes(1)), 1_000, time);

    @Test
    void aBurstAboveTheLimitIsRefusedWhileAnotherTenantOfTheSameTierGoesOn() {
        Tenant acme = tenant("acme", "free");
        assertThat(admitted(acme, 3)).isEqualTo(3);
        Refusal refusal = limiter.tryAcquire(acme);
        assertThat(refusal).isNotNull();
        assertThat(refusal.tenant().value()).isEqualTo("acme");
        assertThat(refusal.tier()).isEqualTo("free");
        assertThat(refusal.limit()).isEqualTo(FREE);
        assertThat(admitted(acme, 5)).isZero();
        assertThat(admitted(tenant("bravo", "free"), 3)).isEqualTo(3);
    }

    @Test
    void aRefusalSaysWhenTheNextRequestFitsInWholeSecondsRoundedUp() {
        Tenant acme = tenant("acme", "free");
        admitted(acme, 3);
        Refusal refusal = limiter.tryAcquire(acme);
        // one token of three comes back every 10/3 s
        assertThat(refusal.retryIn()).isBetween(Duration.ofMillis(3_333), Duration.ofMillis(3_334));
        assertThat(refusal.retryAfterSeconds()).isEqualTo(4);
        time.advance(Duration.ofMillis(3_300));
        assertThat(limiter.tryAcquire(acme).retryAfterSeconds()).as("33 ms left is still 1 s").isEqualTo(1);
    }

    @Test
    void retryAfterIsTheWaitRoundedUpToWholeSecondsAndAtLeastOne() {
        RateLimit limit = new RateLimit(1, Duration.ofMinutes(1));
        Tenant acme = tenant("acme", "free");
        assertThat(new Refusal(acme.id(), "free", limit, Duration.ofSeconds(3)).retryAfterSeconds()).isEqualTo(3);
        assertThat(new Refusal(acme.id(), "free", limit, Duration.ofSeconds(3).plusNanos(1)).retryAfterSeconds())
                .isEqualTo(4);
        assertThat(new Refusal(acme.id(), "free", limit, Duration.ofNanos(1)).retryAfterSeconds()).isEqualTo(1);
        assertThat(new Refusal(acme.id(), "free", limit, Duration.ZERO).retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void aTierWithAHigherLimitIsNotRefusedWhereALowerOneIs() {
        assertThat(admitted(tenant("acme", "free"), 10)).isEqualTo(3);
        assertThat(admitted(tenant("corp", "pro"), 10)).isEqualTo(10);
        assertThat(admitted(tenant("corp", "pro"), 100)).isEqualTo(40);
    }

    @Test
    void afterThePeriodTheTenantIsAdmittedAgainAndTokensComeBackEvenlyMeanwhile() {
        Tenant acme = tenant("acme", "free");
        admitted(acme, 3);
        assertThat(limiter.tryAcquire(acme)).isNotNull();
        time.advance(Duration.ofMillis(3_334));
        assertThat(admitted(acme, 3)).as("a third of the period: one token").isEqualTo(1);
        time.advance(Duration.ofSeconds(10));
        assertThat(admitted(acme, 5)).as("a whole period: a full bucket, no more").isEqualTo(3);
    }

    @Test
    void tiersNotListedGetTheDefaultLimitAndAnUnlimitedTierIsExemptFromIt() {
        Tenant trial = tenant("trial", "trial");
        assertThat(admitted(trial, 5)).isEqualTo(2);
        assertThat(limiter.tryAcquire(trial).tier()).as("tag of unlisted tiers").isEqualTo("other");
        assertThat(admitted(tenant("big", "enterprise"), 500)).isEqualTo(500);
        assertThat(limiter.buckets()).as("unlimited tenants take no bucket").isEqualTo(1);
    }

    @Test
    void withoutADefaultLimitTiersNotListedAreUnlimited() {
        TenantRateLimiter tiersOnly = new TenantRateLimiter(Map.of("free", FREE), Set.of(), null, 1_000, time);
        Tenant trial = tenant("trial", "trial");
        for (int i = 0; i < 500; i++) {
            assertThat(tiersOnly.tryAcquire(trial)).isNull();
        }
        assertThat(tiersOnly.buckets()).isZero();
    }

    @Test
    void aTierChangeTakesEffectAtTheNextRequest() {
        Tenant free = tenant("acme", "free");
        admitted(free, 3);
        assertThat(limiter.tryAcquire(free)).isNotNull();
        Tenant upgraded = free.toBuilder().tier("pro").build();
        assertThat(admitted(upgraded, 60)).isEqualTo(50);
        Tenant exempt = free.toBuilder().tier("enterprise").build();
        assertThat(admitted(exempt, 60)).isEqualTo(60);
    }

    @Test
    void aTenantsAttributesOverrideItsTiersLimit() {
        Tenant more = Tenant.builder("acme").tier("free").attribute("rate-limit.requests", "7").build();
        assertThat(admitted(more, 10)).isEqualTo(7);
        assertThat(limiter.tryAcquire(more).limit()).as("the tier's period").isEqualTo(new RateLimit(7, FREE.period()));

        Tenant longer = Tenant.builder("bravo").tier("free").attribute("rate-limit.period", "1h").build();
        admitted(longer, 3);
        assertThat(limiter.tryAcquire(longer).limit()).isEqualTo(new RateLimit(3, Duration.ofHours(1)));

        Tenant exempt = Tenant.builder("corp").tier("free").attribute("rate-limit.requests", "unlimited").build();
        assertThat(admitted(exempt, 100)).isEqualTo(100);

        Tenant limited = Tenant.builder("big").tier("enterprise").attribute("rate-limit.requests", "4")
                .attribute("rate-limit.period", "PT30S").build();
        assertThat(admitted(limited, 10)).as("an unlimited tier limited for one tenant").isEqualTo(4);
        assertThat(limiter.tryAcquire(limited).limit()).isEqualTo(new RateLimit(4, Duration.ofSeconds(30)));
    }

    @Test
    void attributesThatMakeNoLimitLeaveTheTiersLimit() {
        for (String requests : List.of("0", "-1", "many", " ")) {
            Tenant odd = Tenant.builder("odd-" + Math.abs(requests.hashCode())).tier("free")
                    .attribute("rate-limit.requests", requests).build();
            assertThat(admitted(odd, 10)).as(requests).isEqualTo(3);
        }
        Tenant badPeriod = Tenant.builder("bad-period").tier("free").attribute("rate-limit.period", "soon").build();
        assertThat(admitted(badPeriod, 10)).isEqualTo(3);
        Tenant noRequests = Tenant.builder("no-requests").tier("enterprise").attribute("rate-limit.period", "1m")
                .build();
        assertThat(admitted(noRequests, 10)).as("a period alone on an unlimited tier").isEqualTo(10);
    }

    @Test
    void bucketsAreBoundedInNumberAndDroppedOnceTheyHaveRefilled() {
        TenantRateLimiter small = new TenantRateLimiter(Map.of("free", FREE), Set.of(), null, 10, time);
        List<Tenant> tenants = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            tenants.add(tenant("t" + i, "free"));
        }
        tenants.forEach(small::tryAcquire);
        assertThat(small.buckets()).isLessThanOrEqualTo(10);
        time.advance(FREE.period().minusMillis(1));
        assertThat(small.buckets()).isPositive();
        time.advance(Duration.ofSeconds(2));
        assertThat(small.buckets()).as("past their period (Caffeine's timer wheel ticks about every second)").isZero();
    }

    @Test
    void aLimitReadsAsAPersonWouldSayIt() {
        assertThat(new RateLimit(100, Duration.ofMinutes(1))).hasToString("100 requests per 1m");
        assertThat(new RateLimit(1, Duration.ofMillis(500))).hasToString("1 request per 500ms");
        assertThat(new RateLimit(5, Duration.ofSeconds(90))).hasToString("5 requests per 90s");
        assertThat(new RateLimit(5, Duration.ofDays(1))).hasToString("5 requests per 1d");
    }

    /** Returns how many of {@code requests} requests of {@code tenant} were admitted, one after another. */
    private int admitted(Tenant tenant, int requests) {
        int admitted = 0;
        for (int i = 0; i < requests; i++) {
            if (limiter.tryAcquire(tenant) == null) {
                admitted++;
            }
        }
        return admitted;
    }

    private static Tenant tenant(String id, String tier) {
        return Tenant.builder(id).tier(tier).build();
    }
}
