package io.tenantry.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.tenantry.IsolationModel;
import io.tenantry.Placement;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantQuotas;
import io.tenantry.TenantRouter;
import io.tenantry.spi.TenantDataStore;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.bson.Document;
import org.jspecify.annotations.Nullable;

/**
 * The entry point of the MongoDB adapter: hands out ordinary {@link MongoCollection} and
 * {@link MongoDatabase} objects that an application keeps as singletons; each call is confined to
 * the tenant bound in {@link io.tenantry.TenantContext} at that moment, on whichever model and
 * cluster the {@link TenantRouter} places it.
 *
 * <pre>{@code
 * TenantMongo mongo = TenantMongo.builder()
 *     .cluster("main", mainClient).cluster("dedicated", dedicatedClient)
 *     .directory(directory).router(router)
 *     .tenantField("tenantId")
 *     .collection("cards", c -> c.index(Indexes.ascending("name"), new IndexOptions().unique(true)))
 *     .build();
 * MongoCollection<Document> cards = mongo.collection("cards");   // keep it; it routes per call
 * mongo.provisioning().ensure(TenantId.of("acme"));
 * }</pre>
 *
 * <p>Every call without a bound tenant throws {@link io.tenantry.NoTenantBoundException}; an
 * operation that cannot be confined throws {@link io.tenantry.IsolationViolationException} before
 * reaching the server. The clients stay owned by the caller: closing them is the caller's job.
 * Thread-safe.
 */
public final class TenantMongo {

    /** The default name of the tenant field on the FIELD model. */
    public static final String DEFAULT_TENANT_FIELD = "tenantId";

    /** The documents per batch of {@link #dataStore()}'s copies. */
    public static final int DEFAULT_COPY_BATCH = 1000;

    private final Routing routing;
    private final int handleCacheSize;
    private final MongoProvisioning provisioning;
    private final @Nullable MongoDatabase sharedResources;
    /** Made once: every routing database has its own caches of the tenants' handles. */
    private final MongoDatabase database;

    private TenantMongo(Builder builder) {
        MongoSettings settings = new MongoSettings(new Clusters(builder.clusters), builder.tenantField,
                builder.collections, builder.collectionWarningThreshold);
        Map<IsolationModel, MongoIsolation> models = new EnumMap<>(IsolationModel.class);
        models.put(IsolationModel.FIELD, new FieldIsolation(settings));
        models.put(IsolationModel.COLLECTION, new CollectionIsolation(settings));
        models.put(IsolationModel.DATABASE, new DatabaseIsolation(settings));
        this.routing = new Routing(Objects.requireNonNull(builder.directory, "directory"),
                Objects.requireNonNull(builder.router, "router"), settings, models,
                builder.quotas == null ? null : new QuotaWrites(builder.quotas));
        this.handleCacheSize = builder.handleCacheSize;
        this.database = RoutingHandles.database(routing, handleCacheSize);
        this.provisioning = new MongoProvisioning(routing);
        this.sharedResources = builder.sharedStore == null ? null : SharedResources.readOnly(
                settings.clusters.client(builder.sharedStore).getDatabase(Objects.requireNonNull(builder.sharedDatabase)));
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a routing handle on logical collection {@code name}, of {@link Document}s. */
    public MongoCollection<Document> collection(String name) {
        return collection(name, Document.class);
    }

    /**
     * Returns a routing handle on logical collection {@code name}; keep it, it routes per call.
     *
     * @throws IllegalArgumentException if the name is empty, contains {@code $} or NUL, or starts
     *     with {@code system.}
     */
    public <T> MongoCollection<T> collection(String name, Class<T> documentClass) {
        return RoutingHandles.collection(routing, checkLogicalName(name), documentClass, handleCacheSize);
    }

    /** Returns the routing handle on the current tenant's database: the same one on every call. */
    public MongoDatabase database() {
        return database;
    }

    /** Returns the provisioning of tenants' placements. */
    public MongoProvisioning provisioning() {
        return provisioning;
    }

    /**
     * Returns the {@link TenantDataStore} of this adapter, for {@link io.tenantry.TenantLifecycle}: it
     * provisions, copies (in batches of {@value #DEFAULT_COPY_BATCH} documents), measures and erases a
     * tenant's data at any placement on this adapter's clusters.
     *
     * <pre>{@code
     * TenantLifecycle lifecycle = TenantLifecycle.builder(directory, router)
     *     .store(mongo.dataStore())
     *     .journal(MongoLifecycleJournal.of(client.getDatabase("control")))
     *     .build();
     * lifecycle.recover();
     * lifecycle.move(TenantId.of("acme"), Placement.database("dedicated", "cv_"), LifecycleProgress.Listener.none());
     * }</pre>
     *
     * <p>A copy preserves every document exactly ({@code _id}, field order, BSON types) and carries the
     * indexes the tenant sees; views are not moved (a tenant with a view is refused). The store works
     * outside any tenant scope and is not confined to one tenant: hand it to the lifecycle only.
     * Thread-safe.
     *
     * @return the data store
     */
    public TenantDataStore dataStore() {
        return dataStore(DEFAULT_COPY_BATCH);
    }

    /**
     * Returns {@link #dataStore()} copying in batches of at most {@code batchSize} documents (and at most
     * 8 MiB): smaller batches for very large documents, larger for many small ones.
     *
     * @param batchSize documents per {@code insertMany}, at least 1
     * @return the data store
     * @throws IllegalArgumentException if {@code batchSize} is less than 1
     */
    public TenantDataStore dataStore(int batchSize) {
        return new MongoTenantDataStore(routing, batchSize);
    }

    /**
     * Returns this adapter's {@link io.tenantry.spi.UsageMeter} for {@link io.tenantry.TenantMetering}:
     * documents and BSON bytes per collection, from {@code collStats} where the tenant has its own
     * collections, and one pass over its documents (through the tenant field's index) on the FIELD model.
     */
    public io.tenantry.spi.UsageMeter meter() {
        return new MongoTenantDataStore(routing, DEFAULT_COPY_BATCH);
    }

    /**
     * Returns where {@code tenant}'s data lives now.
     *
     * @throws io.tenantry.UnknownTenantException if the tenant is not in the directory
     * @throws io.tenantry.RoutingException if no placement applies
     */
    public Placement placement(TenantId tenant) {
        return routing.router.route(routing.directory.require(tenant));
    }

    /**
     * Returns the physical database that holds {@code tenant}'s data (its own on the DATABASE model,
     * the shared one otherwise).
     */
    public String databaseName(TenantId tenant) {
        Placement placement = placement(tenant);
        return routing.model(placement.model()).databaseName(tenant, placement);
    }

    /**
     * Returns the databases the current tenant's data lives in, as the driver's
     * {@code listDatabaseNames} would for a client that could see only them: the tenant's own
     * database on the DATABASE model, the shared one otherwise. Other tenants' databases are never
     * listed.
     *
     * @throws io.tenantry.NoTenantBoundException if no tenant is bound
     */
    public List<String> listDatabaseNames() {
        Routing.Target target = routing.resolve(false);
        return List.of(target.isolation.databaseName(target.tenant, target.placement));
    }

    /**
     * Returns the shared read-only resources database configured with
     * {@link Builder#sharedResources(String, String)}: every tenant reads it; writes are refused
     * outside a system scope ({@link io.tenantry.TenantContext#openSystem(String)}).
     *
     * @throws IllegalStateException if none is configured
     */
    public MongoDatabase sharedResources() {
        if (sharedResources == null) {
            throw new IllegalStateException("No shared resources database is configured: add"
                    + " .sharedResources(\"main\", \"reference\") to the TenantMongo builder.");
        }
        return sharedResources;
    }

    /** Returns the names of the configured clusters. */
    public Set<String> clusterNames() {
        return routing.settings.clusters.names();
    }

    /**
     * Returns the client of cluster {@code name}, for health checks and administration. Data
     * reached through it directly is <em>not</em> confined to a tenant.
     *
     * @throws io.tenantry.RoutingException if there is no such cluster
     */
    public MongoClient cluster(String name) {
        return routing.settings.clusters.client(name);
    }

    /** Returns the tenant directory. */
    public TenantDirectory directory() {
        return routing.directory;
    }

    /** Returns the name of the tenant field on the FIELD model. */
    public String tenantField() {
        return routing.settings.tenantField;
    }

    static String checkLogicalName(String name) {
        Objects.requireNonNull(name, "collection name");
        if (name.isEmpty() || name.indexOf('$') >= 0 || name.indexOf('\0') >= 0 || name.startsWith("system.")) {
            throw new IllegalArgumentException("Invalid collection name \"" + name + "\": it must be non-empty, without"
                    + " '$' or NUL, and not start with \"system.\".");
        }
        return name;
    }

    /** Configures a {@link TenantMongo}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, MongoClient> clusters = new LinkedHashMap<>();
        private final Map<String, CollectionSpec> collections = new LinkedHashMap<>();
        private @Nullable TenantDirectory directory;
        private @Nullable TenantRouter router;
        private String tenantField = DEFAULT_TENANT_FIELD;
        private int handleCacheSize = 10_000;
        private int collectionWarningThreshold = 10_000;
        private @Nullable String sharedStore;
        private @Nullable String sharedDatabase;
        private @Nullable TenantQuotas quotas;

        private Builder() {
        }

        /**
         * Names a shared read-only database of reference data on {@code cluster}, handed out by
         * {@link TenantMongo#sharedResources()}.
         */
        public Builder sharedResources(String cluster, String database) {
            this.sharedStore = Objects.requireNonNull(cluster, "cluster");
            this.sharedDatabase = Objects.requireNonNull(database, "database");
            return this;
        }

        /**
         * Enforces {@code quotas} on every write through this adapter's handles, on every model: inserts,
         * bulk writes and upserts reserve what they add before they run and are refused with a
         * {@link io.tenantry.QuotaExceededException} (nothing written) when it would pass a quota; deletes and
         * drops give back what they removed. See the adapter's README ("Quotas") for what is enforced where and
         * the bound on overshoot. Without it, writes are not counted and cost nothing more.
         */
        public Builder quotas(TenantQuotas quotas) {
            this.quotas = Objects.requireNonNull(quotas, "quotas");
            return this;
        }

        /** Adds a named cluster; placements name it as their store. One client, one pool, for all its tenants. */
        public Builder cluster(String name, MongoClient client) {
            Objects.requireNonNull(name, "name");
            if (clusters.putIfAbsent(name, Objects.requireNonNull(client, "client")) != null) {
                throw new IllegalArgumentException("Cluster \"" + name + "\" is configured twice.");
            }
            return this;
        }

        /** Sets the tenant catalogue; wrap it in {@link TenantDirectory#caching} for speed. */
        public Builder directory(TenantDirectory directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** Sets the router that places tenants. */
        public Builder router(TenantRouter router) {
            this.router = Objects.requireNonNull(router, "router");
            return this;
        }

        /**
         * Sets the name of the tenant field on the FIELD model (default {@value TenantMongo#DEFAULT_TENANT_FIELD}).
         *
         * @throws IllegalArgumentException if empty, starting with {@code $}, containing {@code .}, or {@code _id}
         */
        public Builder tenantField(String field) {
            Objects.requireNonNull(field, "field");
            if (field.isEmpty() || field.startsWith("$") || field.indexOf('.') >= 0 || field.equals("_id")
                    || field.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("Invalid tenant field \"" + field + "\": use a plain top-level"
                        + " field name such as \"tenantId\" (not empty, no '$' prefix, no '.', not \"_id\").");
            }
            this.tenantField = field;
            return this;
        }

        /** Declares a collection without indexes. */
        public Builder collection(String name) {
            return collection(name, spec -> { });
        }

        /** Declares a collection and its indexes, created per tenant by {@link MongoProvisioning#ensure}. */
        public Builder collection(String name, Consumer<CollectionSpec> declaration) {
            CollectionSpec spec = new CollectionSpec(checkLogicalName(name));
            declaration.accept(spec);
            if (collections.putIfAbsent(name, spec) != null) {
                throw new IllegalArgumentException("Collection \"" + name + "\" is declared twice.");
            }
            return this;
        }

        /** The most tenants' scoped handles kept per routing handle (default 10,000); least recently used go first. */
        public Builder handleCacheSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("handleCacheSize must be at least 1, was " + size);
            }
            this.handleCacheSize = size;
            return this;
        }

        /**
         * Collections plus indexes in a COLLECTION-model database above which a warning is logged
         * (default 10,000; MongoDB's guidance caps them per cluster tier).
         */
        public Builder collectionWarningThreshold(int threshold) {
            if (threshold < 1) {
                throw new IllegalArgumentException("collectionWarningThreshold must be at least 1, was " + threshold);
            }
            this.collectionWarningThreshold = threshold;
            return this;
        }

        /**
         * Builds it.
         *
         * @throws IllegalStateException if no cluster, directory or router is set
         * @throws io.tenantry.RoutingException if the router is a {@link io.tenantry.RuleRouter} that declares
         *     placements of two isolation models in one database of a configured cluster: a database belongs
         *     to one model (tenants routed later are checked as they are routed, and refused in the same way)
         */
        public TenantMongo build() {
            if (directory == null || router == null) {
                throw new IllegalStateException("TenantMongo needs a directory(...) and a router(...).");
            }
            return new TenantMongo(this);
        }
    }
}
