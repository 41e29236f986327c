package io.tenantry.examples.cardvaultpg;

import java.nio.charset.StandardCharsets;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A stateless API behind Spring Security's OAuth 2.0 resource server. A bearer token's {@code tenant_id}
 * claim names the tenant; so may the subdomain, the {@code /t/{tenant}} path and the {@code X-Tenant-Id}
 * header, and when two of them disagree Tenantry refuses the request (403). The tenant administration
 * under {@code /admin} needs a token with the scope {@code tenants:admin} (Spring Security turns the
 * {@code scope} claim into {@code SCOPE_...} authorities).
 *
 * <p><b>Demo only:</b> tokens are checked with a shared HMAC secret from
 * {@code cardvault.security.jwt-secret}, and vault requests without a token are let in. A real deployment
 * points {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} at its identity provider and
 * requires authentication.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/admin/**").hasAuthority("SCOPE_tenants:admin")
                        .anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .oauth2ResourceServer(server -> server.jwt(Customizer.withDefaults()))
                .build();
    }

    @Bean
    JwtDecoder jwtDecoder(@Value("${cardvault.security.jwt-secret}") String secret) {
        return NimbusJwtDecoder.withSecretKey(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
                .build();
    }
}
