package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoDatabase;
import io.tenantry.TenantId;
import io.tenantry.spi.QuotaLedger;
import io.tenantry.tck.QuotaLedgerContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The quota ledger contract on a control-plane collection, over a real driver and socket; a fresh collection per test. */
class MongoQuotaLedgerContractTest extends QuotaLedgerContract {

    private static final AtomicInteger COLLECTIONS = new AtomicInteger();

    private static TestClusters clusters;
    private static MongoDatabase control;

    @BeforeAll
    static void start() {
        clusters = TestClusters.start("main");
        control = clusters.client("main").getDatabase("control");
    }

    @AfterAll
    static void stop() {
        clusters.close();
    }

    @Override
    protected QuotaLedger emptyLedger() {
        MongoQuotaLedger ledger = MongoQuotaLedger.of(control, "quota_" + COLLECTIONS.incrementAndGet());
        ledger.createIndexes();
        return ledger;
    }

    @Test
    @DisplayName("one document per tenant and key, its pair as _id, the count a 64-bit integer")
    void oneDocumentPerCount() {
        MongoQuotaLedger ledger = MongoQuotaLedger.of(control);
        ledger.initialise(TenantId.of("acme"), "items:cards", 3);
        ledger.tryAdd(TenantId.of("acme"), "items:cards", 2, 10);
        Document stored = control.getCollection(MongoQuotaLedger.DEFAULT_COLLECTION).find().first();
        assertThat(stored).isNotNull();
        assertThat(stored.get("_id")).isEqualTo(new Document("tenant", "acme").append("key", "items:cards"));
        assertThat(stored.get("count")).isEqualTo(5L);
    }

    @Test
    @DisplayName("a tenant handle or an unacknowledged write concern is refused with the fix")
    void refusesWhatCannotHoldCounts() {
        assertThatThrownBy(() -> MongoQuotaLedger.of(control.withWriteConcern(WriteConcern.UNACKNOWLEDGED)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WriteConcern.MAJORITY");
    }
}
