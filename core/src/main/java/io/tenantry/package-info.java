/**
 * Tenantry's public API: tenant identity ({@link io.tenantry.TenantId}, {@link io.tenantry.Tenant}),
 * the tenant bound to the running code ({@link io.tenantry.TenantContext}), how a unit of work finds
 * its tenant ({@link io.tenantry.TenantResolver}), the catalogue of tenants
 * ({@link io.tenantry.TenantDirectory}), where each tenant's data lives
 * ({@link io.tenantry.TenantRouter}, {@link io.tenantry.Placement}) and injective physical naming
 * ({@link io.tenantry.PhysicalNaming}).
 *
 * <p>Everything here is plain Java with no framework. Every exception Tenantry throws for a
 * tenancy reason is a {@link io.tenantry.TenantryException}; caller mistakes (a malformed argument)
 * are the JDK's {@link java.lang.IllegalArgumentException} and {@link java.lang.NullPointerException}.
 */
@NullMarked
package io.tenantry;

import org.jspecify.annotations.NullMarked;
