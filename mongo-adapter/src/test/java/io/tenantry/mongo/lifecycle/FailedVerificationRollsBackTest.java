package io.tenantry.mongo.lifecycle;

import static io.tenantry.mongo.lifecycle.LifecycleServers.ACME;
import static io.tenantry.mongo.lifecycle.LifecycleServers.BRAVO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.IsolationViolationException;
import io.tenantry.LifecycleOperation;
import io.tenantry.LifecycleProgress;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDigest;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycle;
import io.tenantry.TenantLifecycleException;
import io.tenantry.TenantStatus;
import io.tenantry.mongo.MongoLifecycleJournal;
import io.tenantry.mongo.MongoTenantDirectory;
import io.tenantry.mongo.TenantMongo;
import io.tenantry.spi.TenantDataStore;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A copy that does not match its source is never switched to: the move fails, the copy is erased, and
 * the tenant stays where it was with its data, writable again. Shown with a data store that loses a
 * document, one that changes a value, and documents the target's model cannot hold as they are.
 */
class FailedVerificationRollsBackTest {

    private static final Placement SOURCE = LifecycleServers.FIELD_MAIN;

    private static LifecycleServers servers;
    private MongoTenantDirectory directory;
    private MongoLifecycleJournal journal;
    private TenantMongo mongo;

    @BeforeAll
    static void start() {
        servers = new LifecycleServers();
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    @BeforeEach
    void tenants() {
        servers.reset();
        directory = MongoTenantDirectory.of(servers.control());
        directory.register(Tenant.builder(ACME).placement(SOURCE).build());
        directory.register(Tenant.builder(BRAVO).placement(SOURCE).build());
        journal = MongoLifecycleJournal.of(servers.control());
        mongo = servers.mongo(directory);
        for (TenantId tenant : List.of(ACME, BRAVO)) {
            TenantContext.runAs(tenant, () -> mongo.collection("cards").insertMany(List.of(
                    new Document("_id", 1).append("n", 1), new Document("_id", 2).append("n", 2),
                    new Document("_id", 3).append("n", 3))));
        }
    }

    /** A data store whose copies are spoiled by {@code spoil} after they are written. */
    private TenantDataStore spoiling(Consumer<Placement> spoil) {
        TenantDataStore store = mongo.dataStore();
        return new TenantDataStore() {
            @Override
            public boolean serves(Placement placement) {
                return store.serves(placement);
            }

            @Override
            public void provision(TenantId tenant, Placement placement) {
                store.provision(tenant, placement);
            }

            @Override
            public void copy(TenantId tenant, Placement from, Placement to, CopyProgress progress) {
                store.copy(tenant, from, to, progress);
                spoil.accept(to);
            }

            @Override
            public TenantDigest digest(TenantId tenant, Placement placement) {
                return store.digest(tenant, placement);
            }

            @Override
            public void erase(TenantId tenant, Placement placement) {
                store.erase(tenant, placement);
            }
        };
    }

    private void assertStillAtTheSourceWithItsData(Placement target) {
        Tenant acme = directory.require(ACME);
        assertThat(mongo.placement(ACME)).isEqualTo(SOURCE);
        assertThat(acme.status()).isEqualTo(TenantStatus.ACTIVE);
        assertThat(LifecycleServers.read(mongo, ACME, Set.of("cards"))).isEqualTo(LifecycleServers.expected(Map.of(
                "cards", List.of(BsonDocument.parse("{_id: 1, n: 1}"), BsonDocument.parse("{_id: 2, n: 2}"),
                        BsonDocument.parse("{_id: 3, n: 3}")))));
        assertThat(mongo.dataStore().digest(ACME, target).resources()).isEmpty();
        assertThat(LifecycleServers.traces(servers.scan(), ACME))
                .allSatisfy(location -> assertThat(servers.within(location, SOURCE, ACME)).isTrue());
        assertThat(journal.all()).singleElement().satisfies(
                op -> assertThat(op.step()).isEqualTo(LifecycleOperation.Step.ROLLED_BACK));
        TenantContext.runAs(ACME, () -> mongo.collection("cards").insertOne(new Document("_id", 4)));
        assertThat(TenantContext.callAs(BRAVO, () -> mongo.collection("cards").countDocuments())).isEqualTo(3);
    }

    @Test
    void aCopyMissingADocumentIsErasedAndTheTenantStaysWritableAtTheSource() {
        Placement target = LifecycleServers.DATABASE_OTHER;
        TenantLifecycle lifecycle = TenantLifecycle.builder(directory, LifecycleServers.router())
                .store(spoiling(to -> servers.other.getDatabase("u_acme").getCollection("cards")
                        .deleteOne(new Document("_id", 2))))
                .journal(journal).build();

        assertThatThrownBy(() -> lifecycle.move(ACME, target, LifecycleProgress.Listener.none()))
                .isInstanceOf(TenantLifecycleException.class).hasMessageContaining("does not match")
                .hasMessageContaining("cards: 3 item(s)").hasMessageContaining("vs 2 item(s)")
                .hasMessageContaining("stays at " + SOURCE);
        assertStillAtTheSourceWithItsData(target);
    }

    @Test
    void aCopyWithAChangedValueIsErasedAndTheTenantStaysWritableAtTheSource() {
        Placement target = LifecycleServers.FIELD_OTHER;
        TenantLifecycle lifecycle = TenantLifecycle.builder(directory, LifecycleServers.router())
                .store(spoiling(to -> servers.other.getDatabase("app2").getCollection("cards").updateOne(
                        new Document("tenantId", "acme").append("n", 3), new Document("$set", new Document("n", 4L)))))
                .journal(journal).build();

        assertThatThrownBy(() -> lifecycle.move(ACME, target, LifecycleProgress.Listener.none()))
                .isInstanceOf(TenantLifecycleException.class).hasMessageContaining("does not match")
                .hasMessageContaining("cards: 3 item(s)").hasMessageContaining("vs 3 item(s)");
        assertStillAtTheSourceWithItsData(target);
    }

    @Test
    void aDocumentCarryingAnotherTenantsFieldCannotMoveToFieldAndTheMoveIsUndoneAtOnce() {
        Placement own = LifecycleServers.DATABASE_MAIN;
        TenantLifecycle lifecycle = TenantLifecycle.builder(directory, LifecycleServers.router())
                .store(mongo.dataStore()).journal(journal).build();
        lifecycle.move(ACME, own, LifecycleProgress.Listener.none());
        TenantContext.runAs(ACME, () -> mongo.collection("cards").insertOne(new Document("_id", 9).append("tenantId",
                "bravo")));

        assertThatThrownBy(() -> lifecycle.move(ACME, SOURCE, LifecycleProgress.Listener.none()))
                .isInstanceOf(TenantLifecycleException.class).hasMessageContaining("tenantId")
                .hasMessageContaining("undone").hasCauseInstanceOf(IsolationViolationException.class);
        assertThat(lifecycle.recover()).as("nothing is left for recovery").isEmpty();
        assertThat(lifecycle.operations()).last()
                .satisfies(op -> assertThat(op.step()).isEqualTo(LifecycleOperation.Step.ROLLED_BACK));

        assertThat(mongo.placement(ACME)).isEqualTo(own);
        assertThat(directory.require(ACME).status()).isEqualTo(TenantStatus.ACTIVE);
        assertThat(TenantContext.callAs(ACME, () -> mongo.collection("cards").countDocuments())).isEqualTo(4);
        assertThat(servers.main.getDatabase("app").getCollection("cards").countDocuments(new Document("tenantId", "acme")))
                .isZero();
    }

    @Test
    void aDocumentCarryingItsOwnTenantFieldDoesNotVerifyOnFieldSoNothingIsSilentlyDropped() {
        Placement own = LifecycleServers.DATABASE_MAIN;
        TenantLifecycle lifecycle = TenantLifecycle.builder(directory, LifecycleServers.router())
                .store(mongo.dataStore()).journal(journal).build();
        lifecycle.move(ACME, own, LifecycleProgress.Listener.none());
        TenantContext.runAs(ACME, () -> mongo.collection("cards").insertOne(new Document("_id", 9).append("tenantId",
                "acme")));

        assertThatThrownBy(() -> lifecycle.move(ACME, LifecycleServers.FIELD_OTHER, LifecycleProgress.Listener.none()))
                .isInstanceOf(TenantLifecycleException.class).hasMessageContaining("does not match");

        assertThat(mongo.placement(ACME)).isEqualTo(own);
        assertThat(TenantContext.callAs(ACME, () -> mongo.collection("cards").find(new Document("_id", 9)).first()))
                .isEqualTo(new Document("_id", 9).append("tenantId", "acme"));
        assertThat(mongo.dataStore().digest(ACME, LifecycleServers.FIELD_OTHER).resources()).isEmpty();
    }
}
