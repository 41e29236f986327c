package io.tenantry.spring.actuate;

import io.micrometer.core.instrument.MeterRegistry;
import io.tenantry.spring.InvalidTenantryConfigurationException;
import io.tenantry.spring.web.TenantRequestListener;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer metrics: requests counted per tenant by the tenant filter ({@code tenantry.requests}),
 * with at most {@code tenantry.metrics.max-tenant-tags} distinct tenant tag values.
 */
@AutoConfiguration(afterName = {"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, TenantRequestListener.class, jakarta.servlet.Filter.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(name = "tenantry.metrics.enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(TenantryMetricsProperties.class)
public final class TenantryMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "tenantRequestMetrics")
    TenantRequestListener tenantRequestMetrics(MeterRegistry registry, TenantryMetricsProperties properties) {
        int limit = properties.getMaxTenantTags();
        if (limit < 0) {
            throw new InvalidTenantryConfigurationException("tenantry.metrics.max-tenant-tags", limit,
                    "a tag limit cannot be negative.", "Set it to 0 (every tenant tagged \"other\") or more.");
        }
        return new TenantRequestMetrics(registry, limit);
    }
}
