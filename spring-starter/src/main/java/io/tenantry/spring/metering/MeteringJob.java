package io.tenantry.spring.metering;

import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantMetering;
import io.tenantry.TenantQuotas;
import io.tenantry.TenantStatus;
import io.tenantry.TenantUsage;
import io.tenantry.spi.UsageHistory;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Measures every tenant on a daemon thread of its own, {@code initialDelay} after the context has started and
 * then {@code interval} after each run ends, so that runs never overlap: records each measurement in the
 * {@link UsageHistory} when there is one, reconciles each tenant's quota counts with its measurement when
 * quotas are wired, purges the history of measurements older than the retention, and
 * last updates the {@link MeteringSnapshot}, whose listeners so see a run complete. A run that fails is logged
 * and the next one goes ahead; metering never stops the application. Several instances measuring the same tenants is harmless, if wasteful: each
 * records its own measurements.
 */
final class MeteringJob implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(MeteringJob.class);

    private final TenantMetering metering;
    private final TenantDirectory directory;
    private final MeteringSnapshot snapshot;
    private final @Nullable UsageHistory history;
    private final @Nullable TenantQuotas quotas;
    private final int parallelism;
    private final Duration initialDelay;
    private final Duration interval;
    private final Duration retention;
    private final Clock clock;
    /** Held by a run, apart from the lifecycle's lock, so that stopping never waits for a run to end. */
    private final Object running = new Object();
    private @Nullable ScheduledExecutorService scheduler;

    MeteringJob(TenantMetering metering, TenantDirectory directory, MeteringSnapshot snapshot,
            @Nullable UsageHistory history, @Nullable TenantQuotas quotas, int parallelism, Duration initialDelay,
            Duration interval, Duration retention, Clock clock) {
        this.metering = metering;
        this.directory = directory;
        this.snapshot = snapshot;
        this.history = history;
        this.quotas = quotas;
        this.parallelism = parallelism;
        this.initialDelay = initialDelay;
        this.interval = interval;
        this.retention = retention;
        this.clock = clock;
    }

    /** Measures every tenant now, on the calling thread; returns false if the run failed (logged). */
    boolean run() {
        synchronized (running) {
            Map<TenantId, TenantUsage> measured;
            try {
                measured = metering.usageOfAll(parallelism, quotas);
            } catch (RuntimeException e) {
                if (!Thread.currentThread().isInterrupted()) {
                    LOG.warn("Could not measure the tenants; trying again in {}: {}", interval, e.toString());
                }
                return false;
            }
            publish(measured);
            return true;
        }
    }

    private void publish(Map<TenantId, TenantUsage> measured) {
        Map<TenantId, TenantUsage> latest = new LinkedHashMap<>(measured);
        snapshot.all().forEach((tenant, previous) -> {
            if (!latest.containsKey(tenant) && stillListed(tenant)) {
                latest.put(tenant, previous);
            }
        });
        if (history != null) {
            keep(history, measured);
        }
        snapshot.update(latest, clock.instant());
    }

    /** Whether a tenant whose measurement failed is still in the catalogue, so that it keeps its last one. */
    private boolean stillListed(TenantId tenant) {
        try {
            return directory.find(tenant).filter(t -> t.status() != TenantStatus.DELETED).isPresent();
        } catch (RuntimeException e) {
            return true;
        }
    }

    private void keep(UsageHistory history, Map<TenantId, TenantUsage> measured) {
        int failed = 0;
        RuntimeException failure = null;
        for (TenantUsage usage : measured.values()) {
            try {
                history.record(usage);
            } catch (RuntimeException e) {
                failed++;
                failure = e;
            }
        }
        if (failure != null) {
            LOG.warn("Could not keep {} of {} measurements in {}: {}", failed, measured.size(), history,
                    failure.toString());
        }
        if (!retention.isZero()) {
            try {
                long removed = history.purge(clock.instant().minus(retention));
                if (removed > 0) {
                    LOG.info("Purged {} measurements older than {} from {}", removed, retention, history);
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not purge the measurements older than {} from {}; trying again in {}: {}", retention,
                        history, interval, e.toString());
            }
        }
    }

    @Override
    public synchronized void start() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "tenantry-metering");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.scheduleWithFixedDelay(() -> {
                try {
                    run();
                } catch (RuntimeException e) {
                    LOG.warn("A metering run failed; trying again in {}: {}", interval, e.toString());
                }
            }, initialDelay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }

    @Override
    public String toString() {
        return "MeteringJob(every " + interval + ", " + (history == null ? "no history" : history) + ")";
    }
}
