package io.tenantry.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.spring.InvalidTenantryConfigurationException;
import io.tenantry.spring.TenantryAutoConfiguration;
import io.tenantry.spring.TenantryConfigurationFailureAnalyzer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** WebFlux is not supported yet: a reactive web application is refused at start-up, with the way out. */
class TenantryReactiveWebAutoConfigurationTest {

    private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(TenantryAutoConfiguration.class,
            TenantryWebAutoConfiguration.class, TenantryReactiveWebAutoConfiguration.class);

    @Test
    void aReactiveWebApplicationFailsToStartWithAReportThatNamesTheWayOut() {
        new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
                .withPropertyValues("tenantry.directory.tenants[0].id=acme").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).isInstanceOf(InvalidTenantryConfigurationException.class);
                    FailureAnalysis analysis = new TenantryConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).contains("Property: tenantry.web.enabled")
                            .contains("Tenantry does not support WebFlux yet");
                    assertThat(analysis.getAction()).contains("spring-boot-starter-webmvc")
                            .contains("tenantry.web.enabled=false");
                });
    }

    @Test
    void itStartsWithRequestBindingSwitchedOffAndServletApplicationsAreNotConcerned() {
        new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
                .withPropertyValues("tenantry.web.enabled=false").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(TenantFilter.class);
                });
        new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(TenantFilter.class));
    }
}
