package io.tenantry;

import static io.tenantry.TenantLifecycleCrashPropertiesTest.fuse;
import static io.tenantry.TenantLifecycleCrashPropertiesTest.fused;
import static io.tenantry.TenantLifecycleCrashPropertiesTest.nonEmpty;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.TenantLifecycleCrashPropertiesTest.Crash;
import io.tenantry.spi.LifecycleJournal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export and import through the lifecycle, on {@link MemoryDataStore}: round trips into every other
 * placement, crash injection at every step of both (a restarted lifecycle recovers, and then the archive
 * is complete or absent, the tenant imported whole or not at all, nobody else's data touched), and the
 * refusals.
 */
class TenantArchiveLifecycleTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId BRAVO = TenantId.of("bravo");
    private static final Placement SHARED = Placement.field("main", "app");
    private static final Placement OWN = Placement.database("main", "t_");
    private static final Placement ELSEWHERE = Placement.database("other", "t_");
    private static final List<Placement> PLACEMENTS = List.of(SHARED, OWN, ELSEWHERE);

    @TempDir
    Path folder;

    private final AtomicInteger archives = new AtomicInteger();

    record Sample(Map<String, List<String>> acme, Map<String, List<String>> bravo, Placement from, Placement to,
            TenantStatus status, int crashAt) {
    }

    private static Sample sample(SplittableRandom random) {
        Placement from = PLACEMENTS.get(random.nextInt(3));
        Placement to = PLACEMENTS.get(random.nextInt(3));
        TenantStatus status = random.nextInt(4) == 0 ? TenantStatus.SUSPENDED : TenantStatus.ACTIVE;
        return new Sample(TenantLifecycleCrashPropertiesTest.data(random),
                TenantLifecycleCrashPropertiesTest.data(random), from, to, status, random.nextInt(30));
    }

    private static TenantRouter router() {
        return TenantRouter.builder().otherwise(SHARED).build();
    }

    private Path newArchive() {
        return folder.resolve("archive-" + archives.incrementAndGet());
    }

    @Test
    void anExportImportsIntoEveryPlacementWithTheSameData() {
        Property.forAll(100, TenantArchiveLifecycleTest::sample, s -> {
            TenantDirectory directory = TenantDirectory.inMemory(
                    Tenant.builder(ACME).placement(s.from()).tier("pro").attribute("plan", "x").build());
            MemoryDataStore store = new MemoryDataStore();
            s.acme().forEach((name, items) -> store.put(s.from(), ACME, name, items));
            TenantLifecycle lifecycle = TenantLifecycle.builder(directory, router()).store(store).build();
            Path archive = newArchive();

            TenantArchive.Manifest written = lifecycle.export(ACME, archive, LifecycleProgress.Listener.none());

            TenantArchive.Manifest read = TenantArchive.read(archive);
            assertThat(read).isEqualTo(written);
            assertThat(read.digest()).isEqualTo(store.digest(ACME, s.from()));
            assertThat(read.tenant().tier()).isEqualTo("pro");
            assertThat(read.tenant().attributes()).containsEntry("plan", "x");
            assertThat(read.placement()).isEqualTo(s.from());
            assertThat(directory.require(ACME).status()).isEqualTo(TenantStatus.ACTIVE);

            TenantId copy = TenantId.of("acme-copy");
            Tenant imported = lifecycle.importTenant(archive, read.tenantAs(copy).placement(s.to())
                    .status(s.status()).build(), LifecycleProgress.Listener.none());
            assertThat(imported.status()).isEqualTo(s.status());
            assertThat(store.at(s.to(), copy)).isEqualTo(nonEmpty(s.acme()));
            assertThat(store.at(s.from(), ACME)).isEqualTo(nonEmpty(s.acme()));
            assertThat(lifecycle.operations()).extracting(LifecycleOperation::step)
                    .containsOnly(LifecycleOperation.Step.DONE);
        });
    }

    @Test
    void anExportInterruptedAnywhereLeavesACompleteArchiveOrNoneAndTheTenantAsItWas() {
        Property.forAll(300, TenantArchiveLifecycleTest::sample, s -> {
            TenantDirectory directory = TenantDirectory.inMemory(
                    Tenant.builder(ACME).placement(s.from()).status(s.status()).build(),
                    Tenant.builder(BRAVO).placement(s.from()).build());
            MemoryDataStore store = new MemoryDataStore();
            s.acme().forEach((name, items) -> store.put(s.from(), ACME, name, items));
            s.bravo().forEach((name, items) -> store.put(s.from(), BRAVO, name, items));
            LifecycleJournal journal = LifecycleJournal.inMemory();
            Runnable fuse = fuse(s.crashAt(), new AtomicInteger());
            store.fuse = fuse;
            Path archive = newArchive();
            boolean crashed = false;
            try {
                TenantLifecycle.builder(fused(directory, fuse), router()).store(store).journal(fused(journal, fuse))
                        .build().export(ACME, archive, LifecycleProgress.Listener.none());
            } catch (Crash e) {
                crashed = true;
            }
            store.fuse = () -> { };
            TenantLifecycle.builder(directory, router()).store(store).journal(journal).build().recover();

            assertThat(journal.unfinished()).isEmpty();
            assertThat(directory.require(ACME).status()).isEqualTo(s.status());
            assertThat(store.at(s.from(), ACME)).isEqualTo(nonEmpty(s.acme()));
            assertThat(store.at(s.from(), BRAVO)).isEqualTo(nonEmpty(s.bravo()));
            assertThat(leftovers()).as("unfinished archive folders").isEmpty();
            if (Files.exists(archive)) {
                assertThat(TenantArchive.read(archive).digest()).isEqualTo(store.digest(ACME, s.from()));
                assertThat(journal.all()).extracting(LifecycleOperation::step)
                        .containsExactly(LifecycleOperation.Step.DONE);
            } else {
                assertThat(crashed).isTrue();
            }
        });
    }

    @Test
    void anImportInterruptedAnywhereEndsWithTheTenantWholeOrAbsent() {
        Property.forAll(300, TenantArchiveLifecycleTest::sample, s -> {
            MemoryDataStore store = new MemoryDataStore();
            s.acme().forEach((name, items) -> store.put(s.from(), ACME, name, items));
            Path archive = newArchive();
            TenantLifecycle.builder(TenantDirectory.inMemory(Tenant.builder(ACME).placement(s.from()).build()),
                    router()).store(store).build().export(ACME, archive, LifecycleProgress.Listener.none());
            store.data.clear();
            s.bravo().forEach((name, items) -> store.put(s.to(), BRAVO, name, items));
            TenantDirectory directory = TenantDirectory.inMemory(Tenant.builder(BRAVO).placement(s.to()).build());
            LifecycleJournal journal = LifecycleJournal.inMemory();
            Runnable fuse = fuse(s.crashAt(), new AtomicInteger());
            store.fuse = fuse;
            boolean crashed = false;
            try {
                TenantLifecycle.builder(fused(directory, fuse), router()).store(store).journal(fused(journal, fuse))
                        .build().importTenant(archive, Tenant.builder(ACME).placement(s.to()).status(s.status()).build(),
                                LifecycleProgress.Listener.none());
            } catch (Crash e) {
                crashed = true;
            }
            store.fuse = () -> { };
            TenantLifecycle.builder(directory, router()).store(store).journal(journal).build().recover();

            assertThat(journal.unfinished()).isEmpty();
            if (directory.find(ACME).isPresent()) {
                assertThat(directory.require(ACME).status()).isEqualTo(s.status());
                assertThat(router().route(directory.require(ACME))).isEqualTo(s.to());
                assertThat(store.at(s.to(), ACME)).isEqualTo(nonEmpty(s.acme()));
            } else {
                assertThat(crashed).isTrue();
                assertThat(store.at(s.to(), ACME)).isEmpty();
            }
            for (Placement placement : PLACEMENTS) {
                if (!placement.equals(s.to())) {
                    assertThat(store.at(placement, ACME)).isEmpty();
                }
            }
            assertThat(store.at(s.to(), BRAVO)).isEqualTo(nonEmpty(s.bravo()));
        });
    }

    @Test
    void anImportThatDoesNotVerifyIsUndone() throws IOException {
        TenantDirectory directory = TenantDirectory.inMemory(Tenant.builder(ACME).placement(SHARED).build());
        MemoryDataStore store = new MemoryDataStore();
        store.put(SHARED, ACME, "cards", List.of("a", "b", "c"));
        TenantLifecycle lifecycle = TenantLifecycle.builder(directory, router()).store(store).build();
        Path archive = newArchive();
        lifecycle.export(ACME, archive, LifecycleProgress.Listener.none());
        store.dropOneItemOnImport = true;
        TenantId copy = TenantId.of("copy");
        assertThatThrownBy(() -> lifecycle.importTenant(archive, Tenant.builder(copy).placement(OWN).build(),
                LifecycleProgress.Listener.none())).isInstanceOf(TenantLifecycleException.class)
                .hasMessageContaining("does not match the manifest").hasMessageContaining("cards: 3 item(s)")
                .hasMessageContaining("undone");
        assertThat(directory.find(copy)).isEmpty();
        assertThat(store.at(OWN, copy)).isEmpty();
        assertThat(lifecycle.operations()).last()
                .satisfies(op -> assertThat(op.step()).isEqualTo(LifecycleOperation.Step.ROLLED_BACK));

        store.dropOneItemOnImport = false;
        Path data = Files.list(archive.resolve("data")).findFirst().orElseThrow();
        Files.writeString(data, "a\nb\nX\n", StandardCharsets.UTF_8); // an archive altered after the export
        assertThatThrownBy(() -> lifecycle.importTenant(archive, Tenant.builder(copy).placement(OWN).build(),
                LifecycleProgress.Listener.none())).hasMessageContaining("does not match the manifest");
        assertThat(directory.find(copy)).isEmpty();
        assertThat(store.at(OWN, copy)).isEmpty();
    }

    @Test
    void exportAndImportRefuseWhatWouldLoseOrMixData() throws IOException {
        TenantDirectory directory = TenantDirectory.inMemory(Tenant.builder(ACME).placement(SHARED).build(),
                Tenant.builder(BRAVO).placement(OWN).build());
        MemoryDataStore store = new MemoryDataStore();
        store.put(SHARED, ACME, "cards", List.of("a"));
        TenantLifecycle lifecycle = TenantLifecycle.builder(directory, router()).store(store).build();
        Path archive = newArchive();
        lifecycle.export(ACME, archive, LifecycleProgress.Listener.none());

        assertThatThrownBy(() -> lifecycle.export(ACME, archive, LifecycleProgress.Listener.none()))
                .isInstanceOf(TenantLifecycleException.class).hasMessageContaining("never overwrites");
        assertThatThrownBy(() -> lifecycle.importTenant(archive, Tenant.builder(BRAVO).build(),
                LifecycleProgress.Listener.none())).hasMessageContaining("it exists");
        store.put(OWN, TenantId.of("ghost"), "cards", List.of("z"));
        assertThatThrownBy(() -> lifecycle.importTenant(archive, Tenant.builder("ghost").placement(OWN).build(),
                LifecycleProgress.Listener.none())).hasMessageContaining("data of it is there already");
        assertThat(store.at(OWN, TenantId.of("ghost"))).containsEntry("cards", List.of("z"));
        assertThatThrownBy(() -> lifecycle.importTenant(folder.resolve("nothing"), Tenant.builder("x").build(),
                LifecycleProgress.Listener.none())).hasMessageContaining("has no manifest.json");

        MemoryDataStore other = new MemoryDataStore() {
            @Override
            public String archiveFormat() {
                return "other-lines/1";
            }
        };
        TenantLifecycle elsewhere = TenantLifecycle.builder(TenantDirectory.inMemory(), router()).store(other).build();
        assertThatThrownBy(() -> elsewhere.importTenant(archive, Tenant.builder("x").build(),
                LifecycleProgress.Listener.none())).hasMessageContaining("holds memory-lines/1 data")
                .hasMessageContaining("adapter that wrote it");

        String manifest = Files.readString(archive.resolve(TenantArchive.MANIFEST));
        Files.writeString(archive.resolve(TenantArchive.MANIFEST),
                manifest.replaceFirst("\"file\": \"[^\"]+\"", "\"file\": \"../../etc/passwd\""));
        assertThatThrownBy(() -> TenantArchive.read(archive)).isInstanceOf(TenantLifecycleException.class)
                .hasMessageContaining("outside the archive");
    }

    @Test
    void anExportFailureLeavesNoFolderAndTheTenantWritable() {
        TenantDirectory directory = TenantDirectory.inMemory(Tenant.builder(ACME).placement(SHARED).build());
        MemoryDataStore store = new MemoryDataStore();
        store.put(SHARED, ACME, "cards", List.of("a", "b", "c", "d"));
        AtomicInteger calls = new AtomicInteger();
        store.fuse = () -> {
            if (calls.incrementAndGet() == 3) {
                throw new TenantLifecycleException("the store went away");
            }
        };
        TenantLifecycle lifecycle = TenantLifecycle.builder(directory, router()).store(store).build();
        Path archive = newArchive();
        assertThatThrownBy(() -> lifecycle.export(ACME, archive, LifecycleProgress.Listener.none()))
                .hasMessageContaining("the store went away").hasMessageContaining("Nothing of the archive was kept");
        assertThat(archive).doesNotExist();
        assertThat(leftovers()).isEmpty();
        assertThat(directory.require(ACME).status()).isEqualTo(TenantStatus.ACTIVE);
    }

    @Test
    void forEachRunsAtMostParallelismAtOnceAndCollectsFailures() {
        List<TenantId> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(TenantId.of("t" + i));
        }
        TenantLifecycle lifecycle = TenantLifecycle.builder(TenantDirectory.inMemory(), router())
                .store(new MemoryDataStore()).build();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Map<TenantId, String> threads = new ConcurrentHashMap<>();
        Map<TenantId, RuntimeException> failures = lifecycle.forEach(ids, 3, id -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            threads.put(id, Thread.currentThread().getName());
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                running.decrementAndGet();
            }
            if (id.value().equals("t4") || id.value().equals("t9")) {
                throw new TenantLifecycleException("no " + id);
            }
        });
        assertThat(most.get()).isBetween(2, 3);
        assertThat(threads).hasSize(12);
        assertThat(failures).containsOnlyKeys(TenantId.of("t4"), TenantId.of("t9"));
        assertThat(failures.get(TenantId.of("t9"))).hasMessage("no t9");
        assertThatThrownBy(() -> lifecycle.forEach(ids, 0, id -> { })).isInstanceOf(IllegalArgumentException.class);
    }

    private List<Path> leftovers() {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().contains(".partial-")).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
