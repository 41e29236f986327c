package io.tenantry.spring.web;

import io.tenantry.Tenant;
import io.tenantry.TenantryException;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Told of each request the tenant filter admits or refuses (once per request, not per async
 * dispatch), e.g. to count requests per tenant. Implementations must be thread-safe, fast and must
 * not throw.
 */
public interface TenantRequestListener {

    /** {@code request} was admitted for {@code tenant}; called before the request is processed. */
    default void admitted(HttpServletRequest request, Tenant tenant) {
    }

    /** {@code request} was refused with {@code failure}. */
    default void refused(HttpServletRequest request, TenantryException failure) {
    }
}
