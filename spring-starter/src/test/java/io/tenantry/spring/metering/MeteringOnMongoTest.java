package io.tenantry.spring.metering;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.TenantMetering;
import io.tenantry.TenantUsage;
import io.tenantry.mongo.MongoTenantDirectory;
import io.tenantry.mongo.MongoUsageHistory;
import io.tenantry.mongo.TenantMongo;
import io.tenantry.spi.UsageHistory;
import io.tenantry.spring.EmbeddedMongo;
import io.tenantry.spring.TenantryAutoConfiguration;
import io.tenantry.spring.mongo.TenantryMongoAutoConfiguration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Metering on MongoDB, the catalogue and the usage history in the same administration database. */
class MeteringOnMongoTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId BRAVO = TenantId.of("bravo");

    @Test
    @DisplayName("a run measures what TenantMetering measures and keeps it beside the catalogue; a properties catalogue keeps none")
    void usageOnMongoDb() {
        String admin = "tenantry_" + UUID.randomUUID().toString().substring(0, 8);
        String shared = "app_" + UUID.randomUUID().toString().substring(0, 8);
        try (MongoClient client = MongoClients.create(EmbeddedMongo.main().uri())) {
            MongoTenantDirectory directory = MongoTenantDirectory.of(client.getDatabase(admin));
            directory.register(Tenant.builder(ACME).tier("free").build());
            directory.register(Tenant.builder(BRAVO).tier("pro").build());
            ApplicationContextRunner runner = new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(TenantryAutoConfiguration.class,
                            TenantryMongoAutoConfiguration.class, TenantryMeteringAutoConfiguration.class))
                    .withPropertyValues("tenantry.mongodb.clusters.main=" + EmbeddedMongo.main().uri(),
                            "tenantry.directory.mongodb.database=" + admin, "tenantry.mongodb.tenant-field=tenantId",
                            "tenantry.routing.tiers.free.model=field", "tenantry.routing.tiers.free.database=" + shared,
                            "tenantry.routing.tiers.pro.model=collection", "tenantry.routing.tiers.pro.database=" + shared + "_pro",
                            "tenantry.metering.initial-delay=1h");
            runner.withPropertyValues("tenantry.directory.source=mongodb").run(context -> {
                TenantMongo mongo = context.getBean(TenantMongo.class);
                for (TenantId tenant : List.of(ACME, BRAVO)) {
                    int cards = tenant.equals(ACME) ? 5 : 2;
                    TenantContext.runAs(tenant, () -> {
                        for (int i = 0; i < cards; i++) {
                            mongo.collection("cards").insertOne(new Document("name", tenant + " card " + i));
                        }
                    });
                }
                assertThat(context.getBean(MeteringJob.class).run()).isTrue();
                TenantMetering metering = context.getBean(TenantMetering.class);
                MeteringSnapshot snapshot = context.getBean(MeteringSnapshot.class);
                for (TenantId tenant : List.of(ACME, BRAVO)) {
                    TenantUsage direct = metering.usage(tenant);
                    assertThat(snapshot.usage(tenant).orElseThrow().resources()).isEqualTo(direct.resources());
                }
                assertThat(snapshot.usage(ACME).orElseThrow().items("cards")).isEqualTo(5);
                assertThat(snapshot.usage(BRAVO).orElseThrow().items("cards")).isEqualTo(2);

                assertThat(context.getBean(UsageHistory.class)).isInstanceOf(MongoUsageHistory.class);
                assertThat(client.getDatabase(admin).getCollection(MongoUsageHistory.DEFAULT_COLLECTION)
                        .countDocuments(new Document("tenant", "acme").append("items", 5L))).isEqualTo(1);
                assertThat(context.getBean(UsageHistory.class).find(BRAVO, Instant.EPOCH,
                        Instant.now().plusSeconds(1), 10)).extracting(u -> u.items("cards")).containsExactly(2L);
            });
            runner.withPropertyValues("tenantry.directory.tenants[0].id=acme", "tenantry.directory.tenants[0].tier=free")
                    .run(context -> assertThat(context).hasSingleBean(MeteringJob.class)
                            .doesNotHaveBean(UsageHistory.class));
        }
    }
}
