package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.tenantry.TenantId;
import io.tenantry.spi.QuotaLedger;
import io.tenantry.tck.QuotaLedgerContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The quota ledger in a control-plane table, on a real PostgreSQL, used by a login without superuser rights. */
class JdbcQuotaLedgerTest extends QuotaLedgerContract {

    private static PostgresServer server;
    private static String database;
    private static HikariDataSource controlPlane;

    @BeforeAll
    static void controlPlaneDatabase() {
        server = PostgresServer.get();
        database = server.freshDatabase("quota");
        controlPlane = server.appPool(database, "quota-control-plane", 16);
    }

    @AfterAll
    static void closePool() {
        controlPlane.close();
    }

    @Override
    protected QuotaLedger emptyLedger() {
        JdbcQuotaLedger ledger = JdbcQuotaLedger.of(controlPlane);
        ledger.createTableIfMissing();
        server.execute(database, "TRUNCATE " + JdbcQuotaLedger.TABLE);
        return ledger;
    }

    @Test
    @DisplayName("a missing table is named, with the call that creates it")
    void namesTheMissingTable() {
        emptyLedger();
        server.execute(database, "DROP TABLE " + JdbcQuotaLedger.TABLE);
        try {
            assertThatThrownBy(() -> JdbcQuotaLedger.of(controlPlane).get(TenantId.of("acme"), "items:cards"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("createTableIfMissing()");
        } finally {
            JdbcQuotaLedger.of(controlPlane).createTableIfMissing();
        }
        assertThat(JdbcQuotaLedger.of(controlPlane).counts(TenantId.of("acme"))).isEmpty();
    }
}
