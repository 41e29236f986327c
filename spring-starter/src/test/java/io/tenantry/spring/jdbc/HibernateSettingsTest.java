package io.tenantry.spring.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.spring.InvalidTenantryConfigurationException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HibernateSettingsTest {

    private static Map<String, Object> applied(Map<String, Object> given) {
        Map<String, Object> settings = new HashMap<>(given);
        new HibernateSettings().apply(settings);
        return settings;
    }

    @Test
    @DisplayName("Hibernate starts without a connection, with no cache that is shared by tenants")
    void defaults() {
        assertThat(applied(Map.of())).containsEntry(HibernateSettings.DIALECT, "org.hibernate.dialect.PostgreSQLDialect")
                .containsEntry(HibernateSettings.METADATA_ACCESS, "false")
                .containsEntry(HibernateSettings.SECOND_LEVEL_CACHE, "false")
                .containsEntry(HibernateSettings.QUERY_CACHE, "false")
                .containsEntry(HibernateSettings.DDL_AUTO, "none");
    }

    @Test
    @DisplayName("An application's own dialect is kept; caches turned off explicitly are fine")
    void keepsTheDialect() {
        assertThat(applied(Map.of(HibernateSettings.DIALECT, "com.example.MyDialect",
                HibernateSettings.SECOND_LEVEL_CACHE, "false", HibernateSettings.DDL_AUTO, "none")))
                .containsEntry(HibernateSettings.DIALECT, "com.example.MyDialect");
    }

    @Test
    @DisplayName("The second-level and query caches are refused, naming the property and the alternative")
    void cachesRefused() {
        assertThatThrownBy(() -> applied(Map.of(HibernateSettings.SECOND_LEVEL_CACHE, "true")))
                .isInstanceOf(InvalidTenantryConfigurationException.class)
                .hasMessageContaining("spring.jpa.properties.hibernate.cache.use_second_level_cache")
                .hasMessageContaining("@Cacheable");
        assertThatThrownBy(() -> applied(Map.of(HibernateSettings.QUERY_CACHE, Boolean.TRUE)))
                .isInstanceOf(InvalidTenantryConfigurationException.class)
                .hasMessageContaining("hibernate.cache.use_query_cache");
    }

    @Test
    @DisplayName("Schema generation and Hibernate's own multi-tenancy are refused")
    void ddlAndMultiTenancyRefused() {
        assertThatThrownBy(() -> applied(Map.of(HibernateSettings.DDL_AUTO, "update")))
                .isInstanceOf(InvalidTenantryConfigurationException.class)
                .hasMessageContaining("spring.jpa.hibernate.ddl-auto").hasMessageContaining("tenantry.jdbc.migrations");
        assertThatThrownBy(() -> applied(Map.of("hibernate.tenant_identifier_resolver", "x")))
                .isInstanceOf(InvalidTenantryConfigurationException.class)
                .hasMessageContaining("multi-tenancy");
    }
}
