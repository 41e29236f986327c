package io.tenantry.tck;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.TenantId;
import io.tenantry.TenantUsage;
import io.tenantry.spi.UsageHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The usage history contract catches the classic mistakes of a store-backed history. */
class UsageHistoryContractCanFailTest {

    /** The mistakes a history below can be given. */
    enum Bug { NONE, TENANT_PREFIX, OLDEST_WITHIN_LIMIT, END_INCLUDED, PURGE_INCLUSIVE, NEWEST_FIRST }

    private static UsageHistoryContract contract(Bug bug) {
        return new UsageHistoryContract() {
            @Override
            protected UsageHistory emptyHistory() {
                List<TenantUsage> kept = new ArrayList<>();
                return new UsageHistory() {
                    @Override
                    public void record(TenantUsage usage) {
                        kept.add(usage);
                    }

                    @Override
                    public List<TenantUsage> find(TenantId tenant, Instant from, Instant to, int limit) {
                        if (to.isBefore(from) || limit < 1 || limit > MAX_LIMIT) {
                            throw new IllegalArgumentException("refused");
                        }
                        List<TenantUsage> found = kept.stream()
                                .filter(u -> bug == Bug.TENANT_PREFIX ? u.tenant().value().startsWith(tenant.value())
                                        : u.tenant().equals(tenant))
                                .filter(u -> !u.measuredAt().isBefore(from)
                                        && (bug == Bug.END_INCLUDED ? !u.measuredAt().isAfter(to) : u.measuredAt().isBefore(to)))
                                .sorted(bug == Bug.NEWEST_FIRST ? Comparator.comparing(TenantUsage::measuredAt).reversed()
                                        : Comparator.comparing(TenantUsage::measuredAt))
                                .toList();
                        return bug == Bug.OLDEST_WITHIN_LIMIT || bug == Bug.NEWEST_FIRST
                                ? found.subList(0, Math.min(limit, found.size()))
                                : found.subList(Math.max(0, found.size() - limit), found.size());
                    }

                    @Override
                    public long purge(Instant cutoff) {
                        int size = kept.size();
                        kept.removeIf(u -> bug == Bug.PURGE_INCLUSIVE ? !u.measuredAt().isAfter(cutoff)
                                : u.measuredAt().isBefore(cutoff));
                        return size - kept.size();
                    }
                };
            }
        };
    }

    @Test
    @DisplayName("the mistake-free history below passes, so each failure below is the mistake's")
    void theHistoryWithoutMistakesPasses() {
        UsageHistoryContract contract = contract(Bug.NONE);
        contract.keepsEveryField();
        contract.findsOneTenantsMeasurementsOnly();
        contract.theWindowIncludesItsStartAndExcludesItsEnd();
        contract.oldestFirstAndTheLatestWithinTheLimit();
        contract.sameTimeInRecordingOrder();
        contract.aPurgeRemovesExactlyTheOlderMeasurements();
    }

    @Test
    @DisplayName("catches a history that matches tenant ids by prefix (LIKE 'acme%')")
    void catchesAPrefixMatch() {
        assertThatThrownBy(contract(Bug.TENANT_PREFIX)::findsOneTenantsMeasurementsOnly)
                .isInstanceOf(AssertionError.class);
    }

    @Test
    @DisplayName("catches a history that keeps the oldest measurements within the limit, or sorts newest first")
    void catchesTheWrongEndOfTheLimit() {
        assertThatThrownBy(contract(Bug.OLDEST_WITHIN_LIMIT)::oldestFirstAndTheLatestWithinTheLimit)
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(contract(Bug.NEWEST_FIRST)::oldestFirstAndTheLatestWithinTheLimit)
                .isInstanceOf(AssertionError.class);
    }

    @Test
    @DisplayName("catches a window that includes its end, and a purge that removes measurements at its time")
    void catchesOffByOneBounds() {
        assertThatThrownBy(contract(Bug.END_INCLUDED)::theWindowIncludesItsStartAndExcludesItsEnd)
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(contract(Bug.PURGE_INCLUSIVE)::aPurgeRemovesExactlyTheOlderMeasurements)
                .isInstanceOf(AssertionError.class);
    }
}
