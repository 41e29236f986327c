package io.tenantry.spring.audit;

import io.tenantry.spi.AuditLog;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Purges the events of an {@link AuditLog} older than the retention, on a daemon thread of its own: once when
 * the context has started, then every interval; a retention of 0 keeps every event. A purge that fails is logged and tried again at the next
 * interval; it never stops the application. Several instances purging the same store is harmless: a purge
 * removes only old events.
 */
final class AuditRetention implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(AuditRetention.class);

    private final AuditLog log;
    private final Duration retention;
    private final Duration interval;
    private @Nullable ScheduledExecutorService scheduler;

    AuditRetention(AuditLog log, Duration retention, Duration interval) {
        this.log = log;
        this.retention = retention;
        this.interval = interval;
    }

    /**
     * Removes the events older than the retention; returns how many, or -1 if the store failed (logged). A
     * retention of 0 keeps every event: nothing is removed.
     */
    long purge() {
        if (retention.isZero()) {
            return 0;
        }
        try {
            long removed = log.purgeOlderThan(retention);
            if (removed > 0) {
                LOG.info("Purged {} audit events older than {} from {}", removed, retention, log);
            }
            return removed;
        } catch (RuntimeException e) {
            LOG.warn("Could not purge the audit events older than {} from {}; trying again in {}: {}", retention, log,
                    interval, e.toString());
            return -1;
        }
    }

    /** Starts the schedule, unless the retention is 0 (every event is kept). */
    @Override
    public synchronized void start() {
        if (scheduler == null && !retention.isZero()) {
            scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "tenantry-audit-retention");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.scheduleWithFixedDelay(this::purge, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
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
        return "AuditRetention(" + log + ", retention " + retention + ", every " + interval + ")";
    }
}
