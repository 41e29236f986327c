package io.tenantry.jdbc;

import io.tenantry.TenantId;
import io.tenantry.tck.IsolationContract;
import io.tenantry.tck.TenantScopedStore;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The isolation contract kit over Tenantry's routing DataSource, one fixture per test class: a
 * subclass names the model by the fixture it makes. Not a test itself (abstract, and not named *Test).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcContractStage extends IsolationContract {

    private JdbcFixture fixture;
    private JdbcKeyValueStore store;

    /** Returns a new fixture of the model under test, with {@link JdbcFixture#TENANTS}. */
    abstract JdbcFixture fixture();

    @BeforeAll
    void start() {
        fixture = fixture();
        store = new JdbcKeyValueStore(fixture.dataSource(), conflictTarget());
    }

    /** What the store's upsert names as its conflict target. */
    String conflictTarget() {
        return "(k)";
    }

    @AfterAll
    void stop() {
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
