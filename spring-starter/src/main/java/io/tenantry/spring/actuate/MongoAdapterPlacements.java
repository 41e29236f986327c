package io.tenantry.spring.actuate;

import io.tenantry.IsolationModel;
import io.tenantry.Placement;
import io.tenantry.TenantId;
import io.tenantry.mongo.TenantMongo;

/** The physical names of tenants on Tenantry's MongoDB clusters: database, and the tenant field on shared collections. */
final class MongoAdapterPlacements implements AdapterPlacements {

    private final TenantMongo mongo;

    MongoAdapterPlacements(TenantMongo mongo) {
        this.mongo = mongo;
    }

    @Override
    public boolean serves(String store) {
        return mongo.clusterNames().contains(store);
    }

    @Override
    public TenantsEndpoint.PhysicalNames names(TenantId tenant, Placement placement) {
        return new TenantsEndpoint.PhysicalNames("mongodb", mongo.databaseName(tenant), null,
                placement.model() == IsolationModel.FIELD ? mongo.tenantField() : null);
    }
}
