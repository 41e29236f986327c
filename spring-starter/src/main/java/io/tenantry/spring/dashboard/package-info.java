/**
 * The tenant management dashboard ({@code tenantry.dashboard.*}, off by default): a small static page at
 * {@code tenantry.dashboard.path} that lists the tenants of the {@code tenants} actuator endpoint with their
 * usage, quotas and request rate, shows one tenant's usage history and audit events, and suspends, resumes,
 * changes the tier of or moves a tenant. With Spring Security it requires {@code tenantry.dashboard.role}.
 */
@NullMarked
package io.tenantry.spring.dashboard;

import org.jspecify.annotations.NullMarked;
