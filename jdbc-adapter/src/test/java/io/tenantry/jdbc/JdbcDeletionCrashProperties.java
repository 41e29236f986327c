package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycle;
import io.tenantry.TenantLifecycleException;
import io.tenantry.TenantStatus;
import io.tenantry.spi.AuditSink;
import io.tenantry.spi.LifecycleJournal;
import io.tenantry.spi.TenantDataStore;
import io.tenantry.tck.Trials;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Crash injection for deletions on real PostgreSQL: tenant {@code acme}, with random rows of every awkward type
 * ({@link LifecycleRows}) on a random one of the six placements ({@link LifecycleFixture}) and a random status,
 * is deleted by a "process" that dies at a random event (before or after any journal write, directory update or
 * removal, or erase; or half-way through the erase, its rows in one table or its schema or one table of its
 * database gone and the rest still there). A restarted lifecycle (a new one over the same directory, journal and
 * data store, none of them fused) recovers. Then no operation is unfinished, and either the process died before
 * the deletion was journaled and nothing changed (acme in the directory with its status, its rows equal by
 * digest and read back, every trace of it where it was), or the deletion is finished: acme is out of the
 * directory, the journal holds its deletion at {@code DONE}, the audit sink got a {@code TENANT_DELETED} for it
 * (one when the process did not die), and a raw scan of both servers as the superuser finds nothing of it: no
 * database, schema or role named for it, no row with its tenant column and no row with one of its ids in any
 * table of any of this suite's databases. In every case everything else in those databases, scanned raw (every
 * other tenant's database, schema, role and rows, the reference data, the migration histories), is exactly what
 * it was before the first try; the twelve witnesses, two on each placement with ids a naive naming confuses with
 * {@code acme} ({@code acme1}, {@code acme_1}, {@code acme-2}, ...) and some of the same keys, keep their
 * digests and rows read as themselves to the end.
 *
 * <p>{@value #DEFAULT_TRIES} tries by default; {@code -Dtenantry.lifecycle.tries=N} for more,
 * {@code -Dtenantry.tck.seed=...} to replay a reported one.
 */
class JdbcDeletionCrashProperties {

    private static final int DEFAULT_TRIES = 30;
    /**
     * How many events a deletion that does not die has (four journal writes, a directory update, an erase
     * and a removal, each with a before and an after); a try that does not die checks it still is so.
     */
    private static final int EVENTS = 14;
    private static final TenantId ACME = TenantId.of("acme");

    private static LifecycleFixture fixture;
    private static TenantDataStore store;
    private static final Map<TenantId, Placement> WITNESS_AT = new LinkedHashMap<>();
    private static final Map<TenantId, TenantDigest> WITNESS_DIGESTS = new HashMap<>();
    private static final Map<TenantId, Map<String, List<String>>> WITNESS_ROWS = new HashMap<>();
    /** How the tries ended; logged at the end. */
    private static final Map<String, Integer> OUTCOMES = new TreeMap<>();
    /** Every audit event since the last {@code clear()}, from the dying and the restarted lifecycle alike. */
    private static final List<AuditEvent> AUDITED = new CopyOnWriteArrayList<>();
    private static AuditSink previousSink;
    /** What {@link Scan} finds besides acme once the witnesses are written: what every try must leave as it is. */
    private static Map<String, String> everythingElse;

    @BeforeAll
    static void start() {
        previousSink = TenantContext.auditSink();
        AuditSink previous = previousSink;
        TenantContext.auditSink(event -> {
            AUDITED.add(event);
            previous.record(event);
        });
        fixture = new LifecycleFixture("delcrash");
        store = fixture.jdbc.dataStore();
        SplittableRandom random = new SplittableRandom(29);
        List<String> separators = List.of("", "_", "-");
        for (int i = 0; i < fixture.placements.size(); i++) {
            Placement placement = fixture.placements.get(i);
            for (int j = 0; j < 2; j++) {
                TenantId witness = TenantId.of(ACME.value() + separators.get((i + j) % 3) + (i + 1));
                fixture.directory.register(Tenant.builder(witness).placement(placement).build());
                store.provision(witness, placement);
                LifecycleRows.Data data = LifecycleRows.data(random, 3, false);
                while (data.rows() < 3) {
                    data = LifecycleRows.data(random, 3, false);
                }
                LifecycleRows.insert(fixture.jdbc.dataSource(), witness, data);
                WITNESS_AT.put(witness, placement);
                WITNESS_ROWS.put(witness, fixture.read(witness));
                WITNESS_DIGESTS.put(witness, store.digest(witness, placement));
            }
        }
        everythingElse = Scan.of(Set.of()).others();
    }

    /** Every witness, after all the tests; then the audit sink is put back. */
    @AfterAll
    static void everyWitnessIsUnchangedAtTheEnd() {
        org.slf4j.LoggerFactory.getLogger(JdbcDeletionCrashProperties.class).info("Deletions by outcome: {}", OUTCOMES);
        try {
            WITNESS_AT.keySet().forEach(JdbcDeletionCrashProperties::assertUnchanged);
        } finally {
            TenantContext.auditSink(previousSink);
            fixture.close();
        }
    }

    /** Whatever a failed test left of acme: its operations ended, its data erased everywhere, its entry removed. */
    @AfterEach
    void noAcmeLeft() {
        lifecycle(fixture.directory, store, fixture.journal).recover();
        fixture.placements.forEach(p -> store.erase(ACME, p));
        fixture.directory.remove(ACME);
    }

    /**
     * One try: acme's rows, placement and status, and where the process dies: at event {@code crashAt}
     * (counting from 0; at or past {@link #EVENTS} it does not die), or, when {@code halfWay}, in the middle
     * of the erase.
     */
    record Sample(LifecycleRows.Data data, Placement placement, TenantStatus status, int crashAt, boolean halfWay) {
        @Override
        public String toString() {
            return "delete at " + placement + ", " + status + ", " + (halfWay ? "dies half-way through the erase"
                    : crashAt >= EVENTS ? "does not die" : "dies at event " + crashAt) + ", " + data;
        }
    }

    private static Sample sample(SplittableRandom random) {
        Placement placement = fixture.placements.get(random.nextInt(fixture.placements.size()));
        TenantStatus status = switch (random.nextInt(4)) {
            case 0 -> TenantStatus.SUSPENDED;
            case 1 -> TenantStatus.READ_ONLY;
            default -> TenantStatus.ACTIVE;
        };
        boolean halfWay = random.nextInt(6) == 0;
        // event 0, before the deletion is journaled, drawn more often: it is the one case where nothing may happen
        int crashAt = halfWay ? -1 : random.nextInt(8) == 0 ? 0 : random.nextInt(EVENTS + 2);
        return new Sample(LifecycleRows.data(random, 4, random.nextInt(6) == 0), placement, status, crashAt, halfWay);
    }

    @Test
    void aDeletionInterruptedAnywhereIsFinishedOnRecoveryOrNeverStartedAndNothingElseChanges() {
        int tries = Math.max(1, Integer.getInteger("tenantry.lifecycle.tries", DEFAULT_TRIES));
        Trials.forAll("a deletion interrupted anywhere is finished on recovery, or never started", tries,
                JdbcDeletionCrashProperties::sample, JdbcDeletionCrashProperties::deletionDiesAndRecovers);
    }

    private static void deletionDiesAndRecovers(Sample s) {
        fixture.placements.forEach(p -> fixture.assertNothingOf(ACME, p));
        Map<String, List<String>> rows = arrange(s.placement(), s.data(), s.status());
        TenantDigest digest = store.digest(ACME, s.placement());
        Set<UUID> ids = ownIds(s.data());
        Set<String> earlier = operationIds();
        AUDITED.clear();

        Fuses fuses = new Fuses(s.crashAt());
        TenantDataStore dyingStore = fuses.store(s.halfWay() ? diesHalfWayThroughErase(store) : store);
        boolean crashed = false;
        try {
            lifecycle(fuses.directory(fixture.directory), dyingStore, fuses.journal(fixture.journal)).delete(ACME);
        } catch (Fuses.Crash e) {
            crashed = true;
        }
        if (!s.halfWay()) {
            assertThat(crashed).as("died").isEqualTo(s.crashAt() < fuses.events());
        }
        if (!crashed) {
            assertThat(fuses.events()).as("events of a deletion that does not die (raise EVENTS to cover them all)")
                    .isLessThanOrEqualTo(EVENTS);
        }
        boolean endedBeforeItDied = crashed && operationsSince(earlier).stream().anyMatch(op -> op.step().terminal());

        lifecycle(fixture.directory, store, fixture.journal).recover();

        assertThat(fixture.journal.unfinished()).as("unfinished operations").isEmpty();
        List<LifecycleOperation> operations = operationsSince(earlier);
        Scan after = Scan.of(ids);
        assertSame("everything but acme, scanned raw", after.others(), everythingElse);
        List<AuditEvent> deletions = deletionsAudited(ACME);
        if (operations.isEmpty()) {
            assertThat(crashed).as("a deletion that did not die is journaled").isTrue();
            OUTCOMES.merge("died before it was journaled: untouched", 1, Integer::sum);
            Tenant acme = fixture.directory.require(ACME);
            assertThat(acme.status()).isEqualTo(s.status());
            assertThat(acme.placement()).contains(s.placement());
            assertThat(store.digest(ACME, s.placement())).isEqualTo(digest);
            String trace = switch (s.placement().model()) {
                case FIELD -> ": rows of acme in ";
                case COLLECTION -> ": schema ";
                default -> ": database ";
            };
            if (s.data().rows() > 0 || s.placement().model() != IsolationModel.FIELD) {
                assertThat(after.traces()).as("what a raw scan finds of acme").anyMatch(found -> found.contains(trace));
            }
            assertThat(deletions).as("deletions of acme audited").isEmpty();
            if (s.status() != TenantStatus.ACTIVE) {
                fixture.directory.update(acme.toBuilder().status(TenantStatus.ACTIVE).build());
            }
            assertThat(fixture.read(ACME)).as("acme's rows read as acme").isEqualTo(rows);
            store.erase(ACME, s.placement());
            fixture.directory.remove(ACME);
            fixture.assertNothingOf(ACME, s.placement());
        } else {
            OUTCOMES.merge(!crashed ? "not interrupted" : s.halfWay() ? "died half-way through the erase, finished"
                    : endedBeforeItDied ? "died after it ended" : "died, finished", 1, Integer::sum);
            assertThat(operations).singleElement().satisfies(op -> {
                assertThat(op.kind()).isEqualTo(Kind.DELETE);
                assertThat(op.step()).isEqualTo(Step.DONE);
                assertThat(op.from()).isEqualTo(s.placement());
            });
            assertThat(fixture.directory.find(ACME)).as("acme in the directory").isEmpty();
            assertThat(after.traces()).as("what a raw scan finds of acme after the deletion").isEmpty();
            fixture.placements.forEach(p -> fixture.assertNothingOf(ACME, p));
            if (!crashed) {
                assertThat(deletions).as("deletions of acme audited").hasSize(1);
            } else {
                // at least once: a process may die after the audit and before the journal says so, and the
                // recovery audits again; one that died after its last journal write had audited before it
                assertThat(deletions).as("deletions of acme audited").isNotEmpty();
            }
        }
    }

    /**
     * A process that dies right after the deletion's last journal write leaves nothing to recover, so the
     * deletion's audit record must have been emitted before that write: {@link AuditEvent.Kind#TENANT_DELETED}
     * promises "this record stays". (It was emitted after it once, and lost in this case.)
     */
    @Test
    void aDeletionThatDiesAfterItsLastJournalWriteIsAuditedAllTheSame() {
        arrange(fixture.placements.get(0), LifecycleRows.data(new SplittableRandom(3), 2, false), TenantStatus.ACTIVE);
        AUDITED.clear();
        try {
            lifecycle(fixture.directory, store, diesAfterSaving(fixture.journal, Kind.DELETE, Step.DONE)).delete(ACME);
        } catch (Fuses.Crash e) {
            // died
        }
        lifecycle(fixture.directory, store, fixture.journal).recover();
        assertThat(fixture.directory.find(ACME)).isEmpty();
        assertThat(Scan.of(Set.of()).traces()).isEmpty();
        assertThat(deletionsAudited(ACME)).as("deletions of acme audited").isNotEmpty();
    }

    /**
     * A deletion asked for while a move of the same tenant is unfinished (its process died after the copy,
     * so the tenant's rows are at both placements) is refused, and changes nothing: not the journal, not the
     * directory entry, not a row, schema, role or database on either server. After recovery (the move
     * undone) the deletion goes through and leaves no trace.
     */
    @ParameterizedTest(name = "move from placement {0} to {1}")
    @CsvSource({"0, 3", "4, 1"})
    void aDeletionRefusedWhileAMoveIsUnfinishedLeavesEverythingAsItWas(int fromIndex, int toIndex) {
        Placement from = fixture.placements.get(fromIndex);
        Placement to = fixture.placements.get(toIndex);
        SplittableRandom random = new SplittableRandom(fromIndex * 10L + toIndex);
        LifecycleRows.Data data = LifecycleRows.data(random, 3, false);
        while (data.rows() < 3) {
            data = LifecycleRows.data(random, 3, false);
        }
        Map<String, List<String>> rows = arrange(from, data, TenantStatus.ACTIVE);
        TenantDigest digest = store.digest(ACME, from);
        try {
            lifecycle(fixture.directory, store, diesAfterSaving(fixture.journal, Kind.MOVE, Step.COPIED))
                    .move(ACME, to, LifecycleProgress.Listener.none());
        } catch (Fuses.Crash e) {
            // died with the rows at both placements
        }
        assertThat(store.digest(ACME, to)).as("the copy the dead move left").isEqualTo(digest);
        List<LifecycleOperation> journal = fixture.journal.all();
        Tenant entry = fixture.directory.require(ACME);
        Scan before = Scan.of(ownIds(data), null);
        AUDITED.clear();

        TenantLifecycle restarted = lifecycle(fixture.directory, store, fixture.journal);
        assertThatThrownBy(() -> restarted.delete(ACME)).isInstanceOf(TenantLifecycleException.class)
                .hasMessageContaining("unfinished MOVE").hasMessageContaining("recover()");

        assertThat(fixture.journal.all()).as("the journal").isEqualTo(journal);
        assertThat(fixture.directory.require(ACME)).as("acme's entry").isEqualTo(entry);
        assertSame("both servers, scanned raw, acme included", Scan.of(ownIds(data), null).others(), before.others());
        assertThat(deletionsAudited(ACME)).as("deletions of acme audited").isEmpty();

        restarted.recover();
        assertThat(fixture.router.route(fixture.directory.require(ACME))).isEqualTo(from);
        assertThat(fixture.read(ACME)).isEqualTo(rows);
        fixture.assertNothingOf(ACME, to);
        restarted.delete(ACME);
        Scan after = Scan.of(ownIds(data));
        assertThat(after.traces()).as("what a raw scan finds of acme after the deletion").isEmpty();
        assertSame("everything but acme, scanned raw", after.others(), everythingElse);
    }

    /** Registers acme at {@code placement}, provisions it, writes {@code data}, then gives it {@code status}. */
    private static Map<String, List<String>> arrange(Placement placement, LifecycleRows.Data data,
            TenantStatus status) {
        fixture.directory.register(Tenant.builder(ACME).placement(placement).build());
        store.provision(ACME, placement);
        LifecycleRows.insert(fixture.jdbc.dataSource(), ACME, data);
        Map<String, List<String>> rows = fixture.read(ACME);
        assertThat(LifecycleRows.rows(rows)).isEqualTo(data.rows());
        if (status != TenantStatus.ACTIVE) {
            fixture.directory.update(fixture.directory.require(ACME).toBuilder().status(status).build());
        }
        return rows;
    }

    private static TenantLifecycle lifecycle(TenantDirectory directory, TenantDataStore dataStore,
            LifecycleJournal journal) {
        return TenantLifecycle.builder(directory, fixture.router).store(dataStore).journal(journal).build();
    }

    private static Set<String> operationIds() {
        Set<String> ids = new LinkedHashSet<>();
        fixture.journal.all().forEach(op -> ids.add(op.id()));
        return ids;
    }

    private static List<LifecycleOperation> operationsSince(Set<String> earlier) {
        return fixture.journal.all().stream().filter(op -> !earlier.contains(op.id())).toList();
    }

    /** Asserts that two raw scans are equal, and when they are not, says where and how they differ. */
    private static void assertSame(String what, Map<String, String> actual, Map<String, String> expected) {
        List<String> differences = new ArrayList<>();
        Set<String> keys = new java.util.TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (String key : keys) {
            String was = expected.get(key);
            String is = actual.get(key);
            if (was == null || is == null) {
                differences.add(key + (was == null ? " appeared" : " disappeared"));
            } else if (!was.equals(is)) {
                differences.add(key + ": was " + was + ", is " + is);
            }
        }
        assertThat(differences).as(what + ": differences").isEmpty();
    }

    private static List<AuditEvent> deletionsAudited(TenantId tenant) {
        return AUDITED.stream().filter(e -> e.kind() == AuditEvent.Kind.TENANT_DELETED)
                .filter(e -> e.tenant().filter(tenant::equals).isPresent()).toList();
    }

    /** The ids of {@code data}'s rows that no other tenant is given on purpose. */
    private static Set<UUID> ownIds(LifecycleRows.Data data) {
        Set<UUID> ids = new LinkedHashSet<>();
        data.wallets().forEach(w -> ids.add(w.id()));
        data.entries().forEach(e -> ids.add(e.id()));
        ids.removeAll(LifecycleRows.SHARED_IDS);
        return ids;
    }

    private static void assertUnchanged(TenantId witness) {
        assertThat(store.digest(witness, WITNESS_AT.get(witness))).as("digest of %s", witness)
                .isEqualTo(WITNESS_DIGESTS.get(witness));
        assertThat(fixture.read(witness)).as("rows of %s", witness).isEqualTo(WITNESS_ROWS.get(witness));
    }

    /** A journal that saves, and dies right after it saved an operation of {@code kind} at {@code step}. */
    private static LifecycleJournal diesAfterSaving(LifecycleJournal journal, Kind kind, Step step) {
        return new LifecycleJournal() {
            @Override
            public void save(LifecycleOperation operation) {
                journal.save(operation);
                if (operation.kind() == kind && operation.step() == step) {
                    throw new Fuses.Crash();
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
     * A data store whose erase dies half-way: acme's rows in {@code entries} gone from the shared tables but
     * not those in {@code wallets}; its schema dropped but not its role; one of its database's tables dropped
     * but not the database. PostgreSQL's own erase is one transaction (or one {@code DROP DATABASE}), so it
     * cannot leave these; an erase that ran again over them must finish all the same.
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
                JdbcTarget target = fixture.target(tenant, placement);
                PostgresServer server = fixture.serverOf(placement);
                switch (placement.model()) {
                    case FIELD -> server.execute(target.database(), "DELETE FROM "
                            + JdbcNames.quote(target.schema()) + ".entries WHERE tenant_id = '" + tenant.value() + "'");
                    case COLLECTION -> server.execute(target.database(), "DROP SCHEMA "
                            + JdbcNames.quote(target.schema()) + " CASCADE");
                    default -> server.execute(target.database(), "DROP TABLE entries");
                }
                throw new Fuses.Crash();
            }
        };
    }

    /**
     * What a raw scan as the superuser of both servers finds. {@code traces}: acme's database (a database of
     * this suite's whose name ends with {@code _acme}), schemas (ending with {@code _acme}), roles (this
     * suite's role prefix, then {@code acme~}), rows (a {@code tenant_id} of {@code acme}, or one of acme's
     * own ids, in any table of any schema), in every database of this suite's and in {@code postgres}.
     * {@code others}: everything else in this suite's databases, the control plane left out (its directory
     * and journal are checked through their API): each database, role and schema by name, and each table's
     * row count and the MD5 of its rows as text, acme's rows left out of the shared tables.
     */
    record Scan(List<String> traces, Map<String, String> others) {

        static Scan of(Set<UUID> ids) {
            return of(ids, ACME);
        }

        /** Scans for {@code ids}; {@code others} leaves nothing of {@code excluded} out when it is null. */
        static Scan of(Set<UUID> ids, @Nullable TenantId excluded) {
            List<String> traces = new ArrayList<>();
            Map<String, String> others = new TreeMap<>();
            String rolePrefix = rolePrefix();
            Map<String, PostgresServer> servers = new LinkedHashMap<>();
            servers.put("main", fixture.main);
            if (!fixture.other.serverUrl().equals(fixture.main.serverUrl())) {
                servers.put("other", fixture.other);
            }
            try {
                for (Map.Entry<String, PostgresServer> named : servers.entrySet()) {
                    String name = named.getKey();
                    PostgresServer server = named.getValue();
                    List<String> databases;
                    try (Connection c = server.admin("postgres").getConnection()) {
                        databases = strings(c, "SELECT datname FROM pg_database WHERE datallowconn ORDER BY 1");
                        for (String role : strings(c, "SELECT rolname FROM pg_roles ORDER BY 1")) {
                            if (role.startsWith(rolePrefix + ACME + "~")) {
                                traces.add(name + ": role " + role);
                            }
                            boolean acmes = role.startsWith(rolePrefix + ACME + "~");
                            if (role.startsWith(rolePrefix) && !(acmes && excluded != null)) {
                                others.put(name + ": role " + role, "");
                            }
                        }
                    }
                    for (String database : databases) {
                        boolean ours = ours(database);
                        if (!ours && !database.equals("postgres")) {
                            continue;
                        }
                        boolean acmesDatabase = ours && database.endsWith("_" + ACME);
                        if (acmesDatabase) {
                            traces.add(name + ": database " + database);
                        }
                        boolean census = ours && !(acmesDatabase && excluded != null);
                        if (census) {
                            others.put(name + ": database " + database, "");
                        }
                        try (Connection d = server.admin(database).getConnection()) {
                            scanDatabase(d, name + "/" + database, ids, census, excluded, traces, others);
                        }
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return new Scan(traces, others);
        }

        private static void scanDatabase(Connection d, String where, Set<UUID> ids, boolean census,
                @Nullable TenantId excluded, List<String> traces, Map<String, String> others) throws SQLException {
            Set<String> acmesSchemas = new LinkedHashSet<>();
            for (String schema : strings(d, "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%'"
                    + " AND nspname <> 'information_schema' ORDER BY 1")) {
                if (schema.endsWith("_" + ACME)) {
                    traces.add(where + ": schema " + schema);
                    acmesSchemas.add(schema);
                }
                if (census && !(excluded != null && acmesSchemas.contains(schema))) {
                    others.put(where + ": schema " + schema, "");
                }
            }
            List<String[]> tables = new ArrayList<>();
            try (PreparedStatement p = d.prepareStatement("SELECT n.nspname, c.relname,"
                    + " EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id'"
                    + " AND NOT a.attisdropped),"
                    + " EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'id'"
                    + " AND a.atttypid = 'uuid'::regtype AND NOT a.attisdropped)"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind IN ('r', 'p') AND n.nspname NOT LIKE 'pg\\_%'"
                    + " AND n.nspname <> 'information_schema' ORDER BY 1, 2");
                    ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    tables.add(new String[] {r.getString(1), r.getString(2), r.getString(3), r.getString(4)});
                }
            }
            for (String[] table : tables) {
                String qualified = JdbcNames.quote(table[0]) + "." + JdbcNames.quote(table[1]);
                boolean tenantColumn = table[2].equals("t");
                if (tenantColumn && LifecycleFixture.count(d, "SELECT count(*) FROM " + qualified
                        + " WHERE tenant_id::text = ?", ACME.value()) > 0) {
                    traces.add(where + ": rows of acme in " + qualified);
                }
                if (table[3].equals("t") && !ids.isEmpty()) {
                    try (PreparedStatement p = d.prepareStatement("SELECT count(*) FROM " + qualified
                            + " WHERE id = ANY (?)")) {
                        p.setArray(1, d.createArrayOf("uuid", ids.toArray()));
                        try (ResultSet r = p.executeQuery()) {
                            r.next();
                            if (r.getLong(1) > 0) {
                                traces.add(where + ": rows with acme's ids in " + qualified);
                            }
                        }
                    }
                }
                if (!census || (excluded != null && acmesSchemas.contains(table[0]))) {
                    continue;
                }
                String condition = tenantColumn && excluded != null ? " WHERE tenant_id::text <> '" + excluded + "'"
                        : "";
                try (PreparedStatement p = d.prepareStatement("SELECT count(*) || ' row(s), md5 ' || coalesce(md5("
                        + "string_agg(t::text, E'\\n' ORDER BY t::text)), '-') FROM " + qualified + " t" + condition);
                        ResultSet r = p.executeQuery()) {
                    r.next();
                    others.put(where + ": table " + qualified, r.getString(1));
                }
            }
        }

        /** Whether {@code database} is one of this suite's, the control plane left out. */
        private static boolean ours(String database) {
            return fixture.placements.stream().anyMatch(p -> p.model() == IsolationModel.DATABASE
                    ? database.startsWith(p.namespace()) : database.equals(p.namespace()));
        }

        /** The fixture's role prefix: what comes before the tenant in a schema-model role. */
        private static String rolePrefix() {
            Placement schemas = fixture.placements.stream().filter(p -> p.model() == IsolationModel.COLLECTION)
                    .findFirst().orElseThrow();
            String role = fixture.target(ACME, schemas).role();
            return role.substring(0, role.indexOf(ACME + "~"));
        }

        private static List<String> strings(Connection c, String sql) throws SQLException {
            List<String> values = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(sql); ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    values.add(r.getString(1));
                }
            }
            return values;
        }
    }
}
