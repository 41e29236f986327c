package io.tenantry;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception Tenantry throws for a tenancy reason. Its branches say what went
 * wrong; each message says what to do next.
 *
 * <ul>
 *   <li>{@link TenantResolutionException}: the tenant of a unit of work could not be determined;
 *   <li>{@link UnknownTenantException}: the id names no tenant in the directory;
 *   <li>{@link TenantUnavailableException}: the tenant's status forbids the operation;
 *   <li>{@link NoTenantBoundException}: code that needs a tenant ran with none bound;
 *   <li>{@link RoutingException}: no placement could be chosen for a tenant;
 *   <li>{@link StoreUnavailableException}: the store holding the tenant's data cannot be reached;
 *   <li>{@link IsolationViolationException}: an operation would read or write outside its tenant;
 *   <li>{@link TenantLifecycleException}: a catalogue or lifecycle change conflicts with the stored state.
 * </ul>
 */
public class TenantryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TenantryException(String message) {
        super(message);
    }

    public TenantryException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
