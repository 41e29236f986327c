package io.tenantry.jdbc;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How far a run of {@link JdbcProvisioning#ensureAll} has come. Immutable and thread-safe.
 *
 * @param done the tenants provisioned successfully so far
 * @param failed the tenants whose provisioning failed so far
 * @param total the distinct tenants of the run
 * @param elapsed the time since the run started, never null
 * @param ratePerSecond finished tenants (done and failed) per second of {@code elapsed}; 0 before any finished
 */
public record ProvisioningProgress(int done, int failed, int total, Duration elapsed, double ratePerSecond) {

    /**
     * Checks the figures.
     *
     * @throws IllegalArgumentException if a count is negative, {@code done + failed > total}, the
     *     elapsed time is negative or the rate is negative or not a number
     */
    public ProvisioningProgress {
        Objects.requireNonNull(elapsed, "elapsed");
        if (done < 0 || failed < 0 || total < 0 || (long) done + failed > total) {
            throw new IllegalArgumentException("Inconsistent progress: " + done + " done and " + failed
                    + " failed of " + total);
        }
        if (elapsed.isNegative() || !(ratePerSecond >= 0)) {
            throw new IllegalArgumentException("Inconsistent progress: " + elapsed + " elapsed at " + ratePerSecond
                    + " tenants/s");
        }
    }

    /** Returns the tenants finished so far, successfully or not: {@code done() + failed()}. */
    public int finished() {
        return done + failed;
    }

    /** Returns whether every tenant of the run has finished. */
    public boolean complete() {
        return finished() == total;
    }

    /** Returns the figures as one line, for example {@code 120/1000 (118 done, 2 failed), 23.4 tenants/s, 5.1 s}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d/%d (%d done, %d failed), %.1f tenants/s, %.1f s", finished(), total,
                done, failed, ratePerSecond, elapsed.toMillis() / 1000.0);
    }
}
