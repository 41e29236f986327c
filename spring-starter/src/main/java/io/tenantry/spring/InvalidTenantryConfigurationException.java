package io.tenantry.spring;

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
