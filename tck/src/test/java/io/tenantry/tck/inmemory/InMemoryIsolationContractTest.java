package io.tenantry.tck.inmemory;

import io.tenantry.tck.IsolationContract;
import io.tenantry.tck.TenantScopedStore;

/** Runs the isolation contract against the reference store, the way a user runs it against theirs. */
class InMemoryIsolationContractTest extends IsolationContract {

    private final TenantScopedStore store = new InMemoryTenantScopedStore();

    @Override
    protected TenantScopedStore store() {
        return store;
    }
}
