package io.tenantry.mongo.lifecycle;

import static io.tenantry.mongo.lifecycle.LifecycleServers.ACME;
import static io.tenantry.mongo.lifecycle.LifecycleServers.BRAVO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.WriteConcern;
import io.tenantry.LifecycleOperation;
import io.tenantry.LifecycleOperation.Kind;
import io.tenantry.LifecycleOperation.Step;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantStatus;
import io.tenantry.mongo.MongoLifecycleJournal;
import io.tenantry.mongo.MongoTenantDirectory;
import io.tenantry.mongo.TenantMongo;
import java.time.Instant;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lifecycle journal in the control plane, and the directory's removal of entries. */
class MongoLifecycleJournalTest {

    private static final Instant T0 = Instant.ofEpochMilli(1_700_000_000_000L);

    private static LifecycleServers servers;

    @BeforeAll
    static void start() {
        servers = new LifecycleServers();
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    @BeforeEach
    void empty() {
        servers.reset();
    }

    private static LifecycleOperation move(String id, Step step, Instant startedAt) {
        return new LifecycleOperation(id, Kind.MOVE, ACME, step, LifecycleServers.FIELD_MAIN,
                LifecycleServers.DATABASE_OTHER, "enterprise", TenantStatus.ACTIVE, startedAt, startedAt.plusMillis(5),
                "");
    }

    @Test
    void savesEveryFieldReplacesByIdAndListsOldestFirstAcrossInstances() {
        MongoLifecycleJournal journal = MongoLifecycleJournal.of(servers.control());
        LifecycleOperation deletion = new LifecycleOperation("b-delete", Kind.DELETE, BRAVO, Step.STARTED,
                LifecycleServers.COLLECTION_OTHER, null, null, TenantStatus.SUSPENDED, T0, T0, "");
        journal.save(move("a-move", Step.STARTED, T0.plusSeconds(1)));
        journal.save(deletion);
        LifecycleOperation copied = move("a-move", Step.COPIED, T0.plusSeconds(1));
        journal.save(copied);

        MongoLifecycleJournal restarted = MongoLifecycleJournal.of(servers.control());
        assertThat(restarted.all()).containsExactly(deletion, copied);
        assertThat(restarted.unfinished()).containsExactly(deletion, copied);

        LifecycleOperation done = new LifecycleOperation("b-delete", Kind.DELETE, BRAVO, Step.DONE,
                LifecycleServers.COLLECTION_OTHER, null, null, TenantStatus.SUSPENDED, T0, T0.plusSeconds(9), "erased");
        restarted.save(done);
        LifecycleOperation rolledBack = move("a-move", Step.ROLLED_BACK, T0.plusSeconds(1));
        journal.save(rolledBack);
        assertThat(journal.unfinished()).isEmpty();
        assertThat(journal.all()).containsExactly(done, rolledBack);
        assertThat(servers.control().getCollection(MongoLifecycleJournal.DEFAULT_COLLECTION).countDocuments())
                .isEqualTo(2);
    }

    @Test
    void refusesTenantHandlesAndUnacknowledgedWrites() {
        TenantMongo mongo = servers.mongo(TenantDirectory.inMemory());
        assertThatThrownBy(() -> MongoLifecycleJournal.of(mongo.database()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control-plane");
        assertThatThrownBy(() -> MongoLifecycleJournal.of(servers.control().withWriteConcern(WriteConcern.UNACKNOWLEDGED)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("durable");
    }

    @Test
    void aMalformedEntryIsReportedNotSkipped() {
        servers.control().getCollection(MongoLifecycleJournal.DEFAULT_COLLECTION)
                .insertOne(new Document("_id", "x").append("kind", "MOVE"));
        assertThatThrownBy(() -> MongoLifecycleJournal.of(servers.control()).all())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("entry x");
    }

    @Test
    void theDirectoryRemovesATenantIdempotentlyAndNoOtherOne() {
        MongoTenantDirectory directory = MongoTenantDirectory.of(servers.control());
        directory.register(Tenant.builder(ACME).build());
        directory.register(Tenant.builder(BRAVO).placement(Placement.field("main", "app")).build());
        directory.remove(ACME);
        directory.remove(ACME);
        assertThat(directory.find(ACME)).isEmpty();
        assertThat(directory.list()).extracting(Tenant::id).containsExactly(BRAVO);
    }
}
