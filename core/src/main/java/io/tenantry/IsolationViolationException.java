package io.tenantry;

/**
 * An operation would read or write data outside the current tenant (or expose other tenants),
 * and was refused before it reached the store. Nothing was read or changed.
 */
public class IsolationViolationException extends TenantryException {

    private static final long serialVersionUID = 1L;

    public IsolationViolationException(String message) {
        super(message);
    }
}
