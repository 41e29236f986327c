package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.LifecycleOperation;
import io.tenantry.LifecycleProgress;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantArchive;
import io.tenantry.TenantDigest;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycle;
import io.tenantry.TenantLifecycleException;
import io.tenantry.TenantStatus;
import io.tenantry.spi.TenantDataStore;
import io.tenantry.tck.Trials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export and import on real PostgreSQL, over random rows of every awkward type ({@link LifecycleRows}:
 * numeric, timestamptz, jsonb, bytea, arrays, NULLs, text with quotes and line breaks) and the six placements
 * of {@link LifecycleFixture} (each model on two servers): an archive of acme imports into any placement with
 * equal hashes and the same rows read through the routing DataSource; an import that dies anywhere (before or
 * after any journal write, directory update, store call, or between two batches with the transaction open)
 * is recovered into the tenant whole or not at all; an export that dies anywhere leaves a complete archive
 * or none; witnesses on every placement, some with confusable ids, are unchanged.
 */
class JdbcArchiveProperties {

    private static final TenantId ACME = TenantId.of("acme");
    private static final List<TenantId> WITNESSES = List.of(TenantId.of("acme1"), TenantId.of("acme_1"),
            TenantId.of("acme-1"), TenantId.of("acme-2"), TenantId.of("acme2"), TenantId.of("b"));

    @TempDir
    static Path folder;

    private static LifecycleFixture fixture;
    /** Three rows per batch, so that small tenants still load in several batches. */
    private static TenantDataStore store;
    private static final Map<TenantId, Placement> WITNESS_AT = new HashMap<>();
    private static final Map<TenantId, TenantDigest> WITNESS_DIGESTS = new HashMap<>();
    private static final AtomicInteger ARCHIVES = new AtomicInteger();

    @BeforeAll
    static void start() {
        fixture = new LifecycleFixture("archive");
        store = fixture.jdbc.dataStore(3);
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < WITNESSES.size(); i++) {
            TenantId witness = WITNESSES.get(i);
            Placement placement = fixture.placements.get(i);
            fixture.directory.register(Tenant.builder(witness).placement(placement).build());
            store.provision(witness, placement);
            LifecycleRows.insert(fixture.jdbc.dataSource(), witness, LifecycleRows.data(random, 3, false));
            WITNESS_AT.put(witness, placement);
            WITNESS_DIGESTS.put(witness, store.digest(witness, placement));
        }
    }

    @AfterAll
    static void stop() {
        try {
            WITNESSES.forEach(w -> assertThat(store.digest(w, WITNESS_AT.get(w))).as("digest of %s", w)
                    .isEqualTo(WITNESS_DIGESTS.get(w)));
        } finally {
            fixture.close();
        }
    }

    record Sample(LifecycleRows.Data data, Placement from, Placement to, TenantStatus status, int crashAt) {
        @Override
        public String toString() {
            return from + " -> archive -> " + to + ", " + status + ", dies at event " + crashAt + ", " + data;
        }
    }

    private static Sample sample(SplittableRandom random, int crashes) {
        List<Placement> placements = fixture.placements;
        return new Sample(LifecycleRows.data(random, 4, random.nextInt(4) == 0),
                placements.get(random.nextInt(placements.size())), placements.get(random.nextInt(placements.size())),
                random.nextInt(4) == 0 ? TenantStatus.SUSPENDED : TenantStatus.ACTIVE, random.nextInt(crashes));
    }

    private static TenantLifecycle lifecycle() {
        return TenantLifecycle.builder(fixture.directory, fixture.router).store(store).journal(fixture.journal).build();
    }

    private static Path newArchive() {
        return folder.resolve("acme-" + ARCHIVES.incrementAndGet());
    }

    /** What acme had before: its rows as it reads them, and its digest. */
    record Before(Map<String, List<String>> rows, TenantDigest digest) {
    }

    private static Before arrange(Sample s) {
        fixture.assertNothingOf(ACME, s.from());
        fixture.assertNothingOf(ACME, s.to());
        fixture.directory.register(Tenant.builder(ACME).placement(s.from()).build());
        store.provision(ACME, s.from());
        LifecycleRows.insert(fixture.jdbc.dataSource(), ACME, s.data());
        Before before = new Before(fixture.read(ACME), store.digest(ACME, s.from()));
        assertThat(before.digest().totalCount()).isEqualTo(s.data().rows());
        if (s.status() != TenantStatus.ACTIVE) {
            fixture.directory.update(fixture.directory.require(ACME).toBuilder().status(s.status()).build());
        }
        return before;
    }

    private static Path exportAndDelete(Sample s, Before before) {
        Path archive = newArchive();
        TenantArchive.Manifest manifest = lifecycle().export(ACME, archive, LifecycleProgress.Listener.none());
        assertThat(manifest.digest()).as("the manifest's hashes").isEqualTo(before.digest());
        assertThat(manifest.dataFormat()).isEqualTo("postgresql-text-rows/1");
        assertThat(fixture.directory.require(ACME).status()).isEqualTo(s.status());
        lifecycle().delete(ACME);
        fixture.assertNothingOf(ACME, s.from());
        return archive;
    }

    /** Asserts acme is whole at the sample's target, then removes it. */
    private static void assertImportedAndClean(Sample s, Before before) {
        Tenant acme = fixture.directory.require(ACME);
        assertThat(acme.status()).isEqualTo(s.status());
        assertThat(fixture.router.route(acme)).isEqualTo(s.to());
        assertThat(store.digest(ACME, s.to())).isEqualTo(before.digest());
        if (acme.status() != TenantStatus.ACTIVE) {
            fixture.directory.update(acme.toBuilder().status(TenantStatus.ACTIVE).build());
        }
        assertThat(fixture.read(ACME)).as("acme's rows read through the routing DataSource").isEqualTo(before.rows());
        clean(s.to());
    }

    private static void clean(Placement placement) {
        store.erase(ACME, placement);
        fixture.directory.find(ACME).ifPresent(t -> fixture.directory.remove(ACME));
        fixture.assertNothingOf(ACME, placement);
    }

    private static void assertWitnessesUnchanged() {
        WITNESSES.forEach(w -> assertThat(store.digest(w, WITNESS_AT.get(w))).as("digest of %s", w)
                .isEqualTo(WITNESS_DIGESTS.get(w)));
    }

    @Test
    void anArchiveImportsIntoEveryPlacementWithEqualHashesAndRows() {
        Trials.forAll("export, delete, import anywhere: the same rows", tries(12), random -> sample(random, 1), s -> {
            Before before = arrange(s);
            Path archive = exportAndDelete(s, before);
            lifecycle().importTenant(archive, Tenant.builder(ACME).placement(s.to()).status(s.status()).build(),
                    LifecycleProgress.Listener.none());
            assertImportedAndClean(s, before);
            assertWitnessesUnchanged();
        });
    }

    @Test
    void anImportInterruptedAnywhereEndsWithTheTenantWholeOrAbsent() {
        int[] crashes = new int[1];
        Trials.forAll("an import interrupted anywhere is recovered", tries(20), random -> sample(random, 30), s -> {
            Before before = arrange(s);
            Path archive = exportAndDelete(s, before);
            Fuses fuses = new Fuses(s.crashAt());
            boolean crashed = false;
            try {
                TenantLifecycle.builder(fuses.directory(fixture.directory), fixture.router).store(fuses.store(store))
                        .journal(fuses.journal(fixture.journal)).build()
                        .importTenant(archive, Tenant.builder(ACME).placement(s.to()).status(s.status()).build(),
                                LifecycleProgress.Listener.none());
            } catch (Fuses.Crash e) {
                crashed = true;
                crashes[0]++;
            }
            lifecycle().recover();
            assertThat(fixture.journal.unfinished()).isEmpty();
            if (fixture.directory.find(ACME).isPresent()) {
                assertImportedAndClean(s, before);
            } else {
                assertThat(crashed).isTrue();
                fixture.assertNothingOf(ACME, s.to());
            }
            assertWitnessesUnchanged();
        });
        assertThat(crashes[0]).as("tries that crashed").isGreaterThan(tries(20) / 4);
    }

    @Test
    void anExportInterruptedAnywhereLeavesACompleteArchiveOrNoneAndTheTenantAsItWas() {
        Trials.forAll("an export interrupted anywhere is recovered", tries(12), random -> sample(random, 14), s -> {
            Before before = arrange(s);
            Path archive = newArchive();
            Fuses fuses = new Fuses(s.crashAt());
            try {
                TenantLifecycle.builder(fuses.directory(fixture.directory), fixture.router).store(fuses.store(store))
                        .journal(fuses.journal(fixture.journal)).build()
                        .export(ACME, archive, LifecycleProgress.Listener.none());
            } catch (Fuses.Crash e) {
                // died
            }
            lifecycle().recover();
            assertThat(fixture.journal.unfinished()).isEmpty();
            assertThat(fixture.directory.require(ACME).status()).isEqualTo(s.status());
            assertThat(store.digest(ACME, s.from())).isEqualTo(before.digest());
            assertThat(partials()).as("unfinished archive folders").isEmpty();
            if (Files.exists(archive)) {
                assertThat(TenantArchive.read(archive).digest()).isEqualTo(before.digest());
            }
            clean(s.from());
        });
    }

    @Test
    void rowsAreJsonArraysOfTextFormsUnderTheManifestsTypedFields() throws IOException {
        Sample s = new Sample(LifecycleRows.data(new SplittableRandom(5), 4, true), fixture.placements.get(0),
                fixture.placements.get(2), TenantStatus.ACTIVE, 0);
        Before before = arrange(s);
        Path archive = newArchive();
        TenantArchive.Manifest manifest = lifecycle().export(ACME, archive, LifecycleProgress.Listener.none());
        assertThat(manifest.resources()).extracting(TenantArchive.Resource::name).contains("wallets", "entries");
        for (TenantArchive.Resource resource : manifest.resources()) {
            assertThat(resource.fields()).as("fields of " + resource.name()).isNotEmpty()
                    .allSatisfy(f -> assertThat(f.type()).isNotBlank())
                    .extracting(TenantArchive.Field::name).doesNotContain("tenant_id").isSorted();
            List<String> lines = Files.readAllLines(archive.resolve(resource.file()), StandardCharsets.UTF_8);
            assertThat(lines).hasSize((int) resource.count());
            lines.forEach(line -> assertThat(TenantArchive.decodeRow(line)).hasSize(resource.fields().size()));
        }
        assertThat(manifest.resources().get(0).fields()).extracting(TenantArchive.Field::type)
                .anySatisfy(type -> assertThat(type).startsWith("numeric"));
        clean(s.from());

        // an archive whose table has another column there is refused before anything is written
        String text = Files.readString(archive.resolve(TenantArchive.MANIFEST));
        Files.writeString(archive.resolve(TenantArchive.MANIFEST), text.replaceFirst("\"name\": \"balance\"",
                "\"name\": \"balance_eur\""));
        assertThatThrownBy(() -> lifecycle().importTenant(archive, Tenant.builder(ACME).placement(s.to()).build(),
                LifecycleProgress.Listener.none())).isInstanceOf(TenantLifecycleException.class)
                .hasMessageContaining("balance_eur").hasMessageContaining("undone");
        assertThat(fixture.directory.find(ACME)).isEmpty();
        fixture.assertNothingOf(ACME, s.to());
        assertThat(before.rows()).isNotEmpty();
        assertThat(fixture.journal.all()).last().extracting(LifecycleOperation::step)
                .isEqualTo(LifecycleOperation.Step.ROLLED_BACK);
    }

    private static int tries(int fallback) {
        return Math.max(1, Integer.getInteger("tenantry.lifecycle.tries", fallback));
    }

    private static List<Path> partials() {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().contains(".partial-")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
