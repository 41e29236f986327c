package io.tenantry.spring.task;

import io.tenantry.Tenant;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantFanOut;
import io.tenantry.TenantId;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job once per active tenant, for {@code @Scheduled} methods and other background work that
 * has no request to take a tenant from: core's {@link TenantFanOut}, each run bound to its own tenant,
 * at most {@code tenantry.jobs.parallelism} at a time. One tenant's failure is logged and does not
 * stop the others.
 *
 * <pre>{@code
 * @Scheduled(cron = "0 0 3 * * *")
 * void nightlyReport() {
 *     jobs.forEachTenant("nightly report", tenant -> reports.build());   // repositories see only this tenant
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class TenantJobs {

    private static final Logger LOG = LoggerFactory.getLogger(TenantJobs.class);

    private final TenantFanOut fanOut;

    /** Creates the helper over {@code directory}, running at most {@code parallelism} tenants at once. */
    public TenantJobs(TenantDirectory directory, int parallelism) {
        this.fanOut = TenantFanOut.over(Objects.requireNonNull(directory, "directory"), parallelism);
    }

    /**
     * Runs {@code job} for every active tenant, each inside its own tenant scope, and waits for all.
     * If the calling thread is interrupted, the remaining runs are cancelled and the interrupt flag is
     * kept set.
     *
     * @param name the job's name, for the log
     * @return the failures by tenant; empty when every run succeeded
     */
    public Map<TenantId, Exception> forEachTenant(String name, Consumer<Tenant> job) {
        Objects.requireNonNull(name, "name");
        try {
            Map<TenantId, Exception> failures = fanOut.forEach(job);
            failures.forEach((tenant, failure) -> LOG.error("Job '{}' failed for tenant {}", name, tenant, failure));
            return failures;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Job '{}' was interrupted; its remaining tenant runs were cancelled", name);
            return Map.of();
        }
    }
}
