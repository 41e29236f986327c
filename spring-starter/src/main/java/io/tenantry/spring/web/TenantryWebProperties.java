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
}
