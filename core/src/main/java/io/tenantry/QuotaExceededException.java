package io.tenantry;

import java.util.Objects;

/**
 * A write or a counter would take a tenant past one of its {@link Quota quotas}; nothing was written. Names the
 * quota, its limit, the usage the refusal was decided on and how much more was asked for.
 *
 * <p>The usage is Tenantry's running count for the tenant (see {@link TenantQuotas}), which metering reconciles
 * with the store; an operator who raises the limit, or a tenant who deletes data, makes the next write pass.
 */
public final class QuotaExceededException extends TenantryException {

    private static final long serialVersionUID = 1L;

    private final transient TenantId tenant;
    private final transient Quota quota;
    private final long usage;
    private final long requested;

    /**
     * @param usage what the tenant holds by Tenantry's count
     * @param requested how much more the refused write or counter asked for
     */
    public QuotaExceededException(TenantId tenant, Quota quota, long usage, long requested) {
        super("Tenant " + Objects.requireNonNull(tenant, "tenant") + " is at its quota " + Objects.requireNonNull(
                quota, "quota").key() + ": " + usage + " of " + quota.limit() + " used, " + requested
                + " more refused. Remove some first, or raise the limit for the tenant's tier or with its attribute "
                + TenantQuotas.ATTRIBUTE_PREFIX + quota.kind().label()
                + (quota.resource().isEmpty() ? "" : "." + quota.resource()) + ".");
        this.tenant = tenant;
        this.quota = quota;
        this.usage = usage;
        this.requested = requested;
    }

    public TenantId tenant() {
        return tenant;
    }

    /** Returns the quota that refused. */
    public Quota quota() {
        return quota;
    }

    /** Returns the quota's limit. */
    public long limit() {
        return quota.limit();
    }

    /** Returns the usage the refusal was decided on. */
    public long usage() {
        return usage;
    }

    /** Returns how much more the refused write or counter asked for. */
    public long requested() {
        return requested;
    }
}
