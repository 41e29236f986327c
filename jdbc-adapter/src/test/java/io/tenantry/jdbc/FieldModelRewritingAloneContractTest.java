package io.tenantry.jdbc;

/** The isolation contract kit on shared tables with row-level security off: the SQL rewriting alone confines. */
class FieldModelRewritingAloneContractTest extends JdbcContractStage {

    @Override
    JdbcFixture fixture() {
        return JdbcFixture.shared("kitsql", JdbcFixture.TENANTS, b -> b.rowLevelSecurity(false));
    }
}
