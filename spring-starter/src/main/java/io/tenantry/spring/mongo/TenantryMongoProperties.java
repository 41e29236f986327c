package io.tenantry.spring.mongo;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The {@code tenantry.mongodb.*} properties: the MongoDB adapter's clusters and settings. */
@ConfigurationProperties("tenantry.mongodb")
public class TenantryMongoProperties {

    /** Whether Tenantry's MongoDB wiring (TenantMongo, its clusters and provisioning) is active. */
    private boolean enabled = true;

    /**
     * MongoDB clusters by name, each a connection string; routing rules name them as their store.
     * When empty, the application's own MongoClient (spring.mongodb.*) is the single cluster "main".
     */
    private Map<String, String> clusters = new LinkedHashMap<>();

    /**
     * Name of the field that tells tenants apart on the field model, e.g. "tenantId" or "user_id";
     * required when a routing rule uses the field model.
     */
    private @Nullable String tenantField;

    /** Whether the placements of all catalogue tenants (collections, indexes) are created at start-up. */
    private boolean provisionOnStartup = true;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Map<String, String> getClusters() {
        return clusters;
    }

    public void setClusters(Map<String, String> clusters) {
        this.clusters = clusters;
    }

    public @Nullable String getTenantField() {
        return tenantField;
    }

    public void setTenantField(@Nullable String tenantField) {
        this.tenantField = tenantField;
    }

    public boolean isProvisionOnStartup() {
        return provisionOnStartup;
    }

    public void setProvisionOnStartup(boolean provisionOnStartup) {
        this.provisionOnStartup = provisionOnStartup;
    }
}
