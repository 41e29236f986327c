package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.IsolationModel;
import io.tenantry.Placement;
import io.tenantry.Quota;
import io.tenantry.QuotaExceededException;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantMetering;
import io.tenantry.TenantQuotas;
import io.tenantry.TenantRouter;
import io.tenantry.spi.QuotaLedger;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.DocumentCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A storage quota on MongoDB: each insert reserves its documents' BSON size, starting from the tenant's measured
 * storage, and an insert that would pass the limit is refused with nothing written; a tenant of a tier without
 * the quota writes on.
 */
class QuotaBytesTest {

    private static final long LIMIT = 2_000;

    private static TestClusters clusters;
    private static TenantDirectory directory;
    private static QuotaLedger ledger;
    private static TenantMongo mongo;

    @BeforeAll
    static void start() {
        clusters = TestClusters.start("main");
        directory = TenantDirectory.inMemory();
        ledger = QuotaLedger.inMemory();
        io.tenantry.RuleRouter.Builder routes = TenantRouter.builder();
        for (IsolationModel model : IsolationModel.values()) {
            String tier = model.name().toLowerCase(Locale.ROOT);
            Placement placement = switch (model) {
                case FIELD -> Placement.field("main", "b_field");
                case COLLECTION -> Placement.collection("main", "b_shared");
                case DATABASE -> Placement.database("main", "b_");
            };
            routes.tier(tier, placement).tier("big-" + tier, placement);
        }
        TenantRouter router = routes.build();
        AtomicReference<TenantMetering> metering = new AtomicReference<>();
        TenantQuotas.Builder quotas = TenantQuotas.builder(directory, ledger).metering(t -> metering.get().usage(t));
        for (IsolationModel model : IsolationModel.values()) {
            quotas.tier(model.name().toLowerCase(Locale.ROOT), Quota.bytes(LIMIT));
        }
        mongo = clusters.addTo(TenantMongo.builder()).directory(directory).router(router).quotas(quotas.build())
                .collection("cards").build();
        metering.set(TenantMetering.builder(directory, router).meter(mongo.meter()).build());
    }

    @AfterAll
    static void stop() {
        clusters.close();
    }

    @ParameterizedTest
    @EnumSource(IsolationModel.class)
    void insertsStopAtTheStorageQuota(IsolationModel model) {
        String tier = model.name().toLowerCase(Locale.ROOT);
        TenantId tenant = register("s" + tier.charAt(0), tier);
        TenantId big = register("t" + tier.charAt(0), "big-" + tier);
        long size = new RawBsonDocument(new Document("_id", 0).append("body", "x".repeat(400)), new DocumentCodec())
                .getByteBuffer().remaining();
        TenantContext.runAs(tenant, () -> {
            int written = 0;
            QuotaExceededException refused = null;
            for (int i = 0; i < 20 && refused == null; i++) {
                try {
                    mongo.collection("cards").insertOne(new Document("_id", i).append("body", "x".repeat(400)));
                    written++;
                } catch (QuotaExceededException e) {
                    refused = e;
                }
            }
            assertThat(refused).as("refused before 20 inserts of %d bytes under %d", size, LIMIT).isNotNull();
            assertThat(refused.quota()).isEqualTo(Quota.bytes(LIMIT));
            assertThat(refused.usage() + refused.requested()).isGreaterThan(LIMIT);
            assertThat(refused.usage()).isLessThanOrEqualTo(LIMIT);
            assertThat(written).isPositive();
            assertThat(mongo.collection("cards").countDocuments()).as("nothing of the refused insert").isEqualTo(written);
            assertThat(ledger.get(tenant, "bytes")).hasValue(refused.usage());
            assertThatThrownBy(() -> mongo.collection("cards").insertOne(new Document("_id", 99)
                    .append("body", "x".repeat(400)))).isInstanceOf(QuotaExceededException.class);
        });
        TenantContext.runAs(big, () -> {
            for (int i = 0; i < 20; i++) {
                mongo.collection("cards").insertOne(new Document("_id", i).append("body", "x".repeat(400)));
            }
            assertThat(mongo.collection("cards").countDocuments()).isEqualTo(20);
        });
        assertThat(ledger.counts(big)).isEmpty();
    }

    private static TenantId register(String id, String tier) {
        TenantId tenant = TenantId.of(id);
        directory.register(Tenant.builder(tenant).tier(tier).build());
        mongo.provisioning().ensure(tenant);
        return tenant;
    }
}
