package io.tenantry.jdbc;

import static io.tenantry.jdbc.QuotaFixture.ACME;
import static io.tenantry.jdbc.QuotaFixture.OTHER;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.IsolationModel;
import io.tenantry.QuotaExceededException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The overshoot bound under concurrency: 16 threads write for one tenant at its quota (single INSERTs, prepared
 * batches, INSERT ... SELECT, in auto-commit mode and in transactions of their own) while another tenant writes
 * too. The committed rows, counted by the superuser all along, never pass the limit (overshoot 0), and at the end
 * the ledger holds exactly the committed rows.
 */
class JdbcQuotaConcurrencyTest {

    private static final long LIMIT = 60;
    private static final int WRITERS = 16;
    private static final int ATTEMPTS = 12;
    private static final int OTHER_WRITERS = 2;
    private static final int OTHER_ROWS = 20;

    @ParameterizedTest
    @EnumSource(IsolationModel.class)
    @DisplayName("16 writers at a quota never commit past the limit, and the ledger ends equal to the committed rows")
    void concurrentWritersNeverPassTheLimit(IsolationModel model) throws Exception {
        try (QuotaFixture q = QuotaFixture.of(model, LIMIT, 10_000)) {
            q.reset();
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS + OTHER_WRITERS + 1);
            CountDownLatch start = new CountDownLatch(1);
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger refused = new AtomicInteger();
            AtomicLong highest = new AtomicLong();
            try {
                List<Future<?>> writers = new ArrayList<>();
                for (int t = 0; t < WRITERS; t++) {
                    int thread = t;
                    writers.add(pool.submit((Callable<Void>) () -> {
                        start.await();
                        for (int i = 0; i < ATTEMPTS; i++) {
                            int attempt = i;
                            try {
                                q.as(ACME, c -> write(c, thread, attempt));
                            } catch (QuotaExceededException e) {
                                assertThat(e.limit()).isEqualTo(LIMIT);
                                refused.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                for (int t = 0; t < OTHER_WRITERS; t++) {
                    int thread = t;
                    writers.add(pool.submit((Callable<Void>) () -> {
                        start.await();
                        for (int i = 0; i < OTHER_ROWS; i++) {
                            q.update(OTHER, "INSERT INTO items (k, v) VALUES ('o" + thread + "_" + i + "', 'v')");
                        }
                        return null;
                    }));
                }
                Future<Integer> watcher = pool.submit(() -> {
                    start.await();
                    int samples = 0;
                    while (writing.get()) {
                        highest.accumulateAndGet(q.raw(ACME), Math::max);
                        samples++;
                    }
                    return samples;
                });
                start.countDown();
                for (Future<?> writer : writers) {
                    writer.get(5, TimeUnit.MINUTES);
                }
                writing.set(false);
                assertThat(watcher.get(1, TimeUnit.MINUTES)).isPositive();
            } finally {
                writing.set(false);
                pool.shutdownNow();
            }
            long committed = q.raw(ACME);
            assertThat(highest.get()).as("committed rows seen while writing").isLessThanOrEqualTo(LIMIT);
            assertThat(committed).isLessThanOrEqualTo(LIMIT).isGreaterThan(LIMIT - 3);
            assertThat(refused.get()).isPositive();
            assertThat(q.counted(ACME)).hasValue(committed);
            assertThat(q.raw(OTHER)).isEqualTo(OTHER_WRITERS * OTHER_ROWS);
            assertThat(q.counted(OTHER)).hasValue(OTHER_WRITERS * OTHER_ROWS);
            q.reconcile(ACME);
            q.reconcile(OTHER);
            assertThat(q.counted(ACME)).hasValue(q.raw(ACME));
            assertThat(q.counted(OTHER)).hasValue(q.raw(OTHER));
        }
    }

    /** One write of thread {@code thread}'s attempt {@code i}: 1 row, a batch of 3 or an INSERT ... SELECT of 2. */
    private static Void write(Connection c, int thread, int i) throws SQLException {
        String key = "t" + thread + "_" + i;
        boolean transaction = thread % 4 == 3;
        if (transaction) {
            c.setAutoCommit(false);
        }
        switch ((thread + i) % 3) {
            case 0 -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO items (k, v) VALUES ('" + key + "', 'v')");
                }
            }
            case 1 -> {
                try (PreparedStatement p = c.prepareStatement("INSERT INTO items (k, v) VALUES (?, 'v')")) {
                    for (int j = 0; j < 3; j++) {
                        p.setString(1, key + "_" + j);
                        p.addBatch();
                    }
                    p.executeBatch();
                }
            }
            default -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO items (k, v) SELECT '" + key + "_' || g, 'v'"
                            + " FROM generate_series(1, 2) g");
                }
            }
        }
        if (transaction) {
            c.commit();
        }
        return null;
    }
}
