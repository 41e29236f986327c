package io.tenantry.spring.metering;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tenantry.TenantUsage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The gauges {@value #ITEMS} and {@value #BYTES}: each tenant's documents or rows and bytes at the latest
 * measurement, tagged {@code tenant}. The number of time series stays bounded whatever the number of tenants:
 * at each measurement the {@code maxTaggedTenants} largest tenants by bytes (ties by id) get their own tag
 * value, and the others are summed under {@value #OTHER}, so there are at most {@code maxTaggedTenants + 1}
 * series per gauge. A tenant that drops out of the largest loses its series at once (Micrometer's
 * {@link MultiGauge}, which removes the rows no longer present). A tenant whose id is {@value #OTHER} shares
 * that series with the rest.
 */
final class MeteringGauges implements MeterBinder {

    static final String ITEMS = "tenantry.tenant.items";
    static final String BYTES = "tenantry.tenant.bytes";
    static final String OTHER = "other";

    private final MeteringSnapshot snapshot;
    private final int maxTaggedTenants;
    /** The items and bytes gauges of each registry bound. */
    private final List<MultiGauge[]> bound = new CopyOnWriteArrayList<>();

    MeteringGauges(MeteringSnapshot snapshot, int maxTaggedTenants) {
        this.snapshot = snapshot;
        this.maxTaggedTenants = maxTaggedTenants;
        snapshot.onUpdate(this::publish);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        MultiGauge items = MultiGauge.builder(ITEMS)
                .description("Documents or rows of a tenant at the latest measurement; the smaller tenants summed"
                        + " under tenant=other")
                .register(registry);
        MultiGauge bytes = MultiGauge.builder(BYTES).baseUnit(BaseUnits.BYTES)
                .description("Bytes of a tenant's data at the latest measurement; the smaller tenants summed under"
                        + " tenant=other")
                .register(registry);
        MultiGauge[] gauges = {items, bytes};
        bound.add(gauges);
        publish(gauges, rows(snapshot.all().values(), maxTaggedTenants));
    }

    private void publish(MeteringSnapshot updated) {
        Map<String, long[]> rows = rows(updated.all().values(), maxTaggedTenants);
        for (MultiGauge[] gauges : bound) {
            publish(gauges, rows);
        }
    }

    private static synchronized void publish(MultiGauge[] gauges, Map<String, long[]> rows) {
        List<MultiGauge.Row<?>> items = new ArrayList<>();
        List<MultiGauge.Row<?>> bytes = new ArrayList<>();
        rows.forEach((tenant, value) -> {
            items.add(MultiGauge.Row.of(Tags.of("tenant", tenant), value[0]));
            bytes.add(MultiGauge.Row.of(Tags.of("tenant", tenant), value[1]));
        });
        gauges[0].register(items, true);
        gauges[1].register(bytes, true);
    }

    /**
     * Returns the tag value of each series and its items and bytes: the {@code limit} largest tenants by bytes
     * under their own ids, the rest summed under {@value #OTHER}, present only when there is a rest.
     */
    static Map<String, long[]> rows(Iterable<TenantUsage> usage, int limit) {
        List<TenantUsage> largestFirst = new ArrayList<>();
        usage.forEach(largestFirst::add);
        largestFirst.sort(Comparator.comparingLong(TenantUsage::totalBytes).reversed()
                .thenComparing(u -> u.tenant().value()));
        Map<String, long[]> rows = new LinkedHashMap<>();
        for (int i = 0; i < largestFirst.size(); i++) {
            TenantUsage tenant = largestFirst.get(i);
            String tag = i < limit ? tenant.tenant().value() : OTHER;
            long[] sum = rows.computeIfAbsent(tag, t -> new long[2]);
            sum[0] += tenant.totalItems();
            sum[1] += tenant.totalBytes();
        }
        return rows;
    }
}
