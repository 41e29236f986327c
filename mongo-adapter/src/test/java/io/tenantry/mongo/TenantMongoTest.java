package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.IsolationViolationException;
import io.tenantry.NoTenantBoundException;
import io.tenantry.Placement;
import io.tenantry.RoutingException;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantRouter;
import io.tenantry.TenantScope;
import io.tenantry.TenantStatus;
import io.tenantry.TenantUnavailableException;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The entry point's own behaviour: database listings, shared resources, read-only commands, configuration errors. */
class TenantMongoTest {

    private static TestClusters clusters;
    private static TenantMongo mongo;

    @BeforeAll
    static void start() {
        clusters = TestClusters.start("main", "dedicated");
        mongo = clusters.addTo(TenantMongo.builder())
                .directory(TenantDirectory.inMemory(
                        Tenant.builder("shared-one").tier("free").build(),
                        Tenant.builder("owner").tier("enterprise").build(),
                        Tenant.builder("moving").tier("enterprise").status(TenantStatus.READ_ONLY).build()))
                .router(TenantRouter.builder()
                        .tier("free", Placement.field("main", "tm_shared"))
                        .tier("enterprise", Placement.database("dedicated", "tm_"))
                        .build())
                .sharedResources("main", "reference")
                .collection("cards")
                .build();
        clusters.client("main").getDatabase("reference").getCollection("currencies")
                .insertOne(new Document("_id", "EUR"));
    }

    @AfterAll
    static void stop() {
        clusters.close();
    }

    @Test
    void listDatabaseNamesShowsOnlyTheCurrentTenantsDatabase() {
        TenantContext.runAs(TenantId.of("owner"), () -> mongo.collection("cards").insertOne(new Document()));
        assertThat(TenantContext.callAs(TenantId.of("owner"), mongo::listDatabaseNames)).containsExactly("tm_owner");
        assertThat(TenantContext.callAs(TenantId.of("shared-one"), mongo::listDatabaseNames)).containsExactly("tm_shared");
        assertThatThrownBy(mongo::listDatabaseNames).isInstanceOf(NoTenantBoundException.class);
    }

    @Test
    void sharedResourcesAreReadableByEveryTenantAndWritableOnlyInASystemScope() {
        TenantContext.runAs(TenantId.of("owner"), () -> {
            assertThat(mongo.sharedResources().getCollection("currencies").find().into(new ArrayList<>())).hasSize(1);
            assertThatThrownBy(() -> mongo.sharedResources().getCollection("currencies")
                    .insertOne(new Document("_id", "XXX"))).isInstanceOf(IsolationViolationException.class);
        });
        try (TenantScope admin = TenantContext.openSystem("currency import")) {
            mongo.sharedResources().getCollection("currencies").insertOne(new Document("_id", "USD"));
        }
        assertThat(clusters.client("main").getDatabase("reference").getCollection("currencies").countDocuments())
                .isEqualTo(2);
    }

    @Test
    void readOnlyTenantsMayRunReadingCommandsButNotWritingOnes() {
        TenantContext.runAs(TenantId.of("moving"), () -> {
            assertThat(mongo.database().runCommand(new Document("ping", 1)).get("ok", Number.class).intValue()).isOne();
            assertThat(mongo.database().runCommand(new Document("count", "cards")).get("n", Number.class).intValue())
                    .isZero();
            assertThatThrownBy(() -> mongo.database().runCommand(new Document("insert", "cards")
                    .append("documents", List.of(new Document())))).isInstanceOf(TenantUnavailableException.class);
            assertThatThrownBy(() -> mongo.database().runCommand(new Document("aggregate", "cards")
                    .append("pipeline", List.of(new Document("$out", "copy"))).append("cursor", new Document())))
                    .isInstanceOf(TenantUnavailableException.class);
        });
    }

    @Test
    void aCollectionReopenedByItsNamespaceIsTheSameCollectionOnEveryModel() {
        TenantMongo hybrid = clusters.addTo(TenantMongo.builder())
                .directory(TenantDirectory.inMemory(Tenant.builder("f1").tier("free").build(),
                        Tenant.builder("c1").tier("premium").build(), Tenant.builder("d1").tier("enterprise").build()))
                .router(TenantRouter.builder().tier("free", Placement.field("main", "ns_shared"))
                        .tier("premium", Placement.collection("main", "ns_collection"))
                        .tier("enterprise", Placement.database("dedicated", "ns_")).build())
                .build();
        for (String tenant : List.of("f1", "c1", "d1")) {
            TenantContext.runAs(TenantId.of(tenant), () -> {
                hybrid.collection("cards").insertOne(new Document("name", tenant));
                String reopened = hybrid.collection("cards").getNamespace().getCollectionName();
                assertThat(reopened).as(tenant).isEqualTo("cards");
                assertThat(hybrid.database().getCollection(reopened).countDocuments()).as(tenant).isOne();
            });
        }
    }

    @Test
    void aPlacementNamingAnUnknownClusterFailsWithTheConfiguredNames() {
        TenantMongo misrouted = clusters.addTo(TenantMongo.builder())
                .directory(TenantDirectory.inMemory(Tenant.builder("lost").build()))
                .router(TenantRouter.builder().otherwise(Placement.database("nowhere", "x_")).build())
                .build();
        TenantContext.runAs(TenantId.of("lost"), () -> assertThatThrownBy(() -> misrouted.collection("cards").find().first())
                .isInstanceOf(RoutingException.class).hasMessageContaining("\"nowhere\"").hasMessageContaining("main"));
    }

    @Test
    void builderRefusesIncompleteOrInvalidConfiguration() {
        assertThatThrownBy(() -> TenantMongo.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("directory");
        assertThatThrownBy(() -> TenantMongo.builder().tenantField("$tenant")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TenantMongo.builder().tenantField("a.b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TenantMongo.builder().collection("cards").collection("cards"))
                .isInstanceOf(IllegalArgumentException.class);
        TenantMongo withoutShared = clusters.addTo(TenantMongo.builder())
                .directory(TenantDirectory.inMemory()).router(TenantRouter.builder().build()).build();
        assertThatThrownBy(withoutShared::sharedResources).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(".sharedResources(");
    }
}
