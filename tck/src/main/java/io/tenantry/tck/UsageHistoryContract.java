package io.tenantry.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.Placement;
import io.tenantry.TenantId;
import io.tenantry.TenantUsage;
import io.tenantry.TenantUsage.Resource;
import io.tenantry.spi.UsageHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The usage history contract: a {@link UsageHistory} keeps every measurement it records, field for field,
 * and answers by tenant and time window, oldest first, the latest ones within the limit; a purge removes
 * exactly the measurements before its time, of every tenant. Run it for each store with a short subclass:
 *
 * <pre>{@code
 * class ControlPlaneUsageHistoryTest extends UsageHistoryContract {
 *     @Override
 *     protected UsageHistory emptyHistory() {
 *         return MyUsageHistory.of(controlPlane());   // emptied for each test
 *     }
 * }
 * }</pre>
 *
 * <p>Measurement times in these tests are whole milliseconds, which every store keeps exactly.
 */
public abstract class UsageHistoryContract {

    /** An arbitrary, millisecond-aligned moment that the measurements of each test are placed around. */
    protected static final Instant T0 = Instant.parse("2024-03-05T10:00:00Z");

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId ACME1 = TenantId.of("acme1");
    private static final TenantId BRAVO = TenantId.of("bravo");
    private static final Placement SHARED = Placement.field("main", "app");
    private static final Instant EVER = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant NEVER = Instant.parse("2999-01-01T00:00:00Z");

    /**
     * Returns a history that holds no measurement yet, for one test: a new table or collection, or one
     * emptied. Called once at the start of each test.
     */
    protected abstract UsageHistory emptyHistory();

    /** Returns a measurement of {@code tenant} on the shared model at {@code T0 + seconds}, of {@code items} cards. */
    protected static TenantUsage usage(TenantId tenant, long seconds, long items) {
        return new TenantUsage(tenant, SHARED, Map.of("cards", new Resource(items, items * 100)),
                T0.plusSeconds(seconds));
    }

    private static List<Long> cards(List<TenantUsage> found) {
        return found.stream().map(u -> u.items("cards")).toList();
    }

    @Test
    @DisplayName("every field of a measurement is kept: placement, each resource, odd resource names, none at all")
    void keepsEveryField() {
        UsageHistory history = emptyHistory();
        TenantUsage full = new TenantUsage(ACME, Placement.database("dedicated", "cv_"), Map.of("cards",
                new Resource(3, 12_288), "empty", new Resource(0, 0), "odd \"name\".with\\dots \u00e9\u2713",
                new Resource(Long.MAX_VALUE / 4, 1L << 40)), T0.plusMillis(1));
        TenantUsage bare = new TenantUsage(ACME, Placement.collection("main", "shared"), Map.of(), T0.plusSeconds(1));
        history.record(full);
        history.record(bare);
        assertThat(history.find(ACME, EVER, NEVER, 10)).containsExactly(full, bare);
    }

    @Test
    @DisplayName("finds one tenant's measurements only, never those of a tenant whose id it is a prefix of")
    void findsOneTenantsMeasurementsOnly() {
        UsageHistory history = emptyHistory();
        history.record(usage(ACME, 0, 1));
        history.record(usage(ACME1, 1, 10));
        history.record(usage(BRAVO, 2, 20));
        history.record(usage(ACME, 3, 2));
        assertThat(cards(history.find(ACME, EVER, NEVER, 10))).containsExactly(1L, 2L);
        assertThat(cards(history.find(ACME1, EVER, NEVER, 10))).containsExactly(10L);
        assertThat(history.find(TenantId.of("carol"), EVER, NEVER, 10)).isEmpty();
    }

    @Test
    @DisplayName("the window includes its start and excludes its end")
    void theWindowIncludesItsStartAndExcludesItsEnd() {
        UsageHistory history = emptyHistory();
        for (int i = 0; i < 5; i++) {
            history.record(usage(ACME, i, i));
        }
        assertThat(cards(history.find(ACME, T0.plusSeconds(1), T0.plusSeconds(3), 10))).containsExactly(1L, 2L);
        assertThat(cards(history.find(ACME, T0.plusMillis(1), T0.plusMillis(3001), 10))).containsExactly(1L, 2L, 3L);
        assertThat(history.find(ACME, T0.plusSeconds(2), T0.plusSeconds(2), 10)).isEmpty();
    }

    @Test
    @DisplayName("oldest first, whatever the recording order; beyond the limit the latest ones")
    void oldestFirstAndTheLatestWithinTheLimit() {
        UsageHistory history = emptyHistory();
        for (int i : new int[] {3, 0, 4, 1, 2}) {
            history.record(usage(ACME, i * 60L, i));
        }
        assertThat(cards(history.find(ACME, EVER, NEVER, 10))).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(cards(history.find(ACME, EVER, NEVER, 2))).containsExactly(3L, 4L);
        assertThat(cards(history.find(ACME, EVER, T0.plusSeconds(150), 2))).containsExactly(1L, 2L);
        assertThat(cards(history.find(ACME, EVER, NEVER, 1))).containsExactly(4L);
    }

    @Test
    @DisplayName("measurements of the same time come in the order they were recorded")
    void sameTimeInRecordingOrder() {
        UsageHistory history = emptyHistory();
        for (long items : new long[] {5, 1, 9, 3}) {
            history.record(usage(ACME, 7, items));
        }
        assertThat(cards(history.find(ACME, EVER, NEVER, 10))).containsExactly(5L, 1L, 9L, 3L);
        assertThat(cards(history.find(ACME, EVER, NEVER, 2))).containsExactly(9L, 3L);
    }

    @Test
    @DisplayName("a purge removes every tenant's measurements before its time, and keeps the rest")
    void aPurgeRemovesExactlyTheOlderMeasurements() {
        UsageHistory history = emptyHistory();
        for (TenantId tenant : List.of(ACME, BRAVO)) {
            history.record(usage(tenant, -2 * 86_400, 1));
            history.record(usage(tenant, -1, 2));
            history.record(usage(tenant, 0, 3));
            history.record(usage(tenant, 86_400, 4));
        }
        assertThat(history.purge(T0)).isEqualTo(4);
        assertThat(history.purge(T0)).isZero();
        assertThat(cards(history.find(ACME, EVER, NEVER, 10))).containsExactly(3L, 4L);
        assertThat(cards(history.find(BRAVO, EVER, NEVER, 10))).containsExactly(3L, 4L);
        assertThat(history.purge(T0.plus(Duration.ofDays(365)))).isEqualTo(4);
        assertThat(history.find(ACME, EVER, NEVER, 10)).isEmpty();
    }

    @Test
    @DisplayName("refuses a window that ends before it starts, and a limit out of range")
    void refusesMalformedQueries() {
        UsageHistory history = emptyHistory();
        assertThatThrownBy(() -> history.find(ACME, T0, T0.minusMillis(1), 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> history.find(ACME, EVER, NEVER, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> history.find(ACME, EVER, NEVER, UsageHistory.MAX_LIMIT + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> history.record(null)).isInstanceOf(NullPointerException.class);
    }
}
