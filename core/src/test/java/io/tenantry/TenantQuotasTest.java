package io.tenantry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.TenantUsage.Resource;
import io.tenantry.spi.QuotaLedger;
import io.tenantry.spi.UsageMeter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TenantQuotasTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId BRAVO = TenantId.of("bravo");
    private static final Placement SHARED = Placement.field("main", "app");

    private final InMemoryTenantDirectory directory = new InMemoryTenantDirectory();
    private final QuotaLedger ledger = QuotaLedger.inMemory();
    private final RecordingAuditSink audit = new RecordingAuditSink();

    private TenantQuotas.Builder quotas() {
        return TenantQuotas.builder(directory, ledger).auditSink(audit)
                .tier("free", Quota.items("cards", 3), Quota.counter("users", 2))
                .tier("premium", Quota.items("cards", 1000));
    }

    private void register(TenantId id, String tier, Map<String, String> attributes) {
        directory.register(Tenant.builder(id).tier(tier).attributes(attributes).build());
    }

    @Test
    @DisplayName("a tenant has its tier's quotas; its attributes override a limit, lift one, or add one")
    void tierQuotasWithAttributeOverrides() {
        TenantQuotas quotas = quotas().build();
        register(ACME, "free", Map.of("quota.items.cards", "10", "quota.counter.users", "unlimited",
                "quota.items.fs.files", "5", "unrelated", "x"));
        register(BRAVO, "enterprise", Map.of());
        assertThat(quotas.quotasOf(directory.require(ACME))).containsOnly(
                Map.entry("items:cards", Quota.items("cards", 10)), Map.entry("items:fs.files", Quota.items("fs.files", 5)));
        assertThat(quotas.quotasOf(directory.require(BRAVO))).isEmpty();
    }

    @Test
    @DisplayName("a malformed quota attribute is an error that names it, never ignored")
    void malformedAttributesAreErrors() {
        TenantQuotas quotas = quotas().build();
        register(ACME, "free", Map.of("quota.items.cards", "lots"));
        register(BRAVO, "free", Map.of("quota.rows.cards", "5"));
        assertThatThrownBy(() -> quotas.reserve(ACME, "cards", 1, 0, () -> 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quota.items.cards=\"lots\"")
                .hasMessageContaining("unlimited");
        assertThatThrownBy(() -> quotas.quotasOf(directory.require(BRAVO)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quota.rows.cards")
                .hasMessageContaining("quota.items.<collection or table>");
        TenantId carol = TenantId.of("carol");
        register(carol, "free", Map.of("quota.items.cards", "-1"));
        assertThatThrownBy(() -> quotas.quotasOf(directory.require(carol))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zero or more");
    }

    @Test
    @DisplayName("reservations count from the store once, fit under the limit, and refuse past it naming quota, limit and usage")
    void reservesUpToTheLimit() {
        TenantQuotas quotas = quotas().build();
        register(ACME, "free", Map.of());
        AtomicInteger counted = new AtomicInteger();
        TenantQuotas.Reservation first = quotas.reserve(ACME, "cards", 1, 0, () -> {
            counted.incrementAndGet();
            return 1;
        });
        first.settle(1);
        quotas.reserve(ACME, "cards", 1, 0, () -> counted.incrementAndGet()).settle(1);
        assertThat(counted).hasValue(1);
        assertThat(ledger.get(ACME, "items:cards")).hasValue(3);
        assertThatThrownBy(() -> quotas.reserve(ACME, "cards", 1, 0, () -> 0))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                    assertThat(e.quota()).isEqualTo(Quota.items("cards", 3));
                    assertThat(e.limit()).isEqualTo(3);
                    assertThat(e.usage()).isEqualTo(3);
                    assertThat(e.requested()).isEqualTo(1);
                    assertThat(e.tenant()).isEqualTo(ACME);
                    assertThat(e).hasMessageContaining("items:cards").hasMessageContaining("3 of 3")
                            .hasMessageContaining("quota.items.cards");
                });
        assertThat(ledger.get(ACME, "items:cards")).hasValue(3);
        quotas.removed(ACME, "cards", 2);
        TenantQuotas.Reservation batch = quotas.reserve(ACME, "cards", 2, 0, () -> 0);
        batch.settle(1);
        assertThat(ledger.get(ACME, "items:cards")).hasValue(2);
        assertThatThrownBy(() -> batch.settle(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @DisplayName("a write no quota applies to touches no count")
    void writesWithoutQuotasAreNotCounted() {
        TenantQuotas quotas = quotas().build();
        register(ACME, "free", Map.of());
        register(BRAVO, "enterprise", Map.of());
        assertThat(quotas.reserve(ACME, "orders", 100, 0, () -> 0)).isSameAs(TenantQuotas.Reservation.NONE);
        assertThat(quotas.reserve(BRAVO, "cards", 100, 0, () -> 0)).isSameAs(TenantQuotas.Reservation.NONE);
        quotas.removed(BRAVO, "cards", 5);
        assertThat(ledger.counts(ACME)).isEmpty();
        assertThat(ledger.counts(BRAVO)).isEmpty();
    }

    @Test
    @DisplayName("16 writers at one tenant's quota: exactly the limit is written, another tenant is untouched")
    void sixteenWritersNeverPassTheLimit() throws Exception {
        TenantQuotas quotas = quotas().tier("free", Quota.items("cards", 200)).build();
        register(ACME, "free", Map.of());
        register(BRAVO, "free", Map.of());
        quotas.reserve(BRAVO, "cards", 5, 0, () -> 0).settle(5);
        AtomicLong stored = new AtomicLong();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int batch = 1 + t % 3;
                writers.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    for (int i = 0; i < 40; i++) {
                        try {
                            TenantQuotas.Reservation r = quotas.reserve(ACME, "cards", batch, 0, stored::get);
                            // an ordered batch that sometimes fails part-way: only what was stored is kept
                            long written = i % 7 == 0 ? batch - 1 : batch;
                            stored.addAndGet(written);
                            r.settle(written);
                        } catch (QuotaExceededException e) {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> w : writers) {
                w.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(stored.get()).isBetween(198L, 200L);
        assertThat(ledger.get(ACME, "items:cards")).hasValue(stored.get());
        assertThat(refused.get()).isPositive();
        assertThat(ledger.get(BRAVO, "items:cards")).hasValue(5);
    }

    @Test
    @DisplayName("application counters count from zero with or without a quota, refuse past it, and stop at zero")
    void applicationCounters() {
        TenantQuotas quotas = quotas().build();
        register(ACME, "free", Map.of());
        register(BRAVO, "enterprise", Map.of());
        quotas.acquire(ACME, "users", 2);
        assertThatThrownBy(() -> quotas.acquire(ACME, "users", 1)).isInstanceOf(QuotaExceededException.class)
                .hasMessageContaining("counter:users").hasMessageContaining("quota.counter.users");
        quotas.release(ACME, "users", 1);
        quotas.acquire(ACME, "users", 1);
        quotas.release(ACME, "users", 5);
        assertThat(ledger.get(ACME, "counter:users")).hasValue(0);
        quotas.acquire(BRAVO, "users", 1_000_000);
        assertThat(ledger.get(BRAVO, "counter:users")).hasValue(1_000_000);
        assertThat(quotas.usage(ACME)).containsExactly(
                new QuotaUsage(Quota.counter("users", 2), OptionalLong.of(0)),
                new QuotaUsage(Quota.items("cards", 3), OptionalLong.empty()));
    }

    @Test
    @DisplayName("a bytes quota needs metering, starts from a measurement, and refuses once the bytes are spent")
    void bytesQuota() {
        assertThatThrownBy(() -> quotas().tier("small", Quota.bytes(1000)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("metering(");
        AtomicLong measuredBytes = new AtomicLong(600);
        TenantMetering metering = TenantMetering.builder(directory, t -> SHARED).meter(meter(measuredBytes)).build();
        TenantQuotas quotas = quotas().tier("small", Quota.bytes(1000)).metering(metering).build();
        register(ACME, "small", Map.of());
        quotas.reserve(ACME, "cards", 1, 300, () -> 0).settle(1);
        assertThatThrownBy(() -> quotas.reserve(ACME, "cards", 1, 200, () -> 0))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> assertThat(e.quota().key()).isEqualTo("bytes"));
        quotas.reserve(ACME, "cards", 1, 100, () -> 0).cancel();
        quotas.reserve(ACME, "cards", 1, 0, () -> 0).settle(1);
        quotas.reserve(ACME, "cards", 1, 100, () -> 0).settle(1);
        assertThat(ledger.get(ACME, "bytes")).hasValue(1000);
        assertThatThrownBy(() -> quotas.reserve(ACME, "cards", 1, 0, () -> 0)).isInstanceOf(QuotaExceededException.class);
    }

    @Test
    @DisplayName("reconciling sets the counts to the store's, unless a write moved a count during the measurement")
    void reconciles() {
        TenantQuotas quotas = quotas().build();
        register(ACME, "free", Map.of("quota.items.orders", "50"));
        quotas.reserve(ACME, "cards", 2, 0, () -> 0).settle(2);
        quotas.acquire(ACME, "users", 1);
        TenantUsage measured = usage(Map.of("cards", new Resource(1, 10), "orders", new Resource(7, 70)));
        assertThat(quotas.reconcile(ACME, () -> measured)).isSameAs(measured);
        assertThat(ledger.counts(ACME)).containsExactly(Map.entry("counter:users", 1L), Map.entry("items:cards", 1L),
                Map.entry("items:orders", 7L));
        quotas.reconcile(ACME, () -> {
            quotas.reserve(ACME, "cards", 1, 0, () -> 0).settle(1);
            return usage(Map.of("cards", new Resource(0, 0), "orders", new Resource(3, 30)));
        });
        assertThat(ledger.counts(ACME)).containsExactly(Map.entry("counter:users", 1L), Map.entry("items:cards", 2L),
                Map.entry("items:orders", 3L));
        quotas.forget(ACME);
        assertThat(ledger.counts(ACME)).isEmpty();
    }

    @Test
    @DisplayName("refusals are audited, coalesced per tenant and quota within the interval, with the count since")
    void refusalsAreAuditedAndCoalesced() {
        TenantQuotas quotas = quotas().auditInterval(Duration.ofHours(1)).build();
        register(ACME, "free", Map.of("quota.items.cards", "0"));
        register(BRAVO, "free", Map.of("quota.items.cards", "0"));
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> quotas.reserve(ACME, "cards", 1, 0, () -> 0))
                    .isInstanceOf(QuotaExceededException.class);
        }
        assertThatThrownBy(() -> quotas.reserve(BRAVO, "cards", 1, 0, () -> 0)).isInstanceOf(QuotaExceededException.class);
        assertThat(audit.events()).extracting(AuditEvent::kind, e -> e.tenant().orElseThrow()).containsExactly(
                org.assertj.core.groups.Tuple.tuple(AuditEvent.Kind.QUOTA_EXCEEDED, ACME),
                org.assertj.core.groups.Tuple.tuple(AuditEvent.Kind.QUOTA_EXCEEDED, BRAVO));
        assertThat(audit.events().get(0).detail()).isEqualTo("items:cards: 0 of 0 used, 1 more refused");

        TenantQuotas every = quotas().auditInterval(Duration.ZERO).build();
        assertThatThrownBy(() -> every.reserve(ACME, "cards", 1, 0, () -> 0)).isInstanceOf(QuotaExceededException.class);
        assertThatThrownBy(() -> every.reserve(ACME, "cards", 1, 0, () -> 0)).isInstanceOf(QuotaExceededException.class);
        assertThat(audit.events()).hasSize(4);
    }

    @Test
    @DisplayName("deleting a tenant through the lifecycle forgets its counts; a tenant registered later under its id starts afresh")
    void deletionForgetsTheCounts() {
        TenantQuotas quotas = quotas().build();
        register(ACME, "free", Map.of());
        register(BRAVO, "free", Map.of());
        quotas.reserve(ACME, "cards", 3, 0, () -> 0).settle(3);
        quotas.reserve(BRAVO, "cards", 1, 0, () -> 0).settle(1);
        TenantLifecycle.builder(directory, t -> SHARED).store(new MemoryDataStore()).quotas(quotas).build().delete(ACME);
        assertThat(ledger.counts(ACME)).isEmpty();
        assertThat(ledger.get(BRAVO, "items:cards")).hasValue(1);
        register(ACME, "free", Map.of());
        quotas.reserve(ACME, "cards", 3, 0, () -> 0).settle(3);
    }

    @Test
    @DisplayName("metering every tenant with quotas reconciles each tenant's counts with its own measurement")
    void meteringReconciles() {
        TenantQuotas quotas = quotas().build();
        register(ACME, "free", Map.of());
        register(BRAVO, "enterprise", Map.of());
        quotas.reserve(ACME, "cards", 3, 0, () -> 0).settle(3);
        TenantMetering metering = TenantMetering.builder(directory, t -> SHARED).meter(meter(new AtomicLong(10))).build();
        assertThat(metering.usageOfAll(2, quotas)).containsOnlyKeys(ACME, BRAVO);
        assertThat(ledger.get(ACME, "items:cards")).hasValue(1);
        assertThat(ledger.counts(BRAVO)).isEmpty();
    }

    @Test
    @DisplayName("a ledger that says full for an add that fits (it met a count started meanwhile) is asked again")
    void aFalseFullIsTriedAgain() {
        java.util.concurrent.atomic.AtomicInteger falseFulls = new java.util.concurrent.atomic.AtomicInteger(1);
        QuotaLedger racing = new QuotaLedger() {
            @Override
            public OptionalLong get(TenantId tenant, String key) {
                return ledger.get(tenant, key);
            }

            @Override
            public Map<String, Long> counts(TenantId tenant) {
                return ledger.counts(tenant);
            }

            @Override
            public long initialise(TenantId tenant, String key, long value) {
                return ledger.initialise(tenant, key, value);
            }

            @Override
            public OptionalLong tryAdd(TenantId tenant, String key, long amount, long limit) {
                // the first add found no count, and the count a concurrent writer started is there by now
                if (falseFulls.getAndDecrement() > 0) {
                    ledger.initialise(tenant, key, 0);
                    return OptionalLong.empty();
                }
                return ledger.tryAdd(tenant, key, amount, limit);
            }

            @Override
            public OptionalLong add(TenantId tenant, String key, long delta) {
                return ledger.add(tenant, key, delta);
            }

            @Override
            public boolean compareAndSet(TenantId tenant, String key, long expected, long value) {
                return ledger.compareAndSet(tenant, key, expected, value);
            }

            @Override
            public void forget(TenantId tenant) {
                ledger.forget(tenant);
            }
        };
        TenantQuotas quotas = TenantQuotas.builder(directory, racing).auditSink(audit)
                .tier("free", Quota.items("cards", 3)).build();
        register(ACME, "free", Map.of());
        quotas.reserve(ACME, "cards", 1, 0, () -> 0).settle(1);
        assertThat(ledger.get(ACME, "items:cards")).hasValue(1);
        assertThat(audit.events()).isEmpty();
    }

    private static TenantUsage usage(Map<String, Resource> resources) {
        return new TenantUsage(ACME, SHARED, resources, Instant.now());
    }

    private static UsageMeter meter(AtomicLong bytes) {
        return new UsageMeter() {
            @Override
            public boolean serves(Placement placement) {
                return true;
            }

            @Override
            public TenantUsage measure(TenantId tenant, Placement placement) {
                return new TenantUsage(tenant, placement, Map.of("cards", new Resource(1, bytes.get())), Instant.now());
            }
        };
    }
}
