package io.tenantry.jdbc;

import io.tenantry.PhysicalNaming;
import io.tenantry.tck.NamingContract;

/** Tenant roles, named after the tenant and the shared database: injective within 63 bytes, server-wide. */
class RoleNamingContractTest extends NamingContract {

    @Override
    protected PhysicalNaming naming() {
        return JdbcNames.roles();
    }

    @Override
    protected String prefix() {
        return TenantJdbc.DEFAULT_ROLE_PREFIX;
    }
}
