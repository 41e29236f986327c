package io.tenantry.spi;

import io.tenantry.Placement;
import io.tenantry.TenantDigest;
import io.tenantry.TenantId;

/**
 * One adapter's part in the tenant lifecycle ({@link io.tenantry.TenantLifecycle}): it provisions a
 * placement, and copies, measures and erases one tenant's data at a placement, whichever tenant is bound
 * (these are operator actions, run outside any tenant scope). The MongoDB and JDBC adapters implement it
 * for their stores.
 *
 * <p>Every method is idempotent, so that an operation interrupted anywhere can be run again. Implementations
 * must be thread-safe.
 */
public interface TenantDataStore {

    /** Returns whether {@code placement} is on one of this adapter's stores. */
    boolean serves(Placement placement);

    /** Creates what {@code tenant} needs at {@code placement}: databases, schemas, collections, indexes, migrations. */
    void provision(TenantId tenant, Placement placement);

    /**
     * Copies all of {@code tenant}'s data at {@code from} to {@code to}, where it has none, in batches and
     * with a memory footprint that does not grow with the tenant's size.
     *
     * @param progress told after each batch
     */
    void copy(TenantId tenant, Placement from, Placement to, CopyProgress progress);

    /** Returns the digest of {@code tenant}'s data at {@code placement}, read in order-independent batches. */
    TenantDigest digest(TenantId tenant, Placement placement);

    /**
     * Removes all of {@code tenant}'s data at {@code placement}: its rows and documents in shared tables and
     * collections, its own collections, schema, role or database. Leaves every other tenant's data alone.
     */
    void erase(TenantId tenant, Placement placement);

    /** Told as a copy goes. */
    @FunctionalInterface
    interface CopyProgress {

        /**
         * Reports one more batch.
         *
         * @param resource the collection or table the batch belongs to
         * @param items how many documents or rows it held
         * @param bytes about how many bytes they took
         */
        void copied(String resource, long items, long bytes);
    }
}
