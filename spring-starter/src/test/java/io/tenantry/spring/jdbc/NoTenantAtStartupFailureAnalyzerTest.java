package io.tenantry.spring.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.NoTenantBoundException;
import io.tenantry.spring.TenantryAutoConfiguration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

class NoTenantAtStartupFailureAnalyzerTest {

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aBeanThatQueriesTheRoutingDataSourceAtStartUpIsNamedWithTheWaysOut(CapturedOutput output) {
        TestPostgres postgres = TestPostgres.get();
        String control = postgres.freshDatabase("analyzer_control");
        String shared = postgres.freshDatabase("analyzer_shared");
        SpringApplication application = new SpringApplicationBuilder(WarmsUpAtStartUp.class)
                .web(WebApplicationType.NONE).properties("spring.datasource.url=" + postgres.url(control),
                        "spring.datasource.username=" + TestPostgres.APP_USER,
                        "spring.datasource.password=" + TestPostgres.APP_PASSWORD,
                        "tenantry.routing.default-placement.model=schema",
                        "tenantry.routing.default-placement.database=" + shared).build();
        assertThatThrownBy(application::run).hasRootCauseInstanceOf(NoTenantBoundException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Bean 'reportWarmUp' used a tenant-scoped resource")
                .contains("TenantContext.runAs(tenant, ...)")
                .contains("@Qualifier(\"tenantryControlPlaneDataSource\")")
                .contains("spring.sql.init");
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({TenantryAutoConfiguration.class, TenantryJdbcAutoConfiguration.class,
            DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class})
    static class WarmsUpAtStartUp {

        @Bean
        InitializingBean reportWarmUp(DataSource dataSource) {
            return () -> new JdbcTemplate(dataSource).queryForList("SELECT 1");
        }
    }
}
