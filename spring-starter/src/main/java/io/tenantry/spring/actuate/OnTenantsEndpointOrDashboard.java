package io.tenantry.spring.actuate;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

/**
 * The {@code tenants} endpoint is available (its access is not {@code none} and it is exposed), or the dashboard
 * is enabled, which shows the endpoint's data without the endpoint being exposed; exposing it over HTTP stays
 * the application's choice either way.
 */
final class OnTenantsEndpointOrDashboard extends AnyNestedCondition {

    OnTenantsEndpointOrDashboard() {
        super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnAvailableEndpoint(TenantsEndpoint.class)
    static final class Available {
    }

    @ConditionalOnBooleanProperty(name = "tenantry.dashboard.enabled")
    static final class Dashboard {
    }
}
