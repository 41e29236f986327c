package io.tenantry.spring.jdbc;

import io.tenantry.jdbc.JdbcStore;
import java.util.Map;

/**
 * The PostgreSQL stores built from {@code tenantry.jdbc.stores} (or the control plane's server as
 * "main"), by name. Immutable.
 *
 * @param stores the stores
 * @param derived whether the single store "main" was derived from the control plane
 */
record JdbcStores(Map<String, JdbcStore> stores, boolean derived) {

    JdbcStores {
        stores = Map.copyOf(stores);
    }
}
