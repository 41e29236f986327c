package io.tenantry.mongo;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.tenantry.IsolationModel;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantId;
import io.tenantry.spi.IsolationStrategy;
import org.bson.Document;

/**
 * The MongoDB {@link IsolationStrategy} of one model: builds the scoped handles that can only touch
 * one tenant's data. Scoped handles are cached per tenant by the routing layer, so building one does
 * no I/O. Thread-safe.
 */
abstract class MongoIsolation implements IsolationStrategy<MongoCollection<Document>> {

    /** Returns {@code tenant}'s view of logical collection {@code logical} at {@code placement}. */
    abstract <T> MongoCollection<T> collection(TenantId tenant, Placement placement, String logical,
            Class<T> documentClass);

    /** Returns {@code tenant}'s view of its database at {@code placement}. */
    abstract MongoDatabase database(TenantId tenant, Placement placement);

    /** Returns the name of the physical database that holds {@code tenant}'s data at {@code placement}. */
    abstract String databaseName(TenantId tenant, Placement placement);

    /**
     * Creates, idempotently, what {@code tenant} needs at {@code placement}: the declared collections
     * and their indexes ({@link MongoSettings#specs()}).
     */
    abstract void ensure(TenantId tenant, Placement placement);

    @Override
    public MongoCollection<Document> scope(Tenant tenant, Placement placement, String logicalName) {
        if (placement.model() != model()) {
            throw new IllegalArgumentException("Placement " + placement + " is not of model " + model());
        }
        return collection(tenant.id(), placement, logicalName, Document.class);
    }

    @Override
    public abstract IsolationModel model();
}
