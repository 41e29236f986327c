package io.tenantry;

import java.util.Objects;

/**
 * The front door of a unit of work: resolve the tenant of a request, look it up, check that its
 * status allows the work, and bind it. Web filters, message listeners and the Spring starter all
 * use this one sequence, so they fail the same way:
 *
 * <ul>
 *   <li>{@link TenantResolutionException}: missing or malformed id ({@code MISSING}/{@code MALFORMED}),
 *       or sources that disagree ({@code CONFLICT});
 *   <li>{@link UnknownTenantException}: a well-formed id that is not in the directory;
 *   <li>{@link TenantUnavailableException}: suspended or deleted, or read-only for a write.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class TenantAdmission {

    private final TenantResolver resolver;
    private final TenantDirectory directory;

    private TenantAdmission(TenantResolver resolver, TenantDirectory directory) {
        this.resolver = resolver;
        this.directory = directory;
    }

    /** Returns the admission that resolves with {@code resolver} and looks tenants up in {@code directory}. */
    public static TenantAdmission of(TenantResolver resolver, TenantDirectory directory) {
        return new TenantAdmission(Objects.requireNonNull(resolver, "resolver"),
                Objects.requireNonNull(directory, "directory"));
    }

    /**
     * Resolves and checks the tenant of {@code request} without binding it.
     *
     * @param write whether the unit of work may change data (refused for read-only tenants)
     * @return the tenant
     */
    public Tenant admit(TenantRequest request, boolean write) {
        TenantId id = resolver.resolve(request).orThrow();
        Tenant tenant = directory.require(id);
        TenantUnavailableException.check(tenant, write);
        return tenant;
    }

    /**
     * Resolves, checks and binds the tenant of {@code request}; close the scope when the unit of
     * work ends (try-with-resources).
     *
     * @param write whether the unit of work may change data
     * @return the open scope
     */
    public TenantScope open(TenantRequest request, boolean write) {
        return TenantContext.open(admit(request, write).id());
    }

    public TenantResolver resolver() {
        return resolver;
    }

    public TenantDirectory directory() {
        return directory;
    }
}
