package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.IsolationModel;
import io.tenantry.QuotaExceededException;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The overshoot bound under concurrency: 16 writers inserting for one tenant at its quota (insertOne and small
 * insertMany batches) never take the store past the limit, counted around Tenantry while they run and after;
 * the count equals the store at the end; another tenant writing at the same time is unaffected; a
 * reconciliation afterwards changes nothing.
 */
class QuotaConcurrencyTest {

    private static final long LIMIT = 40;
    private static final int WRITERS = 16;
    private static final int ATTEMPTS = 12;
    private static final int OTHER_WRITES = 30;

    private static QuotaServers servers;

    @BeforeAll
    static void start() {
        servers = new QuotaServers(LIMIT);
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    @ParameterizedTest
    @EnumSource(IsolationModel.class)
    @DisplayName("16 concurrent writers at the quota: the store never passes the limit, and the count equals it")
    void concurrentWritersNeverOvershoot(IsolationModel model) throws Exception {
        TenantId tenant = servers.fresh(model);
        TenantId other = servers.fresh(model);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 2);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong highest = new AtomicLong();
        AtomicInteger refusals = new AtomicInteger();
        try {
            List<Future<Integer>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit((Callable<Integer>) () -> {
                    start.await();
                    return TenantContext.callAs(tenant, () -> write(writer, refusals));
                }));
            }
            Future<Integer> otherWrites = pool.submit((Callable<Integer>) () -> {
                start.await();
                return TenantContext.callAs(other, () -> {
                    for (int i = 0; i < OTHER_WRITES; i++) {
                        servers.cards.insertOne(new Document("_id", "o" + i));
                    }
                    return OTHER_WRITES;
                });
            });
            Future<?> watch = pool.submit(() -> {
                while (writing.get()) {
                    highest.accumulateAndGet(servers.raw(tenant), Math::max);
                }
                return null;
            });
            start.countDown();
            int inserted = 0;
            for (Future<Integer> writer : writers) {
                inserted += writer.get(5, TimeUnit.MINUTES);
            }
            assertThat(otherWrites.get(5, TimeUnit.MINUTES)).isEqualTo(OTHER_WRITES);
            writing.set(false);
            watch.get(1, TimeUnit.MINUTES);

            long stored = servers.raw(tenant);
            assertThat(highest.get()).as("the most the store held while the writers ran").isLessThanOrEqualTo(LIMIT);
            assertThat(stored).as("in the store at the end").isLessThanOrEqualTo(LIMIT).isEqualTo(inserted);
            assertThat(refusals.get()).as("the writers met the limit").isPositive();
            assertThat(servers.counted(tenant)).as("counted").isEqualTo(stored);
            assertThat(servers.raw(other)).isEqualTo(OTHER_WRITES);
            assertThat(servers.counted(other)).isEqualTo(OTHER_WRITES);
            servers.reconcile(tenant);
            assertThat(servers.counted(tenant)).as("counted after reconciliation").isEqualTo(servers.raw(tenant));
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }
    }

    /** One writer's attempts: insertOne or insertMany of one to three cards; returns how many it inserted. */
    private static int write(int writer, AtomicInteger refusals) {
        SplittableRandom random = new SplittableRandom(writer);
        int inserted = 0;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int size = random.nextInt(1, 4);
            List<Document> batch = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                batch.add(new Document("_id", writer + "-" + attempt + "-" + i));
            }
            try {
                if (size == 1 && random.nextBoolean()) {
                    servers.cards.insertOne(batch.get(0));
                } else {
                    servers.cards.insertMany(batch);
                }
                inserted += size;
            } catch (QuotaExceededException e) {
                assertThat(e.usage() + e.requested()).isGreaterThan(LIMIT);
                refusals.incrementAndGet();
            }
        }
        return inserted;
    }
}
