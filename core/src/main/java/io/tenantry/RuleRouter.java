package io.tenantry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The rule-based {@link TenantRouter}: pinned placement, then tier-in-region, region, tier and
 * default rules. Immutable and thread-safe; build it with {@link TenantRouter#builder()}.
 *
 * <p>When a tenant has a region and the router has region rules but none for that region, routing
 * fails rather than placing the tenant's data outside its region.
 */
public final class RuleRouter implements TenantRouter {

    private final Map<String, Buckets> byTier;
    private final Map<String, Buckets> byRegion;
    private final Map<String, Buckets> byTierAndRegion;
    private final @Nullable Placement fallback;
    private final Set<Placement> placements;

    private RuleRouter(Builder builder) {
        this.byTier = Map.copyOf(builder.byTier);
        this.byRegion = Map.copyOf(builder.byRegion);
        this.byTierAndRegion = Map.copyOf(builder.byTierAndRegion);
        this.fallback = builder.fallback;
        this.placements = Collections.unmodifiableSet(new LinkedHashSet<>(builder.all));
    }

    /**
     * Returns every placement the rules name (tier, region, tier-in-region and {@code otherwise}), in the
     * order they were declared, each once. Placements pinned on tenants are not among them: they are known
     * only as tenants are routed. Adapters check these against each other when they are built, for example
     * that no database is given to two isolation models.
     *
     * @return an unmodifiable set; the same on every call
     */
    public Set<Placement> placements() {
        return placements;
    }

    @Override
    public Placement route(Tenant tenant) {
        if (tenant.placement().isPresent()) {
            return tenant.placement().get();
        }
        String region = tenant.region().orElse(null);
        if (region != null) {
            Buckets rule = byTierAndRegion.get(key(tenant.tier(), region));
            if (rule == null) {
                rule = byRegion.get(region);
            }
            if (rule != null) {
                return rule.pick(tenant.id());
            }
            if (!byRegion.isEmpty() || !byTierAndRegion.isEmpty()) {
                throw new RoutingException("No placement for tenant \"" + tenant.id() + "\" in region \"" + region
                        + "\": add region(\"" + region + "\", ...) to the router, or correct the tenant's region."
                        + " Tenantry does not place data outside a tenant's region.");
            }
        }
        Buckets rule = byTier.get(tenant.tier());
        if (rule != null) {
            return rule.pick(tenant.id());
        }
        if (fallback != null) {
            return fallback;
        }
        throw new RoutingException("No placement for tenant \"" + tenant.id() + "\" of tier \"" + tenant.tier()
                + "\": add tier(\"" + tenant.tier() + "\", ...) or otherwise(...) to the router, or pin a placement"
                + " on the tenant. Known tiers: " + byTier.keySet() + ".");
    }

    private static String key(String tier, String region) {
        return tier + '\u0000' + region;
    }

    /** One rule's placements, chosen among by rendezvous (highest-random-weight) hashing. */
    private static final class Buckets {
        private final Placement[] placements;
        private final long[] seeds;

        Buckets(List<Placement> placements) {
            this.placements = placements.toArray(new Placement[0]);
            this.seeds = new long[this.placements.length];
            for (int i = 0; i < seeds.length; i++) {
                seeds[i] = hash(this.placements[i].toString().getBytes(StandardCharsets.UTF_8), 0x9E3779B97F4A7C15L);
            }
        }

        Placement pick(TenantId tenant) {
            if (placements.length == 1) {
                return placements[0];
            }
            String id = tenant.value();
            int best = 0;
            long bestScore = Long.MIN_VALUE;
            for (int i = 0; i < placements.length; i++) {
                long score = hash(id, seeds[i]);
                if (score > bestScore) {
                    bestScore = score;
                    best = i;
                }
            }
            return placements[best];
        }

        /** FNV-1a over the bytes, seeded, with a final avalanche (SplitMix64) so that scores are uniform. */
        private static long hash(byte[] bytes, long seed) {
            long h = 0xcbf29ce484222325L ^ seed;
            for (byte b : bytes) {
                h ^= b & 0xff;
                h *= 0x100000001b3L;
            }
            return avalanche(h);
        }

        /**
         * The same hash over a tenant id's characters, which are all ASCII ({@link TenantId}), so that
         * they are their UTF-8 bytes: no byte array per route.
         */
        private static long hash(String ascii, long seed) {
            long h = 0xcbf29ce484222325L ^ seed;
            for (int i = 0; i < ascii.length(); i++) {
                h ^= ascii.charAt(i) & 0xff;
                h *= 0x100000001b3L;
            }
            return avalanche(h);
        }

        private static long avalanche(long hash) {
            long h = hash;
            h ^= h >>> 30;
            h *= 0xbf58476d1ce4e5b9L;
            h ^= h >>> 27;
            h *= 0x94d049bb133111ebL;
            return h ^ (h >>> 31);
        }
    }

    /** Builds a {@link RuleRouter}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Buckets> byTier = new HashMap<>();
        private final Map<String, Buckets> byRegion = new HashMap<>();
        private final Map<String, Buckets> byTierAndRegion = new HashMap<>();
        private final List<Placement> all = new ArrayList<>();
        private @Nullable Placement fallback;

        Builder() {
        }

        /**
         * Routes tenants of {@code tier} to {@code placement}, or spreads them over several placements
         * by hash bucket (for example several shared premium databases).
         */
        public Builder tier(String tier, Placement... placements) {
            put(byTier, requireText(tier, "tier"), placements, "tier " + tier);
            return this;
        }

        /** Routes tenants whose region is {@code region} (data residency), whatever their tier. */
        public Builder region(String region, Placement... placements) {
            put(byRegion, requireText(region, "region"), placements, "region " + region);
            return this;
        }

        /** Routes tenants of {@code tier} whose region is {@code region}; the most specific rule. */
        public Builder tierInRegion(String tier, String region, Placement... placements) {
            put(byTierAndRegion, key(requireText(tier, "tier"), requireText(region, "region")), placements,
                    "tier " + tier + " in region " + region);
            return this;
        }

        /** Routes tenants that no other rule matches. */
        public Builder otherwise(Placement placement) {
            this.fallback = Objects.requireNonNull(placement, "placement");
            all.add(placement);
            return this;
        }

        /**
         * Builds the router.
         *
         * @throws IllegalArgumentException if two database-per-tenant placements on one store have
         *     prefixes of which one starts with the other ({@code cv_} and {@code cv_a}): tenant
         *     {@code a_x} under the first and {@code x} under the second would share a database
         */
        public RuleRouter build() {
            for (Placement a : all) {
                for (Placement b : all) {
                    if (a != b && a.model() == IsolationModel.DATABASE && b.model() == IsolationModel.DATABASE
                            && a.store().equals(b.store()) && !a.namespace().equals(b.namespace())
                            && b.namespace().startsWith(a.namespace())) {
                        throw new IllegalArgumentException("Database prefixes \"" + a.namespace() + "\" and \""
                                + b.namespace() + "\" on store \"" + a.store() + "\" overlap, so two tenants could map to"
                                + " one database; use prefixes where neither starts with the other.");
                    }
                }
            }
            return new RuleRouter(this);
        }

        private void put(Map<String, Buckets> rules, String key, Placement[] placements, String what) {
            if (placements.length == 0) {
                throw new IllegalArgumentException("Rule for " + what + " needs at least one placement.");
            }
            List<Placement> list = List.of(placements);
            if (rules.containsKey(key)) {
                throw new IllegalArgumentException("Rule for " + what + " is declared twice.");
            }
            rules.put(key, new Buckets(list));
            all.addAll(list);
        }

        private static String requireText(String value, String what) {
            if (Objects.requireNonNull(value, what).isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return value;
        }
    }
}
