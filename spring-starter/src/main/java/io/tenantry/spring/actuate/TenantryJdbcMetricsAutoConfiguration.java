package io.tenantry.spring.actuate;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.tenantry.jdbc.TenantJdbc;
import io.tenantry.spring.jdbc.TenantryJdbcAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer gauges of Tenantry's PostgreSQL pools, per store ({@code tenantry.jdbc.pools},
 * {@code tenantry.jdbc.connections}, {@code .active}, {@code .idle}, {@code .pending}, {@code .max}, tagged
 * {@code store}) and of the connection budget ({@code tenantry.jdbc.connection.budget}, tagged
 * {@code state}). Spring Boot binds the {@link MeterBinder} to every registry; turn the gauges off with
 * {@code management.metrics.enable.tenantry.jdbc=false}.
 */
@AutoConfiguration(after = TenantryJdbcAutoConfiguration.class)
@ConditionalOnClass({MeterBinder.class, TenantJdbc.class})
@ConditionalOnBean(TenantJdbc.class)
public final class TenantryJdbcMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "tenantryJdbcMetrics")
    MeterBinder tenantryJdbcMetrics(TenantJdbc jdbc) {
        return new TenantJdbcMetrics(jdbc);
    }
}
