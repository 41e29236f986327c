package io.tenantry;

import org.jspecify.annotations.Nullable;

/**
 * The store (a MongoDB cluster, a JDBC data source) that holds the current tenant's data could not be
 * reached within its configured timeout. Other tenants, placed on other stores, are unaffected.
 */
public class StoreUnavailableException extends TenantryException {

    private static final long serialVersionUID = 1L;

    private final String store;

    public StoreUnavailableException(String store, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.store = store;
    }

    /** Returns the name of the unreachable store. */
    public String store() {
        return store;
    }
}
