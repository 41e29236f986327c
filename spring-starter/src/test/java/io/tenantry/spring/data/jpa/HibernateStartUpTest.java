package io.tenantry.spring.data.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tenantry.spring.InvalidTenantryConfigurationException;
import io.tenantry.spring.data.RepositoryIsolationScenario;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Hibernate starting on the routing {@code DataSource}, where no tenant is bound: with Spring Boot's
 * defaults it starts without a connection; its second-level and query caches, which key entries by entity
 * id and query text and not by tenant, are refused with a message that says why, instead of serving one
 * tenant's rows to another.
 */
@DisplayName("Hibernate at start-up on Tenantry's routing DataSource")
class HibernateStartUpTest {

    @ParameterizedTest(name = "{0}=true")
    @ValueSource(strings = {"hibernate.cache.use_second_level_cache", "hibernate.cache.use_query_cache"})
    @DisplayName("An application that turns on Hibernate's second-level or query cache does not start, and is told why")
    void aSharedHibernateCacheIsRefused(String setting) {
        Map<String, Object> properties = properties();
        properties.put("spring.jpa.hibernate.ddl-auto", "none");
        properties.put("spring.jpa.properties." + setting, "true");

        Throwable failure = catchThrowable(() -> start(properties).close());

        Throwable cause = failure;
        while (cause != null && !(cause instanceof InvalidTenantryConfigurationException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("the start-up failure %s", failure).isNotNull();
        assertThat(cause.getMessage()).contains("spring.jpa.properties." + setting)
                .contains("not by tenant").contains("served to another");
    }

    @Test
    @DisplayName("The same application starts with the caches left off")
    void theSameApplicationStartsWithTheCachesOff() {
        Map<String, Object> properties = properties();
        properties.put("spring.jpa.hibernate.ddl-auto", "none");
        properties.put("spring.jpa.properties.hibernate.cache.use_second_level_cache", "false");

        try (ConfigurableApplicationContext context = start(properties)) {
            assertThat(context.getBean(CardRepository.class)).isNotNull();
        }
    }

    @Test
    @DisplayName("An application that leaves spring.jpa.hibernate.ddl-auto at Spring Boot's default starts")
    void bootsDefaultDdlAutoNeedsNoConnection() {
        try (ConfigurableApplicationContext context = start(properties())) {
            assertThat(context.getBean(CardRepository.class)).isNotNull();
        }
    }

    /** The repository tests' settings, without provisioning: what is checked here happens before any tenant's I/O. */
    private static Map<String, Object> properties() {
        Map<String, Object> properties = new LinkedHashMap<>(RepositoryIsolationScenario.properties());
        properties.put("tenantry.jdbc.provision-on-startup", "false");
        return properties;
    }

    private static ConfigurableApplicationContext start(Map<String, Object> properties) {
        return new SpringApplicationBuilder(JpaRepositoryApplication.class).web(WebApplicationType.NONE)
                .properties(properties).run();
    }
}
