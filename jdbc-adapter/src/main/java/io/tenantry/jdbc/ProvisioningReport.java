package io.tenantry.jdbc;

import io.tenantry.TenantId;
import io.tenantry.TenantLifecycleException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of {@link JdbcProvisioning#ensureAll}: which tenants were provisioned and, by tenant,
 * why the others failed. Each tenant of the run is in exactly one of {@link #succeeded()} and
 * {@link #failures()}, both in the order the tenants were given. Created by Tenantry only; immutable
 * (the exceptions aside) and thread-safe. Never null, nor anything it returns.
 */
public final class ProvisioningReport {

    /** How many failures {@link #throwIfFailed()} names in its message. */
    private static final int NAMED_FAILURES = 3;

    private final int total;
    private final List<TenantId> succeeded;
    private final Map<TenantId, RuntimeException> failures;
    private final Duration elapsed;

    ProvisioningReport(List<TenantId> succeeded, Map<TenantId, RuntimeException> failures, Duration elapsed) {
        this.succeeded = List.copyOf(succeeded);
        this.failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
        this.elapsed = Objects.requireNonNull(elapsed, "elapsed");
        this.total = succeeded.size() + failures.size();
    }

    /** Returns the number of distinct tenants in the run. */
    public int total() {
        return total;
    }

    /** Returns the tenants provisioned successfully, unmodifiable. */
    public List<TenantId> succeeded() {
        return succeeded;
    }

    /** Returns, by tenant, what provisioning it threw; unmodifiable, empty when all succeeded. */
    public Map<TenantId, RuntimeException> failures() {
        return failures;
    }

    /** Returns how long the run took. */
    public Duration elapsed() {
        return elapsed;
    }

    /** Returns whether every tenant was provisioned. */
    public boolean allSucceeded() {
        return failures.isEmpty();
    }

    /**
     * Does nothing if every tenant was provisioned, and otherwise throws.
     *
     * @throws TenantLifecycleException naming the number of failed tenants and the first few with their
     *     errors; the first failure is its cause, the next few are suppressed exceptions
     */
    public void throwIfFailed() {
        if (failures.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder("Provisioning failed for ").append(failures.size()).append(" of ")
                .append(total).append(failures.size() == 1 ? " tenant: " : " tenants: ");
        int named = 0;
        for (Map.Entry<TenantId, RuntimeException> failure : failures.entrySet()) {
            if (named == NAMED_FAILURES) {
                message.append("; and ").append(failures.size() - named).append(" more");
                break;
            }
            message.append(named == 0 ? "" : "; ").append('"').append(failure.getKey()).append("\": ")
                    .append(describe(failure.getValue()));
            named++;
        }
        message.append(". Fix the cause and run ensureAll again for those tenants; the others are unaffected.");
        TenantLifecycleException summary = new TenantLifecycleException(message.toString(),
                failures.values().iterator().next());
        failures.values().stream().skip(1).limit(NAMED_FAILURES - 1).forEach(summary::addSuppressed);
        throw summary;
    }

    private static String describe(RuntimeException error) {
        return error.getMessage() != null ? error.getMessage() : error.getClass().getName();
    }

    @Override
    public String toString() {
        return "ProvisioningReport(" + succeeded.size() + " of " + total + " succeeded, failed " + failures.keySet()
                + ", " + elapsed.toMillis() + " ms)";
    }
}
