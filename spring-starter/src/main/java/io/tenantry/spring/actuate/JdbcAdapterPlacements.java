package io.tenantry.spring.actuate;

import io.tenantry.Placement;
import io.tenantry.TenantId;
import io.tenantry.jdbc.TenantJdbc;

/** The physical names of tenants on Tenantry's PostgreSQL stores: database and schema. */
final class JdbcAdapterPlacements implements AdapterPlacements {

    private final TenantJdbc jdbc;

    JdbcAdapterPlacements(TenantJdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean serves(String store) {
        return jdbc.storeNames().contains(store);
    }

    @Override
    public TenantsEndpoint.PhysicalNames names(TenantId tenant, Placement placement) {
        return new TenantsEndpoint.PhysicalNames("jdbc", jdbc.databaseName(tenant), jdbc.schemaName(tenant).orElse(null),
                null);
    }
}
