package io.tenantry.spring.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * What the dashboard's pages need from the security in front of them: the CSRF token its writes carry. With
 * Spring Security it is the token of the dashboard's filter chain; without, there is none, and the dashboard's
 * writes rely on being JSON, which a page of another site cannot send without the CORS preflight the
 * dashboard never answers.
 */
interface DashboardSecurity {

    /** No security: no login page, no token. */
    DashboardSecurity NONE = request -> null;

    /** Returns the CSRF token of {@code request}, or null when there is none to send. */
    @Nullable CsrfToken csrf(HttpServletRequest request);

    /** Whether the dashboard has a login page of its own ({@code <path>/login}). */
    default boolean hasLoginPage() {
        return true;
    }

    /**
     * A CSRF token as a page sends it back.
     *
     * @param headerName the header that carries it on a JSON request
     * @param parameterName the form field that carries it on a form post (the login form)
     * @param token its value
     */
    record CsrfToken(String headerName, String parameterName, String token) {
    }
}
