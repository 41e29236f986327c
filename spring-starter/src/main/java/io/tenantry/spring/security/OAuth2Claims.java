package io.tenantry.spring.security;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.ClaimAccessor;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;

/** The OAuth 2.0 principals, kept apart so that plain Spring Security works without spring-security-oauth2-core. */
final class OAuth2Claims {

    private OAuth2Claims() {
    }

    static @Nullable Object claim(Object principal, String name) {
        if (principal instanceof ClaimAccessor) {
            return ((ClaimAccessor) principal).getClaims().get(name);
        }
        if (principal instanceof OAuth2AuthenticatedPrincipal) {
            return ((OAuth2AuthenticatedPrincipal) principal).getAttribute(name);
        }
        return null;
    }
}
