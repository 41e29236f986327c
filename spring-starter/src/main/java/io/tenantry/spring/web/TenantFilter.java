package io.tenantry.spring.web;

import io.tenantry.Tenant;
import io.tenantry.TenantAdmission;
import io.tenantry.TenantContext;
import io.tenantry.TenantResolutionException;
import io.tenantry.TenantScope;
import io.tenantry.TenantUnavailableException;
import io.tenantry.TenantryException;
import io.tenantry.UnknownTenantException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.springframework.http.server.PathContainer;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Binds each servlet request to its tenant: builds a {@link io.tenantry.TenantRequest} from the
 * request (headers, host, path, the authenticated principal's claims), lets {@link TenantAdmission}
 * resolve it, look it up and check its status, and binds the tenant (and the MDC) for the rest of the
 * chain, unbinding it when the request ends, however it ends. Refused requests are answered by the
 * {@link TenantRejectionHandler} and go no further. Requests with a method other than GET, HEAD,
 * OPTIONS and TRACE count as writes, which read-only tenants may not do. Paths matching an excluded
 * pattern pass through without a tenant. The admitted {@link Tenant} is also left in the request
 * attribute {@value #TENANT_ATTRIBUTE}, for filters behind this one (such as the rate limits).
 *
 * <p>Async dispatches are bound again (the tenant is resolved anew from the same request).
 * Thread-safe.
 */
public final class TenantFilter extends OncePerRequestFilter {

    /**
     * The request attribute that holds the admitted {@link Tenant} while the tenant is bound; absent when
     * the request has none.
     */
    public static final String TENANT_ATTRIBUTE = "io.tenantry.spring.web.TenantFilter.tenant";

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final TenantAdmission admission;
    private final RequestClaims claims;
    private final TenantRejectionHandler rejections;
    private final List<TenantRequestListener> listeners;
    private final List<PathPattern> excluded;

    /**
     * Creates the filter.
     *
     * @param excludedPaths path patterns ({@link PathPatternParser} syntax) served without a tenant
     */
    public TenantFilter(TenantAdmission admission, RequestClaims claims, TenantRejectionHandler rejections,
            List<TenantRequestListener> listeners, List<String> excludedPaths) {
        this.admission = Objects.requireNonNull(admission, "admission");
        this.claims = Objects.requireNonNull(claims, "claims");
        this.rejections = Objects.requireNonNull(rejections, "rejections");
        this.listeners = List.copyOf(listeners);
        this.excluded = excludedPaths.stream().map(PathPatternParser.defaultInstance::parse).toList();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        if (excluded.isEmpty()) {
            return false;
        }
        PathContainer path = PathContainer.parsePath(ServletTenantRequest.pathWithinApplication(request));
        return excluded.stream().anyMatch(pattern -> pattern.matches(path));
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean firstDispatch = !isAsyncDispatch(request);
        Tenant tenant;
        try {
            tenant = admission.admit(new ServletTenantRequest(request, claims), isWrite(request));
        } catch (TenantResolutionException | UnknownTenantException | TenantUnavailableException e) {
            if (firstDispatch) {
                notifyRefused(request, e);
            }
            rejections.reject(request, response, e);
            return;
        }
        request.setAttribute(TENANT_ATTRIBUTE, tenant);
        TenantScope scope = TenantContext.open(tenant.id());
        try {
            if (firstDispatch) {
                notifyAdmitted(request, tenant);
            }
            chain.doFilter(request, response);
        } finally {
            request.removeAttribute(TENANT_ATTRIBUTE);
            scope.close();
        }
    }

    /** Returns whether {@code request} may change data: any method but GET, HEAD, OPTIONS and TRACE. */
    static boolean isWrite(HttpServletRequest request) {
        return !SAFE_METHODS.contains(request.getMethod());
    }

    private void notifyAdmitted(HttpServletRequest request, Tenant tenant) {
        for (TenantRequestListener listener : listeners) {
            listener.admitted(request, tenant);
        }
    }

    private void notifyRefused(HttpServletRequest request, TenantryException failure) {
        for (TenantRequestListener listener : listeners) {
            listener.refused(request, failure);
        }
    }
}
