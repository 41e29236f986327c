package io.tenantry;

import io.tenantry.spi.UsageMeter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Measures tenants where the directory and router place them, through each adapter's {@link UsageMeter}:
 * per collection or table, documents or rows and bytes ({@link TenantUsage}).
 *
 * <pre>{@code
 * TenantMetering metering = TenantMetering.builder(directory, router).meter(mongo.meter()).meter(jdbc.meter()).build();
 * TenantUsage acme = metering.usage(TenantId.of("acme"));
 * Map<TenantId, TenantUsage> all = metering.usageOfAll(4);
 * }</pre>
 *
 * Thread-safe.
 */
public final class TenantMetering {

    private final TenantDirectory directory;
    private final TenantRouter router;
    private final List<UsageMeter> meters;

    private TenantMetering(TenantDirectory directory, TenantRouter router, List<UsageMeter> meters) {
        this.directory = directory;
        this.router = router;
        this.meters = List.copyOf(meters);
        if (this.meters.isEmpty()) {
            throw new IllegalStateException("Metering needs at least one adapter's UsageMeter (TenantMongo.meter(),"
                    + " TenantJdbc.meter()).");
        }
    }

    /** Starts metering over {@code directory} and {@code router}. */
    public static Builder builder(TenantDirectory directory, TenantRouter router) {
        return new Builder(directory, router);
    }

    /**
     * Measures one tenant at its current placement.
     *
     * @throws UnknownTenantException if it is not in the directory
     * @throws RoutingException if no rule places it, or no meter serves its placement's store
     */
    public TenantUsage usage(TenantId tenant) {
        Placement placement = router.route(directory.require(tenant));
        return meterFor(placement).measure(tenant, placement);
    }

    /**
     * Measures every tenant of the directory but deleted ones, at most {@code parallelism} at a time.
     *
     * @return the usage by tenant, in the directory's order; tenants whose measurement failed are left out
     *     and logged
     */
    public Map<TenantId, TenantUsage> usageOfAll(int parallelism) {
        return usageOfAll(parallelism, null);
    }

    /**
     * Measures every tenant as {@link #usageOfAll(int)} does and, with {@code quotas}, reconciles each tenant's
     * quota counts with its measurement as it is taken ({@link TenantQuotas#reconcile}).
     *
     * @throws IllegalArgumentException if {@code parallelism} is less than 1
     */
    public Map<TenantId, TenantUsage> usageOfAll(int parallelism, @Nullable TenantQuotas quotas) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        List<Tenant> tenants = directory.list().stream().filter(t -> t.status() != TenantStatus.DELETED).toList();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, Math.max(1, tenants.size())), r -> {
            Thread thread = new Thread(r, "tenantry-metering-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<TenantUsage>> futures = new ArrayList<>();
            for (Tenant tenant : tenants) {
                futures.add(pool.submit(() -> quotas == null ? usage(tenant.id())
                        : quotas.reconcile(tenant.id(), () -> usage(tenant.id()))));
            }
            Map<TenantId, TenantUsage> usage = new LinkedHashMap<>();
            for (int i = 0; i < tenants.size(); i++) {
                try {
                    usage.put(tenants.get(i).id(), futures.get(i).get());
                } catch (ExecutionException e) {
                    org.slf4j.LoggerFactory.getLogger(TenantMetering.class).warn("Measuring tenant {} failed: {}",
                            tenants.get(i).id(), String.valueOf(e.getCause().getMessage()));
                }
            }
            return usage;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while measuring tenants", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private UsageMeter meterFor(Placement placement) {
        for (UsageMeter meter : meters) {
            if (meter.serves(placement)) {
                return meter;
            }
        }
        throw new RoutingException("No usage meter serves " + placement + ": add the adapter's meter"
                + " (TenantMongo.meter(), TenantJdbc.meter()), or check the placement's store name.");
    }

    /** Configures a {@link TenantMetering}. Not thread-safe. */
    public static final class Builder {
        private final TenantDirectory directory;
        private final TenantRouter router;
        private final List<UsageMeter> meters = new ArrayList<>();

        private Builder(TenantDirectory directory, TenantRouter router) {
            this.directory = Objects.requireNonNull(directory, "directory");
            this.router = Objects.requireNonNull(router, "router");
        }

        /** Adds an adapter's meter; placements go to the first meter that serves them. */
        public Builder meter(UsageMeter meter) {
            meters.add(Objects.requireNonNull(meter, "meter"));
            return this;
        }

        /** Builds it. @throws IllegalStateException if no meter was added */
        public TenantMetering build() {
            return new TenantMetering(directory, router, meters);
        }
    }
}
