package io.tenantry.spring.web;

import io.tenantry.TenantId;
import io.tenantry.TenantResolutionException;
import io.tenantry.TenantStatus;
import io.tenantry.TenantUnavailableException;
import io.tenantry.TenantryException;
import io.tenantry.UnknownTenantException;
import io.tenantry.spring.web.TenantryWebProperties.ConcealTenants;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *
 * <p>For a caller from whom tenants are concealed ({@code tenantry.web.conceal-tenants}), an unknown,
 * suspended, deleted or conflicting tenant gets one answer, 403 {@code tenant-refused} with a fixed
 * detail, which depends on the request alone and never on the catalogue; the exception's message,
 * written for operators, is logged at INFO instead. Missing and malformed tenants keep their 400: they
 * say what is wrong with the request, not with a tenant. A write for a read-only tenant keeps its 503
 * and {@code Retry-After}, with a fixed detail, so that clients retry it after the move: a read-only
 * tenant admits reads, so any read already shows that it exists, and the 503 tells nothing more than
 * that writes are paused.
 */
final class ProblemDetailsRejectionHandler implements TenantRejectionHandler {

    /** The media type of problem details. */
    static final String PROBLEM_JSON = "application/problem+json";

    private static final Logger LOG = LoggerFactory.getLogger(ProblemDetailsRejectionHandler.class);

    private static final String TYPE_PREFIX = "urn:tenantry:problem:";

    private static final Problem REFUSED = new Problem(403, "tenant-refused", "Tenant refused", false);
    private static final String REFUSED_DETAIL =
            "The tenant named by this request does not exist or is not available to this caller.";

    private static final Problem PAUSED = new Problem(503, "tenant-read-only", "Tenant read-only", false);
    private static final String PAUSED_DETAIL =
            "The tenant accepts no changes at the moment; retry after the time in Retry-After.";

    private final long retryAfterSeconds;
    private final ConcealTenants conceal;
    private final RequestAuthentication authentication;

    ProblemDetailsRejectionHandler(Duration retryAfter, ConcealTenants conceal, RequestAuthentication authentication) {
        this.retryAfterSeconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        this.conceal = Objects.requireNonNull(conceal, "conceal");
        this.authentication = Objects.requireNonNull(authentication, "authentication");
    }

    @Override
    public void reject(HttpServletRequest request, HttpServletResponse response, TenantryException failure)
            throws IOException {
        Problem problem = problemOf(failure);
        String detail = String.valueOf(failure.getMessage());
        if (problem.concealable && concealsFrom(request)) {
            boolean paused = problem.status == HttpServletResponse.SC_SERVICE_UNAVAILABLE;
            Problem concealed = paused ? PAUSED : REFUSED;
            LOG.info("Refused {} {} for tenant {} ({}) with the concealed answer {} {}: {}", request.getMethod(),
                    printable(request.getRequestURI()), tenantOf(failure), problem.type, concealed.status,
                    concealed.type, printable(detail));
            problem = concealed;
            detail = paused ? PAUSED_DETAIL : REFUSED_DETAIL;
        }
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
                + ",\"status\":" + problem.status + ",\"detail\":" + quote(detail)
                + ",\"instance\":" + quote(request.getRequestURI()) + "}";
        response.getWriter().write(json);
        response.flushBuffer();
    }

    private boolean concealsFrom(HttpServletRequest request) {
        switch (conceal) {
            case ALWAYS:
                return true;
            case NEVER:
                return false;
            default:
                return !authentication.isAuthenticated(request);
        }
    }

    private static String tenantOf(TenantryException failure) {
        @Nullable TenantId id = null;
        if (failure instanceof UnknownTenantException) {
            id = ((UnknownTenantException) failure).tenantId();
        } else if (failure instanceof TenantUnavailableException) {
            id = ((TenantUnavailableException) failure).tenantId();
        }
        return id == null ? "-" : "\"" + id.value() + "\"";
    }

    /** Returns {@code text} with control characters replaced, so that a log line stays one line. */
    private static String printable(@Nullable String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }

    private static Problem problemOf(TenantryException failure) {
        if (failure instanceof TenantResolutionException) {
            switch (((TenantResolutionException) failure).reason()) {
                case MISSING:
                    return new Problem(400, "tenant-missing", "Tenant missing", false);
                case MALFORMED:
                    return new Problem(400, "tenant-malformed", "Tenant malformed", false);
                default:
                    return new Problem(403, "tenant-conflict", "Conflicting tenants", true);
            }
        }
        if (failure instanceof UnknownTenantException) {
            return new Problem(404, "tenant-unknown", "Unknown tenant", true);
        }
        if (failure instanceof TenantUnavailableException
                && ((TenantUnavailableException) failure).status() == TenantStatus.READ_ONLY) {
            return new Problem(503, "tenant-read-only", "Tenant read-only", true);
        }
        return new Problem(403, "tenant-unavailable", "Tenant unavailable", true);
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
        /** Whether the answer would tell a caller from whom tenants are concealed something about a tenant. */
        final boolean concealable;

        Problem(int status, String type, String title, boolean concealable) {
            this.status = status;
            this.type = type;
            this.title = title;
            this.concealable = concealable;
        }
    }
}
