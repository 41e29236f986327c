package io.tenantry.spring.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The {@code tenantry.web.*} properties: the servlet filter that binds each request's tenant. */
@ConfigurationProperties("tenantry.web")
public class TenantryWebProperties {

    /** Whether each servlet request is resolved, checked and bound to its tenant by the tenant filter. */
    private boolean enabled = true;

    /**
     * Request paths (path patterns, within the application) served without a tenant, in addition to the
     * default excluded paths.
     */
    private List<String> excludedPaths = new ArrayList<>();

    /**
     * Request paths served without a tenant unless removed here: the actuator (so that health probes
     * never need a tenant), the error page and static resources. Set it to an empty list to remove them.
     */
    private List<String> defaultExcludedPaths = new ArrayList<>(List.of("/actuator/**", "/error", "/favicon.ico",
            "/css/**", "/js/**", "/images/**", "/webjars/**"));

    /**
     * Order of the tenant filter; unset places it just after the Spring Security filter chain
     * (spring.security.filter.order + 10), so that token claims are known.
     */
    private @Nullable Integer filterOrder;

    /** Retry-After sent with the 503 answer to a write for a read-only tenant (one being moved). */
    private Duration retryAfter = Duration.ofSeconds(30);

    /**
     * Which callers get one and the same answer (403, without detail) whether the tenant a request names
     * is unknown, suspended, deleted or in conflict with another source, so that they cannot tell which
     * tenants exist; the detail is logged instead.
     */
    private ConcealTenants concealTenants = ConcealTenants.UNAUTHENTICATED;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public List<String> getExcludedPaths() {
        return excludedPaths;
    }

    public void setExcludedPaths(List<String> excludedPaths) {
        this.excludedPaths = excludedPaths;
    }

    public List<String> getDefaultExcludedPaths() {
        return defaultExcludedPaths;
    }

    public void setDefaultExcludedPaths(List<String> defaultExcludedPaths) {
        this.defaultExcludedPaths = defaultExcludedPaths;
    }

    /** The paths served without a tenant: the default excluded paths, then the excluded paths, once each. */
    public List<String> effectiveExcludedPaths() {
        List<String> all = new ArrayList<>(defaultExcludedPaths);
        excludedPaths.stream().filter(path -> !all.contains(path)).forEach(all::add);
        return all;
    }

    public @Nullable Integer getFilterOrder() {
        return filterOrder;
    }

    public void setFilterOrder(@Nullable Integer filterOrder) {
        this.filterOrder = filterOrder;
    }

    public Duration getRetryAfter() {
        return retryAfter;
    }

    public void setRetryAfter(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    public ConcealTenants getConcealTenants() {
        return concealTenants;
    }

    public void setConcealTenants(ConcealTenants concealTenants) {
        this.concealTenants = concealTenants;
    }

    /** Which callers cannot tell an unknown tenant from one they may not use. */
    public enum ConcealTenants {

        /**
         * Callers that are not authenticated (with Spring Security: no authenticated, non-anonymous
         * Authentication); authenticated callers get the detailed answers.
         */
        UNAUTHENTICATED,

        /** Every caller, e.g. when authenticated callers are not bound to one tenant by a claim. */
        ALWAYS,

        /** No caller: every refusal says what is wrong (404 for an unknown tenant, 403 for a suspended one). */
        NEVER
    }
}
