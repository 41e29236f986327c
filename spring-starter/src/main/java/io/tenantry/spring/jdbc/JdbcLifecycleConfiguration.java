package io.tenantry.spring.jdbc;

import io.tenantry.jdbc.JdbcLifecycleJournal;
import io.tenantry.jdbc.TenantJdbc;
import io.tenantry.spi.LifecycleJournal;
import io.tenantry.spi.TenantDataStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The JDBC adapter's part in the tenant lifecycle: its {@link TenantDataStore}, and, when the catalogue is
 * the control plane's {@code tenants} table, the journal beside it ({@value JdbcLifecycleJournal#TABLE}),
 * created if missing after the control plane's own migrations.
 */
@Configuration(proxyBeanMethods = false)
class JdbcLifecycleConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "tenantryJdbcDataStore")
    TenantDataStore tenantryJdbcDataStore(TenantJdbc jdbc) {
        return jdbc.dataStore();
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "tenantry.directory.source", havingValue = "jdbc")
    @DependsOnDatabaseInitialization
    LifecycleJournal tenantryJdbcLifecycleJournal(ControlPlane controlPlane) {
        JdbcLifecycleJournal journal = JdbcLifecycleJournal.of(controlPlane.dataSource());
        journal.createTableIfMissing();
        return journal;
    }
}
