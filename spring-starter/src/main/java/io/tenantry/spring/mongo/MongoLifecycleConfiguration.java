package io.tenantry.spring.mongo;

import com.mongodb.client.MongoClient;
import io.tenantry.mongo.MongoLifecycleJournal;
import io.tenantry.mongo.TenantMongo;
import io.tenantry.spi.LifecycleJournal;
import io.tenantry.spi.TenantDataStore;
import io.tenantry.spring.InvalidTenantryConfigurationException;
import io.tenantry.spring.TenantryProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The MongoDB adapter's part in the tenant lifecycle: its {@link TenantDataStore}, and, when the catalogue
 * is the {@code tenants} collection, the journal beside it in the same administration database.
 */
@Configuration(proxyBeanMethods = false)
class MongoLifecycleConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "tenantryMongoDataStore")
    TenantDataStore tenantryMongoDataStore(TenantMongo mongo) {
        return mongo.dataStore();
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "tenantry.directory.source", havingValue = "mongodb")
    LifecycleJournal tenantryMongoLifecycleJournal(MongoClusters clusters, TenantryProperties properties) {
        TenantryProperties.MongoDirectory settings = properties.getDirectory().getMongodb();
        MongoClient client = clusters.clients().get(settings.getCluster());
        if (client == null) {
            throw new InvalidTenantryConfigurationException("tenantry.directory.mongodb.cluster", settings.getCluster(),
                    "there is no such cluster; configured: " + clusters.clients().keySet() + ".",
                    "Name one of them, or add tenantry.mongodb.clusters." + settings.getCluster() + "=...");
        }
        return MongoLifecycleJournal.of(client.getDatabase(settings.getDatabase()));
    }
}
