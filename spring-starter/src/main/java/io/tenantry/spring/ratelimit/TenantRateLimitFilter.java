package io.tenantry.spring.ratelimit;

import io.tenantry.Tenant;
import io.tenantry.spring.ratelimit.TenantRateLimiter.Refusal;
import io.tenantry.spring.web.TenantFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies the tenants' rate limits to the requests the {@link TenantFilter} admitted, just behind it:
 * each such request takes a token from its tenant's bucket, and one that finds it empty gets 429 with
 * {@code Retry-After} (whole seconds, rounded up) and an RFC 9457 problem detail naming the limit, and
 * goes no further. Requests without a tenant (excluded paths) are never limited. Thread-safe.
 */
final class TenantRateLimitFilter extends OncePerRequestFilter {

    /** The media type of problem details. */
    static final String PROBLEM_JSON = "application/problem+json";

    /** The problem type of a refusal. */
    static final String TYPE = "urn:tenantry:problem:tenant-rate-limited";

    private static final Logger LOG = LoggerFactory.getLogger(TenantRateLimitFilter.class);

    private static final int TOO_MANY_REQUESTS = 429;

    private final TenantRateLimiter limiter;
    private final RateLimitRefusals refusals;

    TenantRateLimitFilter(TenantRateLimiter limiter, RateLimitRefusals refusals) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.refusals = Objects.requireNonNull(refusals, "refusals");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Refusal refusal = request.getAttribute(TenantFilter.TENANT_ATTRIBUTE) instanceof Tenant tenant
                ? limiter.tryAcquire(tenant) : null;
        if (refusal == null) {
            chain.doFilter(request, response);
            return;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("Refused {} {} for tenant {} (tier {}): {}; retry in {}", request.getMethod(),
                    request.getRequestURI().replaceAll("\\p{Cntrl}", "?"), refusal.tenant(), refusal.tier(),
                    refusal.limit(), refusal.retryIn());
        }
        refusals.refused(refusal);
        reject(request, response, refusal);
    }

    private static void reject(HttpServletRequest request, HttpServletResponse response, Refusal refusal)
            throws IOException {
        long retryAfter = refusal.retryAfterSeconds();
        response.resetBuffer();
        response.setStatus(TOO_MANY_REQUESTS);
        response.setHeader("Retry-After", Long.toString(retryAfter));
        response.setContentType(PROBLEM_JSON);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        String detail = "Tenant " + refusal.tenant() + " may make " + refusal.limit() + "; retry in " + retryAfter
                + " s.";
        response.getWriter().write("{\"type\":" + quote(TYPE) + ",\"title\":\"Too many requests\",\"status\":"
                + TOO_MANY_REQUESTS + ",\"detail\":" + quote(detail) + ",\"instance\":" + quote(request.getRequestURI())
                + "}");
        response.flushBuffer();
    }

    /** Returns {@code value} as a JSON string literal. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        value.chars().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').append((char) c);
            } else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.append((char) c);
            }
        });
        return out.append('"').toString();
    }
}
