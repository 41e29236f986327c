package io.tenantry.spring.jdbc;

import io.tenantry.jdbc.JdbcUsageHistory;
import io.tenantry.jdbc.TenantJdbc;
import io.tenantry.spi.UsageHistory;
import io.tenantry.spi.UsageMeter;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The JDBC adapter's part in metering: its {@link UsageMeter}, and, when the catalogue is the control plane's
 * {@code tenants} table, the usage history beside it ({@value JdbcUsageHistory#TABLE}), created if missing
 * after the control plane's own migrations.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "tenantry.metering.enabled", matchIfMissing = true)
class JdbcMeteringConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "tenantryJdbcUsageMeter")
    UsageMeter tenantryJdbcUsageMeter(TenantJdbc jdbc) {
        return jdbc.meter();
    }

    @Bean
    @ConditionalOnMissingBean(UsageHistory.class)
    @ConditionalOnProperty(name = "tenantry.directory.source", havingValue = "jdbc")
    @ConditionalOnBooleanProperty(name = "tenantry.metering.history.enabled", matchIfMissing = true)
    @DependsOnDatabaseInitialization
    JdbcUsageHistory tenantryJdbcUsageHistory(ControlPlane controlPlane) {
        JdbcUsageHistory history = JdbcUsageHistory.of(controlPlane.dataSource());
        history.createTableIfMissing();
        return history;
    }
}
