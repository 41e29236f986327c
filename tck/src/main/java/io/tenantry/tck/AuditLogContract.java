package io.tenantry.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.AuditEvent;
import io.tenantry.AuditEvent.Kind;
import io.tenantry.AuditQuery;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.TenantScope;
import io.tenantry.spi.AuditLog;
import io.tenantry.spi.AuditSink;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The audit log contract: an {@link AuditLog} keeps every event it records, field for field, and answers
 * queries by tenant, kind and time window newest first within the limit; a purge removes exactly the events
 * before its time; concurrent recording loses nothing. Run it for each store with a short subclass:
 *
 * <pre>{@code
 * class ControlPlaneAuditLogTest extends AuditLogContract {
 *     @Override
 *     protected AuditLog emptyLog() {
 *         return MyAuditLog.of(controlPlane(), "audit_" + UUID.randomUUID().toString().replace("-", ""));
 *     }
 * }
 * }</pre>
 *
 * <p>Event times in these tests are whole milliseconds, which every store keeps exactly, except in the test of
 * the bounds: a store may keep times coarser than {@link Instant}'s nanoseconds, but a time window must then
 * widen to whole units of the store (never missing an event inside it), and a purge narrow (never removing an
 * event at or after its time).
 */
public abstract class AuditLogContract {

    /** An arbitrary, millisecond-aligned moment that the events of each test are placed around. */
    protected static final Instant T0 = Instant.parse("2024-03-05T10:00:00Z");

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId ACME1 = TenantId.of("acme1");
    private static final TenantId BRAVO = TenantId.of("bravo");

    /**
     * Returns a log that holds no event yet, for one test: a new table or collection, or one emptied. Called
     * once at the start of each test.
     */
    protected abstract AuditLog emptyLog();

    /** Returns how many threads record at once in the concurrency test: 8 unless overridden. */
    protected int threads() {
        return 8;
    }

    /** Returns how many events each of those threads records: 100 unless overridden. */
    protected int eventsPerThread() {
        return 100;
    }

    /** Returns an event of {@code kind} for {@code tenant} (null: a system event) at {@code T0 + seconds}. */
    protected static AuditEvent event(Kind kind, @Nullable TenantId tenant, String detail, long seconds) {
        return new AuditEvent(kind, tenant, detail, "audit-contract", T0.plusSeconds(seconds));
    }

    private static List<String> details(List<AuditEvent> events) {
        return events.stream().map(AuditEvent::detail).toList();
    }

    @Test
    @DisplayName("every field of an event is kept, with and without a tenant, and text exactly as given")
    void keepsEveryField() {
        AuditLog log = emptyLog();
        String awkward = "moved from FIELD:main:\"app\" to 'db'\n\ttab, \u00e9t\u00e9 \u65e5\u672c \uD83D\uDE00 "
                + "x".repeat(5_000);
        log.record(new AuditEvent(Kind.TENANT_MOVED, ACME, awkward, "worker-7 \"quoted\"", T0.plusMillis(1_234)));
        log.record(new AuditEvent(Kind.SYSTEM_SCOPE_OPENED, null, "nightly report", "scheduler-1", T0.plusMillis(1_500)));

        List<AuditEvent> found = log.find(AuditQuery.all());
        assertThat(found).hasSize(2);
        AuditEvent system = found.get(0);
        assertThat(system.kind()).isEqualTo(Kind.SYSTEM_SCOPE_OPENED);
        assertThat(system.tenant()).isEmpty();
        assertThat(system.detail()).isEqualTo("nightly report");
        assertThat(system.thread()).isEqualTo("scheduler-1");
        assertThat(system.at()).isEqualTo(T0.plusMillis(1_500));
        AuditEvent moved = found.get(1);
        assertThat(moved.kind()).isEqualTo(Kind.TENANT_MOVED);
        assertThat(moved.tenant()).contains(ACME);
        assertThat(moved.detail()).isEqualTo(awkward);
        assertThat(moved.thread()).isEqualTo("worker-7 \"quoted\"");
        assertThat(moved.at()).isEqualTo(T0.plusMillis(1_234));
    }

    @Test
    @DisplayName("a tenant's query returns its own events only, newest first: no other tenant's, no system event")
    void findsOneTenantsEventsOnly() {
        AuditLog log = emptyLog();
        log.record(event(Kind.TENANT_CREATED, ACME, "acme created", 1));
        log.record(event(Kind.TENANT_CREATED, ACME1, "acme1 created", 2));
        log.record(event(Kind.SYSTEM_SCOPE_OPENED, null, "report", 3));
        log.record(event(Kind.TENANT_STATUS_CHANGED, ACME, "acme suspended", 4));
        log.record(event(Kind.TENANT_CREATED, BRAVO, "bravo created", 5));
        log.record(event(Kind.TENANT_STATUS_CHANGED, ACME, "acme resumed", 6));

        assertThat(details(log.find(AuditQuery.all().tenant(ACME))))
                .containsExactly("acme resumed", "acme suspended", "acme created");
        assertThat(details(log.find(AuditQuery.all().tenant(ACME1)))).containsExactly("acme1 created");
        assertThat(log.find(AuditQuery.all().tenant(TenantId.of("nobody")))).isEmpty();
        assertThat(details(log.find(AuditQuery.all()))).containsExactly("acme resumed", "bravo created",
                "acme suspended", "report", "acme1 created", "acme created");
    }

    @Test
    @DisplayName("a query by kinds returns those kinds only, for one tenant or all")
    void findsByKind() {
        AuditLog log = emptyLog();
        log.record(event(Kind.SYSTEM_SCOPE_OPENED, null, "opened", 1));
        log.record(event(Kind.TENANT_CREATED, ACME, "created", 2));
        log.record(event(Kind.SYSTEM_SCOPE_CLOSED, null, "closed", 3));
        log.record(event(Kind.TENANT_DELETED, ACME, "deleted", 4));
        log.record(event(Kind.TENANT_DELETED, BRAVO, "bravo deleted", 5));

        assertThat(details(log.find(AuditQuery.all().kinds(Kind.SYSTEM_SCOPE_OPENED, Kind.SYSTEM_SCOPE_CLOSED))))
                .containsExactly("closed", "opened");
        assertThat(details(log.find(AuditQuery.all().kinds(Kind.TENANT_DELETED)))).containsExactly("bravo deleted",
                "deleted");
        assertThat(details(log.find(AuditQuery.all().kinds(Kind.TENANT_DELETED, Kind.TENANT_CREATED).tenant(ACME))))
                .containsExactly("deleted", "created");
        assertThat(log.find(AuditQuery.all().kinds(Kind.TENANT_MOVED))).isEmpty();
    }

    @Test
    @DisplayName("a time window includes its start and excludes its end")
    void findsByTimeWindow() {
        AuditLog log = emptyLog();
        for (int i = 0; i < 10; i++) {
            log.record(event(Kind.TENANT_UPDATED, i % 2 == 0 ? ACME : BRAVO, "at " + i, i));
        }
        assertThat(details(log.find(AuditQuery.all().from(T0.plusSeconds(3)).to(T0.plusSeconds(7)))))
                .containsExactly("at 6", "at 5", "at 4", "at 3");
        assertThat(details(log.find(AuditQuery.all().from(T0.plusSeconds(8))))).containsExactly("at 9", "at 8");
        assertThat(details(log.find(AuditQuery.all().to(T0.plusSeconds(2))))).containsExactly("at 1", "at 0");
        assertThat(details(log.find(AuditQuery.all().tenant(ACME).from(T0.plusMillis(2_001)).to(T0.plusSeconds(6)))))
                .containsExactly("at 4");
        assertThat(log.find(AuditQuery.all().from(T0.plusSeconds(5)).to(T0.plusSeconds(5)))).isEmpty();
    }

    @Test
    @DisplayName("a time window never misses an event inside it, and a purge never removes one at its time, whatever the store's precision")
    void boundsWidenToTheStorePrecision() {
        AuditLog log = emptyLog();
        Instant at = T0.plusNanos(1_500);
        log.record(new AuditEvent(Kind.TENANT_UPDATED, ACME, "inside", "audit-contract", at));
        assertThat(details(log.find(AuditQuery.all().from(at.minusNanos(100)).to(at.plusNanos(100)))))
                .containsExactly("inside");
        assertThat(details(log.find(AuditQuery.all().from(at).to(at.plusNanos(1))))).containsExactly("inside");
        assertThat(log.find(AuditQuery.all().to(T0))).isEmpty();
        assertThat(log.find(AuditQuery.all().from(T0.plusMillis(1)))).isEmpty();
        assertThat(log.purge(at)).isZero();
        assertThat(details(log.find(AuditQuery.all()))).containsExactly("inside");
    }

    @Test
    @DisplayName("the limit keeps the newest events that match")
    void limitKeepsTheNewest() {
        AuditLog log = emptyLog();
        for (int i = 0; i < 120; i++) {
            log.record(event(Kind.TENANT_UPDATED, ACME, "at " + i, i));
        }
        assertThat(details(log.find(AuditQuery.all().limit(3)))).containsExactly("at 119", "at 118", "at 117");
        assertThat(log.find(AuditQuery.all())).hasSize(AuditQuery.DEFAULT_LIMIT).first()
                .extracting(AuditEvent::detail).isEqualTo("at 119");
        assertThat(details(log.find(AuditQuery.all().to(T0.plusSeconds(10)).limit(2)))).containsExactly("at 9", "at 8");
    }

    @Test
    @DisplayName("events of the same time come back the last recorded first")
    void sameTimeLastRecordedFirst() {
        AuditLog log = emptyLog();
        for (int i = 0; i < 5; i++) {
            log.record(event(Kind.TENANT_UPDATED, ACME, "update " + i, 1));
        }
        assertThat(details(log.find(AuditQuery.all()))).containsExactly("update 4", "update 3", "update 2", "update 1",
                "update 0");
    }

    @Test
    @DisplayName("a purge removes the events before its time and no other")
    void purgeRemovesOnlyOlderEvents() {
        AuditLog log = emptyLog();
        for (int i = 0; i < 10; i++) {
            log.record(event(Kind.TENANT_UPDATED, i % 3 == 0 ? null : ACME, "at " + i, i));
        }
        assertThat(log.purge(T0.plusSeconds(4))).isEqualTo(4);
        assertThat(details(log.find(AuditQuery.all()))).containsExactly("at 9", "at 8", "at 7", "at 6", "at 5", "at 4");
        assertThat(log.purge(T0.plusSeconds(4))).isZero();
        assertThat(log.purge(T0.plusMillis(4_001))).isEqualTo(1);
        assertThat(log.purge(T0)).isZero();
        assertThat(details(log.find(AuditQuery.all()))).containsExactly("at 9", "at 8", "at 7", "at 6", "at 5");
        assertThat(log.purgeOlderThan(Duration.ZERO)).isEqualTo(5);
        assertThat(log.find(AuditQuery.all())).isEmpty();
    }

    @Test
    @DisplayName("threads recording at once lose no event")
    void concurrentRecordingLosesNothing() throws Exception {
        AuditLog log = emptyLog();
        int threads = threads();
        int each = eventsPerThread();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        log.record(event(Kind.TENANT_UPDATED, TenantId.of("t" + thread), thread + "/" + i, i));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        List<AuditEvent> found = log.find(AuditQuery.all().limit(AuditQuery.MAX_LIMIT));
        Set<String> expected = new HashSet<>();
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < each; i++) {
                expected.add(t + "/" + i);
            }
        }
        assertThat(found).hasSize(threads * each);
        assertThat(new HashSet<>(details(found))).isEqualTo(expected);
        assertThat(details(log.find(AuditQuery.all().tenant(TenantId.of("t0")).limit(AuditQuery.MAX_LIMIT))))
                .hasSize(each).allMatch(detail -> detail.startsWith("0/"));
    }

    @Test
    @DisplayName("a system scope opened through TenantContext is stored with its reason, and found by its time")
    void storesSystemScopesOfTheTenantContext() {
        AuditLog log = emptyLog();
        AuditSink previous = TenantContext.auditSink();
        TenantContext.auditSink(log);
        Instant before = Instant.now();
        try {
            try (TenantScope scope = TenantContext.openSystem("contract: re-index every tenant")) {
                assertThat(TenantContext.isSystem()).isTrue();
            }
        } finally {
            TenantContext.auditSink(previous);
        }
        Instant after = Instant.now();
        List<AuditEvent> found = log.find(AuditQuery.all().from(before).to(after.plusNanos(1)));
        assertThat(found).extracting(AuditEvent::kind).containsExactly(Kind.SYSTEM_SCOPE_CLOSED,
                Kind.SYSTEM_SCOPE_OPENED);
        assertThat(found).allSatisfy(event -> {
            assertThat(event.detail()).isEqualTo("contract: re-index every tenant");
            assertThat(event.tenant()).isEmpty();
            assertThat(event.thread()).isEqualTo(Thread.currentThread().getName());
            assertThat(event.at()).isBetween(before.truncatedTo(ChronoUnit.MILLIS), after);
        });
        assertThat(log.find(AuditQuery.all().to(before.minusSeconds(1)))).isEmpty();
        assertThat(log.find(AuditQuery.all().from(after.plusSeconds(1)))).isEmpty();
    }
}
