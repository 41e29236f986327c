package io.tenantry.spring.mongo;

import io.tenantry.mongo.MongoQuotaLedger;
import io.tenantry.spi.QuotaLedger;
import io.tenantry.spring.TenantryProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The quota counts in collection {@value MongoQuotaLedger#DEFAULT_COLLECTION} of the catalogue's administration
 * database ({@code tenantry.directory.mongodb.*}), shared by every instance, for
 * {@code tenantry.quotas.ledger=mongodb}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "tenantry.quotas.enabled")
@ConditionalOnProperty(name = "tenantry.quotas.ledger", havingValue = "mongodb")
class MongoQuotaConfiguration {

    @Bean
    @ConditionalOnMissingBean(QuotaLedger.class)
    MongoQuotaLedger tenantryMongoQuotaLedger(MongoClusters clusters, TenantryProperties properties) {
        MongoQuotaLedger ledger = MongoQuotaLedger.of(clusters.controlPlane(properties, "the quota ledger"));
        ledger.createIndexes();
        return ledger;
    }
}
