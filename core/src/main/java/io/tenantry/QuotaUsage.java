package io.tenantry;

import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One of a tenant's quotas with the usage Tenantry counts against it, as {@link TenantQuotas#usage} reports it.
 *
 * @param quota the quota in force
 * @param usage the running count, or empty when nothing has been counted yet (no write under the quota since
 *     the count was last reset, and no reconciliation)
 */
public record QuotaUsage(Quota quota, OptionalLong usage) {

    public QuotaUsage {
        Objects.requireNonNull(quota, "quota");
        Objects.requireNonNull(usage, "usage");
    }

    /** Returns the usage as a share of the limit (1.0 = at the limit), or empty if nothing was counted. */
    public OptionalDouble fraction() {
        if (usage.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(quota.limit() == 0 ? (usage.getAsLong() == 0 ? 1.0 : Double.POSITIVE_INFINITY)
                : (double) usage.getAsLong() / quota.limit());
    }
}
