package io.tenantry.spring.metering;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tenantry.Placement;
import io.tenantry.TenantId;
import io.tenantry.TenantUsage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The usage gauges keep a bounded number of series, however many tenants there are and however they grow. */
class MeteringGaugesTest {

    private static final Instant AT = Instant.parse("2026-11-30T12:00:00Z");

    /** Usage of tenants t1..tn, each tenant i with i * 10 items and {@code bytes[i - 1]} bytes. */
    private static Map<TenantId, TenantUsage> usage(long... bytes) {
        Map<TenantId, TenantUsage> usage = new LinkedHashMap<>();
        for (int i = 1; i <= bytes.length; i++) {
            TenantId tenant = TenantId.of("t" + i);
            usage.put(tenant, new TenantUsage(tenant, Placement.field("main", "app"),
                    Map.of("cards", new TenantUsage.Resource(i * 10L, bytes[i - 1])), AT));
        }
        return usage;
    }

    /** Returns the value of each series of {@code name}, by its tenant tag. */
    private static Map<String, Double> series(MeterRegistry registry, String name) {
        Map<String, Double> series = new TreeMap<>();
        for (Gauge gauge : registry.find(name).gauges()) {
            series.put(gauge.getId().getTag("tenant"), gauge.value());
        }
        return series;
    }

    @Test
    @DisplayName("5 tenants, at most 2 tagged: the 2 largest by bytes and the other 3 summed, 3 series per gauge")
    void theLargestTenantsAreTaggedAndTheRestSummed() {
        MeteringSnapshot snapshot = new MeteringSnapshot();
        MeterRegistry registry = new SimpleMeterRegistry();
        new MeteringGauges(snapshot, 2).bindTo(registry);
        assertThat(registry.find(MeteringGauges.BYTES).gauges()).as("nothing measured yet").isEmpty();

        snapshot.update(usage(500, 100, 900, 300, 700), AT);
        assertThat(series(registry, MeteringGauges.BYTES))
                .containsExactlyEntriesOf(new TreeMap<>(Map.of("other", 900.0, "t3", 900.0, "t5", 700.0)));
        assertThat(series(registry, MeteringGauges.ITEMS))
                .containsExactlyEntriesOf(new TreeMap<>(Map.of("other", 70.0, "t3", 30.0, "t5", 50.0)));

        snapshot.update(usage(5_000, 100, 900, 300, 700), AT.plusSeconds(60));
        assertThat(series(registry, MeteringGauges.BYTES)).as("t1 grew past t5, whose series is gone")
                .containsExactlyEntriesOf(new TreeMap<>(Map.of("other", 1_100.0, "t1", 5_000.0, "t3", 900.0)));
        assertThat(registry.getMeters()).hasSize(6);
    }

    @Test
    @DisplayName("fewer tenants than the limit: no other series; a limit of 0: one series in all")
    void edgesOfTheLimit() {
        MeteringSnapshot snapshot = new MeteringSnapshot();
        MeterRegistry few = new SimpleMeterRegistry();
        MeterRegistry none = new SimpleMeterRegistry();
        new MeteringGauges(snapshot, 100).bindTo(few);
        new MeteringGauges(snapshot, 0).bindTo(none);
        snapshot.update(usage(1, 2, 3), AT);
        assertThat(series(few, MeteringGauges.BYTES)).containsOnlyKeys("t1", "t2", "t3");
        assertThat(series(none, MeteringGauges.BYTES)).containsExactlyEntriesOf(Map.of("other", 6.0));
    }

    @Test
    @DisplayName("ties in bytes go to the smaller id, so the tagged set does not flap between runs")
    void tiesAreBrokenById() {
        assertThat(MeteringGauges.rows(usage(7, 7, 7).values(), 1)).containsOnlyKeys("t1", "other");
    }

    @Test
    @DisplayName("a registry bound after a measurement gets the latest values at once")
    void aLateRegistryGetsTheLatestValues() {
        MeteringSnapshot snapshot = new MeteringSnapshot();
        MeteringGauges gauges = new MeteringGauges(snapshot, 1);
        snapshot.update(usage(10, 20), AT);
        MeterRegistry registry = new SimpleMeterRegistry();
        gauges.bindTo(registry);
        assertThat(series(registry, MeteringGauges.BYTES)).containsExactlyEntriesOf(
                new TreeMap<>(Map.of("other", 10.0, "t2", 20.0)));
    }
}
