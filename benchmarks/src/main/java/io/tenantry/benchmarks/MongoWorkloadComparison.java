package io.tenantry.benchmarks;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.tenantry.IsolationModel;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantRouter;
import io.tenantry.TenantScope;
import io.tenantry.mongo.TenantMongo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;
import org.bson.Document;

/**
 * Whole-workload comparison of the raw MongoDB driver and Tenantry against the same server in one
 * run: insert, find by id, find by filter, update and aggregate, for each isolation model. The raw
 * side is what a hand-written application does for the same model: FIELD adds its own tenant
 * filter, COLLECTION and DATABASE use the tenant's physical collection directly.
 *
 * <p>A first round warms the JIT and is discarded. Within each round raw and Tenantry run each
 * operation in alternating batches of 50 calls (alternating which goes first), so that drift in the
 * machine falls on both alike; the printed ratio is Tenantry's throughput over raw throughput, the
 * median over rounds (1.00 = no overhead).
 *
 * <p>Beside the ratio it splits one operation's cost, raw -> Tenantry, in microseconds over all
 * measured rounds: wall-clock time, CPU time of the calling thread (driver and Tenantry), CPU time of
 * every other thread of this JVM (the in-process server's, and the driver's monitor thread), and
 * garbage-collection time. Against an external server ({@code TENANTRY_MONGODB_URI}) the second is the
 * driver's background threads only.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.tenantry.benchmarks.MongoWorkloadComparison [opsPerRound] [rounds] [MODEL...]</pre>
 *
 * With {@code TENANTRY_MONGODB_URI} set, it runs against that server instead of the embedded one.
 */
public final class MongoWorkloadComparison {

    private static final String[] OPERATIONS = {"insert", "findById", "findByFilter", "update", "aggregate"};
    private static final TenantId TENANT = TenantId.of("bench");
    private static final int BATCH = 50;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private MongoWorkloadComparison() {
    }

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        int ops = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        String uri = System.getenv("TENANTRY_MONGODB_URI");
        MongoServer server = null;
        if (uri == null || uri.isBlank()) {
            server = new MongoServer(new MemoryBackend());
            InetSocketAddress address = server.bind();
            uri = "mongodb://" + address.getHostString() + ":" + address.getPort();
        }
        try (MongoClient client = MongoClients.create(uri)) {
            System.out.printf(Locale.ROOT, "%-11s %-13s %12s %12s %7s   %-17s %-17s %-17s %s%n", "model", "operation",
                    "raw ops/s", "tenantry/s", "ratio", "wall us/op", "caller CPU us/op", "other CPU us/op",
                    "GC us/op");
            for (IsolationModel model : IsolationModel.values()) {
                if (args.length <= 2 || Arrays.asList(args).subList(2, args.length).contains(model.name())) {
                    run(client, model, ops, rounds);
                }
            }
        } finally {
            if (server != null) {
                server.shutdownNow();
            }
        }
    }

    private static void run(MongoClient client, IsolationModel model, int ops, int rounds) {
        Placement placement;
        switch (model) {
            case FIELD:
                placement = Placement.field("main", "bench_shared");
                break;
            case COLLECTION:
                placement = Placement.collection("main", "bench_collection");
                break;
            default:
                placement = Placement.database("main", "bench_");
                break;
        }
        TenantMongo mongo = TenantMongo.builder().cluster("main", client)
                .directory(TenantDirectory.caching(TenantDirectory.inMemory(Tenant.builder(TENANT).build())).build())
                .router(TenantRouter.builder().otherwise(placement).build())
                .collection("cards")
                .build();
        mongo.provisioning().ensure(TENANT);
        MongoCollection<Document> routed = mongo.collection("cards");
        MongoCollection<Document> raw;
        Document tenantFilter;
        try (TenantScope scope = TenantContext.open(TENANT)) {
            String database = mongo.databaseName(TENANT);
            String physical = model == IsolationModel.COLLECTION ? TENANT.value() + ".cards" : "cards";
            raw = client.getDatabase(database).getCollection(physical);
            tenantFilter = model == IsolationModel.FIELD ? new Document(mongo.tenantField(), TENANT.value()) : new Document();
        }
        Map<String, double[]> ratios = new java.util.LinkedHashMap<>();
        Map<String, double[]> rawRates = new java.util.LinkedHashMap<>();
        Map<String, double[]> tenantryRates = new java.util.LinkedHashMap<>();
        Map<String, BatchPairs> costs = new java.util.LinkedHashMap<>();
        for (String op : OPERATIONS) {
            ratios.put(op, new double[rounds]);
            rawRates.put(op, new double[rounds]);
            tenantryRates.put(op, new double[rounds]);
            costs.put(op, new BatchPairs(BATCH));
        }
        for (int round = -1; round < rounds; round++) {
            raw.deleteMany(new Document());
            for (String op : OPERATIONS) {
                IntConsumer rawOp = rawOperation(op, raw, tenantFilter, 0, ops);
                IntConsumer tenantryOp = tenantryOperation(op, routed, ops, ops);
                long[] nanos = new long[2];
                // Small alternating batches: whatever the machine does meanwhile falls on both sides alike.
                for (int from = 0; from < ops; from += BATCH) {
                    int to = Math.min(ops, from + BATCH);
                    boolean rawFirst = (from / BATCH) % 2 == 0;
                    BatchPairs.Batch first = time(from, to, rawFirst ? rawOp : tenantryOp, !rawFirst);
                    BatchPairs.Batch second = time(from, to, rawFirst ? tenantryOp : rawOp, rawFirst);
                    BatchPairs.Batch rawBatch = rawFirst ? first : second;
                    BatchPairs.Batch tenantryBatch = rawFirst ? second : first;
                    nanos[0] += rawBatch.wallNanos();
                    nanos[1] += tenantryBatch.wallNanos();
                    if (round >= 0 && to - from == BATCH) {
                        costs.get(op).add(rawBatch, tenantryBatch);
                    }
                }
                double rawRate = ops / (nanos[0] / 1e9);
                double tenantryRate = ops / (nanos[1] / 1e9);
                if (round >= 0) {
                    ratios.get(op)[round] = tenantryRate / rawRate;
                    rawRates.get(op)[round] = rawRate;
                    tenantryRates.get(op)[round] = tenantryRate;
                }
            }
        }
        for (String op : OPERATIONS) {
            BatchPairs cost = costs.get(op);
            System.out.printf(Locale.ROOT, "%-11s %-13s %12.0f %12.0f %7.3f   %-17s %-17s %-17s %s%n", model, op,
                    median(rawRates.get(op)), median(tenantryRates.get(op)), median(ratios.get(op)),
                    pair(cost.wallMicros(1)), pair(cost.clientCpuMicros()), pair(cost.serverCpuMicros()),
                    pair(cost.gcMicros()));
        }
    }

    private static IntConsumer rawOperation(String op, MongoCollection<Document> raw, Document tenantFilter, int base,
            int ops) {
        String field = tenantFilter.isEmpty() ? null : tenantFilter.keySet().iterator().next();
        switch (op) {
            case "insert":
                return i -> {
                    Document doc = new Document("_id", base + i).append("name", "card" + (i % 50)).append("qty", i % 10);
                    if (field != null) {
                        doc.append(field, tenantFilter.get(field));
                    }
                    raw.insertOne(doc);
                };
            case "findById":
                return i -> raw.find(and(tenantFilter, Filters.eq("_id", lookupId(i, ops)))).first();
            case "findByFilter":
                return i -> raw.find(and(tenantFilter, Filters.eq("qty", i % 10))).limit(10).into(new ArrayList<>());
            case "update":
                return i -> raw.updateOne(and(tenantFilter, Filters.eq("name", "card" + (i % 50))), Updates.inc("qty", 1));
            default:
                return i -> raw.aggregate(List.of(new Document("$match", and(tenantFilter, Filters.eq("qty", i % 10))),
                        new Document("$group", new Document("_id", "$name").append("n", new Document("$sum", 1)))))
                        .into(new ArrayList<>());
        }
    }

    private static IntConsumer tenantryOperation(String op, MongoCollection<Document> routed, int base, int ops) {
        switch (op) {
            case "insert":
                return i -> routed.insertOne(new Document("_id", base + i).append("name", "card" + (i % 50))
                        .append("qty", i % 10));
            case "findById":
                return i -> routed.find(Filters.eq("_id", lookupId(i, ops))).first();
            case "findByFilter":
                return i -> routed.find(Filters.eq("qty", i % 10)).limit(10).into(new ArrayList<>());
            case "update":
                return i -> routed.updateOne(Filters.eq("name", "card" + (i % 50)), Updates.inc("qty", 1));
            default:
                return i -> routed.aggregate(List.of(new Document("$match", Filters.eq("qty", i % 10)),
                        new Document("$group", new Document("_id", "$name").append("n", new Document("$sum", 1)))))
                        .into(new ArrayList<>());
        }
    }

    /**
     * Ids looked up by both sides: the same spread over everything both sides inserted, so that
     * neither finds its documents earlier in a scan than the other.
     */
    private static int lookupId(int i, int ops) {
        return (int) ((i * 7919L) % (2L * ops));
    }

    private static org.bson.conversions.Bson and(Document tenantFilter, org.bson.conversions.Bson filter) {
        return tenantFilter.isEmpty() ? filter : Filters.and(tenantFilter, filter);
    }

    /**
     * Runs operations {@code from} to {@code to}, inside the tenant's scope when {@code scoped}; returns
     * the batch's wall-clock time, this thread's CPU time, the other threads' CPU time and the GC time.
     */
    private static BatchPairs.Batch time(int from, int to, IntConsumer operation, boolean scoped) {
        TenantScope scope = scoped ? TenantContext.open(TENANT) : null;
        try {
            long othersBefore = otherThreadsCpu();
            long gcBefore = gcNanos();
            long cpuBefore = THREADS.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            for (int i = from; i < to; i++) {
                operation.accept(i);
            }
            long wall = System.nanoTime() - start;
            long cpu = THREADS.getCurrentThreadCpuTime() - cpuBefore;
            long gc = gcNanos() - gcBefore;
            return new BatchPairs.Batch(wall, cpu, otherThreadsCpu() - othersBefore, gc);
        } finally {
            if (scope != null) {
                scope.close();
            }
        }
    }

    /** CPU nanoseconds used so far by every live thread of this JVM except the calling one. */
    private static long otherThreadsCpu() {
        long self = Thread.currentThread().getId();
        long total = 0;
        for (long id : THREADS.getAllThreadIds()) {
            long nanos = id == self ? -1 : THREADS.getThreadCpuTime(id);
            if (nanos > 0) {
                total += nanos;
            }
        }
        return total;
    }

    /** Nanoseconds spent in garbage collection so far, by every collector. */
    private static long gcNanos() {
        long millis = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            millis += Math.max(0, collector.getCollectionTime());
        }
        return millis * 1_000_000;
    }

    private static String pair(double[] values) {
        return String.format(Locale.ROOT, "%.1f -> %.1f", values[0], values[1]);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
