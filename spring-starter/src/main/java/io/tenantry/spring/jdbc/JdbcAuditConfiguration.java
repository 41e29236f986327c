package io.tenantry.spring.jdbc;

import io.tenantry.jdbc.JdbcAuditLog;
import io.tenantry.spi.AuditSink;
import io.tenantry.spring.InvalidTenantryConfigurationException;
import io.tenantry.spring.audit.TenantryAuditProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The audit trail in table {@code tenantry.audit.table} of the control plane, for
 * {@code tenantry.audit.store=jdbc}: created if missing, after the control plane's own migrations.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "tenantry.audit.store", havingValue = "jdbc")
@EnableConfigurationProperties(TenantryAuditProperties.class)
class JdbcAuditConfiguration {

    @Bean
    @ConditionalOnMissingBean(AuditSink.class)
    @DependsOnDatabaseInitialization
    JdbcAuditLog tenantryJdbcAuditLog(ControlPlane controlPlane, TenantryAuditProperties properties) {
        JdbcAuditLog log;
        try {
            log = JdbcAuditLog.of(controlPlane.dataSource(), properties.getTable());
        } catch (IllegalArgumentException e) {
            throw new InvalidTenantryConfigurationException("tenantry.audit.table", properties.getTable(),
                    String.valueOf(e.getMessage()), "Use a lower-case name such as tenant_audit.");
        }
        log.createTableIfMissing();
        return log;
    }
}
