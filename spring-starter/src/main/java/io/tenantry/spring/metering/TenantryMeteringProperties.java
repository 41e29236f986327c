package io.tenantry.spring.metering;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The {@code tenantry.metering.*} properties: measuring tenants' usage, its history and its gauges. */
@ConfigurationProperties("tenantry.metering")
public class TenantryMeteringProperties {

    /** Whether every tenant's documents or rows and bytes, per collection or table, are measured on a schedule. */
    private boolean enabled = true;

    /** How often every tenant is measured. */
    private Duration interval = Duration.ofMinutes(15);

    /** How long after start-up the first measurement runs. */
    private Duration initialDelay = Duration.ofSeconds(10);

    /** Most tenants measured at the same time; each takes a connection or a query of its store while measured. */
    private int parallelism = 2;

    /**
     * Most tenants with a tag value of their own on the gauges tenantry.tenant.items and tenantry.tenant.bytes:
     * the largest by bytes at each measurement; the others are summed under the tag value "other".
     */
    private int maxTaggedTenants = 100;

    private final History history = new History();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getInterval() {
        return interval;
    }

    public void setInterval(Duration interval) {
        this.interval = interval;
    }

    public Duration getInitialDelay() {
        return initialDelay;
    }

    public void setInitialDelay(Duration initialDelay) {
        this.initialDelay = initialDelay;
    }

    public int getParallelism() {
        return parallelism;
    }

    public void setParallelism(int parallelism) {
        this.parallelism = parallelism;
    }

    public int getMaxTaggedTenants() {
        return maxTaggedTenants;
    }

    public void setMaxTaggedTenants(int maxTaggedTenants) {
        this.maxTaggedTenants = maxTaggedTenants;
    }

    public History getHistory() {
        return history;
    }

    /** The {@code tenantry.metering.history.*} properties: every measurement kept in the control plane. */
    public static class History {

        /**
         * Whether each measurement is kept in the control plane, beside the catalogue (table or collection
         * tenant_usage_history); unset means yes when the catalogue is in a store (tenantry.directory.source
         * jdbc or mongodb).
         */
        private @Nullable Boolean enabled;

        /** How long measurements are kept; older ones are purged at each measurement. 0 keeps every one. */
        private Duration retention = Duration.ofDays(90);

        public @Nullable Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(@Nullable Boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getRetention() {
            return retention;
        }

        public void setRetention(Duration retention) {
            this.retention = retention;
        }
    }
}
