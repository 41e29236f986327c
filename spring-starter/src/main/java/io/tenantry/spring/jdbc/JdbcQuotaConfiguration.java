package io.tenantry.spring.jdbc;

import io.tenantry.jdbc.JdbcQuotaLedger;
import io.tenantry.spi.QuotaLedger;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The quota counts in the control plane's table {@code tenant_quota_usage}, shared by every instance, for
 * {@code tenantry.quotas.ledger=jdbc}. The ledger itself cannot wait for the database initialisers:
 * {@code TenantJdbc}, the application's {@code DataSource} that they may migrate through, is built with it. So the
 * table is created apart, once every singleton is in place and so after the control plane's own migrations (a
 * table created before them would make Flyway find a non-empty schema without its history).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "tenantry.quotas.enabled")
@ConditionalOnProperty(name = "tenantry.quotas.ledger", havingValue = "jdbc")
class JdbcQuotaConfiguration {

    @Bean
    @ConditionalOnMissingBean(QuotaLedger.class)
    JdbcQuotaLedger tenantryJdbcQuotaLedger(ControlPlane controlPlane) {
        return JdbcQuotaLedger.of(controlPlane.dataSource());
    }

    @Bean
    @DependsOnDatabaseInitialization
    SmartInitializingSingleton tenantryJdbcQuotaLedgerTable(ObjectProvider<JdbcQuotaLedger> ledger) {
        return () -> ledger.ifAvailable(JdbcQuotaLedger::createTableIfMissing);
    }
}
