package io.tenantry.jdbc;

/**
 * The isolation contract kit on shared tables with the SQL sent as written: row-level security alone
 * confines. The upsert names the tenant-scoped key's constraint, since nothing adds the tenant column
 * to {@code ON CONFLICT (k)}.
 */
class FieldModelRowSecurityAloneContractTest extends JdbcContractStage {

    @Override
    JdbcFixture fixture() {
        return JdbcFixture.shared("kitrls", JdbcFixture.TENANTS, b -> b.sqlRewriting(false));
    }

    @Override
    String conflictTarget() {
        return "ON CONSTRAINT items_pkey";
    }
}
