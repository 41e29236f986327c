package io.tenantry.spring.mongo;

import io.tenantry.mongo.MongoUsageHistory;
import io.tenantry.mongo.TenantMongo;
import io.tenantry.spi.UsageHistory;
import io.tenantry.spi.UsageMeter;
import io.tenantry.spring.TenantryProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The MongoDB adapter's part in metering: its {@link UsageMeter}, and, when the catalogue is the
 * {@code tenants} collection, the usage history beside it ({@value MongoUsageHistory#DEFAULT_COLLECTION}) in
 * the same administration database, with its indexes.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "tenantry.metering.enabled", matchIfMissing = true)
class MongoMeteringConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "tenantryMongoUsageMeter")
    UsageMeter tenantryMongoUsageMeter(TenantMongo mongo) {
        return mongo.meter();
    }

    @Bean
    @ConditionalOnMissingBean(UsageHistory.class)
    @ConditionalOnProperty(name = "tenantry.directory.source", havingValue = "mongodb")
    @ConditionalOnBooleanProperty(name = "tenantry.metering.history.enabled", matchIfMissing = true)
    MongoUsageHistory tenantryMongoUsageHistory(MongoClusters clusters, TenantryProperties properties) {
        MongoUsageHistory history = MongoUsageHistory.of(clusters.controlPlane(properties, "the usage history"));
        history.createIndexes();
        return history;
    }
}
