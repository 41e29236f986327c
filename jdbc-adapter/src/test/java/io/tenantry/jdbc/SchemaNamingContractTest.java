package io.tenantry.jdbc;

import io.tenantry.PhysicalNaming;
import io.tenantry.tck.NamingContract;

/** Tenant schemas and databases: injective within PostgreSQL's 63-byte identifiers. */
class SchemaNamingContractTest extends NamingContract {

    @Override
    protected PhysicalNaming naming() {
        return JdbcNames.identifiers();
    }

    @Override
    protected String prefix() {
        return TenantJdbc.DEFAULT_SCHEMA_PREFIX;
    }
}
