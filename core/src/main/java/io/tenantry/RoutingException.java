package io.tenantry;

/**
 * No {@link Placement} could be chosen for a tenant, or a placement names a store that is not
 * configured.
 */
public class RoutingException extends TenantryException {

    private static final long serialVersionUID = 1L;

    public RoutingException(String message) {
        super(message);
    }
}
