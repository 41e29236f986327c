package io.tenantry.tck;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.AuditEvent;
import io.tenantry.AuditQuery;
import io.tenantry.spi.AuditLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The audit log contract catches the classic mistakes of a store-backed log. */
class AuditLogContractCanFailTest {

    /** A log whose find and purge are given, over an unsynchronised list (the concurrency bug). */
    private static AuditLogContract contract(UnaryOperator<AuditQuery> queryBug, Comparator<AuditEvent> order,
            boolean purgeInclusive) {
        return new AuditLogContract() {
            @Override
            protected AuditLog emptyLog() {
                List<AuditEvent> events = new ArrayList<>();
                return new AuditLog() {
                    @Override
                    public void record(AuditEvent event) {
                        events.add(event);
                    }

                    @Override
                    public List<AuditEvent> find(AuditQuery asked) {
                        AuditQuery query = queryBug.apply(asked);
                        List<AuditEvent> copy = new ArrayList<>(events);
                        Collections.reverse(copy);
                        return copy.stream().sorted(order).filter(query::matches).limit(query.limit()).toList();
                    }

                    @Override
                    public long purge(Instant before) {
                        int size = events.size();
                        events.removeIf(e -> purgeInclusive ? !e.at().isAfter(before) : e.at().isBefore(before));
                        return size - events.size();
                    }
                };
            }
        };
    }

    private static final Comparator<AuditEvent> NEWEST_FIRST = Comparator.comparing(AuditEvent::at).reversed();

    @Test
    @DisplayName("catches a log that ignores the tenant of a query")
    void catchesAnIgnoredTenant() {
        AuditLogContract contract = contract(q -> AuditQuery.all().limit(q.limit()), NEWEST_FIRST, false);
        assertThatThrownBy(contract::findsOneTenantsEventsOnly).isInstanceOf(AssertionError.class)
                .hasMessageContaining("bravo created");
    }

    @Test
    @DisplayName("catches a log that returns the oldest events first")
    void catchesOldestFirst() {
        AuditLogContract contract = contract(q -> q, Comparator.comparing(AuditEvent::at), false);
        assertThatThrownBy(contract::limitKeepsTheNewest).isInstanceOf(AssertionError.class);
        assertThatThrownBy(contract::findsByTimeWindow).isInstanceOf(AssertionError.class);
    }

    @Test
    @DisplayName("catches a purge that also removes the events at its time")
    void catchesAnInclusivePurge() {
        AuditLogContract contract = contract(q -> q, NEWEST_FIRST, true);
        assertThatThrownBy(contract::purgeRemovesOnlyOlderEvents).isInstanceOf(AssertionError.class);
    }

    @Test
    @DisplayName("catches a log that loses events recorded concurrently")
    void catchesLostEvents() {
        AuditLogContract contract = new AuditLogContract() {
            @Override
            protected AuditLog emptyLog() {
                return new DropsEveryHundredth();
            }
        };
        assertThatThrownBy(contract::concurrentRecordingLosesNothing).isInstanceOf(AssertionError.class);
    }

    @Test
    @DisplayName("catches a log that is not the sink of TenantContext's system scopes")
    void catchesAMissingSystemScope() {
        AuditLogContract contract = new AuditLogContract() {
            @Override
            protected AuditLog emptyLog() {
                AuditLog log = AuditLog.inMemory();
                return new AuditLog() {
                    @Override
                    public void record(AuditEvent event) {
                        if (event.kind() != AuditEvent.Kind.SYSTEM_SCOPE_CLOSED) {
                            log.record(event);
                        }
                    }

                    @Override
                    public List<AuditEvent> find(AuditQuery query) {
                        return log.find(query);
                    }

                    @Override
                    public long purge(Instant before) {
                        return log.purge(before);
                    }
                };
            }
        };
        assertThatThrownBy(contract::storesSystemScopesOfTheTenantContext).isInstanceOf(AssertionError.class)
                .hasMessageContaining("SYSTEM_SCOPE_CLOSED");
    }

    /** Deterministic loss, so the test does not depend on a race: one event in a hundred is dropped. */
    private static final class DropsEveryHundredth implements AuditLog {
        private final AuditLog log = AuditLog.inMemory();
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public void record(AuditEvent event) {
            if (count.incrementAndGet() % 100 != 0) {
                log.record(event);
            }
        }

        @Override
        public List<AuditEvent> find(AuditQuery query) {
            return log.find(query);
        }

        @Override
        public long purge(Instant before) {
            return log.purge(before);
        }
    }
}
