package io.tenantry;

/**
 * A well-formed tenant id that names no tenant in the {@link TenantDirectory}.
 */
public class UnknownTenantException extends TenantryException {

    private static final long serialVersionUID = 1L;

    private final TenantId tenantId;

    public UnknownTenantException(TenantId tenantId) {
        super("Unknown tenant \"" + tenantId + "\": register it in the TenantDirectory before it is used.");
        this.tenantId = tenantId;
    }

    /** Returns the id that was not found. */
    public TenantId tenantId() {
        return tenantId;
    }
}
