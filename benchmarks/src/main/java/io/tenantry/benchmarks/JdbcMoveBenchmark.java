package io.tenantry.benchmarks;

import io.tenantry.LifecycleOperation;
import io.tenantry.LifecycleProgress;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantDigest;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycle;
import io.tenantry.TenantRouter;
import io.tenantry.jdbc.JdbcStore;
import io.tenantry.jdbc.TenantJdbc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Whole-workload benchmark of moving one tenant between two PostgreSQL servers: Tenantry's
 * {@link TenantLifecycle#move} from the FIELD model on server A (a shared table with a tenant column,
 * another tenant's rows beside) to a database of its own on server B, against a hand-written copy loop
 * with plain JDBC ({@link RawJdbcCopy}) doing the same copy: with batched {@code INSERT}s, with and without
 * the same digests of both sides; with {@code COPY FROM STDIN} fed by the same cursor; and with
 * {@code COPY TO STDOUT} piped into {@code COPY FROM STDIN}. Tenantry writes a database target with
 * {@code COPY FROM STDIN}, so the last two are its like-for-like baselines.
 *
 * <p>Both servers are embedded PostgreSQL 17 processes ({@link BenchPostgres}; with
 * {@value BenchPostgres#URL_VARIABLE} set, both stores are that one server), so this JVM's heap holds only
 * the mover's objects; the servers' CPU (every process of each postmaster, {@link PostgresServerCpu}) is
 * measured apart. The rows are loaded with {@code INSERT ... SELECT} from {@code generate_series}, outside
 * Tenantry and unmeasured. A warm-up tenant of min(100,000, N/2) rows is moved and copied first and deleted;
 * then each round runs the five sides on tenant {@code acme}, in alternating order, each from the same
 * starting state: after Tenantry's move the tenant is moved back (also reported), after a raw copy the copy
 * is dropped, and before each run the shared table is vacuumed and both servers checkpoint, so that no run
 * pays for what the one before it left.
 *
 * <pre>
 * java -Xmx256m -cp benchmarks/target/benchmarks.jar io.tenantry.benchmarks.JdbcMoveBenchmark \
 *     [rows, default 1000000] [rounds, default 2] [rows per batch, default 1000] [raw values: text|typed]
 * </pre>
 *
 * <p>Both sides insert in batches of the same size ({@code TenantJdbc.dataStore(int)} on Tenantry's). The raw
 * loop moves values as text by default, as Tenantry does: typed values ({@code typed}) cost the servers about
 * the same and the mover more (3.7 against 2.0 s of CPU, one run each of 200,000 rows), so text is the
 * stronger baseline.
 */
public final class JdbcMoveBenchmark implements AutoCloseable {

    static final TenantId ACME = TenantId.of("acme");
    static final TenantId BRAVO = TenantId.of("bravo");
    static final TenantId WARM_UP = TenantId.of("warmup");
    /** Every database of the benchmark starts with it: an earlier run's are dropped, no one else's. */
    static final String PREFIX = "tmove_";
    static final String SHARED_DATABASE = PREFIX + "shared";
    static final String RAW_DATABASE = PREFIX + "raw";
    static final Placement SOURCE = Placement.field("a", SHARED_DATABASE);
    static final Placement TARGET = Placement.database("b", PREFIX + "t_");
    static final String TABLE = "work_orders";
    static final String TENANT_COLUMN = TenantJdbc.DEFAULT_TENANT_COLUMN;
    /**
     * A work order's columns as the tenant sees them: one definition for the shared table (after the tenant
     * column), the tenant migration and the raw copy's target, so that all three have the same shape.
     */
    static final List<String> COLUMN_DEFINITIONS = List.of("id bigint NOT NULL", "customer text NOT NULL",
            "title text NOT NULL", "description text", "status text NOT NULL", "amount numeric(12,2) NOT NULL",
            "created_at timestamptz NOT NULL", "due_at timestamptz", "done boolean NOT NULL",
            "attributes jsonb NOT NULL", "part_ids integer[] NOT NULL", "signature bytea");
    static final String COLUMNS_DDL = String.join(", ", COLUMN_DEFINITIONS);
    static final List<String> COLUMNS = COLUMN_DEFINITIONS.stream().map(d -> d.substring(0, d.indexOf(' '))).toList();

    private final BenchPostgres a;
    private final BenchPostgres b;
    private final int batch;
    private final RawJdbcCopy.Values values;
    private final MoveClocks clocks;
    private final TenantJdbc jdbc;
    private final TimedDataStore store;
    private final TenantLifecycle lifecycle;
    private final List<MoveRun> runs = new ArrayList<>();
    /** Tenantry's digest of each tenant's source, to check that the raw loop copies the same rows. */
    private final Map<TenantId, TenantDigest> sourceDigests = new HashMap<>();

    private JdbcMoveBenchmark(BenchPostgres a, BenchPostgres b, Path migrations, int batch, RawJdbcCopy.Values values)
            throws SQLException {
        this.a = a;
        this.b = b;
        this.batch = batch;
        this.values = values;
        this.clocks = new MoveClocks(new PostgresServerCpu(List.of(a, b))::nanos, () -> 0);
        TenantDirectory directory = TenantDirectory.inMemory(pinned(ACME), pinned(BRAVO), pinned(WARM_UP));
        TenantRouter router = TenantRouter.builder().otherwise(SOURCE).build();
        this.jdbc = TenantJdbc.builder()
                .store("a", store(a))
                .store("b", store(b))
                .directory(directory)
                .router(router)
                .migrations("filesystem:" + migrations)
                .build();
        this.store = new TimedDataStore(jdbc.dataStore(batch), clocks);
        this.lifecycle = TenantLifecycle.builder(directory, router).store(store).build();
    }

    private static JdbcStore store(BenchPostgres server) {
        return JdbcStore.builder(server.serverUrl()).credentials(BenchPostgres.LOGIN_USER, BenchPostgres.LOGIN_PASSWORD)
                .build();
    }

    private static Tenant pinned(TenantId id) {
        return Tenant.builder(id).placement(SOURCE).build();
    }

    public static void main(String[] args) throws IOException, SQLException {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        long rows = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        RawJdbcCopy.Values values = args.length > 3 ? RawJdbcCopy.Values.valueOf(args[3].toUpperCase(Locale.ROOT))
                : RawJdbcCopy.Values.TEXT;
        System.out.printf(Locale.ROOT, "%,d rows, %d round(s), %d rows per batch, raw values %s; %d cores, load"
                + " average %s; Java %s; mover heap at most %,d MiB%n", rows, rounds, batch, values,
                Runtime.getRuntime().availableProcessors(), MoveClocks.loadAverage(),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
        // The tenant migration, from the same column list as the shared table and the raw copy's target.
        Path migrations = Files.createTempDirectory("tenantry-move-migrations");
        Files.writeString(migrations.resolve("V1__work_orders.sql"), "CREATE TABLE " + TABLE + " (" + COLUMNS_DDL
                + ", PRIMARY KEY (id));\n");
        try (BenchPostgres a = BenchPostgres.start(); BenchPostgres b = BenchPostgres.start();
                JdbcMoveBenchmark benchmark = new JdbcMoveBenchmark(a, b, migrations, batch, values)) {
            benchmark.run(rows, rounds);
        } finally {
            Files.deleteIfExists(migrations.resolve("V1__work_orders.sql"));
            Files.deleteIfExists(migrations);
        }
        System.out.printf(Locale.ROOT, "load average at the end: %s%n", MoveClocks.loadAverage());
    }

    private void run(long rows, int rounds) throws SQLException {
        // Enough rows for C2 to compile pgjdbc's per-batch paths (processResults, sendBind, execute) in the
        // warm-up: after 20,000, the first measured run still paid about 4 s of compilation, all on one side.
        long warmUp = Math.max(1_000, Math.min(100_000, rows / 2));
        long others = Math.max(1_000, rows / 10);
        long started = System.nanoTime();
        b.dropDatabases(PREFIX); // an earlier run's, on an external server
        a.recreateDatabase(SHARED_DATABASE);
        Map<TenantId, Long> tenants = new LinkedHashMap<>(); // in this order in the shared table, every run
        tenants.put(ACME, rows);
        tenants.put(BRAVO, others);
        tenants.put(WARM_UP, warmUp);
        fill(tenants);
        b.recreateDatabase(RAW_DATABASE);
        System.out.printf(Locale.ROOT, "filled and provisioned in %.1f s: acme %,d, bravo %,d, warmup %,d rows;"
                + " PostgreSQL %s, shared table %s%n", (System.nanoTime() - started) / 1e9, rows, others, warmUp,
                query(a.superuser(SHARED_DATABASE), "SHOW server_version"), query(a.superuser(SHARED_DATABASE),
                "SELECT pg_size_pretty(pg_total_relation_size('" + TABLE + "'))"));
        List<MoveRun.Side> raws = List.of(MoveRun.Side.RAW, MoveRun.Side.RAW_WITH_DIGESTS, MoveRun.Side.RAW_COPY_IN,
                MoveRun.Side.RAW_COPY_PIPE);
        tenantryMove(WARM_UP, -1);
        for (MoveRun.Side side : raws) {
            rawCopy(WARM_UP, -1, side);
        }
        lifecycle.delete(WARM_UP);
        runs.clear();
        for (int round = 0; round < rounds; round++) {
            if (round % 2 == 0) {
                tenantryMove(ACME, round);
                for (MoveRun.Side side : raws) {
                    rawCopy(ACME, round, side);
                }
            } else {
                for (int i = raws.size() - 1; i >= 0; i--) {
                    rawCopy(ACME, round, raws.get(i));
                }
                tenantryMove(ACME, round);
            }
        }
        System.out.printf(Locale.ROOT, "this process at most %,d MiB resident; %.0f s since the fill began%n",
                MongoServerProcess.memoryMib(ProcessHandle.current().pid(), "VmHWM"),
                (System.nanoTime() - started) / 1e9);
        new MoveReport(runs, rounds, "rows", "of values as text").print(System.out);
    }

    /**
     * Creates the shared table outside Tenantry, as the shared migrations would, as the login role (its owner),
     * fills it with each tenant's work orders straight from {@code generate_series}, then provisions the
     * tenants, which adds the tenant column's default and row-level security. The raw side's role, which
     * row-level security does not bind, may read it.
     */
    private void fill(Map<TenantId, Long> tenants) throws SQLException {
        try (Connection c = a.login(SHARED_DATABASE).getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + TABLE + " (" + TENANT_COLUMN + " text NOT NULL, " + COLUMNS_DDL
                    + ", PRIMARY KEY (" + TENANT_COLUMN + ", id))");
            for (Map.Entry<TenantId, Long> tenant : tenants.entrySet()) {
                s.execute("INSERT INTO " + TABLE + " (" + TENANT_COLUMN + ", " + String.join(", ", COLUMNS)
                        + ") SELECT '" + tenant.getKey() + "', " + workOrder("g") + " FROM generate_series(0::bigint, "
                        + (tenant.getValue() - 1) + ") g");
            }
            s.execute("GRANT SELECT ON " + TABLE + " TO " + BenchPostgres.RAW_USER);
        }
        for (TenantId tenant : tenants.keySet()) {
            jdbc.provisioning().ensure(tenant);
        }
        settle();
    }

    /**
     * Returns the values of work order number {@code g}, about 510 characters of text (450-570): a few
     * words, a description of 60-210 characters (NULL in one in eleven), an amount, two timestamps to the
     * microsecond (the second NULL in one in seven), a flag, a JSON object of six fields, four part numbers
     * and a 32-byte signature (NULL in one in three).
     */
    private static String workOrder(String g) {
        String created = "timestamptz '2024-01-01 00:00:00+00' + " + g + " * interval '37 seconds' + (" + g
                + " % 1000) * interval '1 microsecond'";
        return g + ", 'Customer ' || (" + g + " * 7919 % 5003) || ' Facility Services GmbH', "
                + "(ARRAY['Replace', 'Inspect', 'Repair', 'Service', 'Install'])[1 + " + g + " % 5] || ' '"
                + " || (ARRAY['boiler', 'heat pump', 'valve', 'filter', 'compressor', 'chiller'])[1 + " + g + " % 6]"
                + " || ' at site ' || (" + g + " % 977), "
                + "CASE WHEN " + g + " % 11 = 0 THEN NULL ELSE left(repeat(md5(" + g + "::text) || ' ' || md5((" + g
                + " + 1)::text) || ' ', 4), (60 + " + g + " * 37 % 151)::int) END, "
                + "(ARRAY['open', 'scheduled', 'in_progress', 'on_hold', 'done', 'cancelled'])[1 + " + g + " % 6], "
                + "(" + g + " * 7907 % 10000000 / 100.0)::numeric(12,2), "
                + created + ", "
                + "CASE WHEN " + g + " % 7 = 0 THEN NULL ELSE " + created + " + (" + g + " % 30 + 1) * interval '1 day'"
                + " END, "
                + g + " % 6 = 4, "
                + "jsonb_build_object('priority', " + g + " % 4, 'technician', 'tech-' || (" + g + " % 311), 'region',"
                + " (ARRAY['north', 'south', 'east', 'west'])[1 + " + g + " % 4], 'slaHours', 4 + " + g + " % 44,"
                + " 'checklist', jsonb_build_array(" + g + " % 2 = 0, " + g + " % 3 = 0, " + g + " % 5 = 0),"
                + " 'note', md5((" + g + " * 31)::text)), "
                + "ARRAY[" + g + " % 1000, " + g + " * 7 % 1000, " + g + " * 13 % 1000, " + g
                + " * 17 % 1000]::integer[], "
                + "CASE WHEN " + g + " % 3 = 0 THEN NULL ELSE sha256(int8send(" + g + ")) END";
    }

    /** Moves {@code tenant} from A (FIELD) to B (DATABASE), then back to A, timing both moves and their phases. */
    private void tenantryMove(TenantId tenant, int round) throws SQLException {
        runs.add(move(tenant, SOURCE, TARGET, MoveRun.Side.TENANTRY, round));
        runs.add(move(tenant, TARGET, SOURCE, MoveRun.Side.TENANTRY_BACK, round));
    }

    private MoveRun move(TenantId tenant, Placement from, Placement to, MoveRun.Side side, int round)
            throws SQLException {
        long[] copied = new long[2];
        LifecycleProgress.Listener listener = progress -> {
            copied[0] = progress.items();
            copied[1] = progress.bytes();
        };
        store.calls();
        store.run(MoveRun.name(side, round));
        settle();
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
        run.print(System.out, "rows");
        return run;
    }

    /**
     * Copies {@code tenant}'s rows from A to B with plain JDBC, as {@code side} says: batched {@code INSERT}s
     * with or without digests, or {@code COPY FROM} fed by the same cursor, or {@code COPY TO} piped into
     * {@code COPY FROM}. Checks the copy against Tenantry's digest of the source (after the clocks for the two
     * {@code COPY} sides, which have no digest of their own), then drops it.
     */
    private void rawCopy(TenantId tenant, int round, MoveRun.Side side) throws SQLException {
        boolean digests = side == MoveRun.Side.RAW_WITH_DIGESTS;
        PGSimpleDataSource source = a.dataSource(SHARED_DATABASE, BenchPostgres.RAW_USER, BenchPostgres.LOGIN_PASSWORD);
        source.setApplicationName("raw-copy");
        PGSimpleDataSource target = b.dataSource(RAW_DATABASE, BenchPostgres.LOGIN_USER, BenchPostgres.LOGIN_PASSWORD);
        target.setApplicationName("raw-copy");
        execute(target, "DROP TABLE IF EXISTS " + TABLE + "; CREATE TABLE " + TABLE + " (" + COLUMNS_DDL
                + ", PRIMARY KEY (id))");
        RawJdbcCopy raw = new RawJdbcCopy(source, target, TABLE, TENANT_COLUMN, tenant.value(), COLUMNS, batch, values);
        Map<String, MoveClocks.Reading> phases = new LinkedHashMap<>();
        SqlCall<Long> copy = switch (side) {
            case RAW_COPY_IN -> raw::copyWithCopyIn;
            case RAW_COPY_PIPE -> raw::pipeCopy;
            default -> raw::copy;
        };
        String name = MoveRun.name(side, round);
        settle();
        HeapWatch heap = HeapWatch.start();
        MoveClocks.Reading start = clocks.read();
        @Nullable TenantDigest expected = digests
                ? MovePhaseEvent.traced(name, MoveRun.DIGEST_SOURCE, () -> unchecked(raw::digestSource)) : null;
        MoveClocks.Reading copyStart = clocks.read();
        long copied = MovePhaseEvent.traced(name, MoveRun.COPY, () -> unchecked(copy));
        MoveClocks.Reading copyEnd = clocks.read();
        @Nullable TenantDigest actual = digests
                ? MovePhaseEvent.traced(name, MoveRun.VERIFY, () -> unchecked(raw::digestTarget)) : null;
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
            if (moved == null || !moved.equals(actual)) {
                throw new IllegalStateException("The raw copy differs from what Tenantry moved: " + actual + " vs "
                        + moved);
            }
        } else {
            phases.put(MoveRun.COPY, copyEnd.minus(copyStart));
            if (side != MoveRun.Side.RAW) {
                TenantDigest written = raw.digestTarget();
                if (!written.equals(sourceDigests.get(tenant))) {
                    throw new IllegalStateException("The raw copy (" + side.label + ") differs from what Tenantry"
                            + " moved: " + written + " vs " + sourceDigests.get(tenant));
                }
            }
        }
        MoveRun run = new MoveRun(side, round, tenant, copied, -1, end.minus(start), phases, used);
        run.print(System.out, "rows");
        runs.add(run);
        execute(target, "DROP TABLE " + TABLE);
    }

    /**
     * Vacuums the shared table (a move's erasure leaves the tenant's rows dead in it) and has both servers
     * write their dirty pages, so that a run neither pays for what the one before left nor leaves it to the
     * next.
     */
    private void settle() throws SQLException {
        execute(a.superuser(SHARED_DATABASE), "VACUUM (ANALYZE) " + TABLE);
        execute(a.superuser("postgres"), "CHECKPOINT");
        execute(b.superuser("postgres"), "CHECKPOINT");
    }

    private static void execute(DataSource database, String sql) throws SQLException {
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String query(DataSource database, String sql) throws SQLException {
        try (Connection c = database.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    /** A call of plain JDBC. */
    private interface SqlCall<T> {
        T call() throws SQLException;
    }

    private static <T> T unchecked(SqlCall<T> call) {
        try {
            return call.call();
        } catch (SQLException e) {
            throw new IllegalStateException("The raw copy failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        jdbc.close();
    }
}
