package io.tenantry.spring;

import io.tenantry.RoutingException;
import io.tenantry.Tenant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@code tenantry.*} setting cannot work: thrown while the application context starts, and turned
 * into a start-up report naming the property, what is wrong with it and what to change (see
 * {@link TenantryConfigurationFailureAnalyzer}). Being a configuration mistake, it is an
 * {@link IllegalStateException}, not a {@link io.tenantry.TenantryException}. Immutable.
 */
public final class InvalidTenantryConfigurationException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final @Nullable String value;
    private final String problem;
    private final String action;

    /**
     * Creates the exception.
     *
     * @param property the property (or property group) at fault, e.g. {@code tenantry.routing.tiers.free.store}
     * @param value its value, or null when it is unset
     * @param problem what is wrong, as a sentence
     * @param action what to change, as a sentence
     */
    public InvalidTenantryConfigurationException(String property, @Nullable Object value, String problem,
            String action) {
        super("Invalid Tenantry configuration, " + Objects.requireNonNull(property, "property")
                + (value == null ? " (unset)" : " = \"" + value + "\"") + ": "
                + Objects.requireNonNull(problem, "problem") + " " + Objects.requireNonNull(action, "action"));
        this.property = property;
        this.value = value == null ? null : value.toString();
        this.problem = problem;
        this.action = action;
    }

    /**
     * Reports a catalogue tenant that no routing rule places, naming the rule that would place it: a
     * configuration mistake found when tenants are provisioned at start-up.
     *
     * @param tenant the tenant
     * @param cause the router's refusal
     * @return the exception, with {@code cause} as its cause
     */
    public static InvalidTenantryConfigurationException unplaced(Tenant tenant, RoutingException cause) {
        boolean byRegion = tenant.region().isPresent();
        String property = byRegion ? "tenantry.routing.regions." + tenant.region().get()
                : "tenantry.routing.tiers." + tenant.tier();
        InvalidTenantryConfigurationException invalid = new InvalidTenantryConfigurationException(property, null,
                "tenant \"" + tenant.id() + "\" of " + (byRegion ? "region \"" + tenant.region().get() + "\""
                        : "tier \"" + tenant.tier() + "\"") + " has no placement: " + cause.getMessage(),
                "Add a rule (" + property + ".model=field, collection or database, with its store and database or"
                        + " prefix), set tenantry.routing.default-placement, or pin the tenant's placement"
                        + " (tenantry.directory.tenants[n].placement.*, or its placement in the catalogue).");
        invalid.initCause(cause);
        return invalid;
    }

    /** Returns the property (or group) at fault. */
    public String property() {
        return property;
    }

    /** Returns the offending value, or null when the property is unset. */
    public @Nullable String value() {
        return value;
    }

    /** Returns what is wrong. */
    public String problem() {
        return problem;
    }

    /** Returns what to change. */
    public String action() {
        return action;
    }
}
