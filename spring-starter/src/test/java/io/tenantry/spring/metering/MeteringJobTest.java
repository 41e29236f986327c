package io.tenantry.spring.metering;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantMetering;
import io.tenantry.TenantRouter;
import io.tenantry.TenantStatus;
import io.tenantry.TenantUsage;
import io.tenantry.spi.UsageHistory;
import io.tenantry.spi.UsageMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What one metering run does with its measurements, and with the failures of meters and of the history. */
class MeteringJobTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId BRAVO = TenantId.of("bravo");
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final Instant EVER = Instant.EPOCH;
    private static final Instant NEVER = NOW.plusSeconds(86_400);

    private final TenantDirectory directory = TenantDirectory.inMemory(Tenant.builder(ACME).build(),
            Tenant.builder(BRAVO).build());
    /** Tenants whose measurement fails. */
    private final Set<TenantId> broken = ConcurrentHashMap.newKeySet();
    private final AtomicLong measurements = new AtomicLong();
    private final MeteringSnapshot snapshot = new MeteringSnapshot();
    private final UsageMeter meter = new UsageMeter() {
        @Override
        public boolean serves(Placement placement) {
            return true;
        }

        @Override
        public TenantUsage measure(TenantId tenant, Placement placement) {
            if (broken.contains(tenant)) {
                throw new IllegalStateException("cluster down");
            }
            return new TenantUsage(tenant, placement, Map.of("cards",
                    new TenantUsage.Resource(measurements.incrementAndGet(), 10)), NOW);
        }
    };

    private MeteringJob job(UsageHistory history, Duration retention) {
        TenantMetering metering = TenantMetering.builder(directory, TenantRouter.builder()
                .otherwise(Placement.field("main", "app")).build()).meter(meter).build();
        return new MeteringJob(metering, directory, snapshot, history, null, 2, Duration.ZERO,
                Duration.ofMinutes(15), retention, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    @DisplayName("a tenant whose measurement failed keeps its previous one and records none; a deleted one leaves")
    void failedAndDeletedTenants() {
        UsageHistory history = UsageHistory.inMemory();
        MeteringJob job = job(history, Duration.ZERO);
        job.run();
        TenantUsage bravoFirst = snapshot.usage(BRAVO).orElseThrow();

        broken.add(BRAVO);
        job.run();
        assertThat(snapshot.usage(BRAVO)).contains(bravoFirst);
        assertThat(history.find(BRAVO, EVER, NEVER, 10)).containsExactly(bravoFirst);
        assertThat(history.find(ACME, EVER, NEVER, 10)).hasSize(2);

        directory.update(directory.require(BRAVO).toBuilder().status(TenantStatus.DELETED).build());
        job.run();
        assertThat(snapshot.all()).containsOnlyKeys(ACME);
    }

    @Test
    @DisplayName("each run purges what is past the retention; a retention of 0 keeps every measurement")
    void retention() {
        UsageHistory history = UsageHistory.inMemory();
        for (int days : new int[] {91, 89}) {
            history.record(new TenantUsage(ACME, Placement.field("main", "app"), Map.of(),
                    NOW.minus(Duration.ofDays(days))));
        }
        job(history, Duration.ZERO).run();
        assertThat(history.find(ACME, EVER, NEVER, 10)).hasSize(3);
        job(history, Duration.ofDays(90)).run();
        assertThat(history.find(ACME, EVER, NEVER, 10)).extracting(TenantUsage::measuredAt)
                .containsExactly(NOW.minus(Duration.ofDays(89)), NOW, NOW);
    }

    @Test
    @DisplayName("a history that fails does not keep the snapshot from being updated")
    void aFailingHistory() {
        UsageHistory failing = new UsageHistory() {
            @Override
            public void record(TenantUsage usage) {
                throw new IllegalStateException("control plane refused");
            }

            @Override
            public List<TenantUsage> find(TenantId tenant, Instant from, Instant to, int limit) {
                return List.of();
            }

            @Override
            public long purge(Instant cutoff) {
                throw new IllegalStateException("control plane refused");
            }
        };
        MeteringJob job = job(failing, Duration.ofDays(1));
        assertThat(job.run()).isTrue();
        assertThat(snapshot.all()).containsOnlyKeys(ACME, BRAVO);
        assertThat(snapshot.measuredAt()).contains(NOW);
    }
}
