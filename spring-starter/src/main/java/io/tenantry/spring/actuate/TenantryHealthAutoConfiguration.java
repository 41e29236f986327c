package io.tenantry.spring.actuate;

import com.mongodb.client.MongoClient;
import io.tenantry.mongo.TenantMongo;
import io.tenantry.spring.mongo.TenantryMongoAutoConfiguration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * Health of Tenantry's MongoDB clusters: one ping indicator per cluster, grouped under
 * {@code tenantryMongo} ({@code /actuator/health/tenantryMongo/<cluster>}). Disable with
 * {@code management.health.tenantry.enabled=false}.
 */
@AutoConfiguration(after = TenantryMongoAutoConfiguration.class)
@ConditionalOnClass({HealthContributor.class, ConditionalOnEnabledHealthIndicator.class, TenantMongo.class,
        MongoClient.class})
@ConditionalOnBean(TenantMongo.class)
@ConditionalOnEnabledHealthIndicator("tenantry")
public final class TenantryHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "tenantryMongoHealthContributor")
    HealthContributor tenantryMongoHealthContributor(TenantMongo mongo) {
        Map<String, HealthContributor> clusters = new LinkedHashMap<>();
        for (String name : mongo.clusterNames()) {
            clusters.put(name, new MongoClusterHealthIndicator(mongo.cluster(name)));
        }
        return CompositeHealthContributor.fromMap(clusters);
    }
}
