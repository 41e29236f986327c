package io.tenantry.spring.web;

import io.tenantry.TenantResolutionException;
import io.tenantry.TenantStatus;
import io.tenantry.TenantUnavailableException;
import io.tenantry.TenantryException;
import io.tenantry.UnknownTenantException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The default {@link TenantRejectionHandler}: RFC 9457 problem details
 * ({@code application/problem+json} with type, title, status, detail and instance).
 *
 * <ul>
 *   <li>missing or malformed tenant: 400;
 *   <li>unknown tenant: 404;
 *   <li>suspended or deleted tenant: 403;
 *   <li>a write for a read-only tenant: 503 with {@code Retry-After};
 *   <li>sources naming different tenants (a header against a token): 403.
 * </ul>
 */
final class ProblemDetailsRejectionHandler implements TenantRejectionHandler {

    /** The media type of problem details. */
    static final String PROBLEM_JSON = "application/problem+json";

    private static final String TYPE_PREFIX = "urn:tenantry:problem:";

    private final long retryAfterSeconds;

    ProblemDetailsRejectionHandler(Duration retryAfter) {
        this.retryAfterSeconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    @Override
    public void reject(HttpServletRequest request, HttpServletResponse response, TenantryException failure)
            throws IOException {
        Problem problem = problemOf(failure);
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(problem.status);
        if (problem.status == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
            response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
        }
        response.setContentType(PROBLEM_JSON);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        String json = "{\"type\":" + quote(TYPE_PREFIX + problem.type) + ",\"title\":" + quote(problem.title)
                + ",\"status\":" + problem.status + ",\"detail\":" + quote(String.valueOf(failure.getMessage()))
                + ",\"instance\":" + quote(request.getRequestURI()) + "}";
        response.getWriter().write(json);
        response.flushBuffer();
    }

    private static Problem problemOf(TenantryException failure) {
        if (failure instanceof TenantResolutionException) {
            switch (((TenantResolutionException) failure).reason()) {
                case MISSING:
                    return new Problem(400, "tenant-missing", "Tenant missing");
                case MALFORMED:
                    return new Problem(400, "tenant-malformed", "Tenant malformed");
                default:
                    return new Problem(403, "tenant-conflict", "Conflicting tenants");
            }
        }
        if (failure instanceof UnknownTenantException) {
            return new Problem(404, "tenant-unknown", "Unknown tenant");
        }
        if (failure instanceof TenantUnavailableException
                && ((TenantUnavailableException) failure).status() == TenantStatus.READ_ONLY) {
            return new Problem(503, "tenant-read-only", "Tenant read-only");
        }
        return new Problem(403, "tenant-unavailable", "Tenant unavailable");
    }

    /** Returns {@code value} as a JSON string literal. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"').toString();
    }

    private static final class Problem {
        final int status;
        final String type;
        final String title;

        Problem(int status, String type, String title) {
            this.status = status;
            this.type = type;
            this.title = title;
        }
    }
}
