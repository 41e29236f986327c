package io.tenantry.spring.web;

import io.tenantry.TenantryException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Writes the answer to a request the tenant filter refused. The default writes RFC 9457 problem
 * details, and conceals tenants as {@code tenantry.web.conceal-tenants} says; define a bean to answer
 * differently, and it decides what a caller learns about tenants too. Implementations must be
 * thread-safe.
 */
@FunctionalInterface
public interface TenantRejectionHandler {

    /**
     * Answers {@code request}, refused for {@code failure}: a {@link io.tenantry.TenantResolutionException},
     * {@link io.tenantry.UnknownTenantException} or {@link io.tenantry.TenantUnavailableException}.
     */
    void reject(HttpServletRequest request, HttpServletResponse response, TenantryException failure) throws IOException;
}
