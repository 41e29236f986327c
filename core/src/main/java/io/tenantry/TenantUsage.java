package io.tenantry;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one tenant's data amounts to at its placement, per collection or table, as its adapter measured it
 * ({@link io.tenantry.spi.UsageMeter}). Immutable.
 *
 * <p>{@code bytes} means what the model can attribute to the tenant alone: on the per-tenant models
 * (COLLECTION, schema per tenant, DATABASE) the storage its own collections or tables take (MongoDB:
 * {@code collStats} {@code size}, the documents' BSON bytes; PostgreSQL: {@code pg_total_relation_size},
 * with indexes and TOAST); on the shared model the size of its own documents or rows (BSON bytes; the sum
 * of {@code pg_column_size} of its rows), indexes of shared tables not apportioned.
 *
 * @param tenant the tenant measured
 * @param placement where it was measured
 * @param resources per collection or table, sorted by name; resources without items may be listed
 * @param measuredAt when the measurement finished
 */
public record TenantUsage(TenantId tenant, Placement placement, Map<String, Resource> resources, Instant measuredAt) {

    /**
     * One collection's or table's part.
     *
     * @param items documents or rows
     * @param bytes bytes, as the class description says
     */
    public record Resource(long items, long bytes) {

        public Resource {
            if (items < 0 || bytes < 0) {
                throw new IllegalArgumentException("items and bytes must not be negative, were " + items + " and "
                        + bytes);
            }
        }
    }

    public TenantUsage {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(measuredAt, "measuredAt");
        resources = Collections.unmodifiableMap(new TreeMap<>(resources));
    }

    /** Returns the documents or rows over all resources. */
    public long totalItems() {
        return resources.values().stream().mapToLong(Resource::items).sum();
    }

    /** Returns the bytes over all resources. */
    public long totalBytes() {
        return resources.values().stream().mapToLong(Resource::bytes).sum();
    }

    /** Returns the items of {@code resource}, 0 when it has none or is not there. */
    public long items(String resource) {
        Resource r = resources.get(resource);
        return r == null ? 0 : r.items();
    }
}
