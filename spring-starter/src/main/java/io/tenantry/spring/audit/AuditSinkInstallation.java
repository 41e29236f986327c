package io.tenantry.spring.audit;

import io.tenantry.TenantContext;
import io.tenantry.spi.AuditSink;

/**
 * The application context's {@link AuditSink} made {@link TenantContext}'s, from the moment this bean is created
 * (before any start-up work that audits, such as lifecycle recovery) until the context closes, when the sink
 * that was there before comes back, unless something else has replaced it since.
 */
final class AuditSinkInstallation implements AutoCloseable {

    private final AuditSink sink;
    private final AuditSink previous;

    AuditSinkInstallation(AuditSink sink) {
        this.sink = sink;
        this.previous = TenantContext.auditSink();
        TenantContext.auditSink(sink);
    }

    /** Returns the sink installed. */
    AuditSink sink() {
        return sink;
    }

    @Override
    public void close() {
        if (TenantContext.auditSink() == sink) {
            TenantContext.auditSink(previous);
        }
    }
}
