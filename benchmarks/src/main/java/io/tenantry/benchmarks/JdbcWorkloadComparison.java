package io.tenantry.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Whole-workload comparison of raw JDBC and Tenantry against the same PostgreSQL 17 in one run, on
 * the schema-per-tenant model (Tenantry's default, and with {@code resetOnReturn(false)}:
 * {@code schema-keep}), the database-per-tenant model, and the FIELD model of shared tables with a
 * tenant column ({@code field}: SQL rewriting and row-level security, Tenantry's default;
 * {@code field-keep}: the same with {@code resetOnReturn(false)}; {@code field-rls-off}: rewriting
 * alone; {@code field-rls-only}: row-level security alone); see {@link JdbcWorkload} for what each side
 * does. Five operations, each a separate line: point select, range select of 50 rows, insert, update
 * by primary key and a batch insert of 50 rows. Every operation takes a connection for a
 * random tenant, runs one prepared statement and closes the connection, as {@code JdbcTemplate} does.
 *
 * <p>Rounds run each operation once as a pair of batches, raw and Tenantry, alternating which goes
 * first, so that drift in the machine falls on both sides alike; a warm-up of the same rounds is
 * discarded first. A batch is {@code --batch} operations on each of {@code --threads} threads. The
 * report gives each side's throughput over the whole run and the ratio of Tenantry's throughput to
 * raw throughput (1.00 = no overhead): the median, 10th and 90th percentile, minimum and maximum of
 * the ratios of the pairs, then the overall ratio of the totals, which one burst of load on the
 * machine can move; the median cannot. A last line per model and thread count takes the geometric
 * mean over the five operations, per round and overall.
 *
 * <p>The last columns split an operation's cost, raw/Tenantry in microseconds: wall-clock time per
 * operation and thread; CPU time of the client threads (driver, pool, Tenantry); and, for the embedded
 * server on Linux, CPU time of the PostgreSQL backends serving each side ({@link BackendCpu}). What
 * the two CPU times leave of the wall-clock time is waiting: round trips, and the scheduler.
 *
 * <p>On the schema models the raw side calls {@code Connection.setSchema}, which HikariCP follows with
 * a {@code getSchema} round trip; {@code --raw-switch search-path} makes it send one
 * {@code SET search_path} statement instead, the cheapest hand-written switch.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.tenantry.benchmarks.JdbcWorkloadComparison
 *     [--model all|schema,schema-keep,database,field,field-keep,field-rls-off,field-rls-only] [--seconds 30]
 *     [--warmup 10] [--threads 1,4] [--tenants 8] [--rows 5000] [--batch 50] [--pool N]
 *     [--raw-switch setschema|search-path]</pre>
 *
 * With {@value BenchPostgres#URL_VARIABLE} set to a superuser's JDBC URL it runs against that server
 * instead of the embedded one (it drops and recreates the database {@code bench} and {@code bench_*}).
 */
public final class JdbcWorkloadComparison {

    private JdbcWorkloadComparison() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Options options = Options.parse(args);
        try (BenchPostgres server = BenchPostgres.start(); BackendCpu serverCpu = new BackendCpu(server)) {
            System.out.printf(Locale.ROOT, "PostgreSQL %s, %d tenants x %d rows, pools of %d connections per side,"
                            + " batches of %d operations per thread, %d s warm-up + %d s measured per model and"
                            + " thread count, %d cores; raw schema switch: %s%n",
                    serverVersion(server), options.tenants, options.rows, options.pool, options.batch,
                    options.warmupSeconds, options.seconds, Runtime.getRuntime().availableProcessors(),
                    options.rawSetsSearchPath ? "SET search_path" : "Connection.setSchema");
            System.out.printf(Locale.ROOT, "%-14s %3s %-18s %10s %10s  %-44s %7s %5s  %-11s %-11s %-11s%n", "model",
                    "thr", "operation", "raw ops/s", "tenantry/s", "ratio T/raw: median [p10 .. p90] (min .. max)",
                    "overall", "pairs", "wall us/op", "client CPU", serverCpu.available() ? "server CPU" : "");
            for (JdbcWorkload.Model model : options.models) {
                try (JdbcWorkload workload = JdbcWorkload.open(server, model, options.tenants, options.rows,
                        options.pool, options.rawSetsSearchPath)) {
                    for (int threads : options.threads) {
                        compare(workload, threads, options, serverCpu);
                    }
                }
            }
        }
    }

    private static void compare(JdbcWorkload workload, int threads, Options options, BackendCpu serverCpu)
            throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "bench-worker");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Rounds rounds = new Rounds(workload, threads, options.batch, executor, serverCpu);
            rounds.run(options.warmupSeconds, null);
            Map<JdbcOperation, BatchPairs> results = new EnumMap<>(JdbcOperation.class);
            for (JdbcOperation op : JdbcOperation.values()) {
                results.put(op, new BatchPairs(threads * options.batch));
            }
            rounds.run(options.seconds, results);
            report(workload.model, threads, results, serverCpu.available());
        } finally {
            executor.shutdownNow();
        }
    }

    /** Rounds of alternating batches on one workload and thread count. */
    private static final class Rounds {
        private final JdbcWorkload workload;
        private final int threads;
        private final int perThread;
        private final ExecutorService executor;
        private final BackendCpu serverCpu;
        private final ThreadMXBean cpu = ManagementFactory.getThreadMXBean();

        Rounds(JdbcWorkload workload, int threads, int perThread, ExecutorService executor, BackendCpu serverCpu) {
            this.workload = workload;
            this.threads = threads;
            this.perThread = perThread;
            this.executor = executor;
            this.serverCpu = serverCpu;
        }

        /** Runs rounds for {@code seconds}; records them in {@code results} unless it is null (warm-up). */
        void run(int seconds, @Nullable Map<JdbcOperation, BatchPairs> results) throws Exception {
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            for (int round = 0; System.nanoTime() < end; round++) {
                serverCpu.refresh();
                for (JdbcOperation op : JdbcOperation.values()) {
                    boolean rawFirst = (round + op.ordinal()) % 2 == 0;
                    BatchPairs.Batch first = batch(!rawFirst, op);
                    BatchPairs.Batch second = batch(rawFirst, op);
                    if (results != null) {
                        results.get(op).add(rawFirst ? first : second, rawFirst ? second : first);
                    }
                }
            }
        }

        /** Runs one batch of {@code op} on Tenantry or on the raw side, on every thread. */
        private BatchPairs.Batch batch(boolean tenantry, JdbcOperation op) throws Exception {
            JdbcWorkload.Side side = tenantry ? workload.tenantry : workload.raw;
            String application = tenantry ? JdbcWorkload.TENANTRY_APPLICATION : JdbcWorkload.RAW_APPLICATION;
            int tenants = workload.tenants();
            List<Callable<long[]>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                tasks.add(() -> {
                    long cpuStart = cpu.getCurrentThreadCpuTime();
                    long checksum = 0;
                    for (int i = 0; i < perThread; i++) {
                        checksum += side.run(ThreadLocalRandom.current().nextInt(tenants), op);
                    }
                    return new long[] {checksum, cpu.getCurrentThreadCpuTime() - cpuStart};
                });
            }
            long[] backendsBefore = serverCpu.read(application);
            long start = System.nanoTime();
            List<Future<long[]>> done = executor.invokeAll(tasks);
            long wall = System.nanoTime() - start;
            long serverNanos = BackendCpu.delta(backendsBefore, serverCpu.read(application));
            long clientNanos = 0;
            for (Future<long[]> future : done) {
                try {
                    long[] result = future.get();
                    Blackhole.consume(result[0]);
                    clientNanos += result[1];
                } catch (ExecutionException e) {
                    throw new IllegalStateException(op.label() + " failed: " + e.getCause(), e.getCause());
                }
            }
            return new BatchPairs.Batch(wall, clientNanos, serverNanos);
        }
    }

    private static void report(JdbcWorkload.Model model, int threads, Map<JdbcOperation, BatchPairs> results,
            boolean serverCpu) {
        int rounds = results.values().stream().mapToInt(BatchPairs::pairs).min().orElse(0);
        double logSum = 0;
        double[] roundRatios = new double[rounds];
        for (Map.Entry<JdbcOperation, BatchPairs> e : results.entrySet()) {
            BatchPairs pairs = e.getValue();
            double[] ratios = pairs.ratios();
            System.out.printf(Locale.ROOT, "%-14s %3d %-18s %,10.0f %,10.0f  %-44s %7.3f %5d  %-11s %-11s %-11s%n",
                    model.label(), threads, e.getKey().label(), pairs.rawRate(), pairs.tenantryRate(),
                    BatchPairs.spread(ratios), pairs.ratio(), ratios.length, both(pairs.wallMicros(threads)),
                    both(pairs.clientCpuMicros()), serverCpu ? both(pairs.serverCpuMicros()) : "");
            logSum += Math.log(pairs.ratio());
            for (int round = 0; round < rounds; round++) {
                roundRatios[round] += Math.log(ratios[round]) / results.size();
            }
        }
        for (int round = 0; round < rounds; round++) {
            roundRatios[round] = Math.exp(roundRatios[round]);
        }
        System.out.printf(Locale.ROOT, "%-14s %3d %-18s %10s %10s  %-44s %7.3f %5d%n", model.label(), threads,
                "geometric mean", "", "", BatchPairs.spread(roundRatios), Math.exp(logSum / results.size()), rounds);
    }

    /** Returns "raw/tenantry" microseconds, rounded. */
    private static String both(double[] micros) {
        return String.format(Locale.ROOT, "%.0f/%.0f", micros[0], micros[1]);
    }

    private static String serverVersion(BenchPostgres server) throws SQLException {
        try (Connection c = server.login("postgres").getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SHOW server_version")) {
            return r.next() ? r.getString(1) : "?";
        }
    }

    /** Keeps checksums alive so that the JIT cannot drop the work that produced them. */
    private static final class Blackhole {
        private static volatile long sink;

        static void consume(long value) {
            sink += value;
        }
    }

    /** The command line. */
    private static final class Options {
        List<JdbcWorkload.Model> models = List.of(JdbcWorkload.Model.values());
        int seconds = 30;
        int warmupSeconds = 10;
        int[] threads = {1};
        int tenants = 8;
        int rows = 5_000;
        int batch = 50;
        int pool;
        boolean rawSetsSearchPath;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw usage("missing the value of " + name);
                }
                String value = args[++i];
                switch (name) {
                    case "--model":
                        o.models = new ArrayList<>();
                        for (JdbcWorkload.Model model : JdbcWorkload.Model.values()) {
                            if (value.equals("all") || Arrays.asList(value.split(",")).contains(model.label())) {
                                o.models.add(model);
                            }
                        }
                        if (o.models.isEmpty()) {
                            throw usage("unknown model " + value);
                        }
                        break;
                    case "--seconds":
                        o.seconds = positive(name, value);
                        break;
                    case "--warmup":
                        o.warmupSeconds = Integer.parseInt(value);
                        break;
                    case "--threads":
                        o.threads = Arrays.stream(value.split(",")).mapToInt(v -> positive(name, v.trim())).toArray();
                        break;
                    case "--tenants":
                        o.tenants = positive(name, value);
                        break;
                    case "--rows":
                        o.rows = Math.max(JdbcOperation.RANGE + 1, positive(name, value));
                        break;
                    case "--batch":
                        o.batch = positive(name, value);
                        break;
                    case "--pool":
                        o.pool = positive(name, value);
                        break;
                    case "--raw-switch":
                        if (!value.equals("setschema") && !value.equals("search-path")) {
                            throw usage("--raw-switch is setschema or search-path, was " + value);
                        }
                        o.rawSetsSearchPath = value.equals("search-path");
                        break;
                    default:
                        throw usage("unknown option " + name);
                }
            }
            if (o.pool == 0) {
                o.pool = Math.max(4, Arrays.stream(o.threads).max().orElse(1));
            }
            return o;
        }

        private static int positive(String name, String value) {
            int n = Integer.parseInt(value);
            if (n < 1) {
                throw usage(name + " must be at least 1, was " + value);
            }
            return n;
        }

        private static IllegalArgumentException usage(String problem) {
            return new IllegalArgumentException(problem + ". Usage: JdbcWorkloadComparison"
                    + " [--model all|schema,schema-keep,database,field,field-keep,field-rls-off,field-rls-only]"
                    + " [--seconds 30] [--warmup 10] [--threads 1,4] [--tenants 8] [--rows 5000] [--batch 50] [--pool N]"
                    + " [--raw-switch setschema|search-path]");
        }
    }
}
