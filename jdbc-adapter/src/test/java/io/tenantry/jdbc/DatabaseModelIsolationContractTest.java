package io.tenantry.jdbc;

/** The isolation contract kit on the database-per-tenant model. */
class DatabaseModelIsolationContractTest extends JdbcContractStage {

    @Override
    JdbcFixture fixture() {
        return JdbcFixture.databases("kit");
    }
}
