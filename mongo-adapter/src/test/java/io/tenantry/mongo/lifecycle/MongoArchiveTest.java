package io.tenantry.mongo.lifecycle;

import static io.tenantry.mongo.lifecycle.LifecycleServers.ACME;
import static io.tenantry.mongo.lifecycle.LifecycleServers.BRAVO;
import static io.tenantry.mongo.lifecycle.LifecycleServers.CAROL;
import static io.tenantry.mongo.lifecycle.MongoLifecycleCrashPropertiesTest.arrange;
import static io.tenantry.mongo.lifecycle.MongoLifecycleCrashPropertiesTest.assertOnlyAt;
import static io.tenantry.mongo.lifecycle.MongoLifecycleCrashPropertiesTest.indexes;
import static io.tenantry.mongo.lifecycle.MongoLifecycleCrashPropertiesTest.sample;
import static io.tenantry.mongo.lifecycle.MongoLifecycleCrashPropertiesTest.tries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.LifecycleOperation;
import io.tenantry.LifecycleProgress;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantArchive;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycleException;
import io.tenantry.TenantStatus;
import io.tenantry.mongo.lifecycle.Fuses.Crash;
import io.tenantry.mongo.lifecycle.Fuses.Fuse;
import io.tenantry.mongo.lifecycle.MongoLifecycleCrashPropertiesTest.Before;
import io.tenantry.mongo.lifecycle.MongoLifecycleCrashPropertiesTest.Process;
import io.tenantry.mongo.lifecycle.MongoLifecycleCrashPropertiesTest.Sample;
import io.tenantry.tck.Trials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export and import on real wire-protocol servers, over random document shapes (nested documents, arrays,
 * binary, dates, decimals, large documents) and the six placements of {@link LifecycleServers}: an archive
 * of acme imports into any placement, of any model and cluster, with equal hashes, the same documents and
 * indexes read as acme, and nothing of anyone else changed; an export or import that dies anywhere is
 * recovered into a complete archive or none, and a tenant imported whole or not at all.
 */
class MongoArchiveTest {

    @TempDir
    static Path folder;

    private static final AtomicInteger ARCHIVES = new AtomicInteger();

    @BeforeAll
    static void start() {
        MongoLifecycleCrashPropertiesTest.servers = new LifecycleServers();
    }

    @AfterAll
    static void stop() {
        MongoLifecycleCrashPropertiesTest.servers.close();
    }

    private static Path newArchive() {
        return folder.resolve("acme-" + ARCHIVES.incrementAndGet());
    }

    /** Exports acme at the sample's source, then deletes it, so that the archive can bring it back anywhere. */
    private static Path exportAndDelete(Process process, Sample s, Before before) {
        Path archive = newArchive();
        TenantArchive.Manifest manifest = process.lifecycle().export(ACME, archive, LifecycleProgress.Listener.none());
        assertThat(manifest.digest()).as("the manifest's hashes").isEqualTo(before.digest());
        assertThat(manifest.dataFormat()).isEqualTo("mongodb-extended-json-lines/1");
        assertThat(process.directory().require(ACME).status()).as("status after the export").isEqualTo(s.status());
        process.lifecycle().delete(ACME);
        return archive;
    }

    @Test
    void anArchiveImportsIntoEveryPlacementWithEqualHashesDocumentsAndIndexes() {
        Trials.forAll("export, delete, import elsewhere: the same tenant", tries(30), random -> sample(random, 1),
                s -> {
                    Before before = arrange(s);
                    Process process = Process.start();
                    Path archive = exportAndDelete(process, s, before);

                    Tenant imported = process.lifecycle().importTenant(archive,
                            Tenant.builder(ACME).placement(s.to()).status(s.status()).build(),
                            LifecycleProgress.Listener.none());

                    assertThat(imported.status()).isEqualTo(s.status());
                    assertThat(process.store().digest(ACME, s.to())).isEqualTo(before.digest());
                    Map<String, List<String>> scan = MongoLifecycleCrashPropertiesTest.servers.scan();
                    assertOnlyAt(scan, s.to(), before.documents().keySet());
                    assertThat(LifecycleServers.dataOf(scan, BRAVO)).as("bravo's raw data").isEqualTo(before.bravo());
                    assertThat(LifecycleServers.dataOf(scan, CAROL)).as("carol's raw data").isEqualTo(before.carol());
                    if (s.status() == TenantStatus.ACTIVE) {
                        assertThat(LifecycleServers.read(process.mongo(), ACME, Set.copyOf(Shapes.NAMES)))
                                .as("acme's documents read as acme").isEqualTo(before.documents());
                        assertThat(indexes(process.mongo(), before.documents().keySet()))
                                .as("acme's indexes as it sees them").isEqualTo(before.indexes());
                    }
                });
    }

    @Test
    void eachLineIsOneDocumentInCanonicalExtendedJson() throws IOException {
        Sample s = sample(new java.util.SplittableRandom(7), 1);
        Before before = arrange(s);
        Path archive = newArchive();
        TenantArchive.Manifest manifest = Process.start().lifecycle().export(ACME, archive,
                LifecycleProgress.Listener.none());
        for (TenantArchive.Resource resource : manifest.resources()) {
            List<String> lines = Files.readAllLines(archive.resolve(resource.file()), StandardCharsets.UTF_8);
            assertThat(lines).hasSize((int) resource.count());
            List<String> reparsed = new ArrayList<>();
            for (String line : lines) {
                BsonDocument document = BsonDocument.parse(line);
                reparsed.add(document.toJson(org.bson.json.JsonWriterSettings.builder()
                        .outputMode(org.bson.json.JsonMode.EXTENDED).build()));
            }
            assertThat(reparsed).as("lines are canonical Extended JSON").isEqualTo(lines);
            assertThat(reparsed.stream().sorted().toList()).as(resource.name() + "'s documents")
                    .isEqualTo(before.documents().get(resource.name()).stream().sorted().toList());
        }
    }

    @Test
    void anImportInterruptedAnywhereEndsWithTheTenantWholeOrAbsent() {
        int[] crashes = new int[1];
        Trials.forAll("an import interrupted anywhere is recovered", tries(30), random -> sample(random, 30), s -> {
            Before before = arrange(s);
            Path archive = exportAndDelete(Process.start(), s, before);
            Fuse fuse = new Fuse(s.crashAt());
            boolean crashed = false;
            try {
                Process.start().dying(fuse).importTenant(archive,
                        Tenant.builder(ACME).placement(s.to()).status(s.status()).build(),
                        LifecycleProgress.Listener.none());
            } catch (Crash e) {
                crashed = true;
                crashes[0]++;
            }
            Process restarted = Process.start();
            restarted.lifecycle().recover();

            assertThat(restarted.journal().unfinished()).isEmpty();
            Map<String, List<String>> scan = MongoLifecycleCrashPropertiesTest.servers.scan();
            if (restarted.directory().find(ACME).isPresent()) {
                assertThat(restarted.directory().require(ACME).status()).isEqualTo(s.status());
                assertThat(restarted.store().digest(ACME, s.to())).isEqualTo(before.digest());
                assertOnlyAt(scan, s.to(), before.documents().keySet());
            } else {
                assertThat(crashed).isTrue();
                assertThat(LifecycleServers.traces(scan, ACME)).as("acme's traces").isEmpty();
            }
            assertThat(LifecycleServers.dataOf(scan, BRAVO)).as("bravo's raw data").isEqualTo(before.bravo());
            assertThat(LifecycleServers.dataOf(scan, CAROL)).as("carol's raw data").isEqualTo(before.carol());
        });
        assertThat(crashes[0]).as("tries that crashed").isGreaterThan(tries(30) / 4);
    }

    @Test
    void anExportInterruptedAnywhereLeavesACompleteArchiveOrNoneAndTheTenantWritable() {
        Trials.forAll("an export interrupted anywhere is recovered", tries(20), random -> sample(random, 20), s -> {
            Before before = arrange(s);
            Path archive = newArchive();
            try {
                Process.start().dying(new Fuse(s.crashAt())).export(ACME, archive, LifecycleProgress.Listener.none());
            } catch (Crash e) {
                // died
            }
            Process restarted = Process.start();
            restarted.lifecycle().recover();

            assertThat(restarted.journal().unfinished()).isEmpty();
            assertThat(restarted.directory().require(ACME).status()).as("acme's status").isEqualTo(s.status());
            assertThat(restarted.store().digest(ACME, s.from())).isEqualTo(before.digest());
            try (Stream<Path> files = Files.list(folder)) {
                assertThat(files.filter(p -> p.getFileName().toString().contains(".partial-")))
                        .as("unfinished archive folders").isEmpty();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            if (Files.exists(archive)) {
                assertThat(TenantArchive.read(archive).digest()).isEqualTo(before.digest());
                assertThat(restarted.journal().all()).extracting(LifecycleOperation::step)
                        .containsExactly(LifecycleOperation.Step.DONE);
            }
        });
    }

    @Test
    void anArchiveImportsUnderAnotherIdBesideTheOriginal() {
        Sample s = sample(new java.util.SplittableRandom(3), 1);
        Before before = arrange(s);
        Process process = Process.start();
        Path archive = newArchive();
        TenantArchive.Manifest manifest = process.lifecycle().export(ACME, archive, LifecycleProgress.Listener.none());
        TenantId copy = TenantId.of("acme-copy");
        Placement elsewhere = s.to();
        process.lifecycle().importTenant(archive, manifest.tenantAs(copy).placement(elsewhere).build(),
                LifecycleProgress.Listener.none());
        assertThat(process.store().digest(copy, elsewhere)).isEqualTo(before.digest());
        assertThat(process.store().digest(ACME, s.from())).isEqualTo(before.digest());
        assertThatThrownBy(() -> process.lifecycle().importTenant(archive, manifest.tenantAs(copy).build(),
                LifecycleProgress.Listener.none())).isInstanceOf(TenantLifecycleException.class)
                .hasMessageContaining("it exists");
    }
}
