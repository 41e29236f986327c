package io.tenantry.spring.web;

import io.tenantry.TenantryException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Writes the answer to a request the tenant filter refused. The default writes RFC 9457 problem
 * details; define a bean to answer differently. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface TenantRejectionHandler {

    /**
     * Answers {@code request}, refused for {@code failure}: a {@link io.tenantry.TenantResolutionException},
     * {@link io.tenantry.UnknownTenantException} or {@link io.tenantry.TenantUnavailableException}.
     */
    void reject(HttpServletRequest request, HttpServletResponse response, TenantryException failure) throws IOException;
}
