package io.tenantry.spring.actuate;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The {@code tenantry.metrics.*} properties: Micrometer metrics tagged by tenant. */
@ConfigurationProperties("tenantry.metrics")
public class TenantryMetricsProperties {

    /** Whether requests are counted per tenant (meter "tenantry.requests"). */
    private boolean enabled = true;

    /** Most distinct tenant tag values per meter; later tenants are tagged "other". */
    private int maxTenantTags = 100;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getMaxTenantTags() {
        return maxTenantTags;
    }

    public void setMaxTenantTags(int maxTenantTags) {
        this.maxTenantTags = maxTenantTags;
    }
}
