package io.tenantry.mongo;

import io.tenantry.Placement;
import io.tenantry.TenantId;
import io.tenantry.tck.IsolationContract;
import io.tenantry.tck.TenantScopedStore;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The isolation contract kit, run against the DATABASE model through Tenantry's routing collection. */
class DatabaseModelIsolationContractTest extends IsolationContract {

    private static MongoContractStage stage;

    @BeforeAll
    static void start() {
        stage = new MongoContractStage(Placement.database("dedicated", "kit_"));
    }

    @AfterAll
    static void stop() {
        stage.close();
    }

    @Override
    protected TenantScopedStore store() {
        return stage.store;
    }

    @Override
    protected List<TenantId> tenants() {
        return MongoContractStage.TENANTS;
    }
}
