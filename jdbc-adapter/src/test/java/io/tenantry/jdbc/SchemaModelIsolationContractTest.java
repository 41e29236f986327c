package io.tenantry.jdbc;

/** The isolation contract kit on the schema-per-tenant (COLLECTION) model. */
class SchemaModelIsolationContractTest extends JdbcContractStage {

    @Override
    JdbcFixture fixture() {
        return JdbcFixture.schemas("kit");
    }
}
