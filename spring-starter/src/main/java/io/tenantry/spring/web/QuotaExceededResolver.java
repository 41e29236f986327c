package io.tenantry.spring.web;

import io.tenantry.QuotaExceededException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Answers a request whose handler ran into a tenant's quota ({@link QuotaExceededException}, also when a data
 * access layer wrapped it, as Spring's JDBC translation does) with 403 and a problem detail that names the
 * quota, its limit and the usage. Registered after Spring MVC's own resolvers, so that an application's
 * {@code @ExceptionHandler} for it wins.
 */
final class QuotaExceededResolver implements HandlerExceptionResolver {

    private static final Logger LOG = LoggerFactory.getLogger(QuotaExceededResolver.class);

    /** How deep a cause chain is searched; a chain deeper than this is not a wrapped refusal. */
    private static final int MAX_DEPTH = 16;

    @Override
    public @Nullable ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response,
            @Nullable Object handler, Exception failure) {
        QuotaExceededException refusal = find(failure);
        if (refusal == null || response.isCommitted()) {
            return null;
        }
        LOG.debug("Refused {} {}: {}", request.getMethod(), request.getRequestURI(), refusal.getMessage());
        try {
            response.resetBuffer();
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            response.setContentType(ProblemDetailsRejectionHandler.PROBLEM_JSON);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write(problem(refusal, request.getRequestURI()));
            response.flushBuffer();
        } catch (IOException e) {
            LOG.debug("Could not answer a quota refusal: {}", e.toString());
        }
        return new ModelAndView();
    }

    static String problem(QuotaExceededException refusal, String instance) {
        return "{\"type\":\"urn:tenantry:problem:quota-exceeded\",\"title\":\"Quota exceeded\",\"status\":403"
                + ",\"detail\":" + ProblemDetailsRejectionHandler.quote(String.valueOf(refusal.getMessage()))
                + ",\"instance\":" + ProblemDetailsRejectionHandler.quote(instance)
                + ",\"quota\":" + ProblemDetailsRejectionHandler.quote(refusal.quota().key())
                + ",\"limit\":" + refusal.limit() + ",\"usage\":" + refusal.usage() + "}";
    }

    private static @Nullable QuotaExceededException find(Throwable failure) {
        Throwable at = failure;
        for (int depth = 0; at != null && depth < MAX_DEPTH; depth++) {
            if (at instanceof QuotaExceededException refusal) {
                return refusal;
            }
            at = at.getCause();
        }
        return null;
    }
}
