package io.tenantry.mongo;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexModel;
import io.tenantry.IsolationModel;
import io.tenantry.Placement;
import io.tenantry.TenantId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bson.BsonDocument;

/**
 * The FIELD model: every tenant on a placement shares its database and collections, and each
 * document carries its tenant in the tenant field ({@link MongoSettings#tenantField}, default
 * {@code tenantId}). The scoped handles are {@link FieldCollection} and {@link FieldDatabase}: every
 * filter gets the tenant condition, every written document the tenant value, every index the
 * tenant field as its first key; what cannot be confined is refused. Thread-safe.
 */
final class FieldIsolation extends MongoIsolation {

    private final MongoSettings settings;
    private final FieldRules rules;

    FieldIsolation(MongoSettings settings) {
        this.settings = settings;
        this.rules = new FieldRules(settings.tenantField);
    }

    @Override
    public IsolationModel model() {
        return IsolationModel.FIELD;
    }

    @Override
    <T> MongoCollection<T> collection(TenantId tenant, Placement placement, String logical, Class<T> documentClass) {
        MongoDatabase shared = sharedDatabase(placement);
        return new FieldCollection<>(scope(tenant, placement),
                shared.getCollection(TenantMongo.checkLogicalName(logical), documentClass));
    }

    @Override
    MongoDatabase database(TenantId tenant, Placement placement) {
        return new FieldDatabase(scope(tenant, placement), sharedDatabase(placement));
    }

    /** Returns the shared database, {@link Placement#namespace()}: the same for every tenant of the placement. */
    @Override
    String databaseName(TenantId tenant, Placement placement) {
        requireField(placement);
        return placement.namespace();
    }

    /**
     * Creates, if missing, each declared collection in the shared database, Tenantry's own unique
     * {@code {field: 1, _id: 1}} index, and each declared index with the tenant field first. All of
     * it is shared by the placement's tenants, so provisioning one tenant provisions them all;
     * calling it again changes nothing.
     *
     * @throws com.mongodb.MongoCommandException if an index of the same name but other keys or
     *     options exists already (change the declaration, or drop the old index as an administrative step)
     */
    @Override
    void ensure(TenantId tenant, Placement placement) {
        MongoDatabase shared = sharedDatabase(placement);
        Set<String> existing = shared.listCollectionNames().into(new HashSet<>());
        for (CollectionSpec spec : settings.specs()) {
            if (!existing.contains(spec.name())) {
                createCollection(shared, spec.name());
            }
            MongoCollection<BsonDocument> collection = shared.getCollection(spec.name(), BsonDocument.class);
            List<IndexModel> indexes = new ArrayList<>();
            indexes.add(FieldIndexes.internal(rules));
            indexes.addAll(FieldIndexes.physical(spec.indexes(), rules, collection.getCodecRegistry()));
            collection.createIndexes(indexes);
        }
    }

    private static void createCollection(MongoDatabase shared, String name) {
        try {
            shared.createCollection(name);
        } catch (MongoCommandException e) {
            // Another process provisioning the same placement created it first: that is the goal.
            if (!FieldDatabase.alreadyExists(e)) {
                throw e;
            }
        }
    }

    private FieldScope scope(TenantId tenant, Placement placement) {
        return new FieldScope(tenant, rules, databaseName(tenant, placement));
    }

    private MongoDatabase sharedDatabase(Placement placement) {
        requireField(placement);
        return settings.clusters.client(placement.store()).getDatabase(placement.namespace());
    }

    private static void requireField(Placement placement) {
        if (placement.model() != IsolationModel.FIELD) {
            throw new IllegalArgumentException("Placement " + placement + " is not of model FIELD");
        }
    }
}
