package io.tenantry.spring.jdbc;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.hibernate.autoconfigure.HibernateProperties;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.jdbc.core.dialect.JdbcDialect;
import org.springframework.data.jdbc.core.dialect.JdbcPostgresDialect;

/**
 * What Spring Boot's Flyway, Spring Data JDBC and Hibernate need to work on a routing {@code DataSource}
 * that has no tenant while the application starts: each would otherwise take a connection from it to
 * find its database, and get a {@link io.tenantry.NoTenantBoundException}.
 */
@Configuration(proxyBeanMethods = false)
class JdbcFrameworkConfiguration {

    /** Boot's Flyway migrates the control plane; tenants are migrated by Tenantry's provisioning. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer")
    static class ControlPlaneFlyway {

        @Bean
        FlywayConfigurationCustomizer tenantryControlPlaneFlyway(ControlPlane controlPlane, Environment environment) {
            return configuration -> {
                // spring.flyway.url names a database of its own: Boot built that data source, keep it.
                if (!environment.containsProperty("spring.flyway.url")) {
                    configuration.dataSource(controlPlane.dataSource());
                }
            };
        }
    }

    /** Spring Data JDBC would ask the database for its dialect at start-up. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.data.jdbc.core.dialect.JdbcPostgresDialect")
    static class DataJdbcDialect {

        @Bean
        @ConditionalOnMissingBean
        JdbcDialect jdbcDialect() {
            return JdbcPostgresDialect.INSTANCE;
        }
    }

    /** Hibernate would read the database's metadata at start-up, and keep caches keyed without the tenant. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer")
    static class Hibernate {

        @Bean
        HibernatePropertiesCustomizer tenantryHibernateProperties() {
            return new HibernateSettings()::apply;
        }

        /**
         * With {@code spring.jpa.hibernate.ddl-auto} unset, Boot picks its default by asking whether the
         * database is embedded, on a connection taken with no tenant bound, before any customizer runs.
         * Unset here means {@code none}, which is also the only value {@link HibernateSettings} accepts.
         */
        @Bean
        static BeanPostProcessor tenantryHibernateDdlAuto() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessBeforeInitialization(Object bean, String name) {
                    if (bean instanceof HibernateProperties hibernate && hibernate.getDdlAuto() == null) {
                        hibernate.setDdlAuto("none");
                    }
                    return bean;
                }
            };
        }
    }
}
