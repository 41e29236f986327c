package io.tenantry.spring.actuate;

import io.tenantry.jdbc.JdbcStoreHealth;
import io.tenantry.jdbc.TenantJdbc;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Checks one PostgreSQL store of Tenantry's: {@code SELECT 1} on the store's maintenance database, on a
 * connection of its own, within the store's connection timeout ({@link TenantJdbc#checkHealth}). It
 * touches no tenant's schema or database, takes nothing from the pools and never throws: a store that
 * is down or silent is reported down with the error.
 */
final class JdbcStoreHealthIndicator implements HealthIndicator {

    private final TenantJdbc jdbc;
    private final String store;

    JdbcStoreHealthIndicator(TenantJdbc jdbc, String store) {
        this.jdbc = jdbc;
        this.store = store;
    }

    @Override
    public Health health() {
        JdbcStoreHealth health = jdbc.checkHealth(store, jdbc.store(store).connectionTimeout());
        Health.Builder builder = health.isUp() ? Health.up() : Health.down();
        health.error().ifPresent(builder::withException);
        return builder.withDetail("database", health.database())
                .withDetail("elapsedMillis", health.elapsed().toMillis())
                .build();
    }
}
