package io.tenantry.spring.jdbc;

import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the application uses PostgreSQL: {@code spring.datasource.url}, {@code tenantry.jdbc.stores}
 * or {@code tenantry.jdbc.control-plane} is set, or the application defines a {@code DataSource} bean. With
 * none of them, the JDBC adapter on the class path (beside the MongoDB one, say) wires nothing.
 */
final class OnJdbcConfigured extends SpringBootCondition implements ConfigurationCondition {

    /** Evaluated when beans are registered, so that the application's own DataSource beans are known. */
    @Override
    public ConfigurationPhase getConfigurationPhase() {
        return ConfigurationPhase.REGISTER_BEAN;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        var environment = context.getEnvironment();
        if (environment.containsProperty("spring.datasource.url")) {
            return ConditionOutcome.match("spring.datasource.url is set");
        }
        if (environment.containsProperty("tenantry.jdbc.control-plane")) {
            return ConditionOutcome.match("tenantry.jdbc.control-plane is set");
        }
        boolean stores = Binder.get(environment).bind("tenantry.jdbc.stores", Bindable.mapOf(String.class, Object.class))
                .map(Map::isEmpty).map(empty -> !empty).orElse(false);
        if (stores) {
            return ConditionOutcome.match("tenantry.jdbc.stores is set");
        }
        var beans = context.getBeanFactory();
        if (beans != null && beans.getBeanNamesForType(javax.sql.DataSource.class, true, false).length > 0) {
            return ConditionOutcome.match("the application defines a DataSource");
        }
        return ConditionOutcome.noMatch("neither spring.datasource.url, tenantry.jdbc.stores nor"
                + " tenantry.jdbc.control-plane is set, and the application defines no DataSource");
    }
}
