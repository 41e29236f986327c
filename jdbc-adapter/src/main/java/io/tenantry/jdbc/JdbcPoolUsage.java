package io.tenantry.jdbc;

import java.util.Objects;

/**
 * The connections of one store's pools at one moment, summed over all the HikariCP pools Tenantry
 * has open on it: one per shared database, one per tenant database in use. One figure per store,
 * never per tenant, so that a metric tagged with the store keeps as many time series as there are
 * stores, however many tenant databases there are. The figures are read one pool after another
 * while connections come and go, so they need not add up exactly. Immutable and thread-safe.
 *
 * @param store the store's name, never null
 * @param pools the pools open on the store
 * @param active connections on loan now
 * @param idle connections open and waiting in the pools
 * @param total connections open, on loan or not
 * @param pending threads waiting for a connection of one of the pools
 * @param maximum the most connections the open pools may hold together, each at most its store's
 *     {@link JdbcStore#maximumPoolSize()}; the connection budget ({@link TenantJdbc#connectionBudget()})
 *     may allow fewer
 */
public record JdbcPoolUsage(String store, int pools, int active, int idle, int total, int pending, int maximum) {

    /**
     * Checks the figures.
     *
     * @throws NullPointerException if {@code store} is null
     * @throws IllegalArgumentException if a figure is negative
     */
    public JdbcPoolUsage {
        Objects.requireNonNull(store, "store");
        if (pools < 0 || active < 0 || idle < 0 || total < 0 || pending < 0 || maximum < 0) {
            throw new IllegalArgumentException("Negative pool figures for store \"" + store + "\": " + pools
                    + " pools, " + active + " active, " + idle + " idle, " + total + " total, " + pending
                    + " pending, " + maximum + " maximum");
        }
    }
}
