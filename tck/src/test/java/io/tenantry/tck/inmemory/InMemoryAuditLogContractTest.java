package io.tenantry.tck.inmemory;

import io.tenantry.spi.AuditLog;
import io.tenantry.tck.AuditLogContract;

/** Core's in-memory audit log, the reference the stores' logs are held to. */
class InMemoryAuditLogContractTest extends AuditLogContract {

    @Override
    protected AuditLog emptyLog() {
        return AuditLog.inMemory();
    }
}
