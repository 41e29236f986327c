package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.LifecycleProgress;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantDigest;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycle;
import io.tenantry.TenantStatus;
import io.tenantry.spi.TenantDataStore;
import io.tenantry.tck.Trials;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Crash injection on real PostgreSQL: tenant {@code acme}, with random rows of every awkward type, moves
 * between two random placements of the six ({@link LifecycleFixture}: each model on each of two servers),
 * and the "process" dies at a random event: before or after any journal write, directory update or store
 * call, or between two copied batches with the target's transaction open. A restarted lifecycle (same
 * directory, journal and store) recovers; then the directory names one placement, the source's when the
 * process died before the switch and the target's otherwise, the tenant's status is back, its rows there
 * (digest, and every value read through the routing DataSource as the tenant) equal those before, the other
 * placement holds nothing of it (its rows in the shared tables, its schema and role, its database, scanned
 * raw), and six other tenants, one on each placement, some with the same keys, are unchanged.
 *
 * <p>{@value #DEFAULT_TRIES} tries by default; {@code -Dtenantry.lifecycle.tries=N} for more.
 */
class JdbcLifecycleCrashProperties {

    private static final int DEFAULT_TRIES = 40;
    private static final TenantId ACME = TenantId.of("acme");
    private static final List<TenantId> WITNESSES = List.of(TenantId.of("acme1"), TenantId.of("acme_1"),
            TenantId.of("acme-1"), TenantId.of("acme-2"), TenantId.of("acme2"), TenantId.of("b"));

    private static LifecycleFixture fixture;
    /** Copies three rows per batch, so that small tenants still copy in several batches. */
    private static TenantDataStore store;
    private static final Map<TenantId, Placement> WITNESS_AT = new HashMap<>();
    private static final Map<TenantId, TenantDigest> WITNESS_DIGESTS = new HashMap<>();
    private static final Map<TenantId, Map<String, List<String>>> WITNESS_ROWS = new HashMap<>();
    /** How the tries ended: "not interrupted", "undone", "finished"; reported at the end. */
    private static final Map<String, Integer> OUTCOMES = new java.util.TreeMap<>();

    @BeforeAll
    static void start() {
        fixture = new LifecycleFixture("crash");
        store = fixture.jdbc.dataStore(3);
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < WITNESSES.size(); i++) {
            TenantId witness = WITNESSES.get(i);
            Placement placement = fixture.placements.get(i);
            fixture.directory.register(Tenant.builder(witness).placement(placement).build());
            store.provision(witness, placement);
            LifecycleRows.Data data = LifecycleRows.data(random, 4, false);
            while (data.rows() < 3) {
                data = LifecycleRows.data(random, 4, false);
            }
            LifecycleRows.insert(fixture.jdbc.dataSource(), witness, data);
            WITNESS_AT.put(witness, placement);
            WITNESS_ROWS.put(witness, fixture.read(witness));
            WITNESS_DIGESTS.put(witness, store.digest(witness, placement));
        }
    }

    record Sample(LifecycleRows.Data data, Placement from, Placement to, TenantStatus status, int crashAt) {
        @Override
        public String toString() {
            return "move " + from + " -> " + to + ", " + status + ", dies at event " + crashAt + ", " + data;
        }
    }

    private static Sample sample(SplittableRandom random) {
        List<Placement> placements = fixture.placements;
        Placement from = placements.get(random.nextInt(placements.size()));
        Placement to = placements.get((placements.indexOf(from) + 1 + random.nextInt(placements.size() - 1))
                % placements.size());
        TenantStatus status = random.nextInt(4) == 0 ? TenantStatus.SUSPENDED : TenantStatus.ACTIVE;
        return new Sample(LifecycleRows.data(random, 4, random.nextInt(4) == 0), from, to, status, random.nextInt(50));
    }

    @Test
    void aMoveInterruptedAnywhereEndsWithTheTenantsRowsWholeInExactlyOnePlacement() {
        int tries = Integer.getInteger("tenantry.lifecycle.tries", DEFAULT_TRIES);
        Trials.forAll("a move interrupted anywhere ends with the tenant's rows whole in exactly one placement", tries,
                JdbcLifecycleCrashProperties::sample, JdbcLifecycleCrashProperties::moveDiesAndRecovers);
    }

    private static void moveDiesAndRecovers(Sample s) {
        fixture.assertNothingOf(ACME, s.from());
        fixture.assertNothingOf(ACME, s.to());
        fixture.directory.register(Tenant.builder(ACME).placement(s.from()).build());
        store.provision(ACME, s.from());
        LifecycleRows.insert(fixture.jdbc.dataSource(), ACME, s.data());
        Map<String, List<String>> before = fixture.read(ACME);
        assertThat(LifecycleRows.rows(before)).isEqualTo(s.data().rows());
        TenantDigest digest = store.digest(ACME, s.from());
        assertThat(digest.totalCount()).isEqualTo(s.data().rows());
        if (s.status() != TenantStatus.ACTIVE) {
            fixture.directory.update(fixture.directory.require(ACME).toBuilder().status(s.status()).build());
        }

        Fuses fuses = new Fuses(s.crashAt());
        TenantLifecycle dying = TenantLifecycle.builder(fuses.directory(fixture.directory), fixture.router)
                .store(fuses.store(store)).journal(fuses.journal(fixture.journal)).build();
        boolean crashed = false;
        try {
            dying.move(ACME, s.to(), LifecycleProgress.Listener.none());
        } catch (Fuses.Crash e) {
            crashed = true;
        }
        TenantLifecycle.builder(fixture.directory, fixture.router).store(store).journal(fixture.journal).build()
                .recover();

        assertThat(fixture.journal.unfinished()).isEmpty();
        Tenant acme = fixture.directory.require(ACME);
        Placement now = fixture.router.route(acme);
        assertThat(now).isIn(s.from(), s.to());
        assertThat(acme.placement()).contains(now);
        if (!crashed) {
            assertThat(now).isEqualTo(s.to());
        }
        OUTCOMES.merge(!crashed ? "not interrupted" : now.equals(s.from()) ? "died, undone" : "died, finished", 1,
                Integer::sum);
        assertThat(acme.status()).isEqualTo(s.status());
        assertThat(store.digest(ACME, now)).isEqualTo(digest);
        fixture.assertNothingOf(ACME, now.equals(s.from()) ? s.to() : s.from());
        if (acme.status() != TenantStatus.ACTIVE) {
            fixture.directory.update(acme.toBuilder().status(TenantStatus.ACTIVE).build());
        }
        assertThat(fixture.read(ACME)).isEqualTo(before);
        WITNESSES.stream().filter(w -> near(WITNESS_AT.get(w), s.from()) || near(WITNESS_AT.get(w), s.to()))
                .forEach(JdbcLifecycleCrashProperties::assertUnchanged);

        store.erase(ACME, now);
        fixture.directory.remove(ACME);
        fixture.assertNothingOf(ACME, now);
    }

    /** Whether a tenant at {@code placement} shares a database or a database prefix with {@code other}. */
    private static boolean near(Placement placement, Placement other) {
        return placement.store().equals(other.store()) && placement.namespace().equals(other.namespace());
    }

    private static void assertUnchanged(TenantId witness) {
        assertThat(store.digest(witness, WITNESS_AT.get(witness))).as("digest of %s", witness)
                .isEqualTo(WITNESS_DIGESTS.get(witness));
        assertThat(fixture.read(witness)).as("rows of %s", witness).isEqualTo(WITNESS_ROWS.get(witness));
    }

    /** Every witness, after all the tries: those on the placements no try touched included. */
    @AfterAll
    static void everyOtherTenantIsUnchangedAtTheEnd() {
        org.slf4j.LoggerFactory.getLogger(JdbcLifecycleCrashProperties.class).info("Moves by outcome: {}", OUTCOMES);
        try {
            WITNESSES.forEach(JdbcLifecycleCrashProperties::assertUnchanged);
        } finally {
            fixture.close();
        }
    }
}
