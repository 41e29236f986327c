package io.tenantry.mongo.lifecycle;

import static io.tenantry.mongo.lifecycle.LifecycleServers.ACME;
import static io.tenantry.mongo.lifecycle.LifecycleServers.BRAVO;
import static io.tenantry.mongo.lifecycle.LifecycleServers.CAROL;
import static io.tenantry.mongo.lifecycle.LifecycleServers.PLACEMENTS;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.tenantry.IsolationModel;
import io.tenantry.LifecycleProgress;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDigest;
import io.tenantry.TenantLifecycle;
import io.tenantry.TenantStatus;
import io.tenantry.mongo.MongoLifecycleJournal;
import io.tenantry.mongo.MongoTenantDirectory;
import io.tenantry.mongo.TenantMongo;
import io.tenantry.mongo.lifecycle.Fuses.Crash;
import io.tenantry.mongo.lifecycle.Fuses.Fuse;
import io.tenantry.spi.TenantDataStore;
import io.tenantry.tck.Trials;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Crash injection on real wire-protocol servers: a move of tenant acme between any two of six placements
 * (FIELD, COLLECTION and DATABASE on two clusters, one FIELD and one COLLECTION placement sharing a
 * database) dies at a random event: before or after any journal write, directory update, data-store call
 * or copied batch. A restarted process (a new TenantMongo, directory, journal and data store over the same
 * servers, nothing else carried over) recovers, and then acme's data equals what it was (digest, and the
 * documents and indexes read as acme through TenantMongo), at exactly the one placement the directory
 * names, with its status back; the other placement holds no trace of it (every database and collection
 * scanned raw), and bravo's and carol's raw data, at the source and target, is unchanged.
 *
 * <p>Runs {@value #DEFAULT_TRIES} tries; {@code -Dtenantry.lifecycle.tries=1000} runs more, and
 * {@code -Dtenantry.tck.seed=...} replays a reported one.
 */
class MongoLifecycleCrashPropertiesTest {

    private static final int DEFAULT_TRIES = 60;
    private static final int BATCH = 3;
    /** A move without a crash has about 30 events plus one per batch; above that, no crash. */
    private static final int EVENTS = 45;

    static LifecycleServers servers;

    @BeforeAll
    static void start() {
        servers = new LifecycleServers();
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    static int tries(int fallback) {
        return Math.max(1, Integer.getInteger("tenantry.lifecycle.tries", fallback));
    }

    record Sample(Map<String, List<BsonDocument>> acme, Map<String, List<BsonDocument>> bravo,
            Map<String, List<BsonDocument>> carol, Placement from, Placement to, TenantStatus status,
            boolean acmeIndex, int crashAt) {

        @Override
        public String toString() {
            return "move from " + from + " to " + to + ", acme " + status + ", crash at event " + crashAt + ", acme "
                    + sizes(acme) + (acmeIndex ? " with its own index" : "") + ", bravo " + sizes(bravo) + ", carol "
                    + sizes(carol);
        }
    }

    private static Map<String, Integer> sizes(Map<String, List<BsonDocument>> data) {
        Map<String, Integer> sizes = new TreeMap<>();
        data.forEach((name, documents) -> sizes.put(name, documents.size()));
        return sizes;
    }

    static Sample sample(SplittableRandom random, int maxCrash) {
        Placement from = PLACEMENTS.get(random.nextInt(PLACEMENTS.size()));
        Placement to = PLACEMENTS.get((PLACEMENTS.indexOf(from) + 1 + random.nextInt(PLACEMENTS.size() - 1))
                % PLACEMENTS.size());
        // Tenants off the FIELD model may carry a "tenantId" field of their own: here, acme's name.
        return new Sample(Shapes.data(random, 8, null),
                Shapes.data(random, 5, from.model() == IsolationModel.FIELD ? null : ACME.value()),
                Shapes.data(random, 5, to.model() == IsolationModel.FIELD ? null : ACME.value()),
                from, to, random.nextInt(4) == 0 ? TenantStatus.SUSPENDED : TenantStatus.ACTIVE,
                random.nextBoolean(), random.nextInt(maxCrash));
    }

    /** What a test looks at before the operation. */
    record Before(TenantDigest digest, Map<String, List<String>> documents, Map<String, List<String>> indexes,
            Map<String, List<String>> bravo, Map<String, List<String>> carol) {
    }

    /** Registers and fills acme and bravo at the sample's source and carol at its target. */
    static Before arrange(Sample s) {
        servers.reset();
        MongoTenantDirectory directory = MongoTenantDirectory.of(servers.control());
        directory.register(Tenant.builder(ACME).placement(s.from()).build());
        directory.register(Tenant.builder(BRAVO).placement(s.from()).build());
        directory.register(Tenant.builder(CAROL).placement(s.to()).build());
        TenantMongo mongo = servers.mongo(directory);
        for (var tenant : LifecycleServers.TENANTS) {
            mongo.provisioning().ensure(tenant);
        }
        LifecycleServers.write(mongo, ACME, s.acme());
        LifecycleServers.write(mongo, BRAVO, s.bravo());
        LifecycleServers.write(mongo, CAROL, s.carol());
        if (s.acmeIndex()) {
            // unique, since the in-process server keeps unique indexes only
            TenantContext.runAs(ACME, () -> mongo.collection("decks").createIndex(
                    Indexes.compoundIndex(Indexes.ascending("n"), Indexes.descending("_id")),
                    new IndexOptions().unique(true)));
        }
        Map<String, List<String>> documents = LifecycleServers.read(mongo, ACME, Set.copyOf(Shapes.NAMES));
        assertThat(documents).as("acme's documents as written").isEqualTo(LifecycleServers.expected(s.acme()));
        Map<String, List<String>> indexes = indexes(mongo, documents.keySet());
        if (s.status() != TenantStatus.ACTIVE) {
            directory.update(directory.require(ACME).toBuilder().status(s.status()).build());
        }
        Map<String, List<String>> scan = servers.scan();
        return new Before(mongo.dataStore().digest(ACME, s.from()), documents, indexes,
                LifecycleServers.dataOf(scan, BRAVO), LifecycleServers.dataOf(scan, CAROL));
    }

    /** Returns acme's indexes as it sees them, per collection: name, keys and uniqueness. */
    static Map<String, List<String>> indexes(TenantMongo mongo, Set<String> names) {
        return TenantContext.callAs(ACME, () -> {
            Map<String, List<String>> indexes = new TreeMap<>();
            for (String name : names) {
                List<String> seen = new ArrayList<>();
                for (BsonDocument index : mongo.collection(name).listIndexes(BsonDocument.class)) {
                    seen.add(index.getString("name").getValue() + " " + index.getDocument("key").toJson() + " unique="
                            + index.getBoolean("unique", org.bson.BsonBoolean.FALSE).getValue());
                }
                seen.sort(null);
                indexes.put(name, seen);
            }
            return indexes;
        });
    }

    /** A process started over the servers: new directory, journal, TenantMongo and data store. */
    record Process(MongoTenantDirectory directory, MongoLifecycleJournal journal, TenantMongo mongo,
            TenantDataStore store) {

        static Process start() {
            MongoTenantDirectory directory = MongoTenantDirectory.of(servers.control());
            TenantMongo mongo = servers.mongo(directory);
            return new Process(directory, MongoLifecycleJournal.of(servers.control()), mongo, mongo.dataStore(BATCH));
        }

        TenantLifecycle lifecycle() {
            return TenantLifecycle.builder(directory, LifecycleServers.router()).store(store).journal(journal).build();
        }

        TenantLifecycle dying(Fuse fuse) {
            return TenantLifecycle.builder(Fuses.directory(directory, fuse), LifecycleServers.router())
                    .store(Fuses.store(store, fuse)).journal(Fuses.journal(journal, fuse)).build();
        }
    }

    @Test
    void aMoveInterruptedAnywhereEndsWithTheDataWholeAtExactlyThePlacementTheDirectoryNames() {
        int[] crashes = new int[1];
        Trials.forAll("a move interrupted anywhere is recovered with nothing lost", tries(DEFAULT_TRIES),
                random -> sample(random, EVENTS), s -> {
                    Before before = arrange(s);
                    Fuse fuse = new Fuse(s.crashAt());
                    boolean crashed = false;
                    try {
                        Process.start().dying(fuse).move(ACME, s.to(), LifecycleProgress.Listener.none());
                    } catch (Crash e) {
                        crashed = true;
                        crashes[0]++;
                    }
                    assertThat(crashed).isEqualTo(s.crashAt() < fuse.events());

                    Process restarted = Process.start();
                    restarted.lifecycle().recover();

                    assertThat(restarted.journal().unfinished()).isEmpty();
                    Tenant acme = restarted.directory().require(ACME);
                    Placement now = LifecycleServers.router().route(acme);
                    assertThat(now).isIn(s.from(), s.to());
                    if (!crashed) {
                        assertThat(now).isEqualTo(s.to());
                    }
                    Placement elsewhere = now.equals(s.from()) ? s.to() : s.from();
                    assertThat(acme.status()).isEqualTo(s.status());
                    assertThat(restarted.store().digest(ACME, now)).isEqualTo(before.digest());
                    assertThat(restarted.store().digest(ACME, elsewhere).resources()).isEmpty();

                    Map<String, List<String>> scan = servers.scan();
                    assertOnlyAt(scan, now, before.documents().keySet());
                    assertThat(LifecycleServers.dataOf(scan, BRAVO)).as("bravo's raw data").isEqualTo(before.bravo());
                    assertThat(LifecycleServers.dataOf(scan, CAROL)).as("carol's raw data").isEqualTo(before.carol());
                    if (s.status() == TenantStatus.ACTIVE) {
                        assertThat(LifecycleServers.read(restarted.mongo(), ACME, Set.copyOf(Shapes.NAMES)))
                                .as("acme's documents read as acme").isEqualTo(before.documents());
                        assertThat(indexes(restarted.mongo(), before.documents().keySet()))
                                .as("acme's indexes as it sees them").isEqualTo(before.indexes());
                    }
                });
        assertThat(crashes[0]).as("tries that crashed").isGreaterThan(tries(DEFAULT_TRIES) / 3);
    }

    /** Asserts that every trace of acme is at {@code placement}, and that its data is in the collections named. */
    static void assertOnlyAt(Map<String, List<String>> scan, Placement placement, Set<String> names) {
        Set<String> traces = LifecycleServers.traces(scan, ACME);
        assertThat(traces).as("acme's traces on both clusters")
                .allSatisfy(location -> assertThat(servers.within(location, placement, ACME))
                        .as(location + " is within " + placement).isTrue());
        Set<String> expected = new TreeSet<>();
        names.forEach(name -> expected.add(servers.location(placement, ACME, name)));
        assertThat(LifecycleServers.dataOf(scan, ACME).keySet()).as("where acme's documents are").isEqualTo(expected);
    }
}
