package io.tenantry.mongo.lifecycle;

import static io.tenantry.mongo.lifecycle.LifecycleServers.ACME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.WriteConcern;
import io.tenantry.Placement;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantUsage;
import io.tenantry.mongo.MongoUsageHistory;
import io.tenantry.mongo.TenantMongo;
import io.tenantry.spi.UsageHistory;
import io.tenantry.tck.UsageHistoryContract;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The usage history in a control-plane collection, on a real wire-protocol server. */
class MongoUsageHistoryTest {

    private static LifecycleServers servers;

    @BeforeAll
    static void start() {
        servers = new LifecycleServers();
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    private static MongoUsageHistory emptied() {
        servers.control().getCollection(MongoUsageHistory.DEFAULT_COLLECTION).deleteMany(new Document());
        MongoUsageHistory history = MongoUsageHistory.of(servers.control());
        history.createIndexes();
        return history;
    }

    @Nested
    @DisplayName("the usage history contract, on the collection emptied for each test")
    class Contract extends UsageHistoryContract {
        @Override
        protected UsageHistory emptyHistory() {
            return emptied();
        }
    }

    @Test
    @DisplayName("one document per measurement, totals beside each collection's part, on the indexes find and purge use")
    void oneDocumentPerMeasurement() {
        MongoUsageHistory history = emptied();
        history.createIndexes();
        Instant at = Instant.parse("2024-03-05T10:00:00.123Z");
        history.record(new TenantUsage(ACME, Placement.collection("main", "app"), Map.of("cards",
                new TenantUsage.Resource(3, 16_384), "a.dotted", new TenantUsage.Resource(1, 8_192)), at));
        Document stored = servers.control().getCollection(MongoUsageHistory.DEFAULT_COLLECTION).find().first();
        assertThat(stored).isNotNull();
        stored.remove("_id");
        assertThat(stored.toJson()).isEqualTo(new Document("tenant", "acme").append("measuredAt", java.util.Date.from(at))
                .append("placement", new Document("model", "COLLECTION").append("store", "main").append("namespace", "app"))
                .append("items", 4L).append("bytes", 24_576L).append("resources", List.of(
                        new Document("name", "a.dotted").append("items", 1L).append("bytes", 8_192L),
                        new Document("name", "cards").append("items", 3L).append("bytes", 16_384L))).toJson());
        List<String> indexes = new ArrayList<>();
        servers.control().getCollection(MongoUsageHistory.DEFAULT_COLLECTION).listIndexes()
                .forEach(index -> indexes.add(index.get("key", Document.class).toJson()));
        assertThat(indexes).contains("{\"tenant\": 1, \"measuredAt\": 1}", "{\"measuredAt\": 1}");
        assertThat(history).hasToString("MongoUsageHistory(control.tenant_usage_history)");
    }

    @Test
    @DisplayName("refuses tenant handles and unacknowledged writes; reports a foreign document, never skips it")
    void clearErrors() {
        TenantMongo mongo = servers.mongo(TenantDirectory.inMemory());
        assertThatThrownBy(() -> MongoUsageHistory.of(mongo.database()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control-plane");
        assertThatThrownBy(() -> MongoUsageHistory.of(servers.control().withWriteConcern(WriteConcern.UNACKNOWLEDGED)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unacknowledged");
        MongoUsageHistory history = emptied();
        servers.control().getCollection(MongoUsageHistory.DEFAULT_COLLECTION).insertOne(new Document("_id", "x")
                .append("tenant", "acme").append("measuredAt", new java.util.Date()));
        assertThatThrownBy(() -> history.find(ACME, Instant.EPOCH, Instant.now().plusSeconds(60), 10))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Document x");
    }
}
