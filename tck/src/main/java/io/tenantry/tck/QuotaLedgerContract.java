package io.tenantry.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.TenantId;
import io.tenantry.spi.QuotaLedger;
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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The quota ledger contract: a {@link QuotaLedger} keeps one count per tenant and key, starts it once,
 * adds under a limit atomically (of concurrent adds, exactly those that fit succeed), never goes below zero,
 * replaces a count only if it is unchanged, and forgets a tenant's counts without touching another's, whatever
 * their ids have in common. Run it for each store with a short subclass:
 *
 * <pre>{@code
 * class ControlPlaneQuotaLedgerTest extends QuotaLedgerContract {
 *     @Override
 *     protected QuotaLedger emptyLedger() {
 *         return MyQuotaLedger.of(controlPlane());   // emptied for each test
 *     }
 * }
 * }</pre>
 */
public abstract class QuotaLedgerContract {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId ACME1 = TenantId.of("acme1");
    private static final TenantId ACME_CARDS = TenantId.of("acme_cards");
    private static final String CARDS = "items:cards";

    /** Returns a ledger that holds no count yet, for one test. Called once at the start of each test. */
    protected abstract QuotaLedger emptyLedger();

    @Test
    @DisplayName("a count exists only once initialised, and the first initialisation wins")
    void initialisesOnce() {
        QuotaLedger ledger = emptyLedger();
        assertThat(ledger.get(ACME, CARDS)).isEmpty();
        assertThat(ledger.counts(ACME)).isEmpty();
        assertThat(ledger.initialise(ACME, CARDS, 7)).isEqualTo(7);
        assertThat(ledger.initialise(ACME, CARDS, 3)).isEqualTo(7);
        assertThat(ledger.get(ACME, CARDS)).hasValue(7);
        assertThatThrownBy(() -> ledger.initialise(ACME, "bytes", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("tryAdd adds up to the limit and not past it, and refuses an uninitialised count")
    void addsUpToTheLimit() {
        QuotaLedger ledger = emptyLedger();
        assertThatThrownBy(() -> ledger.tryAdd(ACME, CARDS, 1, 10)).isInstanceOf(IllegalStateException.class);
        ledger.initialise(ACME, CARDS, 8);
        assertThat(ledger.tryAdd(ACME, CARDS, 3, 10)).isEmpty();
        assertThat(ledger.get(ACME, CARDS)).hasValue(8);
        assertThat(ledger.tryAdd(ACME, CARDS, 2, 10)).hasValue(10);
        assertThat(ledger.tryAdd(ACME, CARDS, 1, 10)).isEmpty();
        assertThat(ledger.tryAdd(ACME, CARDS, 0, 10)).hasValue(10);
        assertThat(ledger.tryAdd(ACME, CARDS, 5, Long.MAX_VALUE)).hasValue(15);
        assertThatThrownBy(() -> ledger.tryAdd(ACME, CARDS, -1, 100)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("add moves a count either way, stops at zero, and leaves an uninitialised count alone")
    void addsEitherWayDownToZero() {
        QuotaLedger ledger = emptyLedger();
        assertThat(ledger.add(ACME, CARDS, 5)).isEmpty();
        assertThat(ledger.get(ACME, CARDS)).isEmpty();
        ledger.initialise(ACME, CARDS, 4);
        assertThat(ledger.add(ACME, CARDS, 3)).hasValue(7);
        assertThat(ledger.add(ACME, CARDS, -2)).hasValue(5);
        assertThat(ledger.add(ACME, CARDS, -9)).hasValue(0);
    }

    @Test
    @DisplayName("compareAndSet replaces only an unchanged, initialised count")
    void comparesAndSets() {
        QuotaLedger ledger = emptyLedger();
        assertThat(ledger.compareAndSet(ACME, CARDS, 0, 5)).isFalse();
        assertThat(ledger.get(ACME, CARDS)).isEmpty();
        ledger.initialise(ACME, CARDS, 4);
        assertThat(ledger.compareAndSet(ACME, CARDS, 3, 9)).isFalse();
        assertThat(ledger.compareAndSet(ACME, CARDS, 4, 9)).isTrue();
        assertThat(ledger.get(ACME, CARDS)).hasValue(9);
    }

    @Test
    @DisplayName("counts of tenants whose ids share a prefix, and keys that look alike, never meet; forget is per tenant")
    void keepsTenantsApart() {
        QuotaLedger ledger = emptyLedger();
        ledger.initialise(ACME, CARDS, 1);
        ledger.initialise(ACME, "items:cards2", 2);
        ledger.initialise(ACME1, CARDS, 10);
        ledger.initialise(ACME_CARDS, "items", 20);
        ledger.initialise(ACME, "counter:users", 3);
        ledger.add(ACME1, CARDS, 5);
        assertThat(ledger.counts(ACME)).containsExactly(Map.entry("counter:users", 3L), Map.entry(CARDS, 1L),
                Map.entry("items:cards2", 2L));
        assertThat(ledger.counts(ACME1)).containsExactly(Map.entry(CARDS, 15L));
        ledger.forget(ACME);
        assertThat(ledger.counts(ACME)).isEmpty();
        assertThat(ledger.get(ACME, CARDS)).isEmpty();
        assertThat(ledger.counts(ACME1)).containsExactly(Map.entry(CARDS, 15L));
        assertThat(ledger.counts(ACME_CARDS)).containsExactly(Map.entry("items", 20L));
    }

    @Test
    @DisplayName("of 16 threads adding concurrently under a limit, exactly the adds that fit succeed")
    void concurrentAddsNeverPassTheLimit() throws Exception {
        QuotaLedger ledger = emptyLedger();
        int threads = 16;
        int attempts = 25;
        long limit = 150;
        ledger.initialise(ACME, CARDS, 0);
        ledger.initialise(ACME1, CARDS, 0);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> added = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                added.add(pool.submit((Callable<Integer>) () -> {
                    start.await();
                    int ok = 0;
                    for (int i = 0; i < attempts; i++) {
                        OptionalLong count = ledger.tryAdd(ACME, CARDS, 1, limit);
                        if (count.isPresent()) {
                            assertThat(count.getAsLong()).isBetween(1L, limit);
                            ok++;
                        }
                        ledger.add(ACME1, CARDS, 1);
                    }
                    return ok;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : added) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(limit);
            assertThat(ledger.get(ACME, CARDS)).hasValue(limit);
            assertThat(ledger.get(ACME1, CARDS)).hasValue((long) threads * attempts);
        } finally {
            pool.shutdownNow();
        }
    }
}
