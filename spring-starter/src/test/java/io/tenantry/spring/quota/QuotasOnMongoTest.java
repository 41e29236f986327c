package io.tenantry.spring.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.tenantry.QuotaExceededException;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.TenantQuotas;
import io.tenantry.mongo.MongoQuotaLedger;
import io.tenantry.mongo.MongoTenantDirectory;
import io.tenantry.mongo.TenantMongo;
import io.tenantry.spi.QuotaLedger;
import io.tenantry.spring.EmbeddedMongo;
import io.tenantry.spring.TenantryAutoConfiguration;
import io.tenantry.spring.metering.TenantryMeteringAutoConfiguration;
import io.tenantry.spring.mongo.TenantryMongoAutoConfiguration;
import java.util.List;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Quotas wired on MongoDB: TenantMongo refuses writes past the tier's quota, counting in the control plane. */
class QuotasOnMongoTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId BRAVO = TenantId.of("bravo");

    @Test
    @DisplayName("TenantMongo refuses inserts past the quota, the counts live beside the catalogue, metering reconciles them")
    void quotasOnMongoDb() {
        String admin = "tenantry_" + UUID.randomUUID().toString().substring(0, 8);
        String shared = "app_" + UUID.randomUUID().toString().substring(0, 8);
        try (MongoClient client = MongoClients.create(EmbeddedMongo.main().uri())) {
            MongoTenantDirectory directory = MongoTenantDirectory.of(client.getDatabase(admin));
            directory.register(Tenant.builder(ACME).tier("free").build());
            directory.register(Tenant.builder(BRAVO).tier("free").build());
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(TenantryAutoConfiguration.class,
                            TenantryMongoAutoConfiguration.class, TenantryMeteringAutoConfiguration.class,
                            TenantryQuotaAutoConfiguration.class))
                    .withPropertyValues("tenantry.mongodb.clusters.main=" + EmbeddedMongo.main().uri(),
                            "tenantry.directory.source=mongodb", "tenantry.directory.mongodb.database=" + admin,
                            "tenantry.mongodb.tenant-field=tenantId", "tenantry.routing.tiers.free.model=field",
                            "tenantry.routing.tiers.free.database=" + shared, "tenantry.metering.initial-delay=1h",
                            "tenantry.quotas.enabled=true", "tenantry.quotas.ledger=mongodb",
                            "tenantry.quotas.tiers.free.items.cards=3")
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(context.getBean(QuotaLedger.class)).isInstanceOf(MongoQuotaLedger.class);
                        TenantMongo mongo = context.getBean(TenantMongo.class);
                        TenantContext.runAs(ACME, () -> {
                            for (int i = 0; i < 3; i++) {
                                mongo.collection("cards").insertOne(new Document("n", i));
                            }
                            assertThatThrownBy(() -> mongo.collection("cards").insertOne(new Document("n", 3)))
                                    .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                                        assertThat(e.quota().key()).isEqualTo("items:cards");
                                        assertThat(e.usage()).isEqualTo(3);
                                    });
                        });
                        TenantContext.runAs(BRAVO, () -> mongo.collection("cards").insertMany(List.of(
                                new Document("n", 1), new Document("n", 2), new Document("n", 3))));
                        assertThat(client.getDatabase(shared).getCollection("cards")
                                .countDocuments(new Document("tenantId", "acme"))).isEqualTo(3);
                        assertThat(client.getDatabase(admin).getCollection(MongoQuotaLedger.DEFAULT_COLLECTION)
                                .countDocuments()).isEqualTo(2);

                        // a document removed around Tenantry: the next metering run reconciles the count
                        client.getDatabase(shared).getCollection("cards")
                                .deleteOne(new Document("tenantId", "acme"));
                        context.getBean(io.tenantry.TenantMetering.class).usageOfAll(1,
                                context.getBean(TenantQuotas.class));
                        assertThat(context.getBean(QuotaLedger.class).get(ACME, "items:cards")).hasValue(2);
                        TenantContext.runAs(ACME, () -> mongo.collection("cards").insertOne(new Document("n", 4)));
                    });
        }
    }
}
