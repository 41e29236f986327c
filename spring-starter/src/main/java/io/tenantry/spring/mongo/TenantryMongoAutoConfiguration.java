package io.tenantry.spring.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.tenantry.IsolationModel;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantQuotas;
import io.tenantry.TenantRouter;
import io.tenantry.mongo.TenantMongo;
import io.tenantry.spring.InvalidTenantryConfigurationException;
import io.tenantry.spring.TenantStores;
import io.tenantry.spring.TenantryAutoConfiguration;
import io.tenantry.spring.TenantryProperties;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * MongoDB wiring: one {@link MongoClient} per configured cluster (or the application's own client as
 * cluster "main"), the {@link TenantMongo} built from the catalogue, the router and every
 * {@link TenantMongoBuilderCustomizer}, and the provisioning of all tenants at start-up. When the
 * clusters come from {@code tenantry.mongodb.clusters}, Spring Boot's own client is left out
 * ({@link BootMongoClientCondition} says when and why).
 */
@AutoConfiguration(after = TenantryAutoConfiguration.class,
        afterName = "org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration")
@ConditionalOnClass({TenantMongo.class, MongoClient.class})
@ConditionalOnProperty(name = "tenantry.mongodb.enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties({TenantryProperties.class, TenantryMongoProperties.class})
@Import({MongoDirectoryConfiguration.class, MongoLifecycleConfiguration.class, MongoAuditConfiguration.class,
        MongoMeteringConfiguration.class, MongoQuotaConfiguration.class})
public final class TenantryMongoAutoConfiguration {

    /** The cluster name of the application's own MongoClient when no cluster is configured. */
    public static final String DEFAULT_CLUSTER = "main";

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    MongoClusters tenantryMongoClusters(TenantryMongoProperties properties, ObjectProvider<MongoClient> application) {
        if (properties.getClusters().isEmpty()) {
            MongoClient client = application.getIfUnique();
            if (client == null) {
                throw new InvalidTenantryConfigurationException("tenantry.mongodb.clusters", null,
                        "no MongoDB cluster is configured and the application has no single MongoClient bean.",
                        "Add tenantry.mongodb.clusters.main=mongodb://host:27017 (one entry per cluster), or configure"
                                + " spring.mongodb.uri.");
            }
            return new MongoClusters(Map.of(DEFAULT_CLUSTER, client), Set.of());
        }
        Map<String, MongoClient> clients = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, String> cluster : properties.getClusters().entrySet()) {
                clients.put(cluster.getKey(), connect(cluster.getKey(), cluster.getValue()));
            }
        } catch (RuntimeException e) {
            clients.values().forEach(MongoClient::close);
            throw e;
        }
        return new MongoClusters(clients, clients.keySet());
    }

    private static MongoClient connect(String name, String uri) {
        try {
            return MongoClients.create(uri);
        } catch (IllegalArgumentException e) {
            throw new InvalidTenantryConfigurationException("tenantry.mongodb.clusters." + name, uri,
                    "it is not a MongoDB connection string: " + e.getMessage(),
                    "Use a connection string such as mongodb://host:27017.");
        }
    }

    @Bean
    @ConditionalOnMissingBean(name = "tenantryMongoStores")
    TenantStores tenantryMongoStores(MongoClusters clusters) {
        return TenantStores.of("MongoDB cluster", clusters.clients().keySet(), "tenantry.mongodb.clusters.");
    }

    @Bean
    @ConditionalOnMissingBean
    TenantMongo tenantMongo(MongoClusters clusters, TenantDirectory directory, TenantRouter router,
            TenantryProperties tenantry, TenantryMongoProperties properties,
            ObjectProvider<TenantMongoBuilderCustomizer> customizers, ObjectProvider<TenantQuotas> quotas) {
        TenantMongo.Builder builder = TenantMongo.builder().directory(directory).router(router);
        quotas.ifUnique(builder::quotas);
        clusters.clients().forEach(builder::cluster);
        String field = properties.getTenantField();
        if (field != null) {
            try {
                builder.tenantField(field);
            } catch (IllegalArgumentException e) {
                throw new InvalidTenantryConfigurationException("tenantry.mongodb.tenant-field", field, e.getMessage(),
                        "Use a plain top-level field name such as tenantId.");
            }
        } else if (usesFieldModel(tenantry.getRouting())) {
            throw new InvalidTenantryConfigurationException("tenantry.mongodb.tenant-field", null,
                    "a routing rule places tenants on the field model, which tells tenants apart by a field of every"
                            + " document, and that field is not named.",
                    "Set tenantry.mongodb.tenant-field to the field your documents carry, e.g. tenantId or user_id.");
        }
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    private static boolean usesFieldModel(TenantryProperties.Routing routing) {
        List<TenantryProperties.PlacementRule> rules = new ArrayList<>(routing.getTiers().values());
        rules.addAll(routing.getRegions().values());
        if (routing.getDefaultPlacement() != null) {
            rules.add(routing.getDefaultPlacement());
        }
        return rules.stream().anyMatch(rule -> rule.getModel() == IsolationModel.FIELD);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "tenantry.mongodb.provision-on-startup", havingValue = "true", matchIfMissing = true)
    ProvisioningOnStartup tenantryMongoProvisioning(TenantMongo mongo) {
        return new ProvisioningOnStartup(mongo);
    }
}
