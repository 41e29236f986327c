package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.tenantry.AuditEvent;
import io.tenantry.AuditEvent.Kind;
import io.tenantry.AuditQuery;
import io.tenantry.StoreUnavailableException;
import io.tenantry.TenantId;
import io.tenantry.spi.AuditLog;
import io.tenantry.tck.AuditLogContract;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The audit trail in a control-plane table, on a real PostgreSQL, used by a login without superuser rights. */
class JdbcAuditLogTest {

    private static final Instant T0 = Instant.parse("2024-03-05T10:00:00Z");
    private static final AtomicInteger TABLES = new AtomicInteger();

    private static PostgresServer server;
    private static String database;
    private static HikariDataSource controlPlane;

    @BeforeAll
    static void controlPlaneDatabase() {
        server = PostgresServer.get();
        database = server.freshDatabase("audit");
        controlPlane = server.appPool(database, "audit-control-plane", 8);
    }

    @AfterAll
    static void closePool() {
        controlPlane.close();
    }

    /** Returns the name of a new table, created by createTableIfMissing(). */
    private static String freshTable() {
        String table = "audit_" + TABLES.incrementAndGet();
        JdbcAuditLog.of(controlPlane, table).createTableIfMissing();
        return table;
    }

    @Nested
    @DisplayName("the audit log contract, a table per test")
    class Contract extends AuditLogContract {
        @Override
        protected AuditLog emptyLog() {
            return JdbcAuditLog.of(controlPlane, freshTable());
        }
    }

    @Test
    @DisplayName("createTableIfMissing is idempotent and creates the indexes the queries and the purge use")
    void createsTheTableAndItsIndexes() throws SQLException {
        JdbcAuditLog log = JdbcAuditLog.of(controlPlane);
        log.createTableIfMissing();
        log.record(new AuditEvent(Kind.TENANT_CREATED, TenantId.of("acme"), "created"));
        log.createTableIfMissing();
        assertThat(log.find(AuditQuery.all())).hasSize(1);
        assertThat(query("SELECT indexdef FROM pg_indexes WHERE tablename = 'tenant_audit' ORDER BY indexname"))
                .containsExactly(
                        "CREATE INDEX tenant_audit_at ON public.tenant_audit USING btree (at)",
                        "CREATE UNIQUE INDEX tenant_audit_pkey ON public.tenant_audit USING btree (id)",
                        "CREATE INDEX tenant_audit_tenant_at ON public.tenant_audit USING btree (tenant, at)");
        assertThat(log).hasToString("JdbcAuditLog(\"tenant_audit\")");
    }

    @Test
    @DisplayName("createTableIfMissing from several processes at once creates the table once, without an error")
    void concurrentCreation() throws Exception {
        String table = "audit_" + TABLES.incrementAndGet();
        ExecutorService starts = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                done.add(starts.submit(() -> {
                    go.await();
                    JdbcAuditLog.of(controlPlane, table).createTableIfMissing();
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            starts.shutdown();
        }
        assertThat(query("SELECT indexname FROM pg_indexes WHERE tablename = '" + table + "' ORDER BY indexname"))
                .containsExactly(table + "_at", table + "_pkey", table + "_tenant_at");
    }

    @Test
    @DisplayName("a table made by another role (a migration) is left alone: the login needs only to read, insert and delete")
    void aTableOwnedByAnotherRole() {
        String table = "audit_" + TABLES.incrementAndGet();
        JdbcAuditLog.of(server.admin(database), table).createTableIfMissing();
        server.execute(database, "GRANT SELECT, INSERT, DELETE ON " + table + " TO " + PostgresServer.APP_USER);
        JdbcAuditLog log = JdbcAuditLog.of(controlPlane, table);
        assertThatCode(log::createTableIfMissing).doesNotThrowAnyException();
        log.record(new AuditEvent(Kind.TENANT_CREATED, TenantId.of("acme"), "created", "t", T0));
        assertThat(log.find(AuditQuery.all())).extracting(AuditEvent::detail).containsExactly("created");
        assertThat(log.purge(T0.plusSeconds(1))).isEqualTo(1);
    }

    @Test
    @DisplayName("a schema-qualified table gets its indexes in its own schema")
    void schemaQualifiedTable() throws SQLException {
        run("CREATE SCHEMA IF NOT EXISTS control");
        JdbcAuditLog log = JdbcAuditLog.of(controlPlane, "control.audit");
        log.createTableIfMissing();
        log.record(new AuditEvent(Kind.SYSTEM_SCOPE_OPENED, null, "report"));
        assertThat(log.find(AuditQuery.all())).extracting(AuditEvent::detail).containsExactly("report");
        assertThat(query("SELECT schemaname || '.' || indexname FROM pg_indexes WHERE tablename = 'audit'"
                + " ORDER BY indexname")).containsExactly("control.audit_at", "control.audit_pkey",
                        "control.audit_tenant_at");
    }

    @Test
    @DisplayName("a purge larger than a batch removes every old event, batch by batch, and keeps the others")
    void purgesInBatches() {
        String table = freshTable();
        JdbcAuditLog log = JdbcAuditLog.of(controlPlane, table);
        JdbcAuditLog smallBatches = JdbcAuditLog.of(controlPlane, table, 3);
        for (int i = 0; i < 10; i++) {
            log.record(new AuditEvent(Kind.TENANT_UPDATED, TenantId.of("acme"), "at " + i, "t", T0.plusSeconds(i)));
        }
        assertThat(smallBatches.purge(T0.plusSeconds(7))).isEqualTo(7);
        assertThat(log.find(AuditQuery.all())).extracting(AuditEvent::detail).containsExactly("at 9", "at 8", "at 7");
        assertThat(smallBatches.purge(T0.plusSeconds(9))).isEqualTo(2);
    }

    @Test
    @DisplayName("recording never throws when the control plane is down: the event goes to the log at WARN, in full")
    void recordNeverThrows() throws IOException {
        HikariDataSource pool = server.appPool(database, "audit-down", 1);
        JdbcAuditLog pooled = JdbcAuditLog.of(pool, "audit_" + TABLES.incrementAndGet());
        pooled.createTableIfMissing();
        pool.close();
        String warned = stderrOf(() -> assertThatCode(() -> pooled.record(new AuditEvent(Kind.TENANT_DELETED,
                TenantId.of("acme"), "erased at FIELD:main:app and removed"))).doesNotThrowAnyException());
        assertThat(warned).contains("WARN").contains("io.tenantry.audit").contains("NOT STORED")
                .contains("TENANT_DELETED tenant=acme detail=\"erased at FIELD:main:app and removed\"");

        JdbcAuditLog unreachable = JdbcAuditLog.of(nowhere());
        warned = stderrOf(() -> assertThatCode(() -> unreachable.record(new AuditEvent(Kind.SYSTEM_SCOPE_OPENED, null,
                "nightly report"))).doesNotThrowAnyException());
        assertThat(warned).contains("NOT STORED").contains("unreachable").contains("nightly report");
        assertThatThrownBy(() -> unreachable.find(AuditQuery.all())).isInstanceOfSatisfying(
                StoreUnavailableException.class, e -> assertThat(e.store()).isEqualTo("control-plane"))
                .hasMessageContaining("audit trail");
        assertThatThrownBy(() -> unreachable.purge(T0)).isInstanceOf(StoreUnavailableException.class);

        JdbcAuditLog missingTable = JdbcAuditLog.of(controlPlane, "no_such_audit");
        warned = stderrOf(() -> missingTable.record(new AuditEvent(Kind.TENANT_CREATED, TenantId.of("bravo"), "x")));
        assertThat(warned).contains("NOT STORED").contains("createTableIfMissing()");
        assertThatThrownBy(() -> missingTable.find(AuditQuery.all())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("createTableIfMissing()");
    }

    @Test
    @DisplayName("a row this version cannot read is reported with its id, not skipped")
    void aRowOfAnUnknownKindIsReported() throws SQLException {
        String table = freshTable();
        JdbcAuditLog log = JdbcAuditLog.of(controlPlane, table);
        run("INSERT INTO " + table + " (at, kind, tenant, detail, thread) VALUES (now(), 'TENANT_TELEPORTED', 'acme',"
                + " '', 'x')");
        assertThatThrownBy(() -> log.find(AuditQuery.all())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Row 1 of table").hasMessageContaining("TENANT_TELEPORTED");
    }

    @Test
    @DisplayName("refuses a Tenantry tenant DataSource and table names that are not plain identifiers")
    void refusals() {
        assertThatThrownBy(() -> JdbcAuditLog.of(new JdbcTenantDirectoryTest.LookalikeTenantDataSource()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control-plane DataSource");
        for (String bad : List.of("", "Audit", "1audit", "a.b.c", "audit; DROP TABLE tenants", "x".repeat(54))) {
            assertThatThrownBy(() -> JdbcAuditLog.of(controlPlane, bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Invalid table name");
        }
        assertThatCode(() -> JdbcAuditLog.of(controlPlane, "x".repeat(53))).doesNotThrowAnyException();
        assertThatThrownBy(() -> JdbcAuditLog.of(null)).isInstanceOf(NullPointerException.class);
    }

    private static DataSource nowhere() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setServerNames(new String[] {"localhost"});
        nowhere.setPortNumbers(new int[] {closedPort});
        nowhere.setDatabaseName(database);
        nowhere.setConnectTimeout(5);
        return nowhere;
    }

    /** Returns what {@code action} wrote to standard error, where slf4j-simple logs (it looks System.err up each time). */
    private static String stderrOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }

    private static void run(String sql) throws SQLException {
        try (Connection c = controlPlane.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
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
