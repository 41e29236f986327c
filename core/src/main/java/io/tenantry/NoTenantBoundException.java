package io.tenantry;

/**
 * Code that needs a tenant ran with none bound to the current thread. Tenantry fails closed: it
 * never falls back to some tenant, and it never touches a store without one.
 */
public class NoTenantBoundException extends TenantryException {

    private static final long serialVersionUID = 1L;

    public NoTenantBoundException(String message) {
        super(message);
    }
}
