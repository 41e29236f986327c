package io.tenantry.jdbc;

import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycleException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call of {@link JdbcProvisioning#ensureAll}: provisions the tenants on a pool of its own, collects
 * their outcomes as they complete, tells the listener and logs the progress, and builds the report.
 * The bookkeeping is done by the calling thread only, so it needs no locks; use an instance once.
 */
final class ProvisioningRun {

    /** The category {@link JdbcProvisioning} has always logged under, which users may have configured. */
    private static final Logger LOG = LoggerFactory.getLogger(JdbcProvisioning.class);

    /** The longest time between two progress lines. */
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Set<TenantId> tenants;
    private final ProvisioningListener listener;
    private final long start = System.nanoTime();
    private final int tenth;
    private final Set<TenantId> succeeded = new HashSet<>();
    private final Map<TenantId, RuntimeException> failures = new LinkedHashMap<>();
    private long lastLog = start;
    private int nextLog;
    private int listenerErrors;

    /** Starts the clock of a run over {@code tenants}, distinct and in the order of the report. */
    ProvisioningRun(Set<TenantId> tenants, ProvisioningListener listener) {
        this.tenants = tenants;
        this.listener = listener;
        this.tenth = Math.max(1, (tenants.size() + 9) / 10);
        this.nextLog = tenth;
    }

    /**
     * Calls {@code ensure} for each tenant, with the tenant bound in {@link TenantContext}, on at most
     * {@code parallelism} daemon threads that end with the call, and waits for all; what {@code ensure}
     * throws is the tenant's failure. If the calling thread is interrupted, the tenants not finished
     * are reported as failed and the thread's interrupt status is set again.
     */
    ProvisioningReport provision(int parallelism, Consumer<TenantId> ensure) {
        if (tenants.isEmpty()) {
            return finish();
        }
        int threads = Math.min(parallelism, tenants.size());
        LOG.info("Provisioning {} tenants, {} at a time", tenants.size(), threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads, provisioningThreads());
        try {
            CompletionService<Outcome> outcomes = new ExecutorCompletionService<>(pool);
            for (TenantId tenant : tenants) {
                outcomes.submit(() -> attempt(tenant, ensure));
            }
            while (!complete()) {
                Future<Outcome> next = outcomes.poll(nanosToNextLog(), TimeUnit.NANOSECONDS);
                if (next == null) {
                    logProgress();
                } else {
                    record(outcome(next));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandonUnfinished();
        } finally {
            pool.shutdownNow();
        }
        return finish();
    }

    private static Outcome attempt(TenantId tenant, Consumer<TenantId> ensure) {
        try {
            TenantContext.runAs(tenant, () -> ensure.accept(tenant));
            return new Outcome(tenant, null);
        } catch (RuntimeException e) {
            return new Outcome(tenant, e);
        }
    }

    private static Outcome outcome(Future<Outcome> done) throws InterruptedException {
        try {
            return done.get();
        } catch (ExecutionException e) {
            // attempt() catches every RuntimeException: only an Error gets here
            if (e.getCause() instanceof Error) {
                throw (Error) e.getCause();
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static ThreadFactory provisioningThreads() {
        AtomicInteger number = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "tenantry-provisioning-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** How one tenant's provisioning ended: {@code error} is null when it succeeded. */
    private record Outcome(TenantId tenant, @Nullable RuntimeException error) {
    }

    private boolean complete() {
        return succeeded.size() + failures.size() == tenants.size();
    }

    private long nanosToNextLog() {
        return Math.max(1, lastLog + LOG_INTERVAL_NANOS - System.nanoTime());
    }

    private void record(Outcome outcome) {
        RuntimeException error = outcome.error();
        if (error == null) {
            succeeded.add(outcome.tenant());
        } else {
            failures.put(outcome.tenant(), error);
            LOG.warn("Provisioning tenant \"{}\" failed: {}", outcome.tenant(), error.toString());
            tell(() -> listener.failed(outcome.tenant(), error));
        }
        ProvisioningProgress progress = progress();
        tell(() -> listener.progress(progress));
        if (!progress.complete() && (progress.finished() >= nextLog
                || System.nanoTime() - lastLog >= LOG_INTERVAL_NANOS)) {
            logProgress();
        }
    }

    private void logProgress() {
        ProvisioningProgress progress = progress();
        LOG.info("Provisioning tenants: {}", progress);
        lastLog = System.nanoTime();
        nextLog = (progress.finished() / tenth + 1) * tenth;
    }

    private void abandonUnfinished() {
        for (TenantId tenant : tenants) {
            if (!succeeded.contains(tenant) && !failures.containsKey(tenant)) {
                record(new Outcome(tenant, new TenantLifecycleException("Provisioning tenant \"" + tenant
                        + "\" was abandoned unfinished: the thread that called ensureAll was interrupted. Call"
                        + " ensure for it again; it may have completed meanwhile.")));
            }
        }
    }

    private ProvisioningReport finish() {
        ProvisioningProgress progress = progress();
        if (failures.isEmpty()) {
            LOG.info("Provisioning tenants finished: {}", progress);
        } else {
            LOG.warn("Provisioning tenants finished: {}; failed: {}{}", progress,
                    failures.keySet().stream().limit(10).toList(), failures.size() > 10 ? " and more" : "");
        }
        if (listenerErrors > 1) {
            LOG.warn("The provisioning listener threw {} times in all; provisioning went on.", listenerErrors);
        }
        List<TenantId> inOrder = tenants.stream().filter(succeeded::contains).toList();
        Map<TenantId, RuntimeException> failuresInOrder = new LinkedHashMap<>();
        tenants.stream().filter(failures::containsKey).forEach(t -> failuresInOrder.put(t, failures.get(t)));
        return new ProvisioningReport(inOrder, failuresInOrder, progress.elapsed());
    }

    private ProvisioningProgress progress() {
        long nanos = System.nanoTime() - start;
        int finished = succeeded.size() + failures.size();
        double rate = nanos == 0 ? 0 : finished / (nanos / 1e9);
        return new ProvisioningProgress(succeeded.size(), failures.size(), tenants.size(), Duration.ofNanos(nanos),
                rate);
    }

    private void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            if (++listenerErrors == 1) {
                LOG.warn("The provisioning listener {} threw; provisioning goes on without minding it.", listener, e);
            } else {
                LOG.debug("The provisioning listener {} threw again", listener, e);
            }
        }
    }
}
