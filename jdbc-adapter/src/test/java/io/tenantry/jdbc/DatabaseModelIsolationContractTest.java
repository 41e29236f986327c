package io.tenantry.jdbc;

import io.tenantry.TenantId;
import io.tenantry.tck.IsolationContract;
import io.tenantry.tck.TenantScopedStore;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The isolation contract kit, run against the database-per-tenant model through Tenantry's routing DataSource. */
class DatabaseModelIsolationContractTest extends IsolationContract {

    private static JdbcFixture fixture;
    private static JdbcKeyValueStore store;

    @BeforeAll
    static void start() {
        fixture = JdbcFixture.databases("kit");
        store = new JdbcKeyValueStore(fixture.dataSource());
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Override
    protected TenantScopedStore store() {
        return store;
    }

    @Override
    protected List<TenantId> tenants() {
        return JdbcFixture.TENANTS;
    }

    @Override
    protected void reset() {
        fixture.clear(JdbcFixture.TENANTS);
    }

    /** A quarter of the kit's default tries: each step here is a round trip to a real PostgreSQL. */
    @Override
    protected int tries() {
        return Math.max(10, super.tries() / 4);
    }
}
