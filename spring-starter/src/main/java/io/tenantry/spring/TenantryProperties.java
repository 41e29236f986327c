package io.tenantry.spring;

import io.tenantry.IsolationModel;
import io.tenantry.Tenant;
import io.tenantry.TenantStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code tenantry.*} properties every application has: how a request names its tenant, where
 * the tenant catalogue comes from, and where each tenant's data lives. Store-specific settings live
 * beside their adapter ({@code tenantry.mongodb.*}; {@code tenantry.jdbc.*} with the JDBC adapter),
 * the web layer's under {@code tenantry.web.*}.
 */
@ConfigurationProperties("tenantry")
public class TenantryProperties {

    private final Resolution resolution = new Resolution();

    private final Directory directory = new Directory();

    private final Routing routing = new Routing();

    public Resolution getResolution() {
        return resolution;
    }

    public Directory getDirectory() {
        return directory;
    }

    public Routing getRouting() {
        return routing;
    }

    /** The sources a resolver chain can read a tenant id from. */
    public enum Source {
        /** A request header ({@code tenantry.resolution.header}). */
        HEADER,
        /** The first label of the host under {@code tenantry.resolution.base-domain}. */
        SUBDOMAIN,
        /** The path segment after {@code tenantry.resolution.path-prefix}. */
        PATH,
        /** A claim of the authenticated principal ({@code tenantry.resolution.claim}), e.g. a JWT claim. */
        CLAIM
    }

    /** How an incoming request names its tenant. */
    public static class Resolution {

        /**
         * Sources asked for the tenant id, all of them on every request; when two name different
         * tenants the request is refused (403), so a forged header cannot override a token.
         */
        private List<Source> chain = new ArrayList<>(List.of(Source.HEADER, Source.CLAIM));

        /** Name of the request header that carries the tenant id. */
        private String header = "X-Tenant-Id";

        /** Base domain under which the first host label is the tenant id, e.g. "cards.example.com". */
        private @Nullable String baseDomain;

        /** Path prefix after which the next path segment is the tenant id, e.g. "/t" for /t/acme/cards. */
        private @Nullable String pathPrefix;

        /** Name of the authenticated principal's claim (attribute) that holds the tenant id. */
        private String claim = "tenant_id";

        /** Tenant used when no source names one; unset means such requests are refused (400). */
        private @Nullable String defaultTenant;

        public List<Source> getChain() {
            return chain;
        }

        public void setChain(List<Source> chain) {
            this.chain = chain;
        }

        public String getHeader() {
            return header;
        }

        public void setHeader(String header) {
            this.header = header;
        }

        public @Nullable String getBaseDomain() {
            return baseDomain;
        }

        public void setBaseDomain(@Nullable String baseDomain) {
            this.baseDomain = baseDomain;
        }

        public @Nullable String getPathPrefix() {
            return pathPrefix;
        }

        public void setPathPrefix(@Nullable String pathPrefix) {
            this.pathPrefix = pathPrefix;
        }

        public String getClaim() {
            return claim;
        }

        public void setClaim(String claim) {
            this.claim = claim;
        }

        public @Nullable String getDefaultTenant() {
            return defaultTenant;
        }

        public void setDefaultTenant(@Nullable String defaultTenant) {
            this.defaultTenant = defaultTenant;
        }
    }

    /** Where the tenant catalogue is kept. */
    public enum DirectorySource {
        /** The tenants listed in {@code tenantry.directory.tenants}. */
        PROPERTIES,
        /** A {@code tenants} collection in a MongoDB database (needs tenantry-mongo). */
        MONGODB,
        /** A {@code tenants} table in the control-plane PostgreSQL database (needs tenantry-jdbc). */
        JDBC
    }

    /** The tenant catalogue. */
    public static class Directory {

        /** Where the tenant catalogue is kept. */
        private DirectorySource source = DirectorySource.PROPERTIES;

        /** Tenants of the catalogue when the source is "properties". */
        private List<TenantEntry> tenants = new ArrayList<>();

        private final MongoDirectory mongodb = new MongoDirectory();

        private final JdbcDirectory jdbc = new JdbcDirectory();

        private final Cache cache = new Cache();

        public DirectorySource getSource() {
            return source;
        }

        public void setSource(DirectorySource source) {
            this.source = source;
        }

        public List<TenantEntry> getTenants() {
            return tenants;
        }

        public void setTenants(List<TenantEntry> tenants) {
            this.tenants = tenants;
        }

        public MongoDirectory getMongodb() {
            return mongodb;
        }

        public JdbcDirectory getJdbc() {
            return jdbc;
        }

        public Cache getCache() {
            return cache;
        }
    }

    /** One tenant of a catalogue kept in properties. */
    public static class TenantEntry {

        /** Tenant id: 1 to 63 characters of a-z, 0-9, '-' and '_'. */
        private @Nullable String id;

        /** Display name; the id when unset. */
        private @Nullable String name;

        /** Tier, which routing rules match on. */
        private String tier = Tenant.DEFAULT_TIER;

        /** Life-cycle status: active, suspended, read-only or deleted. */
        private TenantStatus status = TenantStatus.ACTIVE;

        /** Region the tenant's data must stay in (data residency). */
        private @Nullable String region;

        /** Placement pinned to this tenant, which wins over every routing rule. */
        private @Nullable PlacementRule placement;

        public @Nullable String getId() {
            return id;
        }

        public void setId(@Nullable String id) {
            this.id = id;
        }

        public @Nullable String getName() {
            return name;
        }

        public void setName(@Nullable String name) {
            this.name = name;
        }

        public String getTier() {
            return tier;
        }

        public void setTier(String tier) {
            this.tier = tier;
        }

        public TenantStatus getStatus() {
            return status;
        }

        public void setStatus(TenantStatus status) {
            this.status = status;
        }

        public @Nullable String getRegion() {
            return region;
        }

        public void setRegion(@Nullable String region) {
            this.region = region;
        }

        public @Nullable PlacementRule getPlacement() {
            return placement;
        }

        public void setPlacement(@Nullable PlacementRule placement) {
            this.placement = placement;
        }
    }

    /** The MongoDB-backed catalogue. */
    public static class MongoDirectory {

        /** Cluster (a key of tenantry.mongodb.clusters) that holds the catalogue. */
        private String cluster = "main";

        /** Administration database whose "tenants" collection is the catalogue. */
        private String database = "tenantry";

        public String getCluster() {
            return cluster;
        }

        public void setCluster(String cluster) {
            this.cluster = cluster;
        }

        public String getDatabase() {
            return database;
        }

        public void setDatabase(String database) {
            this.database = database;
        }
    }

    /** The PostgreSQL-backed catalogue, in the control-plane database (spring.datasource.*). */
    public static class JdbcDirectory {

        /** Table of the control-plane database that is the catalogue, optionally schema-qualified (control.tenants). */
        private String table = "tenants";

        /** Whether the table is created at start-up when missing (after the control plane's own migrations ran). */
        private boolean createTable = true;

        public String getTable() {
            return table;
        }

        public void setTable(String table) {
            this.table = table;
        }

        public boolean isCreateTable() {
            return createTable;
        }

        public void setCreateTable(boolean createTable) {
            this.createTable = createTable;
        }
    }

    /** Caching of catalogue look-ups (one per request otherwise). */
    public static class Cache {

        /** Whether tenant look-ups are cached. */
        private boolean enabled = true;

        /** How long a found tenant is served from the cache; status changes show up after at most this long. */
        private Duration ttl = Duration.ofMinutes(1);

        /** How long an unknown tenant id is remembered as unknown; 0 turns negative caching off. */
        private Duration negativeTtl = Duration.ofSeconds(5);

        /** Most entries kept, found and unknown together. */
        private long maxSize = 10_000;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getTtl() {
            return ttl;
        }

        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }

        public Duration getNegativeTtl() {
            return negativeTtl;
        }

        public void setNegativeTtl(Duration negativeTtl) {
            this.negativeTtl = negativeTtl;
        }

        public long getMaxSize() {
            return maxSize;
        }

        public void setMaxSize(long maxSize) {
            this.maxSize = maxSize;
        }
    }

    /**
     * Where tenants' data lives: a placement by tier, by region (data residency wins over tier), or
     * the default. A tenant's pinned placement wins over every rule.
     */
    public static class Routing {

        /** Placement by tenant tier, e.g. free -> field model, enterprise -> database per tenant. */
        private Map<String, PlacementRule> tiers = new LinkedHashMap<>();

        /** Placement by tenant region; a tenant whose region has no rule is refused rather than misplaced. */
        private Map<String, PlacementRule> regions = new LinkedHashMap<>();

        /** Placement of tenants that no tier or region rule matches. */
        private @Nullable PlacementRule defaultPlacement;

        public Map<String, PlacementRule> getTiers() {
            return tiers;
        }

        public void setTiers(Map<String, PlacementRule> tiers) {
            this.tiers = tiers;
        }

        public Map<String, PlacementRule> getRegions() {
            return regions;
        }

        public void setRegions(Map<String, PlacementRule> regions) {
            this.regions = regions;
        }

        public @Nullable PlacementRule getDefaultPlacement() {
            return defaultPlacement;
        }

        public void setDefaultPlacement(@Nullable PlacementRule defaultPlacement) {
            this.defaultPlacement = defaultPlacement;
        }
    }

    /** One placement: an isolation model on a named store. */
    public static class PlacementRule {

        /**
         * Isolation model: field (shared collections or tables), collection (a collection per tenant on MongoDB, a
         * schema per tenant on PostgreSQL; "schema" is accepted as well) or database (a database per tenant).
         */
        private @Nullable IsolationModel model;

        /** Store holding the data: a MongoDB cluster (a key of tenantry.mongodb.clusters) or a PostgreSQL store (of tenantry.jdbc.stores). */
        private String store = "main";

        /** Shared database of the field and collection models. */
        private @Nullable String database;

        /** Database-name prefix of the database model: tenant "acme" with prefix "cv_" gets database "cv_acme". */
        private @Nullable String prefix;

        public @Nullable IsolationModel getModel() {
            return model;
        }

        public void setModel(@Nullable IsolationModel model) {
            this.model = model;
        }

        public String getStore() {
            return store;
        }

        public void setStore(String store) {
            this.store = store;
        }

        public @Nullable String getDatabase() {
            return database;
        }

        public void setDatabase(@Nullable String database) {
            this.database = database;
        }

        public @Nullable String getPrefix() {
            return prefix;
        }

        public void setPrefix(@Nullable String prefix) {
            this.prefix = prefix;
        }
    }
}
