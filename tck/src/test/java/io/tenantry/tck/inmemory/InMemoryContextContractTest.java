package io.tenantry.tck.inmemory;

import io.tenantry.tck.ContextContract;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Runs the context contract on a small fixed pool, whose threads are reused across tenants' tasks. */
class InMemoryContextContractTest extends ContextContract {

    @Override
    protected ExecutorService executor() {
        return Executors.newFixedThreadPool(3);
    }
}
