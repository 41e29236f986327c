package io.tenantry.spring.actuate;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tenantry.jdbc.JdbcPoolUsage;
import io.tenantry.jdbc.TenantJdbc;
import java.util.function.ToIntFunction;

/**
 * Gauges of Tenantry's PostgreSQL pools, tagged {@code store} and summed over each store's pools (one per
 * shared database, one per tenant database in use): as many time series as stores, however many tenants.
 * Next to them, the connection budget shared by all stores, tagged {@code state} {@code used} or
 * {@code limit}. The pools are not beans, so Spring Boot's {@code hikaricp.*} and {@code jdbc.connections.*}
 * meters do not see them.
 */
final class TenantJdbcMetrics implements MeterBinder {

    /** Prefix of every meter. */
    static final String PREFIX = "tenantry.jdbc.";

    private final TenantJdbc jdbc;

    TenantJdbcMetrics(TenantJdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String store : jdbc.storeNames()) {
            gauge(registry, store, "pools", "pools", "Pools open on the store", JdbcPoolUsage::pools);
            gauge(registry, store, "connections", "connections", "Connections open on the store's pools",
                    JdbcPoolUsage::total);
            gauge(registry, store, "connections.active", "connections", "Connections of the store's pools on loan",
                    JdbcPoolUsage::active);
            gauge(registry, store, "connections.idle", "connections", "Idle connections in the store's pools",
                    JdbcPoolUsage::idle);
            gauge(registry, store, "connections.pending", "threads",
                    "Threads waiting for a connection of the store's pools", JdbcPoolUsage::pending);
            gauge(registry, store, "connections.max", "connections",
                    "Most connections the store's open pools may hold together", JdbcPoolUsage::maximum);
        }
        Gauge.builder(PREFIX + "connection.budget", jdbc, TenantJdbc::openConnections).tag("state", "used")
                .baseUnit("connections").description("Connections counted against the budget of all stores")
                .register(registry);
        Gauge.builder(PREFIX + "connection.budget", jdbc, TenantJdbc::connectionBudget).tag("state", "limit")
                .baseUnit("connections").description("Most connections open at once over all stores")
                .register(registry);
    }

    private void gauge(MeterRegistry registry, String store, String name, String unit, String description,
            ToIntFunction<JdbcPoolUsage> figure) {
        Gauge.builder(PREFIX + name, jdbc, j -> figure.applyAsInt(j.poolUsage(store))).tag("store", store)
                .baseUnit(unit).description(description).register(registry);
    }
}
