package io.tenantry.spring.web.app;

import io.tenantry.spring.NoSqlDatabase;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.MDC;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A tiny application as a user would write it: controllers and an {@code @Async} service that read
 * the current tenant, an OAuth 2.0 resource server whose tokens carry a {@code tenant_id} claim, and
 * no Tenantry code at all besides reading {@link TenantContext}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = NoSqlDatabase.DATA_SOURCE)
@EnableAsync
@Import({WebTestApplication.TenantController.class, WebTestApplication.AsyncWork.class})
public class WebTestApplication {

    /**
     * Decodes the test tokens {@code tenant.<id>} (a token whose {@code tenant_id} claim is
     * {@code <id>}) and {@code no-tenant} (a valid token without the claim); anything else is refused
     * as Spring Security refuses a bad signature.
     */
    @Bean
    JwtDecoder jwtDecoder() {
        return token -> {
            Jwt.Builder jwt = Jwt.withTokenValue(token).header("alg", "none").subject("user")
                    .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(600));
            if (token.startsWith("tenant.")) {
                return jwt.claim("tenant_id", token.substring("tenant.".length())).build();
            }
            if (token.equals("no-tenant")) {
                return jwt.build();
            }
            throw new BadJwtException("Unknown test token");
        };
    }

    /** A stateless API: bearer tokens, no sessions, so no CSRF tokens; every path open to anyone. */
    @Bean
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .oauth2ResourceServer(server -> server.jwt(Customizer.withDefaults()))
                .build();
    }

    @RestController
    static class TenantController {

        private final AsyncWork async;

        TenantController(AsyncWork async) {
            this.async = async;
        }

        @GetMapping({"/whoami", "/t/{tenant}/whoami"})
        Map<String, String> whoami() {
            Map<String, String> answer = new LinkedHashMap<>();
            answer.put("tenant", TenantContext.current().value());
            answer.put("mdc", String.valueOf(MDC.get(TenantContext.MDC_KEY)));
            return answer;
        }

        @PostMapping("/cards")
        Map<String, String> create() {
            return Map.of("created", TenantContext.current().value());
        }

        @GetMapping("/async")
        Map<String, String> async() throws Exception {
            return async.whoAmI().get();
        }

        @GetMapping("/boom")
        String boom() {
            throw new IllegalStateException("boom for " + TenantContext.current());
        }

        @GetMapping("/public/bound")
        Map<String, String> bound() {
            return Map.of("tenant", TenantContext.find().map(TenantId::value).orElse("none"),
                    "thread", Thread.currentThread().getName());
        }
    }

    @Service
    static class AsyncWork {

        @Async
        CompletableFuture<Map<String, String>> whoAmI() {
            return CompletableFuture.completedFuture(Map.of("tenant",
                    TenantContext.find().map(TenantId::value).orElse("none"), "thread", Thread.currentThread().getName()));
        }
    }
}
