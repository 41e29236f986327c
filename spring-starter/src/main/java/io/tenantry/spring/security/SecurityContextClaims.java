package io.tenantry.spring.security;

import io.tenantry.spring.web.RequestClaims;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.util.ClassUtils;

/**
 * Reads claims of the principal that Spring Security authenticated for the current request: the
 * claims of a token (a {@code Jwt}, or any OAuth 2.0 {@code ClaimAccessor}), the attributes of an
 * {@code OAuth2AuthenticatedPrincipal} (opaque tokens, OAuth 2.0 logins), or the entries of a
 * principal or details object that is a {@link Map}. Anonymous authentication has no claims.
 * Thread-safe.
 */
public final class SecurityContextClaims implements RequestClaims {

    private static final boolean OAUTH2_PRESENT = ClassUtils.isPresent(
            "org.springframework.security.oauth2.core.ClaimAccessor", SecurityContextClaims.class.getClassLoader());

    private final SecurityContextHolderStrategy contexts;

    /** Reads the context of the global {@link SecurityContextHolder} strategy. */
    public SecurityContextClaims() {
        this(SecurityContextHolder.getContextHolderStrategy());
    }

    /** Reads the context of {@code contexts}. */
    public SecurityContextClaims(SecurityContextHolderStrategy contexts) {
        this.contexts = contexts;
    }

    @Override
    public Optional<String> claim(HttpServletRequest request, String name) {
        Authentication authentication = SecurityContextAuthentication.authenticated(contexts);
        if (authentication == null) {
            return Optional.empty();
        }
        Object value = claimOf(authentication.getPrincipal(), name);
        if (value == null) {
            value = claimOf(authentication.getDetails(), name);
        }
        return Optional.ofNullable(value).map(Object::toString);
    }

    private static @Nullable Object claimOf(@Nullable Object holder, String name) {
        if (holder == null) {
            return null;
        }
        if (OAUTH2_PRESENT) {
            Object value = OAuth2Claims.claim(holder, name);
            if (value != null) {
                return value;
            }
        }
        if (holder instanceof Map) {
            return ((Map<?, ?>) holder).get(name);
        }
        return null;
    }
}
