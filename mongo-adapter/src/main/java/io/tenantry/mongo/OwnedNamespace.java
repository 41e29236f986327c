package io.tenantry.mongo;

import com.mongodb.MongoNamespace;
import io.tenantry.IsolationViolationException;
import io.tenantry.NameLimits;
import io.tenantry.PhysicalNaming;
import io.tenantry.TenantId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bson.BsonDocument;
import org.jspecify.annotations.Nullable;

/**
 * The collections one tenant owns in one physical database, and how its logical collection names
 * map to physical ones. Both models whose collections hold one tenant's documents only use it:
 *
 * <ul>
 *   <li>{@link #shared}: the COLLECTION model, {@code cards} of tenant {@code acme} is
 *       {@code acme.cards} in the shared database;
 *   <li>{@link #dedicated}: the DATABASE model, {@code cards} is {@code cards} in the tenant's own
 *       database.
 * </ul>
 *
 * <p>It is also the {@link PipelineScope} of those models: a pipeline may reference any of the
 * tenant's collections by logical name, and {@code $out} is allowed (it replaces the tenant's own
 * collection). Immutable and thread-safe.
 */
abstract class OwnedNamespace implements PipelineScope {

    final TenantId tenant;
    private final String database;
    /** The cluster the database is on, named in connectivity failures; null where unknown (tests). */
    private final @Nullable String store;

    private OwnedNamespace(TenantId tenant, String database, @Nullable String store) {
        this.tenant = tenant;
        this.database = database;
        this.store = store;
    }

    /**
     * Returns the namespace of {@code tenant} in shared database {@code database}, where logical
     * names are prefixed with the tenant id.
     *
     * @param shortened physical -> logical names of shortened names seen so far, shared by the
     *     model, filled in as names are mapped; a shortened name cannot be mapped back otherwise
     */
    static OwnedNamespace shared(TenantId tenant, String database, Map<String, String> shortened) {
        return new Shared(tenant, database, null, shortened);
    }

    /** As {@link #shared(TenantId, String, Map)}, in a database of cluster {@code store}. */
    static OwnedNamespace shared(TenantId tenant, String store, String database, Map<String, String> shortened) {
        return new Shared(tenant, database, store, shortened);
    }

    /** Returns the namespace of {@code tenant} in its own database, where names stay as they are. */
    static OwnedNamespace dedicated(TenantId tenant, String database) {
        return new Dedicated(tenant, database, null);
    }

    /** As {@link #dedicated(TenantId, String)}, in a database of cluster {@code store}. */
    static OwnedNamespace dedicated(TenantId tenant, String store, String database) {
        return new Dedicated(tenant, database, store);
    }

    /**
     * Returns the cluster the database is on, or null if not known; iterables of the namespace's
     * handles name it when the cluster cannot be reached ({@link StoreFailures}).
     */
    @Nullable String store() {
        return store;
    }

    /** Returns a fresh map for the {@code shortened} argument of {@link #shared}. */
    static Map<String, String> newShortenedNames() {
        return new ConcurrentHashMap<>();
    }

    /**
     * Returns the physical collection name of {@code logical}.
     *
     * @throws IllegalArgumentException if {@code logical} is not a valid collection name
     */
    abstract String physical(String logical);

    /**
     * Returns the logical name of physical collection {@code physical}, or null if it is not one of
     * the tenant's collections (or a shortened name Tenantry has not seen).
     */
    abstract @Nullable String logical(String physical);

    /** Returns whether {@code physical} belongs to the tenant, even if it cannot be mapped back. */
    abstract boolean owns(String physical);

    /** Returns whether other tenants' collections live in the same database. */
    abstract boolean isShared();

    /**
     * Returns a regular expression that matches exactly the physical names the tenant owns in a
     * shared database, or null in a dedicated one, where it owns every name.
     */
    abstract @Nullable String ownedPattern();

    /**
     * Returns the physical target of {@code collection.renameCollection(target)}: it must be in the
     * same database, and its collection name is logical.
     *
     * @throws IsolationViolationException if {@code target} names another database
     */
    MongoNamespace renameTarget(MongoNamespace target) {
        if (!target.getDatabaseName().equals(database)) {
            throw new IsolationViolationException("renameCollection to database \"" + target.getDatabaseName()
                    + "\" is refused: tenant \"" + tenant + "\" may rename collections only within its database \""
                    + database + "\". Use new MongoNamespace(database.getName(), \"newName\"), or copy the data with"
                    + " an aggregation ending in $out.");
        }
        return new MongoNamespace(database, physical(target.getCollectionName()));
    }

    /**
     * Returns the physical name of {@code logical} for a pipeline stage.
     *
     * @throws IsolationViolationException if the name is not a valid collection name
     */
    @Override
    public String collection(String logical) {
        try {
            return physical(logical);
        } catch (IllegalArgumentException e) {
            throw new IsolationViolationException("A pipeline references collection \"" + logical
                    + "\", which tenant \"" + tenant + "\" cannot own: " + e.getMessage());
        }
    }

    /** Returns the physical database name. */
    @Override
    public String database() {
        return database;
    }

    /** Returns null: every collection of the namespace holds this tenant's documents only. */
    @Override
    public @Nullable BsonDocument tenantCondition() {
        return null;
    }

    /** Returns true: {@code $out} replaces a collection of the tenant's own. */
    @Override
    public boolean allowsOut() {
        return true;
    }

    private static final class Shared extends OwnedNamespace {
        private final PhysicalNaming naming;
        private final String head;
        private final Map<String, String> shortened;

        Shared(TenantId tenant, String database, @Nullable String store, Map<String, String> shortened) {
            super(tenant, database, store);
            this.naming = PhysicalNaming.of(NameLimits.mongodbCollection(database));
            this.head = tenant.value() + naming.limits().separator();
            this.shortened = shortened;
        }

        @Override
        String physical(String logical) {
            String name = naming.name("", tenant, TenantMongo.checkLogicalName(logical));
            if (naming.logicalOf("", tenant, name) == null) {
                shortened.putIfAbsent(name, logical);
            }
            return name;
        }

        @Override
        @Nullable String logical(String physical) {
            if (!owns(physical)) {
                return null;
            }
            String logical = naming.logicalOf("", tenant, physical);
            return logical != null ? logical : shortened.get(physical);
        }

        /*
         * Tenant ids never contain '.', so "acme." starts no other tenant's names; shortened names keep
         * that head too, because the head of a shortened name is over 150 bytes of the full name.
         */
        @Override
        boolean owns(String physical) {
            return physical.startsWith(head);
        }

        @Override
        boolean isShared() {
            return true;
        }

        @Override
        String ownedPattern() {
            return "^" + head.replace(".", "\\.");
        }
    }

    private static final class Dedicated extends OwnedNamespace {

        Dedicated(TenantId tenant, String database, @Nullable String store) {
            super(tenant, database, store);
        }

        @Override
        String physical(String logical) {
            return TenantMongo.checkLogicalName(logical);
        }

        @Override
        @Nullable String logical(String physical) {
            return physical;
        }

        @Override
        boolean owns(String physical) {
            return true;
        }

        @Override
        boolean isShared() {
            return false;
        }

        @Override
        @Nullable String ownedPattern() {
            return null;
        }
    }
}
