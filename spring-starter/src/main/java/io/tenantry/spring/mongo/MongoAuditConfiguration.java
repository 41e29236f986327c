package io.tenantry.spring.mongo;

import io.tenantry.mongo.MongoAuditLog;
import io.tenantry.spi.AuditSink;
import io.tenantry.spring.InvalidTenantryConfigurationException;
import io.tenantry.spring.TenantryProperties;
import io.tenantry.spring.audit.TenantryAuditProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The audit trail in collection {@code tenantry.audit.collection} of the catalogue's administration database
 * ({@code tenantry.directory.mongodb.database} on {@code tenantry.directory.mongodb.cluster}, whatever the
 * catalogue's source), for {@code tenantry.audit.store=mongodb}, read and written through the cluster's plain
 * client.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "tenantry.audit.store", havingValue = "mongodb")
@EnableConfigurationProperties(TenantryAuditProperties.class)
class MongoAuditConfiguration {

    @Bean
    @ConditionalOnMissingBean(AuditSink.class)
    MongoAuditLog tenantryMongoAuditLog(MongoClusters clusters, TenantryProperties properties,
            TenantryAuditProperties audit) {
        MongoAuditLog log;
        try {
            log = MongoAuditLog.of(clusters.controlPlane(properties, "the audit trail"), audit.getCollection());
        } catch (IllegalArgumentException e) {
            throw new InvalidTenantryConfigurationException("tenantry.audit.collection", audit.getCollection(),
                    String.valueOf(e.getMessage()), "Use a plain collection name such as tenant_audit.");
        }
        log.createIndexes();
        return log;
    }
}
