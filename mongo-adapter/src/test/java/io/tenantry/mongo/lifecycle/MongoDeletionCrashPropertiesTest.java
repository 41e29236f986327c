package io.tenantry.mongo.lifecycle;

import static io.tenantry.mongo.lifecycle.LifecycleServers.ACME;
import static io.tenantry.mongo.lifecycle.LifecycleServers.PLACEMENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.tenantry.AuditEvent;
import io.tenantry.IsolationModel;
import io.tenantry.LifecycleOperation;
import io.tenantry.LifecycleOperation.Kind;
import io.tenantry.LifecycleOperation.Step;
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
import io.tenantry.mongo.lifecycle.Fuses.Crash;
import io.tenantry.mongo.lifecycle.Fuses.Fuse;
import io.tenantry.spi.AuditSink;
import io.tenantry.spi.LifecycleJournal;
import io.tenantry.spi.TenantDataStore;
import io.tenantry.tck.Trials;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Crash injection for deletions on two wire-protocol clusters: tenant acme, with random documents of many shapes
 * ({@link Shapes}) and maybe an index of its own, on a random one of the six placements ({@link
 * LifecycleServers}: FIELD, COLLECTION and DATABASE on each cluster) and with a random status, is deleted by a
 * "process" that dies at a random event (before or after any journal write, directory update or removal, or
 * erase; or half-way through the erase: its documents gone from one shared collection, or one of its collections
 * dropped, and the rest still there). A restarted process (new directory, journal, TenantMongo and data store
 * over the same servers) recovers. Then no operation is unfinished, and either the process died before the
 * deletion was journaled and nothing changed (acme in the directory with its status, its digest, its documents
 * read as itself, and everything of it scanned raw as before), or the deletion is finished: acme is out of the
 * directory, the journal holds its deletion at {@code DONE}, the audit sink got a {@code TENANT_DELETED} for it
 * (one when the process did not die), and a raw scan of every database and collection of both clusters finds no
 * database or collection named for it and no document of it (by the tenant field or the tenant in a FIELD id) in
 * any shared collection. In every case everything else on both clusters, the control plane left out (every other
 * collection, document and index, scanned raw), is exactly what it was, and twelve witnesses, two on each
 * placement with ids a naive naming confuses with {@code acme} ({@code acme1}, {@code acme_1}, {@code acme-2},
 * ...), off the FIELD model with documents that carry {@code tenantId: "acme"} as ordinary data, keep their
 * digests and documents read as themselves.
 *
 * <p>{@value #DEFAULT_TRIES} tries by default; {@code -Dtenantry.lifecycle.tries=N} for more,
 * {@code -Dtenantry.tck.seed=...} to replay a reported one.
 */
class MongoDeletionCrashPropertiesTest {

    private static final int DEFAULT_TRIES = 30;
    /**
     * How many events a deletion that does not die has (four journal writes, a directory update, an erase
     * and a removal, each with a before and an after); a try that does not die checks it still is so.
     */
    private static final int EVENTS = 14;
    private static final Map<TenantId, Placement> WITNESSES = witnesses();

    private static LifecycleServers servers;
    /** Every audit event since the last {@code clear()}, from the dying and the restarted process alike. */
    private static final List<AuditEvent> AUDITED = new CopyOnWriteArrayList<>();
    private static AuditSink previousSink;
    /** How the tries ended; logged at the end. */
    private static final Map<String, Integer> OUTCOMES = new TreeMap<>();

    @BeforeAll
    static void start() {
        previousSink = TenantContext.auditSink();
        AuditSink previous = previousSink;
        TenantContext.auditSink(event -> {
            AUDITED.add(event);
            previous.record(event);
        });
        servers = new LifecycleServers();
    }

    @AfterAll
    static void stop() {
        org.slf4j.LoggerFactory.getLogger(MongoDeletionCrashPropertiesTest.class).info("Deletions by outcome: {}",
                OUTCOMES);
        TenantContext.auditSink(previousSink);
        servers.close();
    }

    /** Two witnesses on each placement: {@code acme1} and {@code acme_1}, {@code acme_2} and {@code acme-2}, ... */
    private static Map<TenantId, Placement> witnesses() {
        Map<TenantId, Placement> witnesses = new LinkedHashMap<>();
        List<String> separators = List.of("", "_", "-");
        for (int i = 0; i < PLACEMENTS.size(); i++) {
            for (int j = 0; j < 2; j++) {
                witnesses.put(TenantId.of(ACME.value() + separators.get((i + j) % 3) + (i + 1)), PLACEMENTS.get(i));
            }
        }
        return witnesses;
    }

    /**
     * One try: acme's documents, index, placement and status, the witnesses' documents, and where the process
     * dies: at event {@code crashAt} (counting from 0; at or past {@link #EVENTS} it does not die), or, when
     * {@code halfWay}, in the middle of the erase.
     */
    record Sample(Map<String, List<BsonDocument>> acme, boolean acmeIndex,
            Map<TenantId, Map<String, List<BsonDocument>>> witnesses, Placement placement, TenantStatus status,
            int crashAt, boolean halfWay) {

        @Override
        public String toString() {
            Map<String, Integer> sizes = new TreeMap<>();
            acme.forEach((name, documents) -> sizes.put(name, documents.size()));
            return "delete at " + placement + ", " + status + ", " + (halfWay ? "dies half-way through the erase"
                    : crashAt >= EVENTS ? "does not die" : "dies at event " + crashAt) + ", acme " + sizes
                    + (acmeIndex ? " with an index of its own" : "");
        }
    }

    private static Sample sample(SplittableRandom random) {
        Placement placement = PLACEMENTS.get(random.nextInt(PLACEMENTS.size()));
        TenantStatus status = switch (random.nextInt(4)) {
            case 0 -> TenantStatus.SUSPENDED;
            case 1 -> TenantStatus.READ_ONLY;
            default -> TenantStatus.ACTIVE;
        };
        Map<TenantId, Map<String, List<BsonDocument>>> witnesses = new LinkedHashMap<>();
        WITNESSES.forEach((witness, at) -> witnesses.put(witness,
                Shapes.data(random, 4, at.model() == IsolationModel.FIELD ? null : ACME.value())));
        boolean halfWay = random.nextInt(6) == 0;
        // event 0, before the deletion is journaled, drawn more often: it is the one case where nothing may happen
        int crashAt = halfWay ? -1 : random.nextInt(8) == 0 ? 0 : random.nextInt(EVENTS + 2);
        return new Sample(Shapes.data(random, 8, null), random.nextBoolean(), witnesses, placement, status, crashAt,
                halfWay);
    }

    private static int tries() {
        return Math.max(1, Integer.getInteger("tenantry.lifecycle.tries", DEFAULT_TRIES));
    }

    @Test
    void aDeletionInterruptedAnywhereIsFinishedOnRecoveryOrNeverStartedAndNothingElseChanges() {
        Trials.forAll("a deletion interrupted anywhere is finished on recovery, or never started", tries(),
                MongoDeletionCrashPropertiesTest::sample, MongoDeletionCrashPropertiesTest::deletionDiesAndRecovers);
    }

    private static void deletionDiesAndRecovers(Sample s) {
        Before before = arrange(s.placement(), s.acme(), s.acmeIndex(), s.witnesses(), s.status());
        AUDITED.clear();

        Fuse fuse = new Fuse(s.crashAt());
        Process dying = Process.start();
        TenantDataStore store = s.halfWay() ? diesHalfWayThroughErase(dying.store()) : dying.store();
        boolean crashed = false;
        try {
            TenantLifecycle.builder(Fuses.directory(dying.directory(), fuse), LifecycleServers.router())
                    .store(Fuses.store(store, fuse)).journal(Fuses.journal(dying.journal(), fuse)).build()
                    .delete(ACME);
        } catch (Crash e) {
            crashed = true;
        }
        if (!s.halfWay()) {
            assertThat(crashed).as("died").isEqualTo(s.crashAt() < fuse.events());
        }
        if (!crashed) {
            assertThat(fuse.events()).as("events of a deletion that does not die (raise EVENTS to cover them all)")
                    .isLessThanOrEqualTo(EVENTS);
        }
        boolean endedBeforeItDied = crashed && dying.journal().all().stream().anyMatch(op -> op.step().terminal());

        Process restarted = Process.start();
        restarted.lifecycle().recover();

        assertThat(restarted.journal().unfinished()).as("unfinished operations").isEmpty();
        Raw after = Raw.now();
        assertSame("everything but acme on both clusters, scanned raw", after.others(), before.others());
        List<LifecycleOperation> operations = restarted.journal().all();
        List<AuditEvent> deletions = deletionsAudited();
        if (operations.isEmpty()) {
            assertThat(crashed).as("a deletion that did not die is journaled").isTrue();
            OUTCOMES.merge("died before it was journaled: untouched", 1, Integer::sum);
            Tenant acme = restarted.directory().require(ACME);
            assertThat(acme.status()).isEqualTo(s.status());
            assertThat(acme.placement()).contains(s.placement());
            assertThat(restarted.store().digest(ACME, s.placement())).isEqualTo(before.digest());
            assertSame("acme's collections, databases and documents, scanned raw", after.acme(), before.acme());
            assertThat(deletions).as("deletions of acme audited").isEmpty();
            if (s.status() == TenantStatus.ACTIVE) {
                assertThat(LifecycleServers.read(restarted.mongo(), ACME, Set.copyOf(Shapes.NAMES)))
                        .as("acme's documents read as acme").isEqualTo(before.documents());
            }
        } else {
            OUTCOMES.merge(!crashed ? "not interrupted" : s.halfWay() ? "died half-way through the erase, finished"
                    : endedBeforeItDied ? "died after it ended" : "died, finished", 1, Integer::sum);
            assertThat(operations).singleElement().satisfies(op -> {
                assertThat(op.kind()).isEqualTo(Kind.DELETE);
                assertThat(op.step()).isEqualTo(Step.DONE);
                assertThat(op.from()).isEqualTo(s.placement());
            });
            assertThat(restarted.directory().find(ACME)).as("acme in the directory").isEmpty();
            assertThat(after.acme()).as("what a raw scan finds of acme after the deletion").isEmpty();
            assertThat(restarted.store().digest(ACME, s.placement()).resources()).isEmpty();
            if (!crashed) {
                assertThat(deletions).as("deletions of acme audited").hasSize(1);
            } else {
                // at least once: a process may die after the audit and before the journal says so, and the
                // recovery audits again; one that died after its last journal write had audited before it
                assertThat(deletions).as("deletions of acme audited").isNotEmpty();
            }
        }
        assertWitnessesUnchanged(restarted, before);
    }

    /**
     * A process that dies right after the deletion's last journal write leaves nothing to recover, so the
     * deletion's audit record must have been emitted before that write: {@link AuditEvent.Kind#TENANT_DELETED}
     * promises "this record stays". (It was emitted after it once, and lost in this case.)
     */
    @Test
    void aDeletionThatDiesAfterItsLastJournalWriteIsAuditedAllTheSame() {
        arrange(LifecycleServers.FIELD_MAIN, Shapes.data(new SplittableRandom(3), 3, null), false, Map.of(),
                TenantStatus.ACTIVE);
        AUDITED.clear();
        Process dying = Process.start();
        try {
            TenantLifecycle.builder(dying.directory(), LifecycleServers.router()).store(dying.store())
                    .journal(diesAfterSaving(dying.journal(), Kind.DELETE, Step.DONE)).build().delete(ACME);
        } catch (Crash e) {
            // died
        }
        Process restarted = Process.start();
        restarted.lifecycle().recover();
        assertThat(restarted.directory().find(ACME)).isEmpty();
        assertThat(Raw.now().acme()).isEmpty();
        assertThat(deletionsAudited()).as("deletions of acme audited").isNotEmpty();
    }

    /**
     * A deletion asked for while a move of the same tenant is unfinished (its process died after the copy,
     * so acme's documents are at both placements) is refused, and changes nothing: not the journal, not the
     * directory entry, not a document, collection, index or database on either cluster. After recovery (the
     * move undone) the deletion goes through, leaves no trace, and removes nothing of anyone else.
     */
    @ParameterizedTest(name = "move from placement {0} to {1}")
    @CsvSource({"0, 5", "4, 1", "2, 0"})
    void aDeletionRefusedWhileAMoveIsUnfinishedLeavesEverythingAsItWas(int fromIndex, int toIndex) {
        Placement from = PLACEMENTS.get(fromIndex);
        Placement to = PLACEMENTS.get(toIndex);
        SplittableRandom random = new SplittableRandom(fromIndex * 10L + toIndex);
        Map<TenantId, Map<String, List<BsonDocument>>> witnesses = new LinkedHashMap<>();
        WITNESSES.forEach((witness, at) -> witnesses.put(witness,
                Shapes.data(random, 3, at.model() == IsolationModel.FIELD ? null : ACME.value())));
        Map<String, List<BsonDocument>> acme = Shapes.data(random, 5, null);
        acme.put("cards", List.of(Shapes.document(random, Shapes.id(random, 0), false, null)));
        Before before = arrange(from, acme, true, witnesses, TenantStatus.ACTIVE);
        Process dying = Process.start();
        try {
            TenantLifecycle.builder(dying.directory(), LifecycleServers.router()).store(dying.store())
                    .journal(diesAfterSaving(dying.journal(), Kind.MOVE, Step.COPIED)).build()
                    .move(ACME, to, LifecycleProgress.Listener.none());
        } catch (Crash e) {
            // died with the documents at both placements
        }
        Process restarted = Process.start();
        assertThat(restarted.store().digest(ACME, to)).as("the copy the dead move left").isEqualTo(before.digest());
        List<LifecycleOperation> journal = restarted.journal().all();
        Tenant entry = restarted.directory().require(ACME);
        Raw interrupted = Raw.now();
        AUDITED.clear();

        assertThatThrownBy(() -> restarted.lifecycle().delete(ACME)).isInstanceOf(TenantLifecycleException.class)
                .hasMessageContaining("unfinished MOVE").hasMessageContaining("recover()");

        assertThat(restarted.journal().all()).as("the journal").isEqualTo(journal);
        assertThat(restarted.directory().require(ACME)).as("acme's entry").isEqualTo(entry);
        Raw refused = Raw.now();
        assertSame("acme's data at both placements, scanned raw", refused.acme(), interrupted.acme());
        assertSame("everything else, scanned raw", refused.others(), interrupted.others());
        assertThat(deletionsAudited()).as("deletions of acme audited").isEmpty();

        restarted.lifecycle().recover();
        assertThat(LifecycleServers.router().route(restarted.directory().require(ACME))).isEqualTo(from);
        assertThat(LifecycleServers.read(restarted.mongo(), ACME, Set.copyOf(Shapes.NAMES)))
                .isEqualTo(before.documents());
        restarted.lifecycle().delete(ACME);
        Raw after = Raw.now();
        assertThat(after.acme()).as("what a raw scan finds of acme after the deletion").isEmpty();
        // not before.others(): a copy to a FIELD placement adds its indexes to the shared collections, which keep
        // them (they are everyone's, PlacedTenant.erase says) when the copy is erased
        assertSame("everything but acme, scanned raw", after.others(), interrupted.others());
        assertWitnessesUnchanged(restarted, before);
    }

    /**
     * A tenant on the COLLECTION model, on the cluster of acme's FIELD placement, keeps, as data of its own, a
     * document that looks like one of acme's on the FIELD model: {@code tenantId: "acme"} and a FIELD-style id
     * {@code {tenantId: "acme", id: 1}}. It is that tenant's document, in its own collection; deleting acme must
     * leave it. (The two placements once shared database {@code app}, and then it was erased with acme; the
     * adapter now refuses two models in one database, see {@code OneModelPerDatabaseTest} and
     * {@code MongoTenantDataStoreTest}, so the COLLECTION placement has a database of its own.)
     */
    @Test
    void aNeighboursDocumentThatLooksLikeOneOfTheTenantsOnTheFieldModelIsNotErasedWithIt() {
        TenantId neighbour = WITNESSES.entrySet().stream()
                .filter(w -> w.getValue().equals(LifecycleServers.COLLECTION_MAIN)).findFirst().orElseThrow().getKey();
        Map<TenantId, Map<String, List<BsonDocument>>> witnesses = Map.of(neighbour, Map.of("cards", List.of(
                new BsonDocument("_id", new BsonDocument("tenantId", new BsonString(ACME.value()))
                        .append("id", new BsonInt32(1))).append("tenantId", new BsonString(ACME.value()))
                        .append("n", new BsonInt32(7)),
                new BsonDocument("_id", new BsonInt32(2)).append("n", new BsonInt32(8)))));
        Before before = arrange(LifecycleServers.FIELD_MAIN,
                Map.of("cards", List.of(new BsonDocument("_id", new BsonInt32(1)).append("n", new BsonInt32(1)))),
                false, witnesses, TenantStatus.ACTIVE);

        Process process = Process.start();
        process.lifecycle().delete(ACME);

        Raw after = Raw.now();
        assertThat(after.acme()).as("what a raw scan finds of acme after the deletion").isEmpty();
        assertThat(LifecycleServers.read(process.mongo(), neighbour, Set.copyOf(Shapes.NAMES)))
                .as("%s's documents read as %s", neighbour, neighbour).isEqualTo(before.witnesses().get(neighbour));
        assertSame("everything but acme, scanned raw", after.others(), before.others());
    }

    /** What a test looks at before the operation. */
    record Before(TenantDigest digest, Map<String, List<String>> documents, Map<String, List<String>> acme,
            Map<String, List<String>> others, Map<TenantId, TenantDigest> witnessDigests,
            Map<TenantId, Map<String, List<String>>> witnesses) {
    }

    /**
     * Clears both clusters; registers, provisions and fills acme at {@code placement} and the witnesses named
     * in {@code witnesses} (every one by default) at theirs; gives acme {@code status}; returns what it sees.
     */
    private static Before arrange(Placement placement, Map<String, List<BsonDocument>> acme, boolean acmeIndex,
            Map<TenantId, Map<String, List<BsonDocument>>> witnesses, TenantStatus status) {
        servers.reset();
        MongoTenantDirectory directory = MongoTenantDirectory.of(servers.control());
        directory.register(Tenant.builder(ACME).placement(placement).build());
        List<TenantId> present = new ArrayList<>(witnesses.isEmpty() ? List.of() : WITNESSES.keySet());
        present.forEach(w -> directory.register(Tenant.builder(w).placement(WITNESSES.get(w)).build()));
        TenantMongo mongo = servers.mongo(directory);
        mongo.provisioning().ensure(ACME);
        present.forEach(w -> mongo.provisioning().ensure(w));
        LifecycleServers.write(mongo, ACME, acme);
        witnesses.forEach((witness, data) -> LifecycleServers.write(mongo, witness, data));
        if (acmeIndex) {
            // unique, since the in-process server keeps unique indexes only
            TenantContext.runAs(ACME, () -> mongo.collection("decks").createIndex(
                    Indexes.compoundIndex(Indexes.ascending("n"), Indexes.descending("_id")),
                    new IndexOptions().unique(true)));
        }
        Map<String, List<String>> documents = LifecycleServers.read(mongo, ACME, Set.copyOf(Shapes.NAMES));
        assertThat(documents).as("acme's documents as written").isEqualTo(LifecycleServers.expected(acme));
        Map<TenantId, TenantDigest> digests = new LinkedHashMap<>();
        Map<TenantId, Map<String, List<String>>> seen = new LinkedHashMap<>();
        for (TenantId witness : present) {
            digests.put(witness, mongo.dataStore().digest(witness, WITNESSES.get(witness)));
            seen.put(witness, LifecycleServers.read(mongo, witness, Set.copyOf(Shapes.NAMES)));
        }
        if (status != TenantStatus.ACTIVE) {
            directory.update(directory.require(ACME).toBuilder().status(status).build());
        }
        Raw raw = Raw.now();
        if (!documents.isEmpty()) {
            assertThat(raw.acme()).as("what a raw scan finds of acme before the deletion").isNotEmpty();
        }
        return new Before(mongo.dataStore().digest(ACME, placement), documents, raw.acme(), raw.others(), digests,
                seen);
    }

    private static void assertWitnessesUnchanged(Process process, Before before) {
        before.witnessDigests().forEach((witness, digest) -> {
            assertThat(process.store().digest(witness, WITNESSES.get(witness))).as("digest of %s", witness)
                    .isEqualTo(digest);
            assertThat(LifecycleServers.read(process.mongo(), witness, Set.copyOf(Shapes.NAMES)))
                    .as("documents of %s read as %s", witness, witness).isEqualTo(before.witnesses().get(witness));
        });
    }

    /**
     * Asserts that two raw scans are equal, and when they are not, says where, and which documents and
     * indexes one has that the other has not (each cut to 300 characters).
     */
    private static void assertSame(String what, Map<String, List<String>> actual, Map<String, List<String>> expected) {
        List<String> differences = new ArrayList<>();
        Set<String> locations = new java.util.TreeSet<>(expected.keySet());
        locations.addAll(actual.keySet());
        for (String location : locations) {
            List<String> was = expected.get(location);
            List<String> is = actual.get(location);
            if (was == null || is == null) {
                differences.add(location + (was == null ? " appeared" : " disappeared"));
            } else if (!was.equals(is)) {
                List<String> gone = new ArrayList<>(was);
                is.forEach(gone::remove);
                List<String> added = new ArrayList<>(is);
                was.forEach(added::remove);
                differences.add(location + ": lost " + cut(gone) + ", gained " + cut(added));
            }
        }
        assertThat(differences).as(what + ": differences").isEmpty();
    }

    private static List<String> cut(List<String> items) {
        return items.stream().map(item -> item.length() > 300 ? item.substring(0, 300) + "..." : item).toList();
    }

    private static List<AuditEvent> deletionsAudited() {
        return AUDITED.stream().filter(e -> e.kind() == AuditEvent.Kind.TENANT_DELETED)
                .filter(e -> e.tenant().filter(ACME::equals).isPresent()).toList();
    }

    /** A process started over the servers: new directory, journal, TenantMongo and data store. */
    record Process(MongoTenantDirectory directory, MongoLifecycleJournal journal, TenantMongo mongo,
            TenantDataStore store) {

        static Process start() {
            MongoTenantDirectory directory = MongoTenantDirectory.of(servers.control());
            TenantMongo mongo = servers.mongo(directory);
            return new Process(directory, MongoLifecycleJournal.of(servers.control()), mongo, mongo.dataStore(3));
        }

        TenantLifecycle lifecycle() {
            return TenantLifecycle.builder(directory, LifecycleServers.router()).store(store).journal(journal).build();
        }
    }

    /** A journal that saves, and dies right after it saved an operation of {@code kind} at {@code step}. */
    private static LifecycleJournal diesAfterSaving(LifecycleJournal journal, Kind kind, Step step) {
        return new LifecycleJournal() {
            @Override
            public void save(LifecycleOperation operation) {
                journal.save(operation);
                if (operation.kind() == kind && operation.step() == step) {
                    throw new Crash(-1);
                }
            }

            @Override
            public List<LifecycleOperation> unfinished() {
                return journal.unfinished();
            }

            @Override
            public List<LifecycleOperation> all() {
                return journal.all();
            }
        };
    }

    /**
     * A data store whose erase dies half-way, as the adapter's erase (one command per collection) may:
     * acme's documents gone from one shared collection on the FIELD model, one of its collections dropped on
     * the COLLECTION model, one collection of its database dropped on the DATABASE model, the rest still there.
     */
    private static TenantDataStore diesHalfWayThroughErase(TenantDataStore store) {
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
            }

            @Override
            public TenantDigest digest(TenantId tenant, Placement placement) {
                return store.digest(tenant, placement);
            }

            @Override
            public void erase(TenantId tenant, Placement placement) {
                MongoClient client = placement.store().equals("main") ? servers.main : servers.other;
                if (placement.model() == IsolationModel.FIELD) {
                    MongoDatabase database = client.getDatabase(placement.namespace());
                    for (String name : Shapes.NAMES) {
                        var collection = database.getCollection(name, BsonDocument.class);
                        var mine = Filters.eq(TenantMongo.DEFAULT_TENANT_FIELD, tenant.value());
                        if (collection.countDocuments(mine) > 0) {
                            collection.deleteMany(mine);
                            break;
                        }
                    }
                } else {
                    boolean own = placement.model() == IsolationModel.DATABASE;
                    MongoDatabase database = client.getDatabase(placement.namespace() + (own ? tenant.value() : ""));
                    for (String name : database.listCollectionNames()) {
                        if (own || name.startsWith(tenant.value() + ".")) {
                            database.getCollection(name).drop();
                            break;
                        }
                    }
                }
                throw new Crash(-1);
            }
        };
    }

    /**
     * Both clusters read raw, the control plane left out (its directory and journal are checked through their
     * API): {@code acme} holds, by location ("cluster:database.collection"), every collection of acme's own
     * databases and every collection named for it, even empty, with their documents and indexes, and its
     * documents (by the tenant field, or the tenant in a FIELD id) in the shared collections of the FIELD
     * placements; {@code others} holds everything else: every other collection's documents and indexes, and
     * the shared collections' without acme's documents.
     */
    record Raw(Map<String, List<String>> acme, Map<String, List<String>> others) {

        static Raw now() {
            Map<String, List<String>> acme = new TreeMap<>();
            Map<String, List<String>> others = new TreeMap<>();
            servers.scan().forEach((location, documents) -> {
                String cluster = location.substring(0, location.indexOf(':'));
                String namespace = location.substring(location.indexOf(':') + 1);
                String database = namespace.substring(0, namespace.indexOf('.'));
                String collection = namespace.substring(database.length() + 1);
                if (database.equals(LifecycleServers.CONTROL)) {
                    return;
                }
                List<String> indexes = indexes(cluster, database, collection);
                boolean acmes = database.equals(LifecycleServers.DATABASE_MAIN.namespace() + ACME)
                        || database.equals(LifecycleServers.DATABASE_OTHER.namespace() + ACME)
                        || collection.startsWith(ACME + ".");
                if (acmes) {
                    List<String> all = new ArrayList<>(documents);
                    all.addAll(indexes);
                    acme.put(location, all);
                    return;
                }
                boolean shared = Shapes.NAMES.contains(collection) && PLACEMENTS.stream().anyMatch(
                        p -> p.model() == IsolationModel.FIELD && p.namespace().equals(database));
                List<String> mine = new ArrayList<>();
                List<String> theirs = new ArrayList<>(indexes);
                for (String json : documents) {
                    (shared && fieldOwnerIsAcme(json) ? mine : theirs).add(json);
                }
                if (!mine.isEmpty()) {
                    acme.put(location, mine);
                }
                others.put(location, theirs);
            });
            return new Raw(acme, others);
        }

        private static boolean fieldOwnerIsAcme(String json) {
            BsonDocument document = BsonDocument.parse(json);
            BsonValue owner = document.get(TenantMongo.DEFAULT_TENANT_FIELD);
            BsonValue id = document.get("_id");
            UnaryOperator<BsonValue> tenantOf = v -> v != null && v.isDocument()
                    ? v.asDocument().get(TenantMongo.DEFAULT_TENANT_FIELD) : null;
            return ACME_VALUE.equals(owner) || ACME_VALUE.equals(tenantOf.apply(id));
        }

        private static final BsonString ACME_VALUE = new BsonString(ACME.value());

        private static List<String> indexes(String cluster, String database, String collection) {
            MongoClient client = cluster.equals("other") ? servers.other : servers.main;
            List<String> indexes = new ArrayList<>();
            for (BsonDocument index : client.getDatabase(database).getCollection(collection).listIndexes(
                    BsonDocument.class)) {
                index.remove("v");
                index.remove("ns");
                indexes.add("index " + index.toJson());
            }
            indexes.sort(null);
            return indexes;
        }
    }
}
