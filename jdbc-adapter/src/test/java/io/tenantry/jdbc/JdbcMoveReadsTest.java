package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tenantry.LifecycleOperation;
import io.tenantry.LifecycleProgress;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDigest;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycle;
import io.tenantry.TenantStatus;
import io.tenantry.spi.TenantDataStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reads and writes while a tenant moves: a reader thread reads all of the tenant's rows through the routing
 * DataSource, over and over, from before the move until after it; each answer must be the whole tenant,
 * never part of it. While the copy runs (checked between two of its batches, after the reader has answered
 * twice more), a write as the tenant gets PostgreSQL's read-only refusal; after the move the same write
 * succeeds, at the target. Each model to each other one, across the two servers.
 *
 * <p>The source is erased once the tenant is switched over. A connection obtained before the switch and
 * still reading afterwards would read the erased source: in production {@code TenantLifecycle.settle}
 * waits for such connections; here the store's erase waits, deterministically, for the reader's read in
 * flight (a read-write lock), which is what the settle time stands for.
 */
class JdbcMoveReadsTest {

    private static LifecycleFixture fixture;
    private static TenantDataStore store;

    @BeforeAll
    static void start() {
        fixture = new LifecycleFixture("reads");
        store = fixture.jdbc.dataStore(20);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"0, 3", "3, 1", "1, 5", "5, 4", "4, 2", "2, 0"})
    void aReaderSeesTheWholeTenantThroughoutAMoveAndAWriterIsRefusedUntilTheSwitch(int fromIndex, int toIndex)
            throws Exception {
        Placement from = fixture.placements.get(fromIndex);
        Placement to = fixture.placements.get(toIndex);
        TenantId tenant = TenantId.of("mover-" + fromIndex);
        fixture.directory.register(Tenant.builder(tenant).placement(from).build());
        store.provision(tenant, from);
        LifecycleRows.Data data = LifecycleRows.data(new SplittableRandom(fromIndex), 40, true);
        while (data.rows() < 60) {
            data = LifecycleRows.data(new SplittableRandom(data.rows() + 100L * fromIndex), 40, true);
        }
        LifecycleRows.insert(fixture.jdbc.dataSource(), tenant, data);
        write(tenant, "before the move");
        Map<String, List<String>> whole = fixture.read(tenant);
        TenantDigest digest = store.digest(tenant, from);

        ReentrantReadWriteLock inFlight = new ReentrantReadWriteLock();
        Semaphore answered = new Semaphore(0);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            while (!stop.get()) {
                inFlight.readLock().lock();
                try {
                    Map<String, List<String>> answer = fixture.read(tenant);
                    if (!answer.equals(whole)) {
                        wrong.add("read " + reads.get() + ": " + answer.values().stream().mapToInt(List::size).sum()
                                + " rows");
                    }
                } catch (RuntimeException e) {
                    wrong.add("read " + reads.get() + " failed: " + e);
                } finally {
                    inFlight.readLock().unlock();
                }
                reads.incrementAndGet();
                answered.release();
            }
        });
        awaitAnswers(answered, 2);

        List<String> refusals = new ArrayList<>();
        AtomicInteger batches = new AtomicInteger();
        AtomicInteger readsBeforeCopy = new AtomicInteger();
        TenantDataStore watched = new TenantDataStore() {
            @Override
            public boolean serves(Placement placement) {
                return store.serves(placement);
            }

            @Override
            public void provision(TenantId t, Placement placement) {
                store.provision(t, placement);
            }

            @Override
            public void copy(TenantId t, Placement source, Placement target, CopyProgress progress) {
                store.copy(t, source, target, (resource, items, bytes) -> {
                    progress.copied(resource, items, bytes);
                    if (batches.incrementAndGet() == 2) {
                        readsBeforeCopy.set(reads.get());
                        assertThat(fixture.directory.require(t).status()).isEqualTo(TenantStatus.READ_ONLY);
                        awaitAnswers(answered, 2);
                        SQLException refused = catchThrowableOfType(SQLException.class,
                                () -> write(t, "during the move"));
                        refusals.add(refused == null ? "accepted" : refused.getSQLState());
                    }
                });
            }

            @Override
            public TenantDigest digest(TenantId t, Placement placement) {
                return store.digest(t, placement);
            }

            @Override
            public void erase(TenantId t, Placement placement) {
                inFlight.writeLock().lock();
                try {
                    store.erase(t, placement);
                } finally {
                    inFlight.writeLock().unlock();
                }
            }
        };
        TenantLifecycle lifecycle = TenantLifecycle.builder(fixture.directory, fixture.router).store(watched)
                .journal(fixture.journal).build();
        LifecycleOperation done = lifecycle.move(tenant, to, LifecycleProgress.Listener.none());
        awaitAnswers(answered, 2);
        stop.set(true);
        reader.get(60, TimeUnit.SECONDS);

        org.slf4j.LoggerFactory.getLogger(JdbcMoveReadsTest.class).info("{} -> {}: {} whole reads of {} rows, {} of"
                + " them from the second batch of the copy to the end of the move; {} batches", from, to, reads.get(),
                LifecycleRows.rows(whole), reads.get() - readsBeforeCopy.get(), batches.get());
        assertThat(done.step()).isEqualTo(LifecycleOperation.Step.DONE);
        assertThat(batches.get()).as("batches copied").isGreaterThan(2);
        assertThat(wrong).as("answers that were not the whole tenant, of %s reads", reads.get()).isEmpty();
        assertThat(refusals).as("a write during the copy").containsExactly("25006");
        assertThat(fixture.directory.require(tenant).placement()).contains(to);
        assertThat(store.digest(tenant, to)).isEqualTo(digest);
        fixture.assertNothingOf(tenant, from);
        write(tenant, "after the move");
        Map<String, List<String>> after = fixture.read(tenant);
        assertThat(after.get("wallets")).hasSize(whole.get("wallets").size() + 1)
                .containsAll(whole.get("wallets")).anyMatch(line -> line.contains("after the move"));
        assertThat(after.get("entries")).isEqualTo(whole.get("entries"));
    }

    /** Inserts a wallet as {@code tenant} through the routing data source. */
    private static void write(TenantId tenant, String owner) throws SQLException {
        TenantContext.runAs(tenant, () -> {
            try (Connection c = fixture.jdbc.dataSource().getConnection();
                    PreparedStatement p = c.prepareStatement("INSERT INTO wallets (id, owner) VALUES (?, ?)")) {
                p.setObject(1, UUID.randomUUID());
                p.setString(2, owner);
                p.executeUpdate();
            }
        });
    }

    /** Waits until the reader has answered {@code count} more times (a timeout is a failure, not a wait). */
    private static void awaitAnswers(Semaphore answered, int count) {
        answered.drainPermits();
        try {
            assertThat(answered.tryAcquire(count, 60, TimeUnit.SECONDS)).as("the reader answered").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
