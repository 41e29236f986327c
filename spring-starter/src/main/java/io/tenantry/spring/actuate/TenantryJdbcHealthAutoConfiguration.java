package io.tenantry.spring.actuate;

import io.tenantry.jdbc.TenantJdbc;
import io.tenantry.spring.jdbc.TenantryJdbcAutoConfiguration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.SimpleAutowireCandidateResolver;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health of Tenantry's PostgreSQL stores, and a {@code db} contributor that leaves the routing
 * {@code DataSource} out.
 *
 * <ul>
 *   <li>{@code tenantryJdbc}: one indicator per store ({@code /actuator/health/tenantryJdbc/<store>}),
 *       {@code SELECT 1} on the store's maintenance database within its connection timeout. Disable with
 *       {@code management.health.tenantry.enabled=false}.
 *   <li>{@code db}: Spring Boot's own {@code DataSource} contributor (4.1) checks every {@code DataSource}
 *       bean that may be autowired, the routing one included, which has no tenant bound at health-check
 *       time and would always report down ({@code NoTenantBoundException}). This one checks the same
 *       beans, the control plane among them, and leaves the routing one out (its stores are
 *       {@code tenantryJdbc}); Boot's backs off. With no other {@code DataSource} at all, it checks the
 *       stores. Disable with {@code management.health.db.enabled=false}.
 * </ul>
 */
@AutoConfiguration(after = TenantryJdbcAutoConfiguration.class,
        beforeName = "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration")
@ConditionalOnClass({HealthContributor.class, ConditionalOnEnabledHealthIndicator.class, TenantJdbc.class})
@ConditionalOnBean(TenantJdbc.class)
public final class TenantryJdbcHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "tenantryJdbcHealthContributor")
    @ConditionalOnEnabledHealthIndicator("tenantry")
    HealthContributor tenantryJdbcHealthContributor(TenantJdbc jdbc) {
        return stores(jdbc);
    }

    static CompositeHealthContributor stores(TenantJdbc jdbc) {
        Map<String, HealthContributor> stores = new LinkedHashMap<>();
        for (String store : jdbc.storeNames()) {
            stores.put(store, new JdbcStoreHealthIndicator(jdbc, store));
        }
        return CompositeHealthContributor.fromMap(stores);
    }

    /** Replaces Spring Boot's {@code db} contributor, which would check the routing DataSource. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({DataSourceHealthIndicator.class, DataSourceUnwrapper.class})
    @ConditionalOnEnabledHealthIndicator("db")
    static class ApplicationDataSources {

        @Bean
        @ConditionalOnMissingBean(name = {"dbHealthIndicator", "dbHealthContributor"})
        HealthContributor dbHealthContributor(ConfigurableListableBeanFactory beans, TenantJdbc jdbc) {
            Map<String, DataSource> checked = new LinkedHashMap<>();
            // what Boot's own contributor checks: every DataSource that may be autowired, the control plane
            // included (it is no default candidate, but still a candidate); added by name in case it is not
            SimpleAutowireCandidateResolver.resolveAutowireCandidates(beans, DataSource.class, false, true)
                    .forEach(checked::put);
            if (beans.containsBean(TenantryJdbcAutoConfiguration.CONTROL_PLANE_DATA_SOURCE)) {
                checked.putIfAbsent(TenantryJdbcAutoConfiguration.CONTROL_PLANE_DATA_SOURCE,
                        beans.getBean(TenantryJdbcAutoConfiguration.CONTROL_PLANE_DATA_SOURCE, DataSource.class));
            }
            DataSource routing = jdbc.dataSource();
            checked.values().removeIf(dataSource -> DataSourceUnwrapper.unwrapRoot(dataSource) == routing);
            if (checked.isEmpty()) {
                return stores(jdbc);
            }
            if (checked.size() == 1) {
                return new DataSourceHealthIndicator(checked.values().iterator().next(), null);
            }
            return CompositeHealthContributor.fromMap(checked, dataSource -> new DataSourceHealthIndicator(dataSource,
                    null));
        }
    }
}
