package io.tenantry.spring.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The {@code tenantry.audit.*} properties: where audit events go, and how long a store keeps them. */
@ConfigurationProperties("tenantry.audit")
public class TenantryAuditProperties {

    /**
     * Where audit events (tenant lifecycle, system scopes) go: log (the io.tenantry.audit logger), jdbc (a table
     * of the control-plane database) or mongodb (a collection of the catalogue's administration database).
     */
    private AuditStore store = AuditStore.LOG;

    /** How long stored events are kept; older ones are purged every purge-interval. 0 keeps every event. */
    private Duration retention = Duration.ofDays(90);

    /** How often stored events older than the retention are purged, the first time at start-up. */
    private Duration purgeInterval = Duration.ofHours(1);

    /**
     * Table of the control-plane database that holds the events when the store is jdbc, optionally
     * schema-qualified (control.tenant_audit).
     */
    private String table = "tenant_audit";

    /**
     * Collection that holds the events when the store is mongodb, in tenantry.directory.mongodb.database on
     * cluster tenantry.directory.mongodb.cluster.
     */
    private String collection = "tenant_audit";

    public AuditStore getStore() {
        return store;
    }

    public void setStore(AuditStore store) {
        this.store = store;
    }

    public Duration getRetention() {
        return retention;
    }

    public void setRetention(Duration retention) {
        this.retention = retention;
    }

    public Duration getPurgeInterval() {
        return purgeInterval;
    }

    public void setPurgeInterval(Duration purgeInterval) {
        this.purgeInterval = purgeInterval;
    }

    public String getTable() {
        return table;
    }

    public void setTable(String table) {
        this.table = table;
    }

    public String getCollection() {
        return collection;
    }

    public void setCollection(String collection) {
        this.collection = collection;
    }

    /** Where audit events go. */
    public enum AuditStore {
        /** SLF4J logger {@code io.tenantry.audit}, at INFO. */
        LOG,
        /** Table {@code tenantry.audit.table} of the JDBC wiring's control-plane database. */
        JDBC,
        /** Collection {@code tenantry.audit.collection} of the MongoDB catalogue's administration database. */
        MONGODB
    }
}
