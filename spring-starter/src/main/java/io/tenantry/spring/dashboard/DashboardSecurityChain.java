package io.tenantry.spring.dashboard;

import org.springframework.http.HttpStatus;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * The dashboard's own Spring Security filter chain: every request below the dashboard's path needs the
 * role, except the login page; a browser signs in with the dashboard's login form (or HTTP Basic), and the
 * JSON answers 401 rather than redirecting. CSRF protection stays on: the pages send the chain's token.
 */
final class DashboardSecurityChain {

    private DashboardSecurityChain() {
    }

    static SecurityFilterChain build(HttpSecurity http, String path, String role) throws Exception {
        String authority = "ROLE_" + (role.startsWith("ROLE_") ? role.substring("ROLE_".length()) : role);
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        return http.securityMatcher(paths.matcher(path + "/**"))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(paths.matcher(path + "/login"), paths.matcher(path + "/dashboard.css"))
                        .permitAll()
                        .anyRequest().hasAuthority(authority))
                .formLogin(form -> form.loginPage(path + "/login").defaultSuccessUrl(path + "/", false)
                        .failureUrl(path + "/login?error"))
                .logout(logout -> logout.logoutUrl(path + "/logout").logoutSuccessUrl(path + "/login?logout"))
                .httpBasic(Customizer.withDefaults())
                .exceptionHandling(errors -> errors.defaultAuthenticationEntryPointFor(
                        new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED), paths.matcher(path + "/api/**")))
                .build();
    }

    /** Reads the token Spring Security's CSRF filter put on the request, which also saves it for the session. */
    static DashboardSecurity csrf() {
        return request -> request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token
                ? new DashboardSecurity.CsrfToken(token.getHeaderName(), token.getParameterName(), token.getToken())
                : null;
    }
}
