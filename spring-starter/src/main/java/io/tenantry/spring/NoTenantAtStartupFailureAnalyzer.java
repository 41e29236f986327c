package io.tenantry.spring;

import io.tenantry.NoTenantBoundException;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start-up that fails because a bean used a tenant-scoped resource (Tenantry's routing
 * {@code DataSource}, a routing MongoDB handle) while the application started, when no tenant is bound:
 * names the bean and the three ways out. Registered in {@code META-INF/spring.factories}.
 */
final class NoTenantAtStartupFailureAnalyzer extends AbstractFailureAnalyzer<NoTenantBoundException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, NoTenantBoundException cause) {
        String bean = beanName(rootFailure);
        String description = (bean == null ? "A component" : "Bean '" + bean + "'") + " used a tenant-scoped"
                + " resource (Tenantry's routing DataSource or a MongoDB handle) while the application started, with"
                + " no tenant bound: " + cause.getMessage();
        String action = "Run work for one tenant inside TenantContext.runAs(tenant, ...), or for every tenant with"
                + " TenantJobs. Work on the control plane belongs on its own DataSource"
                + " (@Qualifier(\"tenantryControlPlaneDataSource\"), or your own DataSource bean). Spring Boot's SQL"
                + " scripts (spring.sql.init, schema.sql, data.sql) and schema tools (spring.jpa.hibernate.ddl-auto)"
                + " run on the primary DataSource with no tenant: move them into Flyway migrations, spring.flyway.*"
                + " for the control plane and tenantry.jdbc.migrations / shared-migrations for tenants.";
        return new FailureAnalysis(description, action, cause);
    }

    private static @Nullable String beanName(Throwable failure) {
        String innermost = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BeanCreationException creation && creation.getBeanName() != null) {
                innermost = creation.getBeanName();
            }
        }
        return innermost;
    }
}
