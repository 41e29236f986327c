package io.tenantry.spring.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import io.tenantry.TenantDirectory;
import io.tenantry.mongo.MongoTenantDirectory;
import io.tenantry.spring.InvalidTenantryConfigurationException;
import io.tenantry.spring.TenantDirectoryProvider;
import io.tenantry.spring.TenantryProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The MongoDB tenant catalogue for {@code tenantry.directory.source=mongodb}: the {@code tenants}
 * collection of the administration database {@code tenantry.directory.mongodb.database} on cluster
 * {@code tenantry.directory.mongodb.cluster}, read through the cluster's plain client (the catalogue
 * belongs to no tenant).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(MongoTenantDirectory.class)
class MongoDirectoryConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "tenantryMongoDirectory")
    TenantDirectoryProvider tenantryMongoDirectory(MongoClusters clusters, TenantryProperties properties) {
        return new TenantDirectoryProvider() {
            @Override
            public TenantryProperties.DirectorySource source() {
                return TenantryProperties.DirectorySource.MONGODB;
            }

            @Override
            public TenantDirectory directory() {
                TenantryProperties.MongoDirectory settings = properties.getDirectory().getMongodb();
                MongoClient client = clusters.clients().get(settings.getCluster());
                if (client == null) {
                    throw new InvalidTenantryConfigurationException("tenantry.directory.mongodb.cluster",
                            settings.getCluster(), "there is no such cluster; configured: "
                                    + clusters.clients().keySet() + ".",
                            "Name one of them, or add tenantry.mongodb.clusters." + settings.getCluster() + "=...");
                }
                try {
                    MongoDatabase database = client.getDatabase(settings.getDatabase());
                    return MongoTenantDirectory.of(database);
                } catch (IllegalArgumentException e) {
                    throw new InvalidTenantryConfigurationException("tenantry.directory.mongodb.database",
                            settings.getDatabase(), String.valueOf(e.getMessage()), "Use a valid database name.");
                }
            }
        };
    }
}
