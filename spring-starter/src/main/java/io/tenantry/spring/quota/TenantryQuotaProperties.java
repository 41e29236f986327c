package io.tenantry.spring.quota;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** The {@code tenantry.quotas.*} properties: what each tenant may hold, by tier, and where usage is counted. */
@ConfigurationProperties("tenantry.quotas")
public class TenantryQuotaProperties {

    /**
     * Whether each tenant's writes are checked against its tier's quotas (and its quota.* attributes); a write
     * past a quota is refused with QuotaExceededException, answered 403 over HTTP.
     */
    private boolean enabled;

    /** Quotas by tenant tier, e.g. free -> items.cards 100, bytes 10MB; a tier not listed has no quotas. */
    private Map<String, Tier> tiers = new LinkedHashMap<>();

    /**
     * Where the running usage counts are kept: memory (per instance), jdbc (the JDBC control plane) or mongodb
     * (the MongoDB administration database). Instances behind one load balancer need a shared store.
     */
    private LedgerStore ledger = LedgerStore.MEMORY;

    /** Shortest time between two audit records of one tenant's refusals under the same quota. */
    private Duration auditInterval = Duration.ofMinutes(1);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Map<String, Tier> getTiers() {
        return tiers;
    }

    public void setTiers(Map<String, Tier> tiers) {
        this.tiers = tiers;
    }

    public LedgerStore getLedger() {
        return ledger;
    }

    public void setLedger(LedgerStore ledger) {
        this.ledger = ledger;
    }

    public Duration getAuditInterval() {
        return auditInterval;
    }

    public void setAuditInterval(Duration auditInterval) {
        this.auditInterval = auditInterval;
    }

    /** Where the running usage counts are kept. */
    public enum LedgerStore {
        /** In this instance's memory: right for one instance; N instances may admit up to N times a limit. */
        MEMORY,
        /** A table of the JDBC control plane, shared by every instance. */
        JDBC,
        /** A collection of the MongoDB administration database, shared by every instance. */
        MONGODB
    }

    /** The quotas of one tier. */
    public static class Tier {

        /** Most documents of a collection (rows of a table) per tenant, by the collection's or table's name. */
        private Map<String, Long> items = new LinkedHashMap<>();

        /** Most storage bytes of all of a tenant's data, as metering measures them. */
        private @Nullable DataSize bytes;

        /** Most of an application counter per tenant (moved by TenantQuotas.acquire and release), by name. */
        private Map<String, Long> counters = new LinkedHashMap<>();

        public Map<String, Long> getItems() {
            return items;
        }

        public void setItems(Map<String, Long> items) {
            this.items = items;
        }

        public @Nullable DataSize getBytes() {
            return bytes;
        }

        public void setBytes(@Nullable DataSize bytes) {
            this.bytes = bytes;
        }

        public Map<String, Long> getCounters() {
            return counters;
        }

        public void setCounters(Map<String, Long> counters) {
            this.counters = counters;
        }
    }
}
