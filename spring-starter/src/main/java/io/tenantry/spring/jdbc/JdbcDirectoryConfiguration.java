package io.tenantry.spring.jdbc;

import io.tenantry.TenantDirectory;
import io.tenantry.jdbc.JdbcTenantDirectory;
import io.tenantry.spring.TenantDirectoryProvider;
import io.tenantry.spring.TenantryProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The JDBC tenant catalogue for {@code tenantry.directory.source=jdbc}: the table
 * {@code tenantry.directory.jdbc.table} of the control-plane database, read through the control plane's
 * plain pool. It is opened after the control plane's migrations (Boot's Flyway or Liquibase) have run, so
 * an application that creates the table in a migration finds it there, and one that does not gets it
 * created ({@code tenantry.directory.jdbc.create-table}).
 */
@Configuration(proxyBeanMethods = false)
class JdbcDirectoryConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "tenantryJdbcDirectory")
    @DependsOnDatabaseInitialization
    TenantDirectoryProvider tenantryJdbcDirectory(ControlPlane controlPlane, TenantryProperties properties) {
        return new TenantDirectoryProvider() {
            @Override
            public TenantryProperties.DirectorySource source() {
                return TenantryProperties.DirectorySource.JDBC;
            }

            @Override
            public TenantDirectory directory() {
                TenantryProperties.JdbcDirectory settings = properties.getDirectory().getJdbc();
                JdbcTenantDirectory directory = TenantryJdbcAutoConfiguration.build("tenantry.directory.jdbc.table",
                        settings.getTable(), () -> JdbcTenantDirectory.of(controlPlane.dataSource(), settings.getTable()),
                        "Use a lower-case table name, optionally schema-qualified, e.g. control.tenants.");
                if (settings.isCreateTable()) {
                    directory.createTableIfMissing();
                }
                return directory;
            }
        };
    }
}
