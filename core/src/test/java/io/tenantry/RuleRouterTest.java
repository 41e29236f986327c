package io.tenantry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RuleRouterTest {

    static final Placement SHARED = Placement.field("main", "cardvault");
    static final Placement PREMIUM = Placement.collection("main", "cardvault_premium");
    static final Placement DEDICATED = Placement.database("dedicated", "cv_");
    static final Placement EU = Placement.field("eu", "cardvault");
    static final Placement EU_DEDICATED = Placement.database("eu", "cv_");
    static final Placement FALLBACK = Placement.field("main", "other");

    static Tenant tenant(String tier, String region) {
        return Tenant.builder("acme").tier(tier).region(region).build();
    }

    private final TenantRouter router = TenantRouter.builder()
            .tier("free", SHARED)
            .tier("premium", PREMIUM)
            .tier("enterprise", DEDICATED)
            .region("eu", EU)
            .tierInRegion("enterprise", "eu", EU_DEDICATED)
            .build();

    @Test
    void routes_by_tier() {
        assertThat(router.route(tenant("free", null))).isEqualTo(SHARED);
        assertThat(router.route(tenant("premium", null))).isEqualTo(PREMIUM);
        assertThat(router.route(tenant("enterprise", null))).isEqualTo(DEDICATED);
    }

    @Test
    void a_pinned_placement_wins_over_every_rule() {
        Placement pinned = Placement.database("vip", "vip_");

        assertThat(router.route(Tenant.builder("acme").tier("enterprise").region("eu").placement(pinned).build()))
                .isEqualTo(pinned);
        assertThat(router.route(Tenant.builder("acme").tier("unknown").placement(pinned).build())).isEqualTo(pinned);
    }

    @Test
    void region_beats_tier_for_data_residency() {
        assertThat(router.route(tenant("free", "eu"))).isEqualTo(EU);
        assertThat(router.route(tenant("premium", "eu"))).isEqualTo(EU);
    }

    @Test
    void tier_in_region_is_the_most_specific_rule() {
        assertThat(router.route(tenant("enterprise", "eu"))).isEqualTo(EU_DEDICATED);
    }

    @Test
    void a_tenant_in_a_region_without_rules_is_refused_rather_than_placed_outside_it() {
        assertThatThrownBy(() -> router.route(tenant("free", "us"))).isInstanceOf(RoutingException.class)
                .hasMessageContaining("region \"us\"")
                .hasMessageContaining("region(\"us\", ...)");
    }

    @Test
    void a_region_counts_for_nothing_when_the_router_has_no_region_rules() {
        TenantRouter byTierOnly = TenantRouter.builder().tier("free", SHARED).build();

        assertThat(byTierOnly.route(tenant("free", "us"))).isEqualTo(SHARED);
    }

    @Test
    void otherwise_catches_tenants_no_rule_matches() {
        TenantRouter withFallback = TenantRouter.builder().tier("free", SHARED).otherwise(FALLBACK).build();

        assertThat(withFallback.route(tenant("gold", null))).isEqualTo(FALLBACK);
        assertThat(withFallback.route(tenant("free", null))).isEqualTo(SHARED);
    }

    @Test
    void an_unknown_tier_is_refused_with_the_known_tiers_named() {
        assertThatThrownBy(() -> router.route(tenant("gold", null))).isInstanceOf(RoutingException.class)
                .hasMessageContaining("tier \"gold\"")
                .hasMessageContaining("free").hasMessageContaining("premium").hasMessageContaining("enterprise");
    }

    @Test
    void a_tier_with_several_placements_spreads_tenants_over_them() {
        Placement a = Placement.field("main", "premium_a");
        Placement b = Placement.field("main", "premium_b");
        TenantRouter spread = TenantRouter.builder().tier("premium", a, b).build();

        long onA = 0;
        for (int i = 0; i < 200; i++) {
            Placement placement = spread.route(Tenant.builder("t" + i).tier("premium").build());
            assertThat(placement).isIn(a, b);
            onA += placement.equals(a) ? 1 : 0;
        }
        assertThat(onA).isBetween(50L, 150L);
    }

    @Test
    void overlapping_database_prefixes_on_one_store_are_refused_at_build_time() {
        assertThatIllegalArgumentException().isThrownBy(() -> TenantRouter.builder()
                        .tier("premium", Placement.database("dedicated", "cv_"))
                        .tier("enterprise", Placement.database("dedicated", "cv_a")).build())
                .withMessageContaining("\"cv_\"").withMessageContaining("\"cv_a\"");
        assertThatIllegalArgumentException().isThrownBy(() -> TenantRouter.builder()
                .region("eu", Placement.database("dedicated", "tenant-eu"))
                .otherwise(Placement.database("dedicated", "tenant")).build());
    }

    @Test
    void the_same_prefix_twice_or_overlapping_prefixes_on_different_stores_are_fine() {
        assertThatCode(() -> TenantRouter.builder().tier("premium", Placement.database("dedicated", "cv_"))
                .tier("enterprise", Placement.database("dedicated", "cv_"))
                .tierInRegion("premium", "eu", Placement.database("eu", "cv_a"))
                .build()).doesNotThrowAnyException();
    }

    @Test
    void placements_lists_every_placement_the_rules_name_once_in_declaration_order_and_no_pinned_one() {
        TenantRouter spread = TenantRouter.builder().tier("free", SHARED, FALLBACK).region("eu", EU)
                .tier("premium", PREMIUM, SHARED).otherwise(FALLBACK).build();
        assertThat(((RuleRouter) spread).placements()).containsExactly(SHARED, FALLBACK, EU, PREMIUM);
        assertThat(((RuleRouter) router).placements()).containsExactly(SHARED, PREMIUM, DEDICATED, EU, EU_DEDICATED);
        Tenant pinned = Tenant.builder("acme").placement(Placement.database("vip", "vip_")).build();
        assertThat(router.route(pinned)).isNotIn(((RuleRouter) router).placements());
    }

    @Test
    void rules_must_be_declared_once_and_name_at_least_one_placement() {
        assertThatIllegalArgumentException().isThrownBy(() -> TenantRouter.builder().tier("free", SHARED)
                .tier("free", PREMIUM)).withMessageContaining("declared twice");
        assertThatIllegalArgumentException().isThrownBy(() -> TenantRouter.builder().tier("free"))
                .withMessageContaining("at least one placement");
        assertThatIllegalArgumentException().isThrownBy(() -> TenantRouter.builder().region(" ", EU));
    }
}
