package io.tenantry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Runs a job once per tenant (a nightly report, a per-tenant migration), each run bound to its own
 * tenant, at most {@code parallelism} at a time. One tenant's failure does not stop the others; the
 * failures are returned by tenant. Only {@link TenantStatus#ACTIVE} tenants are visited unless a
 * filter says otherwise. Thread-safe; each call uses its own short-lived pool.
 */
public final class TenantFanOut {

    private final TenantDirectory directory;
    private final int parallelism;
    private final Predicate<Tenant> filter;

    private TenantFanOut(TenantDirectory directory, int parallelism, Predicate<Tenant> filter) {
        this.directory = directory;
        this.parallelism = parallelism;
        this.filter = filter;
    }

    /**
     * Returns a fan-out over the active tenants of {@code directory}.
     *
     * @param parallelism the most tenants processed at once, at least 1
     */
    public static TenantFanOut over(TenantDirectory directory, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        return new TenantFanOut(Objects.requireNonNull(directory, "directory"), parallelism,
                tenant -> tenant.status() == TenantStatus.ACTIVE);
    }

    /** Returns a fan-out that visits only the tenants {@code filter} accepts (instead of the active ones). */
    public TenantFanOut filter(Predicate<Tenant> filter) {
        return new TenantFanOut(directory, parallelism, Objects.requireNonNull(filter, "filter"));
    }

    /**
     * Runs {@code job} for every selected tenant, each inside its own tenant scope, and waits.
     *
     * @return the failures by tenant; empty when all succeeded
     * @throws InterruptedException if interrupted while waiting (the remaining runs are cancelled)
     */
    public Map<TenantId, Exception> forEach(Consumer<Tenant> job) throws InterruptedException {
        Objects.requireNonNull(job, "job");
        List<Tenant> tenants = new ArrayList<>();
        for (Tenant tenant : directory.list()) {
            if (filter.test(tenant)) {
                tenants.add(tenant);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, Math.max(1, tenants.size())));
        try {
            Map<TenantId, Future<?>> runs = new LinkedHashMap<>();
            for (Tenant tenant : tenants) {
                runs.put(tenant.id(), pool.submit(() -> TenantContext.runAs(tenant.id(), () -> job.accept(tenant))));
            }
            Map<TenantId, Exception> failures = new LinkedHashMap<>();
            for (Map.Entry<TenantId, Future<?>> run : runs.entrySet()) {
                try {
                    run.getValue().get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    failures.put(run.getKey(), cause instanceof Exception ? (Exception) cause : e);
                }
            }
            return failures;
        } finally {
            pool.shutdownNow();
        }
    }
}
