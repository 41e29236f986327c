package io.tenantry.spi;

import io.tenantry.Placement;
import io.tenantry.TenantArchive;
import io.tenantry.TenantDigest;
import io.tenantry.TenantId;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One adapter's part in the tenant lifecycle ({@link io.tenantry.TenantLifecycle}): it provisions a
 * placement, and copies, measures and erases one tenant's data at a placement, whichever tenant is bound
 * (these are operator actions, run outside any tenant scope). The MongoDB and JDBC adapters implement it
 * for their stores.
 *
 * <p>Every method is idempotent, so that an operation interrupted anywhere can be run again. Implementations
 * must be thread-safe.
 *
 * <p>Export and import ({@link #export}, {@link #importArchive}) have default implementations that refuse,
 * so that a store written before them still compiles; both adapters of this project implement them.
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

    /**
     * Names the data format this store writes into archives and reads from them, recorded in each
     * manifest ({@link TenantArchive}); an import refuses an archive of another format.
     *
     * @throws UnsupportedOperationException by default
     */
    default String archiveFormat() {
        throw new UnsupportedOperationException(getClass().getName() + " does not export or import tenants.");
    }

    /**
     * Returns whether {@link #export} reads the tenant's data as of one instant (a snapshot transaction),
     * so that the tenant may stay writable while it runs. When false, the lifecycle makes the tenant
     * read-only for the export, as for a move.
     */
    default boolean readsSnapshot() {
        return false;
    }

    /**
     * Writes all of {@code tenant}'s data at {@code placement} into {@code archive}: each collection or
     * table as one resource, each document or row as one line of {@link #archiveFormat()}, streaming.
     *
     * @throws UnsupportedOperationException by default
     */
    default void export(TenantId tenant, Placement placement, ArchiveWriter archive) {
        throw new UnsupportedOperationException(getClass().getName() + " does not export tenants.");
    }

    /**
     * Writes the data of {@code archive} as {@code tenant}'s at {@code placement}, which is provisioned and
     * holds none of its data: streaming, in batches, and so that a failure leaves nothing of the import
     * behind or only what {@link #erase} removes.
     *
     * @param progress told after each batch
     * @throws io.tenantry.TenantLifecycleException if the archive does not fit the placement (a table it
     *     holds is missing there, a line is malformed)
     * @throws UnsupportedOperationException by default
     */
    default void importArchive(TenantId tenant, Placement placement, ArchiveReader archive, CopyProgress progress) {
        throw new UnsupportedOperationException(getClass().getName() + " does not import tenants.");
    }

    /** Where {@link #export} writes; given by the lifecycle. Not thread-safe: write from one thread. */
    interface ArchiveWriter {

        /**
         * Starts the next resource, finishing the one before: resources are written one after another, each
         * name once.
         *
         * @param name the collection's or table's logical name
         * @param fields for SQL, the columns in the order of each line's values; empty otherwise
         * @param indexes for MongoDB, the indexes as the tenant sees them, in Extended JSON; empty otherwise
         */
        ResourceWriter resource(String name, List<TenantArchive.Field> fields, List<String> indexes);
    }

    /** Writes one resource's items. */
    interface ResourceWriter {

        /**
         * Writes one item.
         *
         * @param line the item in the store's data format, without a line break
         * @param canonical its canonical bytes, as {@link #digest} hashes them, so that the manifest's hash
         *     equals the digest of the data exported
         */
        void item(String line, byte[] canonical);
    }

    /** What {@link #importArchive} reads; given by the lifecycle. */
    interface ArchiveReader {

        /** Returns the archive's resources, as its manifest lists them. */
        List<TenantArchive.Resource> resources();

        /** Opens one resource's lines; close it when done. */
        ResourceReader open(TenantArchive.Resource resource);
    }

    /** Reads one resource's items, one line at a time. */
    interface ResourceReader extends AutoCloseable {

        /** Returns the next line, or null at the end. */
        @Nullable String next();

        @Override
        void close();
    }

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
