package io.tenantry.spring.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Indexes;
import io.tenantry.CachingTenantDirectory;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.mongo.MongoTenantDirectory;
import io.tenantry.mongo.TenantMongo;
import io.tenantry.spring.EmbeddedMongo;
import io.tenantry.spring.InvalidTenantryConfigurationException;
import io.tenantry.spring.TenantStores;
import io.tenantry.spring.TenantryAutoConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

class TenantryMongoAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TenantryAutoConfiguration.class,
                    TenantryMongoAutoConfiguration.class));

    private final ApplicationContextRunner twoClusters = runner.withPropertyValues(
            "tenantry.mongodb.clusters.main=" + EmbeddedMongo.main().uri(),
            "tenantry.mongodb.clusters.dedicated=" + EmbeddedMongo.dedicated().uri());

    @Test
    void createsOneClientPerConfiguredClusterAndClosesThemWithTheContext() {
        List<MongoClient> clients = new ArrayList<>();
        twoClusters.run(context -> {
            assertThat(context).hasSingleBean(TenantMongo.class).hasSingleBean(MongoClusters.class);
            TenantMongo mongo = context.getBean(TenantMongo.class);
            assertThat(mongo.clusterNames()).containsExactly("main", "dedicated");
            assertThat(context.getBean(TenantStores.class).names()).containsExactlyInAnyOrder("main", "dedicated");
            clients.addAll(context.getBean(MongoClusters.class).clients().values());
        });
        assertThat(clients).hasSize(2);
        assertThatThrownBy(() -> clients.get(0).listDatabaseNames().first()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void withoutClustersTheApplicationsMongoClientIsClusterMainAndStaysOpen() {
        try (MongoClient application = MongoClients.create(EmbeddedMongo.main().uri())) {
            runner.withBean(MongoClient.class, () -> application, unmanaged -> unmanaged.setDestroyMethodName(""))
                    .run(context -> assertThat(context.getBean(TenantMongo.class).cluster("main")).isSameAs(application));
            assertThat(application.listDatabaseNames().into(new ArrayList<>())).as("still open").isNotNull();
        }
    }

    @Test
    void withoutClustersOrAnApplicationClientTheStartUpSaysWhatToConfigure() {
        runner.run(context -> assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(InvalidTenantryConfigurationException.class)
                .hasMessageContaining("tenantry.mongodb.clusters.main=mongodb://"));
    }

    @Test
    void staysAwayWithoutTheAdapterOrTheDriverOrWhenDisabled() {
        twoClusters.withClassLoader(new FilteredClassLoader(TenantMongo.class))
                .run(context -> assertThat(context).doesNotHaveBean(MongoClusters.class).doesNotHaveBean(TenantStores.class));
        twoClusters.withClassLoader(new FilteredClassLoader(MongoClient.class))
                .run(context -> assertThat(context).doesNotHaveBean(MongoClusters.class));
        twoClusters.withPropertyValues("tenantry.mongodb.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(TenantMongo.class).doesNotHaveBean(MongoClusters.class));
    }

    @Test
    void backsOffForTheApplicationsOwnTenantMongo() {
        twoClusters.withUserConfiguration(OwnTenantMongo.class).run(context ->
                assertThat(context.getBean(TenantMongo.class)).isSameAs(context.getBean("ownTenantMongo")));
    }

    @Test
    void provisionsEveryTenantAtStartUpWithTheCustomizersDeclarations() {
        String prefix = uniquePrefix();
        twoClusters.withUserConfiguration(Customizers.class).withPropertyValues(tenantsOnDedicated(prefix))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    MongoClient dedicated = context.getBean(TenantMongo.class).cluster("dedicated");
                    assertThat(indexKeys(dedicated, prefix + "acme")).contains(new Document("sku", 1));
                    assertThat(indexKeys(dedicated, prefix + "bravo")).contains(new Document("sku", 1));
                    assertThat(context.getBean(Customizers.class).calls).containsExactly("first", "second");
                    assertThat(dedicated.listDatabaseNames().into(new ArrayList<>())).doesNotContain(prefix + "gone");
                });
    }

    @Test
    void provisioningAtStartUpCanBeTurnedOff() {
        String prefix = uniquePrefix();
        twoClusters.withUserConfiguration(Customizers.class).withPropertyValues(tenantsOnDedicated(prefix))
                .withPropertyValues("tenantry.mongodb.provision-on-startup=false")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(ProvisioningOnStartup.class);
                    assertThat(context.getBean(TenantMongo.class).cluster("dedicated").listDatabaseNames()
                            .into(new ArrayList<>())).doesNotContain(prefix + "acme");
                });
    }

    @Test
    void mongodbCatalogueIsReadFromTheAdministrationDatabaseAndCached() {
        String database = "tenantry_" + UUID.randomUUID().toString().substring(0, 8);
        try (MongoClient client = MongoClients.create(EmbeddedMongo.main().uri())) {
            MongoTenantDirectory.of(client.getDatabase(database)).register(Tenant.builder("acme").tier("gold").build());
        }
        twoClusters.withPropertyValues("tenantry.directory.source=mongodb",
                "tenantry.directory.mongodb.database=" + database, "tenantry.routing.tiers.gold.model=collection",
                "tenantry.routing.tiers.gold.database=" + database).run(context -> {
                    TenantDirectory directory = context.getBean(TenantDirectory.class);
                    assertThat(directory).isInstanceOf(CachingTenantDirectory.class);
                    assertThat(((CachingTenantDirectory) directory).delegate()).isInstanceOf(MongoTenantDirectory.class);
                    assertThat(directory.require(TenantId.of("acme")).tier()).isEqualTo("gold");
                });
        twoClusters.withPropertyValues("tenantry.directory.source=mongodb", "tenantry.directory.mongodb.cluster=eu")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("tenantry.directory.mongodb.cluster").hasMessageContaining("[main, dedicated]"));
    }

    private static String[] tenantsOnDedicated(String prefix) {
        return new String[] {"tenantry.routing.default-placement.model=database",
            "tenantry.routing.default-placement.store=dedicated", "tenantry.routing.default-placement.prefix=" + prefix,
            "tenantry.directory.tenants[0].id=acme", "tenantry.directory.tenants[1].id=bravo",
            "tenantry.directory.tenants[1].status=suspended", "tenantry.directory.tenants[2].id=gone",
            "tenantry.directory.tenants[2].status=deleted"};
    }

    private static String uniquePrefix() {
        return "p" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "_";
    }

    private static List<Object> indexKeys(MongoClient client, String database) {
        List<Object> keys = new ArrayList<>();
        client.getDatabase(database).getCollection("stock").listIndexes().forEach(index -> keys.add(index.get("key")));
        return keys;
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnTenantMongo {
        @Bean
        TenantMongo ownTenantMongo(MongoClusters clusters) {
            TenantMongo.Builder builder = TenantMongo.builder().directory(TenantDirectory.inMemory())
                    .router(tenant -> Placement.collection("main", "own"));
            clusters.clients().forEach(builder::cluster);
            return builder.build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizers {
        final List<String> calls = new ArrayList<>();

        @Bean
        @Order(2)
        TenantMongoBuilderCustomizer second() {
            return builder -> calls.add("second");
        }

        @Bean
        @Order(1)
        TenantMongoBuilderCustomizer first() {
            return builder -> {
                calls.add("first");
                builder.collection("stock", spec -> spec.index(Indexes.ascending("sku")));
            };
        }
    }
}
