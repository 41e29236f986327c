package io.tenantry.tck;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.TenantId;
import io.tenantry.spi.QuotaLedger;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The quota ledger contract catches the classic mistakes of a store-backed ledger. */
class QuotaLedgerContractCanFailTest {

    /** The mistakes a ledger below can be given. */
    enum Bug { NONE, READ_THEN_WRITE, BELOW_ZERO, INITIALISE_OVERWRITES, FORGET_BY_PREFIX, LIMIT_EXCLUSIVE }

    private static QuotaLedgerContract contract(Bug bug) {
        return new QuotaLedgerContract() {
            @Override
            protected QuotaLedger emptyLedger() {
                Map<String, Long> counts = new ConcurrentHashMap<>();
                return new QuotaLedger() {
                    private String at(TenantId tenant, String key) {
                        return tenant.value() + "\u0000" + key;
                    }

                    @Override
                    public OptionalLong get(TenantId tenant, String key) {
                        Long count = counts.get(at(tenant, key));
                        return count == null ? OptionalLong.empty() : OptionalLong.of(count);
                    }

                    @Override
                    public Map<String, Long> counts(TenantId tenant) {
                        Map<String, Long> found = new TreeMap<>();
                        counts.forEach((k, v) -> {
                            if (k.startsWith(tenant.value() + "\u0000")) {
                                found.put(k.substring(tenant.value().length() + 1), v);
                            }
                        });
                        return found;
                    }

                    @Override
                    public long initialise(TenantId tenant, String key, long value) {
                        if (value < 0) {
                            throw new IllegalArgumentException("negative");
                        }
                        if (bug == Bug.INITIALISE_OVERWRITES) {
                            counts.put(at(tenant, key), value);
                            return value;
                        }
                        return counts.merge(at(tenant, key), value, (held, ignored) -> held);
                    }

                    @Override
                    public OptionalLong tryAdd(TenantId tenant, String key, long amount, long limit) {
                        if (amount < 0) {
                            throw new IllegalArgumentException("negative");
                        }
                        if (!counts.containsKey(at(tenant, key))) {
                            throw new IllegalStateException("not initialised");
                        }
                        if (bug == Bug.READ_THEN_WRITE) {
                            // the count is read, then written, in two steps: lets the others in between
                            long held = counts.get(at(tenant, key));
                            if (held + amount > limit) {
                                return OptionalLong.empty();
                            }
                            sleepBriefly();
                            counts.put(at(tenant, key), held + amount);
                            return OptionalLong.of(held + amount);
                        }
                        boolean[] added = {false};
                        long count = counts.computeIfPresent(at(tenant, key), (k, held) -> {
                            added[0] = bug == Bug.LIMIT_EXCLUSIVE ? held + amount < limit : held + amount <= limit;
                            return added[0] ? held + amount : held;
                        });
                        return added[0] ? OptionalLong.of(count) : OptionalLong.empty();
                    }

                    @Override
                    public OptionalLong add(TenantId tenant, String key, long delta) {
                        Long count = counts.computeIfPresent(at(tenant, key),
                                (k, held) -> bug == Bug.BELOW_ZERO ? held + delta : Math.max(0, held + delta));
                        return count == null ? OptionalLong.empty() : OptionalLong.of(count);
                    }

                    @Override
                    public boolean compareAndSet(TenantId tenant, String key, long expected, long value) {
                        return counts.replace(at(tenant, key), expected, value);
                    }

                    @Override
                    public void forget(TenantId tenant) {
                        counts.keySet().removeIf(k -> bug == Bug.FORGET_BY_PREFIX ? k.startsWith(tenant.value())
                                : k.startsWith(tenant.value() + "\u0000"));
                    }
                };
            }
        };
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    @DisplayName("the mistake-free ledger below passes, so each failure below is the mistake's")
    void theLedgerWithoutMistakesPasses() throws Exception {
        QuotaLedgerContract contract = contract(Bug.NONE);
        contract.initialisesOnce();
        contract.addsUpToTheLimit();
        contract.addsEitherWayDownToZero();
        contract.comparesAndSets();
        contract.keepsTenantsApart();
        contract.concurrentAddsNeverPassTheLimit();
    }

    @Test
    @DisplayName("catches an add under a limit that reads, then writes, in two steps")
    void catchesANonAtomicAdd() {
        assertThatThrownBy(contract(Bug.READ_THEN_WRITE)::concurrentAddsNeverPassTheLimit)
                .isInstanceOf(AssertionError.class);
    }

    @Test
    @DisplayName("catches a count that goes below zero")
    void catchesANegativeCount() {
        assertThatThrownBy(contract(Bug.BELOW_ZERO)::addsEitherWayDownToZero).isInstanceOf(AssertionError.class);
    }

    @Test
    @DisplayName("catches an initialisation that overwrites a count")
    void catchesAnOverwritingInitialisation() {
        assertThatThrownBy(contract(Bug.INITIALISE_OVERWRITES)::initialisesOnce).isInstanceOf(AssertionError.class);
    }

    @Test
    @DisplayName("catches a forget that removes tenants whose ids the forgotten one is a prefix of")
    void catchesAForgetByPrefix() {
        assertThatThrownBy(contract(Bug.FORGET_BY_PREFIX)::keepsTenantsApart).isInstanceOf(AssertionError.class);
    }

    @Test
    @DisplayName("catches a limit treated as exclusive")
    void catchesAnExclusiveLimit() {
        assertThatThrownBy(contract(Bug.LIMIT_EXCLUSIVE)::addsUpToTheLimit).isInstanceOf(AssertionError.class);
    }
}
