package io.tenantry;

/**
 * No {@link Placement} could be chosen for a tenant, a placement names a store that is not
 * configured, or an adapter refuses a placement that would share a database with a placement of
 * another {@link IsolationModel}.
 */
public class RoutingException extends TenantryException {

    private static final long serialVersionUID = 1L;

    public RoutingException(String message) {
        super(message);
    }
}
