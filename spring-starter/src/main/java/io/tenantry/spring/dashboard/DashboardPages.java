package io.tenantry.spring.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.util.HtmlUtils;

/**
 * The dashboard's routes: one static page, its script and style sheet (read once from the class path), the
 * login page when Spring Security signs users in, and the JSON of {@link DashboardApi}. Every answer forbids
 * inline script and framing (Content-Security-Policy), so that data that slipped into markup could not run.
 */
final class DashboardPages {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static final MediaType JAVASCRIPT = new MediaType("text", "javascript", StandardCharsets.UTF_8);
    private static final MediaType CSS = new MediaType("text", "css", StandardCharsets.UTF_8);
    private static final MediaType HTML = new MediaType("text", "html", StandardCharsets.UTF_8);

    private final String index = read("index.html");
    private final String script = read("dashboard.js");
    private final String style = read("dashboard.css");
    private final String login = read("login.html");

    private DashboardPages() {
    }

    /** Returns every route of a dashboard at {@code path} (normalised: a leading slash, no trailing one). */
    static RouterFunction<ServerResponse> routes(String path, DashboardApi api, DashboardSecurity security) {
        DashboardPages pages = new DashboardPages();
        RouterFunctions.Builder routes = RouterFunctions.route()
                .GET(path, request -> ServerResponse.seeOther(URI.create(
                        request.servletRequest().getContextPath() + path + "/")).build())
                .GET(path + "/", request -> pages.answer(HTML, pages.index))
                .GET(path + "/dashboard.js", request -> pages.answer(JAVASCRIPT, pages.script))
                .GET(path + "/dashboard.css", request -> pages.answer(CSS, pages.style))
                .GET(path + "/api/session", api::session)
                .GET(path + "/api/tenants", api::tenants)
                .GET(path + "/api/tenants/{id}", api::tenant)
                .POST(path + "/api/tenants/{id}", RequestPredicates.contentType(MediaType.APPLICATION_JSON), api::act);
        if (security.hasLoginPage()) {
            routes.GET(path + "/login", request -> pages.login(request, security));
        }
        return routes.build();
    }

    private ServerResponse login(ServerRequest request, DashboardSecurity security) {
        DashboardSecurity.CsrfToken csrf = security.csrf(request.servletRequest());
        String message = request.param("error").isPresent() ? "Wrong user name or password."
                : request.param("logout").isPresent() ? "Signed out." : "";
        String page = login.replace("{{message}}", HtmlUtils.htmlEscape(message))
                .replace("{{csrfParameter}}", HtmlUtils.htmlEscape(csrf == null ? "_csrf" : csrf.parameterName()))
                .replace("{{csrfToken}}", HtmlUtils.htmlEscape(csrf == null ? "" : csrf.token()));
        return answer(HTML, page);
    }

    private ServerResponse answer(MediaType type, String body) {
        return ServerResponse.ok().contentType(type).header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff").header("Cache-Control", "no-store").body(body);
    }

    private static String read(String name) {
        try (InputStream in = DashboardPages.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("The dashboard's " + name + " is missing from the class path, next to "
                        + DashboardPages.class.getName() + "; the starter's jar is incomplete.");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
