package io.tenantry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Hash buckets: a rule with several placements spreads tenants by rendezvous hashing. */
class RuleRouterBucketProperties {

    record Setup(List<Placement> buckets, Placement added, int addedAt, List<TenantId> tenants) {
        @Override
        public String toString() {
            return "buckets " + buckets + ", added " + added + " at " + addedAt + ", " + tenants.size() + " tenants starting "
                    + tenants.subList(0, Math.min(5, tenants.size()));
        }
    }

    static TenantRouter router(List<Placement> buckets) {
        return TenantRouter.builder().tier("premium", buckets.toArray(new Placement[0])).build();
    }

    static Placement route(TenantRouter router, TenantId tenant) {
        return router.route(Tenant.builder(tenant).tier("premium").build());
    }

    /** Three (or four) distinct shared placements and a fifth to add, and many distinct tenants. */
    static Setup setup(SplittableRandom random, int bucketCount, int tenantCount) {
        Set<Placement> placements = new LinkedHashSet<>();
        while (placements.size() < bucketCount + 1) {
            String store = random.nextBoolean() ? "main" : "store" + random.nextInt(3);
            String name = Gens.validId(random, Gens.length(random, 1, 20));
            placements.add(random.nextBoolean() ? Placement.field(store, name) : Placement.collection(store, name));
        }
        List<Placement> all = new ArrayList<>(placements);
        return new Setup(all.subList(0, bucketCount), all.get(bucketCount), random.nextInt(bucketCount + 1),
                Gens.distinctTenantIds(random, tenantCount, 20));
    }

    @Test
    void the_bucket_of_a_tenant_depends_only_on_the_tenant_and_the_placements() {
        Property.forAll(50, random -> setup(random, 2 + random.nextInt(4), 200), setup -> {
            TenantRouter first = router(setup.buckets());
            List<Placement> reversed = new ArrayList<>(setup.buckets());
            Collections.reverse(reversed);
            TenantRouter rebuiltReversed = router(reversed);
            for (TenantId tenant : setup.tenants()) {
                Placement chosen = route(first, tenant);
                assertThat(route(first, tenant)).isEqualTo(chosen);
                assertThat(route(router(setup.buckets()), tenant)).isEqualTo(chosen);
                assertThat(route(rebuiltReversed, tenant)).as("placement order in the rule").isEqualTo(chosen);
            }
        });
    }

    @Test
    void three_buckets_each_get_a_fair_share_of_tenants() {
        Property.forAll(30, random -> setup(random, 3, 3_000), setup -> {
            TenantRouter router = router(setup.buckets());
            Map<Placement, Integer> counts = new HashMap<>();
            for (TenantId tenant : setup.tenants()) {
                counts.merge(route(router, tenant), 1, Integer::sum);
            }
            assertThat(counts).hasSize(3);
            assertThat(counts.values()).allSatisfy(count -> assertThat(count).isBetween(600, 1_410));
        });
    }

    @Test
    void adding_a_bucket_moves_tenants_only_to_the_new_bucket() {
        Property.forAll(30, random -> setup(random, 3, 1_000), setup -> {
            TenantRouter before = router(setup.buckets());
            List<Placement> grown = new ArrayList<>(setup.buckets());
            grown.add(setup.addedAt(), setup.added());
            TenantRouter after = router(grown);
            int moved = 0;
            for (TenantId tenant : setup.tenants()) {
                Placement was = route(before, tenant);
                Placement now = route(after, tenant);
                if (!now.equals(was)) {
                    assertThat(now).as("where %s moved from %s", tenant, was).isEqualTo(setup.added());
                    moved++;
                }
            }
            assertThat(moved).as("tenants moved to the fourth bucket").isBetween(150, 350);
        });
    }
}
