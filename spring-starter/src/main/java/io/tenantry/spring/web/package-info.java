/**
 * Servlet web wiring: the {@link io.tenantry.spring.web.TenantFilter} that binds each request to its
 * tenant, and its extension points ({@link io.tenantry.spring.web.RequestClaims},
 * {@link io.tenantry.spring.web.RequestAuthentication},
 * {@link io.tenantry.spring.web.TenantRejectionHandler}, {@link io.tenantry.spring.web.TenantRequestListener}).
 */
@NullMarked
package io.tenantry.spring.web;

import org.jspecify.annotations.NullMarked;
