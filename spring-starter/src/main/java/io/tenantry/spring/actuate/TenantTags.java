package io.tenantry.spring.actuate;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the number of distinct tenant tag values a metric may carry: the first {@code limit}
 * tenants seen keep their own value, every later one is tagged {@value #OTHER}, so a service with
 * thousands of tenants cannot flood the metrics backend with time series. Thread-safe; under a race
 * the bound may be exceeded by at most the number of racing threads.
 */
final class TenantTags {

    /** The tag value of tenants beyond the limit. */
    static final String OTHER = "other";

    private final int limit;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();

    TenantTags(int limit) {
        this.limit = limit;
    }

    /** Returns the tag value for {@code tenant}: itself while there is room or once admitted, {@value #OTHER} otherwise. */
    String valueOf(String tenant) {
        if (admitted.contains(tenant)) {
            return tenant;
        }
        if (admitted.size() < limit) {
            admitted.add(tenant);
            return tenant;
        }
        return OTHER;
    }
}
