package io.tenantry.spring.metering;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantMetering;
import io.tenantry.TenantQuotas;
import io.tenantry.TenantRouter;
import io.tenantry.spi.UsageHistory;
import io.tenantry.spi.UsageMeter;
import io.tenantry.spring.InvalidTenantryConfigurationException;
import io.tenantry.spring.TenantryAutoConfiguration;
import io.tenantry.spring.TenantryProperties;
import io.tenantry.spring.jdbc.TenantryJdbcAutoConfiguration;
import io.tenantry.spring.mongo.TenantryMongoAutoConfiguration;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Metering: core's {@link TenantMetering} over each wired adapter's {@link UsageMeter} (MongoDB, PostgreSQL,
 * or both), every tenant measured every {@code tenantry.metering.interval} into a {@link MeteringSnapshot}
 * of the latest usage; each measurement kept in the {@link UsageHistory} the adapter of the catalogue keeps
 * beside it (or the application's own {@code UsageHistory} bean); with Micrometer, the gauges
 * {@code tenantry.tenant.items} and {@code tenantry.tenant.bytes} with a bounded number of tenant tags.
 */
@AutoConfiguration(after = {TenantryAutoConfiguration.class, TenantryMongoAutoConfiguration.class,
        TenantryJdbcAutoConfiguration.class})
@ConditionalOnBooleanProperty(name = "tenantry.metering.enabled", matchIfMissing = true)
@ConditionalOnBean({UsageMeter.class, TenantDirectory.class, TenantRouter.class})
@EnableConfigurationProperties({TenantryProperties.class, TenantryMeteringProperties.class})
public final class TenantryMeteringAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    TenantMetering tenantMetering(TenantDirectory directory, TenantRouter router, ObjectProvider<UsageMeter> meters) {
        TenantMetering.Builder builder = TenantMetering.builder(directory, router);
        meters.orderedStream().forEach(builder::meter);
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    MeteringSnapshot tenantryMeteringSnapshot() {
        return new MeteringSnapshot();
    }

    @Bean(destroyMethod = "stop")
    @ConditionalOnMissingBean
    MeteringJob tenantryMeteringJob(TenantMetering metering, TenantDirectory directory, MeteringSnapshot snapshot,
            ObjectProvider<UsageHistory> histories, ObjectProvider<TenantQuotas> quotas, TenantryProperties tenantry,
            TenantryMeteringProperties properties) {
        if (properties.getInterval().toMillis() < 1) {
            throw new InvalidTenantryConfigurationException("tenantry.metering.interval", properties.getInterval(),
                    "every tenant is measured every interval, which must be at least a millisecond.", "Use e.g. 15m.");
        }
        if (properties.getInitialDelay().isNegative()) {
            throw new InvalidTenantryConfigurationException("tenantry.metering.initial-delay",
                    properties.getInitialDelay(), "a wait cannot be negative.", "Use 0 or more, e.g. 10s.");
        }
        if (properties.getParallelism() < 1) {
            throw new InvalidTenantryConfigurationException("tenantry.metering.parallelism",
                    properties.getParallelism(), "at least one tenant must be measured at a time.",
                    "Use 1 or more; 2 is the default.");
        }
        Duration retention = properties.getHistory().getRetention();
        if (retention.isNegative()) {
            throw new InvalidTenantryConfigurationException("tenantry.metering.history.retention", retention,
                    "a retention cannot be negative.", "Use a duration such as 90d, or 0 to keep every measurement.");
        }
        return new MeteringJob(metering, directory, snapshot, history(histories, tenantry, properties),
                quotas.getIfUnique(), properties.getParallelism(), properties.getInitialDelay(), properties.getInterval(), retention,
                Clock.systemUTC());
    }

    private static @Nullable UsageHistory history(ObjectProvider<UsageHistory> histories, TenantryProperties tenantry,
            TenantryMeteringProperties properties) {
        Boolean enabled = properties.getHistory().getEnabled();
        if (Boolean.FALSE.equals(enabled)) {
            return null;
        }
        List<UsageHistory> all = histories.orderedStream().toList();
        UsageHistory history = histories.getIfUnique();
        if (history == null && !all.isEmpty()) {
            throw new InvalidTenantryConfigurationException("tenantry.metering.history.enabled", enabled,
                    "the application has " + all.size() + " UsageHistory beans " + all + ", and Tenantry cannot tell"
                            + " which one keeps the measurements.",
                    "Mark one of them @Primary, or set tenantry.metering.history.enabled=false.");
        }
        if (history == null && Boolean.TRUE.equals(enabled)) {
            throw new InvalidTenantryConfigurationException("tenantry.metering.history.enabled", true,
                    "the usage history lives beside the catalogue, and the catalogue is not in a store"
                            + " (tenantry.directory.source=" + tenantry.getDirectory().getSource().name()
                            .toLowerCase(Locale.ROOT) + ").",
                    "Keep the catalogue in a store (tenantry.directory.source=jdbc or mongodb), define a UsageHistory"
                            + " bean (JdbcUsageHistory.of(controlPlane), MongoUsageHistory.of(database)), or remove"
                            + " the property.");
        }
        return history;
    }

    /** The usage gauges, when Micrometer is on the class path; Spring Boot binds them to its registries. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class Gauges {

        @Bean
        @ConditionalOnMissingBean(name = "tenantryMeteringGauges")
        MeterBinder tenantryMeteringGauges(MeteringSnapshot snapshot, TenantryMeteringProperties properties) {
            int limit = properties.getMaxTaggedTenants();
            if (limit < 0) {
                throw new InvalidTenantryConfigurationException("tenantry.metering.max-tagged-tenants", limit,
                        "a tag limit cannot be negative.", "Use 0 (every tenant summed under \"other\") or more.");
            }
            return new MeteringGauges(snapshot, limit);
        }
    }
}
