package io.tenantry.spring.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Tells whether an authenticated caller sent a request, for
 * {@code tenantry.web.conceal-tenants=unauthenticated}: only such callers learn why a tenant was
 * refused. With Spring Security, the starter provides one that reads its security context (an
 * authenticated Authentication that is not anonymous), so the tenant filter itself never needs
 * Security. Without Spring Security, {@link #SERVLET} applies. Define a bean to decide otherwise.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface RequestAuthentication {

    /** The servlet container's answer: the request has a user principal. */
    RequestAuthentication SERVLET = request -> request.getUserPrincipal() != null;

    /** Returns whether an authenticated caller sent {@code request}. */
    boolean isAuthenticated(HttpServletRequest request);
}
