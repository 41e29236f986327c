package io.tenantry.mongo.lifecycle;

import static io.tenantry.mongo.lifecycle.LifecycleServers.ACME;
import static io.tenantry.mongo.lifecycle.LifecycleServers.BRAVO;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoCollection;
import io.tenantry.LifecycleOperation;
import io.tenantry.LifecycleProgress;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantLifecycle;
import io.tenantry.TenantStatus;
import io.tenantry.TenantUnavailableException;
import io.tenantry.mongo.MongoLifecycleJournal;
import io.tenantry.mongo.MongoTenantDirectory;
import io.tenantry.mongo.TenantMongo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tenant being moved stays readable, whole: a reader thread that reads through TenantMongo's routing
 * collections from before the move until after it, and a read made on another thread at every copied batch
 * (while the copy waits for it), always see every document of every collection, never part of them; a
 * write at every batch gets the read-only refusal, and a write after the move succeeds, at the target.
 */
class ReadsDuringAMoveTest {

    private static final Map<String, Integer> SIZES = Map.of("cards", 400, "decks", 150);
    private static final int BATCH = 25;

    private static LifecycleServers servers;

    @BeforeAll
    static void start() {
        servers = new LifecycleServers();
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    @Test
    void readersSeeTheWholeTenantThroughoutAMoveAndWritersAreRefusedUntilItEnds() throws Exception {
        MongoTenantDirectory directory = MongoTenantDirectory.of(servers.control());
        Placement from = LifecycleServers.FIELD_MAIN;
        Placement to = LifecycleServers.DATABASE_OTHER;
        directory.register(Tenant.builder(ACME).placement(from).build());
        directory.register(Tenant.builder(BRAVO).placement(from).build());
        TenantMongo mongo = servers.mongo(directory);
        for (String name : SIZES.keySet()) {
            for (var tenant : List.of(ACME, BRAVO)) {
                List<Document> documents = new ArrayList<>();
                for (int i = 0; i < SIZES.get(name); i++) {
                    documents.add(new Document("_id", i).append("n", i % 7).append("owner", tenant.value()));
                }
                TenantContext.runAs(tenant, () -> mongo.collection(name).insertMany(documents));
            }
        }
        // The settle time covers a read routed to the source just before the switch: the source is erased after it.
        TenantLifecycle lifecycle = TenantLifecycle.builder(directory, LifecycleServers.router())
                .store(mongo.dataStore(BATCH)).journal(MongoLifecycleJournal.of(servers.control()))
                .settle(Duration.ofMillis(250)).build();

        List<String> problems = new CopyOnWriteArrayList<>();
        AtomicBoolean moved = new AtomicBoolean();
        AtomicInteger freeReads = new AtomicInteger();
        AtomicInteger batchReads = new AtomicInteger();
        AtomicInteger refusals = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> reader = threads.submit(() -> {
                while (!moved.get()) {
                    readWhole(mongo, problems);
                    freeReads.incrementAndGet();
                }
            });
            LifecycleProgress.Listener atEachBatch = progress -> {
                if (progress.resource() == null) {
                    return;
                }
                Future<?> probe = threads.submit(() -> {
                    readWhole(mongo, problems);
                    batchReads.incrementAndGet();
                    try {
                        TenantContext.runAs(ACME, () -> mongo.collection("cards").insertOne(new Document("_id", -1)));
                        problems.add("a write during the copy was accepted");
                    } catch (TenantUnavailableException e) {
                        if (e.status() == TenantStatus.READ_ONLY) {
                            refusals.incrementAndGet();
                        } else {
                            problems.add("a write was refused as " + e.status());
                        }
                    }
                });
                try {
                    probe.get(30, TimeUnit.SECONDS);
                } catch (InterruptedException | ExecutionException | java.util.concurrent.TimeoutException e) {
                    problems.add("the probe failed: " + e);
                }
            };
            LifecycleOperation done = lifecycle.move(ACME, to, atEachBatch);
            moved.set(true);
            reader.get(30, TimeUnit.SECONDS);

            assertThat(done.step()).isEqualTo(LifecycleOperation.Step.DONE);
        } finally {
            moved.set(true);
            threads.shutdownNow();
        }
        int batches = SIZES.values().stream().mapToInt(size -> (size + BATCH - 1) / BATCH).sum();
        assertThat(problems).isEmpty();
        assertThat(batchReads).hasValue(batches);
        assertThat(refusals).hasValue(batches);
        assertThat(freeReads.get()).isPositive();

        assertThat(mongo.placement(ACME)).isEqualTo(to);
        TenantContext.runAs(ACME, () -> mongo.collection("cards").insertOne(new Document("_id", -1)));
        assertThat(servers.other.getDatabase("u_acme").getCollection("cards").countDocuments()).isEqualTo(401);
        assertThat(servers.main.getDatabase("app").getCollection("cards").countDocuments(new Document("tenantId", "acme")))
                .isZero();
        assertThat(servers.main.getDatabase("app").getCollection("cards").countDocuments(new Document("tenantId", "bravo")))
                .isEqualTo(400);
    }

    /** Reads every collection of acme as acme, by count and by documents, and notes every incomplete answer. */
    private static void readWhole(TenantMongo mongo, List<String> problems) {
        TenantContext.runAs(ACME, () -> {
            for (Map.Entry<String, Integer> expected : SIZES.entrySet()) {
                MongoCollection<Document> collection = mongo.collection(expected.getKey());
                long count = collection.countDocuments();
                if (count != expected.getValue()) {
                    problems.add(expected.getKey() + ": counted " + count + " of " + expected.getValue());
                }
                Set<Object> ids = new HashSet<>();
                int read = 0;
                for (Document document : collection.find().batchSize(10_000)) {
                    ids.add(document.get("_id"));
                    read++;
                    if (!"acme".equals(document.get("owner"))) {
                        problems.add(expected.getKey() + ": read a document of " + document.get("owner"));
                    }
                }
                if (read != expected.getValue() || ids.size() != expected.getValue()) {
                    problems.add(expected.getKey() + ": read " + read + " documents, " + ids.size() + " distinct, of "
                            + expected.getValue());
                }
            }
        });
    }
}
