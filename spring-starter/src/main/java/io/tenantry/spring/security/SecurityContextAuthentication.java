package io.tenantry.spring.security;

import io.tenantry.spring.web.RequestAuthentication;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

/**
 * A request is authenticated when Spring Security's context holds an authenticated Authentication
 * that is not anonymous: the same principal whose claims {@link SecurityContextClaims} reads.
 * Thread-safe.
 */
final class SecurityContextAuthentication implements RequestAuthentication {

    private final SecurityContextHolderStrategy contexts;

    SecurityContextAuthentication() {
        this(SecurityContextHolder.getContextHolderStrategy());
    }

    SecurityContextAuthentication(SecurityContextHolderStrategy contexts) {
        this.contexts = contexts;
    }

    @Override
    public boolean isAuthenticated(HttpServletRequest request) {
        return authenticated(contexts) != null;
    }

    /** Returns the authenticated, non-anonymous Authentication of the current context, if there is one. */
    static @Nullable Authentication authenticated(SecurityContextHolderStrategy contexts) {
        Authentication authentication = contexts.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()
                || authentication instanceof AnonymousAuthenticationToken) {
            return null;
        }
        return authentication;
    }
}
