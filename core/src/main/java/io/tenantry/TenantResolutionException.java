package io.tenantry;

/**
 * The tenant of a unit of work could not be determined. {@link #reason()} tells why, so that a web
 * layer can answer {@link Reason#MISSING} and {@link Reason#MALFORMED} with 400 and
 * {@link Reason#CONFLICT} (two sources naming different tenants, a likely forgery) with 403.
 */
public class TenantResolutionException extends TenantryException {

    private static final long serialVersionUID = 1L;

    /** Why resolution failed. */
    public enum Reason {
        /** No source named a tenant. */
        MISSING,
        /** A source named something that is not a valid {@link TenantId}. */
        MALFORMED,
        /** Two sources named different tenants. */
        CONFLICT
    }

    private final Reason reason;

    public TenantResolutionException(Reason reason, String message) {
        super(message);
        this.reason = java.util.Objects.requireNonNull(reason, "reason");
    }

    /** Returns why resolution failed. */
    public Reason reason() {
        return reason;
    }
}
