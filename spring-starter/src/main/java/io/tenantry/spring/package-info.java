/**
 * Tenantry's Spring Boot starter: auto-configuration of core's resolver chain, tenant catalogue, router and
 * admission from {@code tenantry.*} properties ({@link io.tenantry.spring.TenantryProperties}), start-up
 * validation reported by {@link io.tenantry.spring.TenantryConfigurationFailureAnalyzer}, and the store
 * names adapters publish ({@link io.tenantry.spring.TenantStores}). Each concern has its own package and
 * auto-configuration: {@code web}, {@code security}, {@code mongo}, {@code data.mongo}, {@code task},
 * {@code actuate}; JDBC wiring will join as {@code jdbc} with its {@code tenantry.jdbc.*} properties.
 * Everything here is wiring: the behaviour lives in core and the adapters.
 */
@NullMarked
package io.tenantry.spring;

import org.jspecify.annotations.NullMarked;
