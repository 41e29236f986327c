package io.tenantry;

import org.jspecify.annotations.Nullable;

/**
 * A change to the tenant catalogue or a lifecycle step conflicts with the stored state: the
 * tenant already exists, or another writer changed it first (optimistic concurrency).
 */
public class TenantLifecycleException extends TenantryException {

    private static final long serialVersionUID = 1L;

    public TenantLifecycleException(String message) {
        super(message);
    }

    public TenantLifecycleException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
