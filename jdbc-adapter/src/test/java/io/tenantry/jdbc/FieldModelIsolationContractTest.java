package io.tenantry.jdbc;

/** The isolation contract kit on shared tables (FIELD model): SQL rewriting and row-level security together. */
class FieldModelIsolationContractTest extends JdbcContractStage {

    @Override
    JdbcFixture fixture() {
        return JdbcFixture.shared("kit");
    }
}
