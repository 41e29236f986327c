package io.tenantry.spring.cache;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The {@code tenantry.caching.*} properties: Spring's cache abstraction, confined to the tenant. */
@ConfigurationProperties("tenantry.caching")
public class TenantryCachingProperties {

    /** Whether the entries of Spring's caches (@Cacheable, @CachePut, @CacheEvict) are kept per tenant. */
    private boolean tenantScoped = true;

    /** Caches whose entries every tenant shares (reference data), by name. */
    private List<String> sharedCaches = new ArrayList<>();

    public boolean isTenantScoped() {
        return tenantScoped;
    }

    public void setTenantScoped(boolean tenantScoped) {
        this.tenantScoped = tenantScoped;
    }

    public List<String> getSharedCaches() {
        return sharedCaches;
    }

    public void setSharedCaches(List<String> sharedCaches) {
        this.sharedCaches = sharedCaches;
    }
}
