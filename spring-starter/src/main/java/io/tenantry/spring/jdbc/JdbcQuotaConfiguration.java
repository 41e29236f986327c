package io.tenantry.spring.jdbc;

import io.tenantry.jdbc.JdbcQuotaLedger;
import io.tenantry.spi.QuotaLedger;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The quota counts in the control plane's table {@code tenant_quota_usage}, shared by every instance, created if
 * missing after the control plane's own migrations, for {@code tenantry.quotas.ledger=jdbc}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "tenantry.quotas.enabled")
@ConditionalOnProperty(name = "tenantry.quotas.ledger", havingValue = "jdbc")
class JdbcQuotaConfiguration {

    @Bean
    @ConditionalOnMissingBean(QuotaLedger.class)
    @DependsOnDatabaseInitialization
    JdbcQuotaLedger tenantryJdbcQuotaLedger(ControlPlane controlPlane) {
        JdbcQuotaLedger ledger = JdbcQuotaLedger.of(controlPlane.dataSource());
        ledger.createTableIfMissing();
        return ledger;
    }
}
