package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.tenantry.Placement;
import io.tenantry.TenantId;
import io.tenantry.TenantUsage;
import io.tenantry.spi.UsageHistory;
import io.tenantry.tck.UsageHistoryContract;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The usage history in a control-plane table, on a real PostgreSQL, used by a login without superuser rights. */
class JdbcUsageHistoryTest {

    private static final TenantId ACME = TenantId.of("acme");

    private static PostgresServer server;
    private static String database;
    private static HikariDataSource controlPlane;

    @BeforeAll
    static void controlPlaneDatabase() {
        server = PostgresServer.get();
        database = server.freshDatabase("usage");
        controlPlane = server.appPool(database, "usage-control-plane", 4);
    }

    @AfterAll
    static void closePool() {
        controlPlane.close();
    }

    /** Returns the history on an emptied table. */
    private static JdbcUsageHistory emptied() {
        JdbcUsageHistory history = JdbcUsageHistory.of(controlPlane);
        history.createTableIfMissing();
        server.execute(database, "TRUNCATE " + JdbcUsageHistory.TABLE);
        return history;
    }

    @Nested
    @DisplayName("the usage history contract, on the table emptied for each test")
    class Contract extends UsageHistoryContract {
        @Override
        protected UsageHistory emptyHistory() {
            return emptied();
        }
    }

    @Test
    @DisplayName("createTableIfMissing is idempotent and creates the indexes that find and the purge use")
    void createsTheTableAndItsIndexes() throws SQLException {
        JdbcUsageHistory history = emptied();
        history.createTableIfMissing();
        assertThat(query("SELECT indexdef FROM pg_indexes WHERE tablename = 'tenant_usage_history' ORDER BY indexname"))
                .containsExactly(
                        "CREATE INDEX tenant_usage_history_measured_at ON public.tenant_usage_history USING btree (measured_at)",
                        "CREATE UNIQUE INDEX tenant_usage_history_pkey ON public.tenant_usage_history USING btree (id)",
                        "CREATE INDEX tenant_usage_history_tenant_measured_at ON public.tenant_usage_history USING btree"
                                + " (tenant, measured_at)");
        assertThat(history).hasToString("JdbcUsageHistory(tenant_usage_history)");
    }

    @Test
    @DisplayName("one row per measurement, with the totals in columns and each table's part in jsonb")
    void oneRowPerMeasurementReadableInSql() throws SQLException {
        JdbcUsageHistory history = emptied();
        Instant at = Instant.parse("2024-03-05T10:00:00.123456789Z");
        history.record(new TenantUsage(ACME, Placement.schema("main", "app"), Map.of("cards",
                new TenantUsage.Resource(3, 16_384), "decks", new TenantUsage.Resource(1, 8_192)), at));
        assertThat(query("SELECT concat_ws(' ', tenant, measured_at AT TIME ZONE 'UTC', model, store, namespace,"
                + " items, bytes, resources->'decks'->>'bytes') FROM tenant_usage_history"))
                .containsExactly("acme 2024-03-05 10:00:00.123456 COLLECTION main app 4 24576 8192");
        assertThat(history.find(ACME, at.minusSeconds(1), at.plusSeconds(1), 1)).singleElement()
                .satisfies(u -> assertThat(u.measuredAt()).isEqualTo(at.truncatedTo(ChronoUnit.MICROS)));
    }

    @Test
    @DisplayName("purges in batches, each committed on its own, until nothing older is left")
    void purgesInBatches() {
        JdbcUsageHistory history = emptied();
        Instant old = Instant.parse("2020-01-01T00:00:00Z");
        server.execute(database, "INSERT INTO tenant_usage_history (tenant, measured_at, model, store, namespace,"
                + " items, bytes, resources) SELECT 'acme', timestamptz '2020-01-01' + g * interval '1 second',"
                + " 'FIELD', 'main', 'app', 0, 0, '{}' FROM generate_series(1, " + (2 * JdbcUsageHistory.PURGE_BATCH + 7)
                + ") AS g");
        history.record(new TenantUsage(ACME, Placement.field("main", "app"), Map.of(), old.plusSeconds(86_400)));
        assertThat(history.purge(old.plusSeconds(86_400))).isEqualTo(2 * JdbcUsageHistory.PURGE_BATCH + 7);
        assertThat(history.find(ACME, old, old.plusSeconds(100_000), 10)).hasSize(1);
    }

    @Test
    @DisplayName("refuses a Tenantry tenant DataSource; says what to do about a missing table or a foreign row")
    void clearErrors() {
        assertThatThrownBy(() -> JdbcUsageHistory.of(new JdbcTenantDirectoryTest.LookalikeTenantDataSource()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control-plane DataSource");
        JdbcUsageHistory missing = JdbcUsageHistory.of(server.admin(server.freshDatabase("nousage")));
        assertThatThrownBy(() -> missing.find(ACME, Instant.EPOCH, Instant.now(), 10))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("createTableIfMissing()");

        JdbcUsageHistory history = emptied();
        server.execute(database, "INSERT INTO tenant_usage_history (tenant, measured_at, model, store, namespace,"
                + " items, bytes, resources) VALUES ('acme', now(), 'SHARDED', 'main', 'app', 0, 0, '{}')");
        assertThatThrownBy(() -> history.find(ACME, Instant.EPOCH, Instant.now().plusSeconds(60), 10))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a measurement this version");
    }

    private static List<String> query(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = controlPlane.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                rows.add(r.getString(1));
            }
        }
        return rows;
    }
}
