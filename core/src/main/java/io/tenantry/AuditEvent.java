package io.tenantry;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Something an operator must be able to reconstruct later: a cross-tenant (system-scope) access, or
 * a change to the tenant catalogue. Delivered to an {@link io.tenantry.spi.AuditSink}.
 *
 * <p>Immutable and thread-safe.
 */
public final class AuditEvent {

    /** What happened. */
    public enum Kind {
        /** A system scope was opened for cross-tenant work; {@link #detail()} holds the reason. */
        SYSTEM_SCOPE_OPENED,
        /** A system scope was closed; {@link #detail()} holds the reason it was opened with. */
        SYSTEM_SCOPE_CLOSED,
        /** A tenant was added to the directory. */
        TENANT_REGISTERED,
        /** A tenant's catalogue entry changed. */
        TENANT_UPDATED,
        /** A tenant was created by the lifecycle: registered, provisioned, admitted. */
        TENANT_CREATED,
        /** A tenant's data was moved to another placement and the tenant switched over. */
        TENANT_MOVED,
        /** A tenant's data was erased everywhere and its directory entry removed; this record stays. */
        TENANT_DELETED,
        /** A tenant was suspended (refused) or resumed by the lifecycle. */
        TENANT_STATUS_CHANGED,
        /** A tenant's data was written into an archive; {@link #detail()} names it. */
        TENANT_EXPORTED,
        /** A tenant was registered with an archive's data; {@link #detail()} names the archive. */
        TENANT_IMPORTED,
        /** A lifecycle operation was undone: after a failed verification, or on recovery after a crash. */
        LIFECYCLE_ROLLED_BACK,
        /**
         * A write or a counter was refused because it would pass one of the tenant's quotas; {@link #detail()}
         * names the quota, its limit and the usage. Repeated refusals of one quota are coalesced (see
         * {@link io.tenantry.TenantQuotas}).
         */
        QUOTA_EXCEEDED
    }

    private final Kind kind;
    private final @Nullable TenantId tenant;
    private final String detail;
    private final String thread;
    private final Instant at;

    /** Creates an event that happens now, on the calling thread. */
    public AuditEvent(Kind kind, @Nullable TenantId tenant, String detail) {
        this(kind, tenant, detail, Thread.currentThread().getName(), Instant.now());
    }

    /**
     * Creates an event as it was recorded, for an {@link io.tenantry.spi.AuditLog} that reads stored events back.
     *
     * @param thread the name of the thread it happened on
     * @param at when it happened
     */
    public AuditEvent(Kind kind, @Nullable TenantId tenant, String detail, String thread, Instant at) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.tenant = tenant;
        this.detail = Objects.requireNonNull(detail, "detail");
        this.thread = Objects.requireNonNull(thread, "thread");
        this.at = Objects.requireNonNull(at, "at");
    }

    public Kind kind() {
        return kind;
    }

    /** Returns the tenant concerned; empty for system-scope events. */
    public Optional<TenantId> tenant() {
        return Optional.ofNullable(tenant);
    }

    /** Returns the reason or description given by the code that caused the event. */
    public String detail() {
        return detail;
    }

    /** Returns the name of the thread the event happened on. */
    public String thread() {
        return thread;
    }

    public Instant at() {
        return at;
    }

    @Override
    public String toString() {
        return kind + (tenant == null ? "" : " tenant=" + tenant) + " detail=\"" + detail + "\" thread=" + thread
                + " at=" + at;
    }
}
