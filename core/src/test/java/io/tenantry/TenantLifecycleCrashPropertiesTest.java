package io.tenantry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.spi.LifecycleJournal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Crash injection: an operation "dies" (an exception that abandons it) at a random point: before or
 * after any journal write, directory update, store call or copied batch. A restarted lifecycle (same
 * directory, journal and store, nothing else carried over) recovers, and then the tenant's data equals
 * what it was, at exactly the placement the directory names, with its status back, and no other tenant's
 * data changed.
 */
class TenantLifecycleCrashPropertiesTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId BRAVO = TenantId.of("bravo");
    private static final Placement SHARED = Placement.field("main", "app");
    private static final Placement OWN = Placement.database("main", "t_");
    private static final Placement ELSEWHERE = Placement.database("other", "t_");

    /**
     * Thrown where the process dies: an {@link Error}, which the lifecycle does not catch, as nothing runs
     * in a process that was killed (a {@link RuntimeException} is a failure it undoes at once).
     */
    static final class Crash extends Error {
        private static final long serialVersionUID = 1L;

        Crash() {
            super("the process died here");
        }
    }

    record Sample(Map<String, List<String>> acme, Map<String, List<String>> bravo, Placement from, Placement to,
            TenantStatus status, int crashAt) {
    }

    static Map<String, List<String>> data(SplittableRandom random) {
        Map<String, List<String>> resources = new java.util.TreeMap<>();
        int count = random.nextInt(4);
        for (int r = 0; r < count; r++) {
            List<String> items = new ArrayList<>();
            int size = random.nextInt(7);
            for (int i = 0; i < size; i++) {
                items.add("{\"n\":" + random.nextInt(5) + ",\"r\":" + r + "}"); // duplicates on purpose
            }
            resources.put("c" + r, items);
        }
        return resources;
    }

    private static Sample sample(SplittableRandom random) {
        List<Placement> placements = List.of(SHARED, OWN, ELSEWHERE);
        Placement from = placements.get(random.nextInt(3));
        Placement to = placements.get((placements.indexOf(from) + 1 + random.nextInt(2)) % 3);
        TenantStatus status = random.nextInt(4) == 0 ? TenantStatus.SUSPENDED : TenantStatus.ACTIVE;
        return new Sample(data(random), data(random), from, to, status, random.nextInt(45));
    }

    /** Counts events and throws {@link Crash} at the chosen one. */
    static Runnable fuse(int crashAt, AtomicInteger events) {
        return () -> {
            if (events.getAndIncrement() == crashAt) {
                throw new Crash();
            }
        };
    }

    static TenantDirectory fused(TenantDirectory directory, Runnable fuse) {
        return new TenantDirectory() {
            @Override
            public java.util.Optional<Tenant> find(TenantId id) {
                return directory.find(id);
            }

            @Override
            public List<Tenant> list() {
                return directory.list();
            }

            @Override
            public Tenant register(Tenant tenant) {
                fuse.run();
                Tenant stored = directory.register(tenant);
                fuse.run();
                return stored;
            }

            @Override
            public Tenant update(Tenant tenant) {
                fuse.run();
                Tenant stored = directory.update(tenant);
                fuse.run();
                return stored;
            }

            @Override
            public void remove(TenantId id) {
                fuse.run();
                directory.remove(id);
                fuse.run();
            }
        };
    }

    static LifecycleJournal fused(LifecycleJournal journal, Runnable fuse) {
        return new LifecycleJournal() {
            @Override
            public void save(LifecycleOperation operation) {
                fuse.run();
                journal.save(operation);
                fuse.run();
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

    private static TenantRouter router() {
        return TenantRouter.builder().otherwise(SHARED).build();
    }

    @Test
    void aMoveInterruptedAnywhereEndsWithTheDataWholeInExactlyOnePlace() {
        Property.forAll(400, TenantLifecycleCrashPropertiesTest::sample, s -> {
            TenantDirectory directory = TenantDirectory.inMemory(
                    Tenant.builder(ACME).placement(s.from()).status(s.status()).build(),
                    Tenant.builder(BRAVO).placement(s.from()).build());
            MemoryDataStore store = new MemoryDataStore();
            s.acme().forEach((name, items) -> store.put(s.from(), ACME, name, items));
            s.bravo().forEach((name, items) -> store.put(s.from(), BRAVO, name, items));
            s.bravo().forEach((name, items) -> store.put(s.to(), BRAVO, name, items));
            LifecycleJournal journal = LifecycleJournal.inMemory();
            AtomicInteger events = new AtomicInteger();
            Runnable fuse = fuse(s.crashAt(), events);
            store.fuse = fuse;
            TenantLifecycle dying = TenantLifecycle.builder(fused(directory, fuse), router()).store(store)
                    .journal(fused(journal, fuse)).build();
            boolean crashed = false;
            try {
                dying.move(ACME, s.to(), LifecycleProgress.Listener.none());
            } catch (Crash e) {
                crashed = true;
            }
            store.fuse = () -> { };
            TenantLifecycle restarted = TenantLifecycle.builder(directory, router()).store(store).journal(journal).build();
            restarted.recover();

            assertThat(journal.unfinished()).isEmpty();
            Tenant acme = directory.require(ACME);
            Placement now = router().route(acme);
            assertThat(now).isIn(s.from(), s.to());
            if (!crashed) {
                assertThat(now).isEqualTo(s.to());
            }
            assertThat(store.at(now, ACME)).isEqualTo(nonEmpty(s.acme()));
            assertThat(store.at(now.equals(s.from()) ? s.to() : s.from(), ACME)).isEmpty();
            assertThat(acme.status()).isEqualTo(s.status());
            assertThat(store.at(s.from(), BRAVO)).isEqualTo(nonEmpty(s.bravo()));
            assertThat(store.at(s.to(), BRAVO)).isEqualTo(nonEmpty(s.bravo()));
        });
    }

    @Test
    void aDeletionInterruptedAnywhereIsFinishedOnRecovery() {
        Property.forAll(200, TenantLifecycleCrashPropertiesTest::sample, s -> {
            TenantDirectory directory = TenantDirectory.inMemory(Tenant.builder(ACME).placement(s.from()).build(),
                    Tenant.builder(BRAVO).placement(s.from()).build());
            MemoryDataStore store = new MemoryDataStore();
            s.acme().forEach((name, items) -> store.put(s.from(), ACME, name, items));
            s.bravo().forEach((name, items) -> store.put(s.from(), BRAVO, name, items));
            LifecycleJournal journal = LifecycleJournal.inMemory();
            Runnable fuse = fuse(s.crashAt() % 12, new AtomicInteger());
            store.fuse = fuse;
            boolean crashed = false;
            try {
                TenantLifecycle.builder(fused(directory, fuse), router()).store(store).journal(fused(journal, fuse))
                        .build().delete(ACME);
            } catch (Crash e) {
                crashed = true;
            }
            store.fuse = () -> { };
            TenantLifecycle.builder(directory, router()).store(store).journal(journal).build().recover();
            if (crashed && journal.all().isEmpty()) {
                // died before the deletion was journaled: nothing happened, and nothing may have
                assertThat(directory.require(ACME).status()).isEqualTo(TenantStatus.ACTIVE);
                assertThat(store.at(s.from(), ACME)).isEqualTo(nonEmpty(s.acme()));
            } else {
                assertThat(directory.find(ACME)).isEmpty();
                assertThat(store.at(s.from(), ACME)).isEmpty();
            }
            assertThat(journal.unfinished()).isEmpty();
            assertThat(store.at(s.from(), BRAVO)).isEqualTo(nonEmpty(s.bravo()));
        });
    }

    @Test
    void aCreationInterruptedAnywhereEndsProvisionedAndAdmittedOrNotRegistered() {
        Property.forAll(100, TenantLifecycleCrashPropertiesTest::sample, s -> {
            TenantDirectory directory = TenantDirectory.inMemory();
            MemoryDataStore store = new MemoryDataStore();
            LifecycleJournal journal = LifecycleJournal.inMemory();
            Runnable fuse = fuse(s.crashAt() % 12, new AtomicInteger());
            store.fuse = fuse;
            try {
                TenantLifecycle.builder(fused(directory, fuse), router()).store(store).journal(fused(journal, fuse))
                        .build().create(Tenant.builder(ACME).status(s.status()).build());
            } catch (Crash e) {
                // died
            }
            store.fuse = () -> { };
            TenantLifecycle.builder(directory, router()).store(store).journal(journal).build().recover();
            assertThat(journal.unfinished()).isEmpty();
            directory.find(ACME).ifPresent(acme -> {
                assertThat(acme.status()).isEqualTo(s.status());
                assertThat(store.data.get(SHARED)).containsKey(ACME);
            });
        });
    }

    @Test
    void aCopyThatDoesNotVerifyIsErasedAndTheTenantStaysWritableWhereItWas() {
        TenantDirectory directory = TenantDirectory.inMemory(Tenant.builder(ACME).placement(SHARED).build());
        MemoryDataStore store = new MemoryDataStore();
        store.put(SHARED, ACME, "cards", List.of("a", "b", "c"));
        store.dropOneItemOnCopy = true;
        TenantLifecycle lifecycle = TenantLifecycle.builder(directory, router()).store(store).build();
        assertThatThrownBy(() -> lifecycle.move(ACME, OWN, LifecycleProgress.Listener.none()))
                .isInstanceOf(TenantLifecycleException.class).hasMessageContaining("does not match")
                .hasMessageContaining("cards: 3 item(s)").hasMessageContaining("stays at");
        assertThat(directory.require(ACME).status()).isEqualTo(TenantStatus.ACTIVE);
        assertThat(router().route(directory.require(ACME))).isEqualTo(SHARED);
        assertThat(store.at(SHARED, ACME)).containsEntry("cards", List.of("a", "b", "c"));
        assertThat(store.at(OWN, ACME)).isEmpty();
        assertThat(lifecycle.operations()).singleElement()
                .satisfies(op -> assertThat(op.step()).isEqualTo(LifecycleOperation.Step.ROLLED_BACK));
    }

    @Test
    void aSecondOperationOnABusyTenantIsRefusedUntilRecovery() {
        TenantDirectory directory = TenantDirectory.inMemory(Tenant.builder(ACME).placement(SHARED).build());
        MemoryDataStore store = new MemoryDataStore();
        store.put(SHARED, ACME, "cards", List.of("a"));
        store.fuse = fuse(4, new AtomicInteger());
        LifecycleJournal journal = LifecycleJournal.inMemory();
        TenantLifecycle lifecycle = TenantLifecycle.builder(directory, router()).store(store).journal(journal).build();
        assertThatThrownBy(() -> lifecycle.move(ACME, OWN, LifecycleProgress.Listener.none())).isInstanceOf(Crash.class);
        store.fuse = () -> { };
        assertThatThrownBy(() -> lifecycle.delete(ACME)).isInstanceOf(TenantLifecycleException.class)
                .hasMessageContaining("unfinished MOVE").hasMessageContaining("recover()");
        assertThat(directory.require(ACME).status()).isEqualTo(TenantStatus.READ_ONLY);
        lifecycle.recover();
        lifecycle.delete(ACME);
        assertThat(directory.find(ACME)).isEmpty();
    }

    @Test
    void aStoreFailureDuringAMoveIsUndoneAtOnceAndTheTenantIsWritableAgain() {
        TenantDirectory directory = TenantDirectory.inMemory(Tenant.builder(ACME).placement(SHARED).build());
        MemoryDataStore store = new MemoryDataStore();
        store.put(SHARED, ACME, "cards", List.of("a", "b", "c"));
        AtomicInteger calls = new AtomicInteger();
        store.fuse = () -> {
            if (calls.incrementAndGet() == 5) {
                throw new TenantLifecycleException("duplicate key in cards"); // as adapters report their failures
            }
        };
        TenantLifecycle lifecycle = TenantLifecycle.builder(directory, router()).store(store).build();
        assertThatThrownBy(() -> lifecycle.move(ACME, OWN, LifecycleProgress.Listener.none()))
                .isInstanceOf(TenantLifecycleException.class).hasMessageContaining("duplicate key in cards")
                .hasMessageContaining("undone");
        assertThat(directory.require(ACME).status()).isEqualTo(TenantStatus.ACTIVE);
        assertThat(store.at(SHARED, ACME)).containsEntry("cards", List.of("a", "b", "c"));
        assertThat(store.at(OWN, ACME)).isEmpty();
        assertThat(lifecycle.operations()).singleElement()
                .satisfies(op -> assertThat(op.step()).isEqualTo(LifecycleOperation.Step.ROLLED_BACK));
    }

    @Test
    void progressReportsItemsTotalsAndARate() {
        TenantDirectory directory = TenantDirectory.inMemory(Tenant.builder(ACME).placement(SHARED).build());
        MemoryDataStore store = new MemoryDataStore();
        store.put(SHARED, ACME, "cards", List.of("a", "b", "c", "d", "e"));
        List<LifecycleProgress> reports = new ArrayList<>();
        LifecycleOperation done = TenantLifecycle.builder(directory, router()).store(store).build()
                .move(ACME, OWN, reports::add);
        assertThat(done.step()).isEqualTo(LifecycleOperation.Step.DONE);
        assertThat(reports).extracting(LifecycleProgress::items).containsExactly(2L, 4L, 5L, 5L);
        assertThat(reports).allSatisfy(r -> assertThat(r.totalItems()).isEqualTo(5));
        assertThat(directory.require(ACME).placement()).contains(OWN);
    }

    static Map<String, List<String>> nonEmpty(Map<String, List<String>> data) {
        Map<String, List<String>> copy = new java.util.TreeMap<>();
        data.forEach((name, items) -> {
            if (!items.isEmpty()) {
                copy.put(name, items);
            }
        });
        return copy;
    }
}
