package io.tenantry.benchmarks;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.tenantry.LifecycleOperation;
import io.tenantry.LifecycleProgress;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDigest;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycle;
import io.tenantry.TenantRouter;
import io.tenantry.mongo.TenantMongo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bson.Document;
import org.jspecify.annotations.Nullable;

/**
 * Whole-workload benchmark of moving one tenant between MongoDB clusters: Tenantry's
 * {@link TenantLifecycle#move} from the FIELD model on cluster A (a shared collection, another tenant's
 * documents beside) to the DATABASE model on cluster B, against a hand-written copy loop with the plain
 * driver ({@link RawMongoCopy}) doing the same copy, with and without the same digests of both sides.
 *
 * <p>Both clusters are mongo-java-server instances (memory backend) in one child JVM
 * ({@link MongoServerProcess}), so this JVM's heap holds only the mover's objects and the servers' CPU is
 * measured apart. A warm-up tenant is moved and copied first and deleted; then each round runs the three
 * sides on tenant {@code acme}, in alternating order, each from the same starting state: after Tenantry's
 * move, the tenant is moved back (also reported), after a raw copy the copy is dropped, and before each run
 * both JVMs collect their garbage, so that no run pays for what the one before it left.
 *
 * <pre>
 * java -Xmx256m -cp benchmarks/target/benchmarks.jar io.tenantry.benchmarks.MongoMoveBenchmark \
 *     [documents, default 1000000] [rounds, default 2] [server heap, default 12 KiB a document + 1 GiB]
 * </pre>
 */
public final class MongoMoveBenchmark {

    static final TenantId ACME = TenantId.of("acme");
    static final TenantId BRAVO = TenantId.of("bravo");
    static final TenantId WARM_UP = TenantId.of("warmup");
    static final Placement SOURCE = Placement.field("a", "shared");
    static final Placement TARGET = Placement.database("b", "t_");
    static final String COLLECTION = "work_orders";
    static final int BATCH = TenantMongo.DEFAULT_COPY_BATCH;

    private final MongoServerProcess servers;
    private final MongoClient a;
    private final MongoClient b;
    private final MoveClocks clocks;
    private final TenantMongo mongo;
    private final TimedDataStore store;
    private final TenantLifecycle lifecycle;
    private final List<MoveRun> runs = new ArrayList<>();
    /** Tenantry's digest of each tenant's source, to check that the raw loop copies the same documents. */
    private final Map<TenantId, TenantDigest> sourceDigests = new HashMap<>();

    private MongoMoveBenchmark(MongoServerProcess servers, MongoClient a, MongoClient b) {
        this.servers = servers;
        this.a = a;
        this.b = b;
        this.clocks = new MoveClocks(servers::cpuNanos, servers::gcNanos);
        TenantDirectory directory = TenantDirectory.inMemory(pinned(ACME), pinned(BRAVO), pinned(WARM_UP));
        TenantRouter router = TenantRouter.builder().otherwise(SOURCE).build();
        this.mongo = TenantMongo.builder().cluster("a", a).cluster("b", b).directory(directory).router(router)
                .collection(COLLECTION).build();
        this.store = new TimedDataStore(mongo.dataStore(BATCH), clocks);
        this.lifecycle = TenantLifecycle.builder(directory, router).store(store).build();
    }

    private static Tenant pinned(TenantId id) {
        return Tenant.builder(id).placement(SOURCE).build();
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        long documents = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        String serverHeap = args.length > 2 ? args[2] : defaultServerHeap(documents);
        System.out.printf(Locale.ROOT, "%,d documents, %d round(s); %d cores, load average %s; Java %s;"
                + " mover heap at most %,d MiB; server heap %s%n", documents, rounds,
                Runtime.getRuntime().availableProcessors(), MoveClocks.loadAverage(),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20, serverHeap);
        try (MongoServerProcess servers = MongoServerProcess.start(2, serverHeap);
                MongoClient a = MongoClients.create(servers.uri(0));
                MongoClient b = MongoClients.create(servers.uri(1))) {
            new MongoMoveBenchmark(servers, a, b).run(documents, rounds);
        }
        System.out.printf(Locale.ROOT, "load average at the end: %s%n", MoveClocks.loadAverage());
    }

    /**
     * mongo-java-server keeps each stored work order as Java maps and strings, about 4 KiB of heap; during a
     * move A holds 1.1 N documents and B N: 12 KiB a document and 1 GiB leave room for the collector (with
     * less, the server's collections weigh on every side's figures).
     */
    private static String defaultServerHeap(long documents) {
        return (documents * 12 / 1024 + 1024) + "m";
    }

    private void run(long documents, int rounds) {
        long warmUp = Math.max(1_000, Math.min(20_000, documents / 5));
        long started = System.nanoTime();
        fill(ACME, documents, 1);
        fill(BRAVO, Math.max(1_000, documents / 10), 2);
        fill(WARM_UP, warmUp, 3);
        System.out.printf(Locale.ROOT, "filled in %.1f s: acme %,d, bravo %,d, warmup %,d documents; server"
                + " process resident %,d MiB%n", (System.nanoTime() - started) / 1e9, documents,
                Math.max(1_000, documents / 10), warmUp, servers.residentMib());
        tenantryMove(WARM_UP, -1);
        rawCopy(WARM_UP, -1, false);
        rawCopy(WARM_UP, -1, true);
        lifecycle.delete(WARM_UP);
        runs.clear();
        for (int round = 0; round < rounds; round++) {
            if (round % 2 == 0) {
                tenantryMove(ACME, round);
                rawCopy(ACME, round, false);
                rawCopy(ACME, round, true);
            } else {
                rawCopy(ACME, round, true);
                rawCopy(ACME, round, false);
                tenantryMove(ACME, round);
            }
        }
        System.out.printf(Locale.ROOT, "server process resident %,d MiB; this process at most %,d MiB resident;"
                + " %.0f s since the fill began%n", servers.residentMib(),
                MongoServerProcess.memoryMib(ProcessHandle.current().pid(), "VmHWM"),
                (System.nanoTime() - started) / 1e9);
        new MoveReport(runs, rounds, "documents", "as stored at the target").print(System.out);
    }

    /** Inserts {@code count} work orders for {@code tenant} through Tenantry: stored as the FIELD model stores them. */
    private void fill(TenantId tenant, long count, long seed) {
        mongo.provisioning().ensure(tenant);
        MongoCollection<Document> routed = mongo.collection(COLLECTION);
        WorkOrders orders = new WorkOrders(seed);
        TenantContext.runAs(tenant, () -> {
            List<Document> batch = new ArrayList<>(BATCH);
            for (long i = 0; i < count; i++) {
                batch.add(orders.next(i));
                if (batch.size() == BATCH || i == count - 1) {
                    routed.insertMany(batch);
                    batch.clear();
                }
            }
        });
    }

    /** Moves {@code tenant} from A (FIELD) to B (DATABASE), then back to A, timing both moves and their phases. */
    private void tenantryMove(TenantId tenant, int round) {
        runs.add(move(tenant, SOURCE, TARGET, MoveRun.Side.TENANTRY, round));
        runs.add(move(tenant, TARGET, SOURCE, MoveRun.Side.TENANTRY_BACK, round));
    }

    private MoveRun move(TenantId tenant, Placement from, Placement to, MoveRun.Side side, int round) {
        long[] copied = new long[2];
        LifecycleProgress.Listener listener = progress -> {
            copied[0] = progress.items();
            copied[1] = progress.bytes();
        };
        store.calls();
        store.run(MoveRun.name(side, round));
        servers.collectGarbage();
        HeapWatch heap = HeapWatch.start();
        MoveClocks.Reading start = clocks.read();
        LifecycleOperation done = lifecycle.move(tenant, to, listener);
        MoveClocks.Reading total = clocks.read().minus(start);
        HeapWatch.Heap used = heap.stop();
        if (done.step() != LifecycleOperation.Step.DONE) {
            throw new IllegalStateException("The move ended at " + done.step());
        }
        Map<String, MoveClocks.Reading> phases = MoveRun.phases(store.calls(), from, digest -> {
            if (from.equals(SOURCE)) {
                sourceDigests.put(tenant, digest);
            }
        });
        MoveRun run = new MoveRun(side, round, tenant, copied[0], copied[1], total, phases, used);
        run.print(System.out, "docs");
        return run;
    }

    /** Copies {@code tenant}'s documents from A to B with the plain driver, with or without digests; drops the copy. */
    private void rawCopy(TenantId tenant, int round, boolean digests) {
        MongoCollection<Document> target = b.getDatabase("raw_" + tenant.value()).getCollection(COLLECTION);
        RawMongoCopy raw = new RawMongoCopy(a.getDatabase(SOURCE.namespace()).getCollection(COLLECTION), target,
                mongo.tenantField(), tenant.value(), BATCH);
        Map<String, MoveClocks.Reading> phases = new LinkedHashMap<>();
        String name = MoveRun.name(digests ? MoveRun.Side.RAW_WITH_DIGESTS : MoveRun.Side.RAW, round);
        servers.collectGarbage();
        HeapWatch heap = HeapWatch.start();
        MoveClocks.Reading start = clocks.read();
        @Nullable TenantDigest expected = digests
                ? MovePhaseEvent.traced(name, MoveRun.DIGEST_SOURCE, raw::digestSource) : null;
        MoveClocks.Reading copyStart = clocks.read();
        long copied = MovePhaseEvent.traced(name, MoveRun.COPY, raw::copy);
        MoveClocks.Reading copyEnd = clocks.read();
        @Nullable TenantDigest actual = digests
                ? MovePhaseEvent.traced(name, MoveRun.VERIFY, raw::digestTarget) : null;
        MoveClocks.Reading end = clocks.read();
        HeapWatch.Heap used = heap.stop();
        if (digests) {
            phases.put(MoveRun.DIGEST_SOURCE, copyStart.minus(start));
            phases.put(MoveRun.COPY, copyEnd.minus(copyStart));
            phases.put(MoveRun.VERIFY, end.minus(copyEnd));
            if (expected == null || !expected.equals(actual)) {
                throw new IllegalStateException("The raw copy does not match its source: " + expected + " vs "
                        + actual);
            }
            TenantDigest moved = sourceDigests.get(tenant);
            if (moved != null && !moved.equals(actual)) {
                throw new IllegalStateException("The raw copy differs from what Tenantry moved: " + actual + " vs "
                        + moved);
            }
        } else {
            phases.put(MoveRun.COPY, copyEnd.minus(copyStart));
        }
        MoveRun run = new MoveRun(digests ? MoveRun.Side.RAW_WITH_DIGESTS : MoveRun.Side.RAW, round, tenant, copied, -1,
                end.minus(start), phases, used);
        run.print(System.out, "docs");
        runs.add(run);
        b.getDatabase("raw_" + tenant.value()).drop();
    }
}
