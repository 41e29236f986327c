package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import io.tenantry.Placement;
import io.tenantry.StoreUnavailableException;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantRouter;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One cluster unreachable: tenants on the other keep working; the affected tenant gets a clear, prompt error. */
class ClusterFaultTest {

    private static final Duration SELECTION_TIMEOUT = Duration.ofMillis(500);

    private static TestClusters healthy;
    private static MongoClient unreachable;
    private static TenantMongo mongo;

    @BeforeAll
    static void start() throws Exception {
        healthy = TestClusters.start("main");
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        unreachable = MongoClients.create(MongoClientSettings.builder()
                .applyToClusterSettings(c -> c.hosts(List.of(new com.mongodb.ServerAddress("127.0.0.1", closedPort)))
                        .serverSelectionTimeout(SELECTION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .applyToSocketSettings(s -> s.connectTimeout(200, TimeUnit.MILLISECONDS))
                .build());
        TenantDirectory directory = TenantDirectory.inMemory(
                Tenant.builder("healthy").tier("free").build(),
                Tenant.builder("stranded").tier("enterprise").build(),
                Tenant.builder("stranded-shared").tier("free-down").build(),
                Tenant.builder("stranded-collection").tier("premium-down").build());
        TenantRouter router = TenantRouter.builder()
                .tier("free", Placement.field("main", "fault_shared"))
                .tier("enterprise", Placement.database("down", "fault_"))
                .tier("free-down", Placement.field("down", "fault_shared"))
                .tier("premium-down", Placement.collection("down", "fault_collection"))
                .build();
        mongo = healthy.addTo(TenantMongo.builder()).cluster("down", unreachable)
                .directory(directory).router(router).collection("cards").build();
    }

    @AfterAll
    static void stop() {
        unreachable.close();
        healthy.close();
    }

    @Test
    void tenantsOnTheHealthyClusterKeepWorking() {
        TenantContext.runAs(TenantId.of("healthy"), () -> {
            mongo.collection("cards").insertOne(new Document("name", "pikachu"));
            assertThat(mongo.collection("cards").countDocuments(Filters.eq("name", "pikachu"))).isEqualTo(1);
        });
    }

    @Test
    void theStrandedTenantGetsAnErrorNamingItsClusterWithinTheTimeout() {
        long start = System.nanoTime();
        TenantContext.runAs(TenantId.of("stranded"), () -> {
            assertThatThrownBy(() -> mongo.collection("cards").insertOne(new Document("name", "mew")))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("\"down\"").hasMessageContaining("\"stranded\"")
                    .satisfies(e -> assertThat(((StoreUnavailableException) e).store()).isEqualTo("down"));
            assertThatThrownBy(() -> mongo.collection("cards").find().first())
                    .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("\"down\"");
        });
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(elapsed).as("two calls, each bounded by the server selection timeout")
                .isLessThan(SELECTION_TIMEOUT.multipliedBy(2).plusSeconds(3));
    }

    /*
     * Iterables fail only when run, after the routing call that made them has returned; on every model
     * they must still name the cluster, also through option setters and a cursor.
     */
    @ParameterizedTest
    @ValueSource(strings = {"stranded", "stranded-shared", "stranded-collection"})
    void iterablesOfEveryModelNameTheClusterWhenRun(String tenant) {
        TenantContext.runAs(TenantId.of(tenant), () -> {
            assertThatThrownBy(() -> mongo.collection("cards").find(Filters.eq("name", "mew")).limit(3).iterator())
                    .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("\"down\"")
                    .hasMessageContaining("\"" + tenant + "\"");
            assertThatThrownBy(() -> mongo.database().listCollectionNames().into(new java.util.ArrayList<>()))
                    .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("\"down\"");
        });
    }
}
