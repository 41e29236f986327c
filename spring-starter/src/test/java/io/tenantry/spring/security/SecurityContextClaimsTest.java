package io.tenantry.spring.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.DefaultOAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

class SecurityContextClaimsTest {

    private final SecurityContextClaims claims = new SecurityContextClaims();
    private final MockHttpServletRequest request = new MockHttpServletRequest();

    @AfterEach
    void clearContext() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void readsTheClaimsOfAJwt() {
        Jwt jwt = Jwt.withTokenValue("t").header("alg", "none").claim("tenant_id", "acme").claim("n", 7)
                .issuedAt(Instant.now()).build();
        SecurityContextHolder.getContext().setAuthentication(new JwtAuthenticationToken(jwt, List.of()));
        assertThat(claims.claim(request, "tenant_id")).contains("acme");
        assertThat(claims.claim(request, "n")).contains("7");
        assertThat(claims.claim(request, "absent")).isEmpty();
    }

    @Test
    void readsTheAttributesOfAnOAuth2PrincipalAndOfAMapPrincipal() {
        SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken(
                new DefaultOAuth2AuthenticatedPrincipal(Map.of("tenant_id", "bravo"), List.of()), null, "USER"));
        assertThat(claims.claim(request, "tenant_id")).contains("bravo");
        SecurityContextHolder.getContext().setAuthentication(
                new TestingAuthenticationToken(Map.of("tenant_id", "carol"), null, "USER"));
        assertThat(claims.claim(request, "tenant_id")).contains("carol");
    }

    @Test
    void noAuthenticationOrAnAnonymousOneHasNoClaims() {
        assertThat(claims.claim(request, "tenant_id")).isEmpty();
        SecurityContextHolder.getContext().setAuthentication(new AnonymousAuthenticationToken("key",
                Map.of("tenant_id", "acme"), AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));
        assertThat(claims.claim(request, "tenant_id")).isEmpty();
    }

    @Test
    void aCallerIsAuthenticatedWithAnAuthenticatedAuthenticationThatIsNotAnonymous() {
        SecurityContextAuthentication authentication = new SecurityContextAuthentication();
        assertThat(authentication.isAuthenticated(request)).isFalse();
        SecurityContextHolder.getContext().setAuthentication(new AnonymousAuthenticationToken("key", "anonymous",
                AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));
        assertThat(authentication.isAuthenticated(request)).isFalse();
        TestingAuthenticationToken unverified = new TestingAuthenticationToken("ann", null);
        unverified.setAuthenticated(false);
        SecurityContextHolder.getContext().setAuthentication(unverified);
        assertThat(authentication.isAuthenticated(request)).isFalse();
        SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("ann", null, "USER"));
        assertThat(authentication.isAuthenticated(request)).isTrue();
    }
}
