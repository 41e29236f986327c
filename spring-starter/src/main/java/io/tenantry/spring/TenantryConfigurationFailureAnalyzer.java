package io.tenantry.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link InvalidTenantryConfigurationException} anywhere in a start-up failure into Spring
 * Boot's "APPLICATION FAILED TO START" report: the property, its value, the problem, and the fix.
 * Registered in {@code META-INF/spring.factories}.
 */
public final class TenantryConfigurationFailureAnalyzer
        extends AbstractFailureAnalyzer<InvalidTenantryConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidTenantryConfigurationException cause) {
        String description = "Tenantry is misconfigured: " + cause.problem() + System.lineSeparator()
                + System.lineSeparator() + "    Property: " + cause.property() + System.lineSeparator()
                + "    Value: " + (cause.value() == null ? "(not set)" : "\"" + cause.value() + "\"");
        return new FailureAnalysis(description, cause.action(), cause);
    }
}
