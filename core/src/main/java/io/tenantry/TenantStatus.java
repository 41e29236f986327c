package io.tenantry;

/** The life-cycle status of a {@link Tenant}, which decides what its unit of work may do. */
public enum TenantStatus {
    /** Reads and writes are allowed. */
    ACTIVE(true, true),
    /** Nothing is allowed: the tenant is switched off (for example an unpaid account). */
    SUSPENDED(false, false),
    /** Reads are allowed, writes refused: the tenant is being moved or backed up. */
    READ_ONLY(true, false),
    /** Nothing is allowed: the tenant is gone or being erased. */
    DELETED(false, false);

    private final boolean readable;
    private final boolean writable;

    TenantStatus(boolean readable, boolean writable) {
        this.readable = readable;
        this.writable = writable;
    }

    /** Returns whether a tenant in this status may read its data. */
    public boolean allowsReads() {
        return readable;
    }

    /** Returns whether a tenant in this status may change its data. */
    public boolean allowsWrites() {
        return writable;
    }
}
