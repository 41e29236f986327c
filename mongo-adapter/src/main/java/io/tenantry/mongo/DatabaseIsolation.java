package io.tenantry.mongo;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.tenantry.IsolationModel;
import io.tenantry.Placement;
import io.tenantry.TenantId;

/** The DATABASE model. */
final class DatabaseIsolation extends MongoIsolation {

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
        throw new UnsupportedOperationException("DATABASE model is being written in this session");
    }

    @Override
    MongoDatabase database(TenantId tenant, Placement placement) {
        throw new UnsupportedOperationException("DATABASE model is being written in this session");
    }

    @Override
    String databaseName(TenantId tenant, Placement placement) {
        throw new UnsupportedOperationException("DATABASE model is being written in this session " + settings);
    }

    @Override
    void ensure(TenantId tenant, Placement placement) {
        throw new UnsupportedOperationException("DATABASE model is being written in this session");
    }
}
