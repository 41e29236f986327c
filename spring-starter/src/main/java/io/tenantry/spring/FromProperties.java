package io.tenantry.spring;

import io.tenantry.IsolationModel;
import io.tenantry.Placement;
import io.tenantry.RuleRouter;
import io.tenantry.Tenant;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantResolver;
import io.tenantry.TenantRouter;
import io.tenantry.spring.TenantryProperties.PlacementRule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Builds core's resolver, directory and router from {@link TenantryProperties}, reporting every
 * unusable setting as an {@link InvalidTenantryConfigurationException} that names the property.
 * Only translation happens here; the behaviour is core's.
 */
final class FromProperties {

    private FromProperties() {
    }

    static TenantResolver resolver(TenantryProperties properties) {
        TenantryProperties.Resolution r = properties.getResolution();
        List<TenantResolver> chain = new ArrayList<>();
        for (TenantryProperties.Source source : r.getChain()) {
            switch (source) {
                case HEADER:
                    chain.add(build("tenantry.resolution.header", r.getHeader(), () -> TenantResolver.header(r.getHeader()),
                            "Set it to the header your clients send, e.g. X-Tenant-Id."));
                    break;
                case SUBDOMAIN:
                    String base = required("tenantry.resolution.base-domain", r.getBaseDomain(),
                            "the chain (tenantry.resolution.chain) contains subdomain.");
                    chain.add(build("tenantry.resolution.base-domain", base, () -> TenantResolver.subdomain(base),
                            "Set it to the domain tenants are sub-domains of, e.g. cards.example.com."));
                    break;
                case PATH:
                    String prefix = required("tenantry.resolution.path-prefix", r.getPathPrefix(),
                            "the chain (tenantry.resolution.chain) contains path.");
                    chain.add(TenantResolver.pathSegment(prefix));
                    break;
                default:
                    chain.add(build("tenantry.resolution.claim", r.getClaim(), () -> TenantResolver.claim(r.getClaim()),
                            "Set it to the token claim that holds the tenant id, e.g. tenant_id."));
                    break;
            }
        }
        String fallback = r.getDefaultTenant();
        if (fallback != null) {
            chain.add(TenantResolver.fixed(defaultTenant(properties, fallback)));
        }
        if (chain.isEmpty()) {
            throw new InvalidTenantryConfigurationException("tenantry.resolution.chain", "", "no source can name a"
                    + " tenant, so every request would be refused.", "List at least one of header, subdomain, path,"
                    + " claim, or set tenantry.resolution.default-tenant.");
        }
        return TenantResolver.chain(chain);
    }

    private static TenantId defaultTenant(TenantryProperties properties, String value) {
        TenantId id = build("tenantry.resolution.default-tenant", value, () -> TenantId.of(value),
                "Set it to the id of a tenant in the catalogue, or remove it to refuse requests without a tenant.");
        TenantryProperties.Directory directory = properties.getDirectory();
        if (directory.getSource() == TenantryProperties.DirectorySource.PROPERTIES
                && directory.getTenants().stream().noneMatch(t -> value.equals(t.getId()))) {
            throw new InvalidTenantryConfigurationException("tenantry.resolution.default-tenant", value,
                    "the default tenant is not in the catalogue (tenantry.directory.tenants), so every request"
                            + " without a tenant would be refused as unknown.",
                    "Add a tenant with id \"" + value + "\" to tenantry.directory.tenants, or name a listed one.");
        }
        return id;
    }

    static TenantDirectory directory(TenantryProperties.Directory properties, List<TenantDirectoryProvider> providers) {
        if (properties.getSource() == TenantryProperties.DirectorySource.PROPERTIES) {
            return cached(listed(properties), properties.getCache());
        }
        String source = properties.getSource().name().toLowerCase(java.util.Locale.ROOT);
        TenantDirectoryProvider provider = providers.stream().filter(p -> p.source() == properties.getSource())
                .findFirst().orElseThrow(() -> new InvalidTenantryConfigurationException("tenantry.directory.source",
                        source, "no auto-configuration provides a " + source + " tenant catalogue: its adapter is"
                                + " not on the class path, or its wiring is disabled.",
                        "Add the io.tenantry:tenantry-" + (source.equals("mongodb") ? "mongo" : source)
                                + " dependency (and enable it), or use tenantry.directory.source=properties."));
        return cached(provider.directory(), properties.getCache());
    }

    private static TenantDirectory listed(TenantryProperties.Directory properties) {
        List<Tenant> tenants = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < properties.getTenants().size(); i++) {
            TenantryProperties.TenantEntry entry = properties.getTenants().get(i);
            String at = "tenantry.directory.tenants[" + i + "]";
            String id = required(at + ".id", entry.getId(), "every listed tenant needs an id.");
            if (!seen.add(id)) {
                throw new InvalidTenantryConfigurationException(at + ".id", id, "tenant \"" + id + "\" is listed twice.",
                        "Remove one of the two entries.");
            }
            Tenant.Builder tenant = build(at + ".id", id, () -> Tenant.builder(id),
                    "Use 1 to 63 characters of a-z, 0-9, '-' and '_'.");
            build(at + ".tier", entry.getTier(), () -> tenant.tier(entry.getTier()), "Give every tenant a tier name.");
            tenant.status(entry.getStatus()).region(entry.getRegion());
            if (entry.getName() != null) {
                tenant.name(entry.getName());
            }
            if (entry.getPlacement() != null) {
                // its store is checked when the tenant is provisioned or first routed
                tenant.placement(placement(at + ".placement", entry.getPlacement(), List.of()));
            }
            tenants.add(tenant.build());
        }
        return TenantDirectory.inMemory(tenants.toArray(new Tenant[0]));
    }

    /** Wraps {@code directory} in core's caching decorator when caching is enabled. */
    private static TenantDirectory cached(TenantDirectory directory, TenantryProperties.Cache cache) {
        if (!cache.isEnabled()) {
            return directory;
        }
        return build("tenantry.directory.cache", cache.getTtl() + ", " + cache.getNegativeTtl() + ", " + cache.getMaxSize(),
                () -> TenantDirectory.caching(directory).ttl(cache.getTtl()).negativeTtl(cache.getNegativeTtl())
                        .maximumSize(cache.getMaxSize()).build(),
                "Use a positive ttl, a non-negative negative-ttl and a max-size of at least 1.");
    }

    static TenantRouter router(TenantryProperties.Routing routing, List<TenantStores> stores) {
        RuleRouter.Builder router = TenantRouter.builder();
        for (Map.Entry<String, PlacementRule> tier : routing.getTiers().entrySet()) {
            router.tier(tier.getKey(), placement("tenantry.routing.tiers." + tier.getKey(), tier.getValue(), stores));
        }
        for (Map.Entry<String, PlacementRule> region : routing.getRegions().entrySet()) {
            router.region(region.getKey(),
                    placement("tenantry.routing.regions." + region.getKey(), region.getValue(), stores));
        }
        PlacementRule fallback = routing.getDefaultPlacement();
        if (fallback != null) {
            router.otherwise(placement("tenantry.routing.default-placement", fallback, stores));
        }
        return build("tenantry.routing", "", router::build, "Change one of the prefixes.");
    }

    private static Placement placement(String at, PlacementRule rule, List<TenantStores> stores) {
        IsolationModel model = rule.getModel();
        if (model == null) {
            throw new InvalidTenantryConfigurationException(at + ".model", null, "a placement needs an isolation model.",
                    "Set it to field, collection or database.");
        }
        checkStore(at + ".store", rule.getStore(), stores);
        switch (model) {
            case FIELD:
            case COLLECTION:
                String database = required(at + ".database", rule.getDatabase(),
                        "the " + model.name().toLowerCase(java.util.Locale.ROOT) + " model keeps tenants in a shared"
                                + " database, which must be named.");
                return build(at + ".database", database, () -> model == IsolationModel.FIELD
                        ? Placement.field(rule.getStore(), database)
                        : Placement.collection(rule.getStore(), database), "Use a valid store and database name.");
            default:
                String prefix = required(at + ".prefix", rule.getPrefix(),
                        "the database model names each tenant's database prefix + tenant id, and needs the prefix.");
                return build(at + ".prefix", prefix, () -> Placement.database(rule.getStore(), prefix),
                        "Use a valid store name and prefix, e.g. \"t_\".");
        }
    }

    private static void checkStore(String at, String store, List<TenantStores> stores) {
        List<TenantStores> holders = stores.stream().filter(s -> s.names().contains(store)).toList();
        if (holders.size() > 1) {
            throw new InvalidTenantryConfigurationException(at, store, "\"" + store + "\" names a store of "
                    + holders.size() + " adapters (" + holders.stream().map(TenantStores::kind)
                    .collect(Collectors.joining(" and ")) + "), so tenants placed on it could be provisioned and"
                    + " served by either.", "Give the stores different names, e.g. "
                    + holders.stream().map(h -> h.propertyPrefix() + store + "-" + h.kind().split(" ")[0]
                            .toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining(" and ")) + ".");
        }
        if (stores.isEmpty() || !holders.isEmpty()) {
            return;
        }
        TenantStores first = stores.get(0);
        String configured = stores.stream().map(TenantStores::toString).collect(Collectors.joining("; "));
        throw new InvalidTenantryConfigurationException(at, store, "no adapter has a store named \"" + store
                + "\"; configured: " + configured + ".", "Add " + first.propertyPrefix() + store + "=..., or name one of "
                + first.names() + ".");
    }

    private static String required(String property, @Nullable String value, String why) {
        if (value == null || value.isBlank()) {
            throw new InvalidTenantryConfigurationException(property, value, "it must be set: " + why,
                    "Set " + property + ".");
        }
        return value;
    }

    /** Runs a core factory, reporting its {@link IllegalArgumentException} as a problem with {@code property}. */
    private static <T> T build(String property, @Nullable Object value, Supplier<T> factory, String action) {
        try {
            return factory.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidTenantryConfigurationException(property, value, String.valueOf(e.getMessage()), action);
        }
    }
}
