package io.tenantry.mongo;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.tenantry.IsolationModel;
import io.tenantry.NameLimits;
import io.tenantry.PhysicalNaming;
import io.tenantry.Placement;
import io.tenantry.TenantId;

/**
 * The DATABASE model: a database per tenant, {@code prefix + tenantId} (through
 * {@link PhysicalNaming} with {@link NameLimits#MONGODB_DATABASE}: injective, under 64 bytes, lower
 * case), on the cluster the placement names. All of a cluster's tenants share its one client and
 * pool. Collections keep their logical names; see {@link OwnedCollection} and {@link TenantDatabase}
 * for what is confined to the tenant's database. Thread-safe.
 */
final class DatabaseIsolation extends MongoIsolation {

    private static final PhysicalNaming NAMING = PhysicalNaming.of(NameLimits.MONGODB_DATABASE);

    private final MongoSettings settings;

    DatabaseIsolation(MongoSettings settings) {
        this.settings = settings;
    }

    @Override
    public IsolationModel model() {
        return IsolationModel.DATABASE;
    }

    @Override
    <T> MongoCollection<T> collection(TenantId tenant, Placement placement, String logical, Class<T> documentClass) {
        OwnedNamespace namespace = namespace(tenant, placement);
        MongoDatabase own = own(placement, namespace);
        return new OwnedCollection<>(own.getCollection(namespace.physical(logical), documentClass), namespace);
    }

    @Override
    MongoDatabase database(TenantId tenant, Placement placement) {
        OwnedNamespace namespace = namespace(tenant, placement);
        return new TenantDatabase(own(placement, namespace), namespace);
    }

    @Override
    String databaseName(TenantId tenant, Placement placement) {
        return NAMING.name(placement.namespace(), tenant);
    }

    @Override
    void ensure(TenantId tenant, Placement placement) {
        OwnedNamespace namespace = namespace(tenant, placement);
        DeclaredCollections.ensure(own(placement, namespace), namespace, settings.specs());
    }

    private OwnedNamespace namespace(TenantId tenant, Placement placement) {
        return OwnedNamespace.dedicated(tenant, placement.store(), databaseName(tenant, placement));
    }

    private MongoDatabase own(Placement placement, OwnedNamespace namespace) {
        return settings.clusters.client(placement.store()).getDatabase(namespace.database());
    }
}
