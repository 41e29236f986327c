package io.tenantry.mongo;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantRouter;
import java.util.List;

/** One model's stage for the isolation contract kit: the kit's tenants all placed on that model. */
final class MongoContractStage implements AutoCloseable {

    static final List<TenantId> TENANTS = List.of(TenantId.of("acme"), TenantId.of("acme1"), TenantId.of("bravo"),
            TenantId.of("c"));

    final TestClusters clusters;
    final MongoKeyValueStore store;

    MongoContractStage(Placement placement) {
        clusters = TestClusters.start("main", "dedicated");
        TenantDirectory directory = TenantDirectory.inMemory(TENANTS.stream()
                .map(id -> Tenant.builder(id).build()).toArray(Tenant[]::new));
        TenantMongo mongo = clusters.addTo(TenantMongo.builder()).directory(directory)
                .router(TenantRouter.builder().otherwise(placement).build())
                .collection("entries", c -> c.index(Indexes.ascending("key"), new IndexOptions().unique(true)))
                .build();
        TENANTS.forEach(mongo.provisioning()::ensure);
        store = new MongoKeyValueStore(mongo.collection("entries"));
    }

    @Override
    public void close() {
        clusters.close();
    }
}
