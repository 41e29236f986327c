package io.tenantry.spring.audit;

import io.tenantry.TenantContext;
import io.tenantry.spi.AuditLog;
import io.tenantry.spi.AuditSink;
import io.tenantry.spring.InvalidTenantryConfigurationException;
import io.tenantry.spring.TenantryAutoConfiguration;
import io.tenantry.spring.audit.TenantryAuditProperties.AuditStore;
import io.tenantry.spring.jdbc.TenantryJdbcAutoConfiguration;
import io.tenantry.spring.mongo.TenantryMongoAutoConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;

/**
 * Audit: the application's {@link AuditSink} becomes {@link TenantContext}'s, so that tenant lifecycle events
 * and system scopes reach it. The sink is the application's own {@code AuditSink} bean if it has one; else, by
 * {@code tenantry.audit.store}, the SLF4J logger {@code io.tenantry.audit} ({@code log}), or the
 * {@link AuditLog} the JDBC or MongoDB wiring keeps in the control plane ({@code jdbc}, {@code mongodb}). An
 * {@code AuditLog} bean, whichever store it has, is purged of events older than {@code tenantry.audit.retention}.
 */
@AutoConfiguration(after = {TenantryAutoConfiguration.class, TenantryJdbcAutoConfiguration.class,
        TenantryMongoAutoConfiguration.class})
@EnableConfigurationProperties(TenantryAuditProperties.class)
public final class TenantryAuditAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(AuditSink.class)
    @ConditionalOnProperty(name = "tenantry.audit.store", havingValue = "log", matchIfMissing = true)
    AuditSink tenantryAuditSink() {
        return AuditSink.slf4j();
    }

    /** Not lazy: audited start-up work (lifecycle recovery) must find the sink in place. */
    @Bean(destroyMethod = "close")
    @Lazy(false)
    @ConditionalOnMissingBean
    AuditSinkInstallation tenantryAuditSinkInstallation(ObjectProvider<AuditSink> sinks,
            TenantryAuditProperties properties) {
        AuditSink sink = sinks.getIfUnique();
        if (sink == null) {
            List<AuditSink> all = sinks.orderedStream().toList();
            if (!all.isEmpty()) {
                throw new InvalidTenantryConfigurationException("tenantry.audit.store", store(properties),
                        "the application has " + all.size() + " AuditSink beans " + all + ", and Tenantry cannot tell"
                                + " which one TenantContext should send audit events to.",
                        "Mark one of them @Primary, or combine them into one AuditSink bean.");
            }
            throw missingStore(properties.getStore());
        }
        return new AuditSinkInstallation(sink);
    }

    @Bean(destroyMethod = "stop")
    @ConditionalOnBean(AuditLog.class)
    @ConditionalOnMissingBean
    AuditRetention tenantryAuditRetention(AuditLog log, TenantryAuditProperties properties) {
        Duration retention = properties.getRetention();
        if (retention.isNegative()) {
            throw new InvalidTenantryConfigurationException("tenantry.audit.retention", retention,
                    "a retention cannot be negative.", "Use a duration such as 90d, or 0 to keep every event.");
        }
        Duration interval = properties.getPurgeInterval();
        if (interval.toMillis() < 1) {
            throw new InvalidTenantryConfigurationException("tenantry.audit.purge-interval", interval,
                    "the purge runs every interval, which must be at least a millisecond.", "Use e.g. 1h.");
        }
        return new AuditRetention(log, retention, interval);
    }

    private static String store(TenantryAuditProperties properties) {
        return properties.getStore().name().toLowerCase(Locale.ROOT);
    }

    private static InvalidTenantryConfigurationException missingStore(AuditStore store) {
        return switch (store) {
            case JDBC -> new InvalidTenantryConfigurationException("tenantry.audit.store", "jdbc",
                    "the audit trail goes to the JDBC control plane, but Tenantry's JDBC wiring is not active.",
                    "Add tenantry-jdbc and spring-boot-starter-jdbc with spring.datasource.url (the control plane),"
                            + " and leave tenantry.jdbc.enabled on; or choose tenantry.audit.store=log or mongodb.");
            case MONGODB -> new InvalidTenantryConfigurationException("tenantry.audit.store", "mongodb",
                    "the audit trail goes to the MongoDB administration database, but Tenantry's MongoDB wiring is"
                            + " not active.",
                    "Add tenantry-mongo and the MongoDB driver with tenantry.mongodb.clusters, and leave"
                            + " tenantry.mongodb.enabled on; or choose tenantry.audit.store=log or jdbc.");
            case LOG -> new InvalidTenantryConfigurationException("tenantry.audit.store", "log",
                    "no AuditSink bean exists.", "Define an AuditSink bean, or leave the property unset.");
        };
    }
}
