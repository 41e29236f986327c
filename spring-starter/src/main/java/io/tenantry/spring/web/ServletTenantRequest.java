package io.tenantry.spring.web;

import io.tenantry.TenantRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;

/** A servlet request seen as a {@link TenantRequest}: its headers, host, path within the application, and claims. */
final class ServletTenantRequest implements TenantRequest {

    private final HttpServletRequest request;
    private final RequestClaims claims;

    ServletTenantRequest(HttpServletRequest request, RequestClaims claims) {
        this.request = request;
        this.claims = claims;
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(request.getHeader(name));
    }

    /** The server name, which is the Host header unless a trusted proxy's forwarded headers say otherwise. */
    @Override
    public List<String> headers(String name) {
        Enumeration<String> values = request.getHeaders(name);
        return values == null ? List.of() : Collections.list(values);
    }

    @Override
    public Optional<String> host() {
        return Optional.ofNullable(request.getServerName()).filter(host -> !host.isEmpty());
    }

    @Override
    public String path() {
        return pathWithinApplication(request);
    }

    @Override
    public Optional<String> claim(String name) {
        return claims.claim(request, name);
    }

    /** Returns the request path without the context path, starting with {@code /}; not decoded. */
    static String pathWithinApplication(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        String path = context != null && !context.isEmpty() && uri.startsWith(context)
                ? uri.substring(context.length()) : uri;
        return path.isEmpty() ? "/" : path;
    }

    @Override
    public String toString() {
        return "ServletTenantRequest{" + request.getMethod() + " " + request.getRequestURI() + "}";
    }
}
