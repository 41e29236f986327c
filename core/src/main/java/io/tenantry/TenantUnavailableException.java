package io.tenantry;

/**
 * The tenant exists but its {@link TenantStatus} forbids the operation: suspended or deleted
 * tenants may do nothing, read-only tenants may not write.
 */
public class TenantUnavailableException extends TenantryException {

    private static final long serialVersionUID = 1L;

    private final TenantId tenantId;
    private final TenantStatus status;

    public TenantUnavailableException(TenantId tenantId, TenantStatus status, String message) {
        super(message);
        this.tenantId = tenantId;
        this.status = status;
    }

    /**
     * Checks that {@code tenant} may read, or also write when {@code write} is true.
     *
     * @throws TenantUnavailableException if its status forbids it
     */
    public static void check(Tenant tenant, boolean write) {
        TenantStatus status = tenant.status();
        if (write ? status.allowsWrites() : status.allowsReads()) {
            return;
        }
        String what;
        switch (status) {
            case READ_ONLY:
                what = "is read-only (it is being moved or backed up); retry the write later";
                break;
            case SUSPENDED:
                what = "is suspended; reactivate it in the TenantDirectory to use it again";
                break;
            default:
                what = "is deleted; no operation is allowed";
                break;
        }
        throw new TenantUnavailableException(tenant.id(), status, "Tenant \"" + tenant.id() + "\" " + what + ".");
    }

    public TenantId tenantId() {
        return tenantId;
    }

    public TenantStatus status() {
        return status;
    }
}
