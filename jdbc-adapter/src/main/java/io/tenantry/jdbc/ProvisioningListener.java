package io.tenantry.jdbc;

import io.tenantry.TenantId;

/**
 * Follows {@link JdbcProvisioning#ensureAll(java.util.Collection, int, ProvisioningListener)} as it
 * provisions many tenants: a progress bar, a metrics gauge, an operator's console.
 *
 * <p>Applications implement it, usually as a lambda. Tenantry calls it from one thread at a time (the
 * thread that called {@code ensureAll}), after each tenant finishes: first {@link #failed} if that
 * tenant failed, then {@link #progress}. An implementation therefore need not be thread-safe, but it
 * should return quickly: while it runs, finished tenants are not reported (the provisioning threads go
 * on). What it throws is logged and otherwise ignored; it never stops provisioning. Arguments are never
 * null.
 */
@FunctionalInterface
public interface ProvisioningListener {

    /**
     * Called after each tenant finishes, successfully or not, with the figures so far. Across one run
     * {@link ProvisioningProgress#done()} and {@link ProvisioningProgress#failed()} never decrease, and
     * the last call has {@code done() + failed() == total()}.
     */
    void progress(ProvisioningProgress progress);

    /**
     * Called when provisioning {@code tenant} failed, just before the {@link #progress} call that
     * counts it; the same exception is in {@link ProvisioningReport#failures()}. Does nothing by default.
     */
    default void failed(TenantId tenant, RuntimeException error) {
    }
}
