package io.tenantry.spring.jdbc;

import io.tenantry.jdbc.TenantJdbc;

/**
 * Adjusts the {@link TenantJdbc.Builder} before the auto-configured {@link TenantJdbc} is built: settings
 * that have no {@code tenantry.jdbc.*} property, or stores built in code. Beans of this type are applied in
 * {@link org.springframework.core.Ordered} order, after the properties.
 */
@FunctionalInterface
public interface TenantJdbcBuilderCustomizer {

    /** Customizes {@code builder}. */
    void customize(TenantJdbc.Builder builder);
}
