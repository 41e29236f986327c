package io.tenantry.mongo;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.tenantry.IsolationModel;
import io.tenantry.Placement;
import io.tenantry.TenantId;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The COLLECTION model: a collection per tenant in a shared database. Logical collection
 * {@code cards} of tenant {@code acme} is the physical collection {@code acme.cards}
 * ({@link io.tenantry.PhysicalNaming} with {@link io.tenantry.NameLimits#mongodbCollection}, so names
 * stay injective and within MongoDB's namespace limit). The tenant's handles see only its own
 * collections, under their logical names; see {@link OwnedCollection} and
 * {@link CollectionModelDatabase} for what is confined and what is refused. Thread-safe.
 */
final class CollectionIsolation extends MongoIsolation {

    private final MongoSettings settings;
    /** Physical -> logical names of every shortened name mapped so far, to list them back. */
    private final Map<String, String> shortened = OwnedNamespace.newShortenedNames();

    CollectionIsolation(MongoSettings settings) {
        this.settings = settings;
    }

    @Override
    public IsolationModel model() {
        return IsolationModel.COLLECTION;
    }

    @Override
    <T> MongoCollection<T> collection(TenantId tenant, Placement placement, String logical, Class<T> documentClass) {
        OwnedNamespace namespace = namespace(tenant, placement);
        return new OwnedCollection<>(shared(placement).getCollection(namespace.physical(logical), documentClass),
                namespace);
    }

    @Override
    MongoDatabase database(TenantId tenant, Placement placement) {
        return new CollectionModelDatabase(shared(placement), namespace(tenant, placement));
    }

    @Override
    String databaseName(TenantId tenant, Placement placement) {
        return placement.namespace();
    }

    /** Creates the declared collections under the tenant's names, then checks the shared database's size. */
    @Override
    void ensure(TenantId tenant, Placement placement) {
        DeclaredCollections.ensure(shared(placement), namespace(tenant, placement), settings.specs());
        checkBudget(placement);
    }

    /** Logs a warning if the shared database of {@code placement} nears the collection threshold. */
    @Nullable String checkBudget(Placement placement) {
        return CollectionBudget.check(shared(placement), placement.store(), settings.collectionWarningThreshold);
    }

    OwnedNamespace namespace(TenantId tenant, Placement placement) {
        OwnedNamespace namespace = OwnedNamespace.shared(tenant, placement.store(), placement.namespace(), shortened);
        // Mapping the declared names records those that are shortened, so that listings can name them.
        for (CollectionSpec spec : settings.specs()) {
            namespace.physical(spec.name());
        }
        return namespace;
    }

    private MongoDatabase shared(Placement placement) {
        return settings.clusters.client(placement.store()).getDatabase(placement.namespace());
    }
}
