package io.tenantry.spi;

import io.tenantry.IsolationModel;
import io.tenantry.Placement;
import io.tenantry.Tenant;

/**
 * Implemented by each adapter for each {@link IsolationModel}: turns a tenant, its placement and a
 * logical resource (collection {@code cards}, table {@code work_orders}) into a handle of type
 * {@code H} that can only ever touch that tenant's data.
 *
 * <p>Implementations must be thread-safe. They are called on every routed operation (adapters cache
 * the handles per tenant), so they should not do I/O; creating databases or indexes belongs to
 * provisioning.
 *
 * @param <H> the store's handle type, for example {@code MongoCollection<Document>}
 */
public interface IsolationStrategy<H> {

    /** Returns the model this strategy implements. */
    IsolationModel model();

    /**
     * Returns the handle for {@code tenant}'s view of {@code logicalName} at {@code placement}.
     *
     * @throws IllegalArgumentException if {@code placement} is not of {@link #model()}, or the name
     *     breaks the store's limits
     * @throws io.tenantry.RoutingException if the placement names a store the adapter does not know
     */
    H scope(Tenant tenant, Placement placement, String logicalName);
}
