package io.tenantry.spring.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * Reads a claim of the principal that authenticated a request, for the {@code claim} resolver. The
 * starter provides one over Spring Security's context when Security is on the class path, so the
 * tenant filter itself never needs Security; define a bean to read claims from elsewhere.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface RequestClaims {

    /** No principal, no claims: the claim resolver does not apply. */
    RequestClaims NONE = (request, name) -> Optional.empty();

    /**
     * Returns claim {@code name} of the principal of {@code request}, as a string, if there is an
     * authenticated principal carrying it.
     */
    Optional<String> claim(HttpServletRequest request, String name);
}
