package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.Placement;
import io.tenantry.RoutingException;
import io.tenantry.Tenant;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantRouter;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link TenantJdbc#checkHealth}: up for a live server, down with the driver's error for a refused
 * connection, down within the timeout for a server that never answers, never thrown, and never through
 * the pools or a tenant's database.
 */
class StoreHealthTest {

    private final PostgresServer server = PostgresServer.get();

    @Test
    void a_live_store_is_up_and_is_checked_on_its_maintenance_database_outside_the_pools() throws Exception {
        String maintenance = server.freshDatabase("healthmaint");
        JdbcStore store = JdbcStore.builder(server.serverUrl())
                .credentials(PostgresServer.APP_USER, PostgresServer.APP_PASSWORD).maintenanceDatabase(maintenance)
                .build();
        try (TenantJdbc jdbc = jdbc("main", store)) {
            JdbcStoreHealth health = jdbc.checkHealth("main", Duration.ofSeconds(5));

            assertThat(health.isUp()).as(health.toString()).isTrue();
            assertThat(health.error()).isEmpty();
            assertThat(health.store()).isEqualTo("main");
            assertThat(health.database()).isEqualTo(maintenance);
            assertThat(health.elapsed()).isPositive().isLessThan(Duration.ofSeconds(5));
            assertThat(health.toString()).startsWith("main UP in ");
            assertThat(jdbc.openPools()).as("pools opened by the check").isZero();
            assertThat(jdbc.openConnections()).as("connections counted against the budget").isZero();
            assertThat(healthSessionsEnd(maintenance)).as("the check's connection is closed").isTrue();
        }
    }

    @Test
    void a_refused_connection_is_down_with_the_drivers_error_at_once() throws Exception {
        try (TenantJdbc jdbc = jdbc("replica", storeAt(closedPort()))) {
            long start = System.nanoTime();
            JdbcStoreHealth health = jdbc.checkHealth("replica", Duration.ofSeconds(10));
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(health.isUp()).isFalse();
            assertThat(health.error()).get().isInstanceOf(SQLException.class)
                    .isNotInstanceOf(SQLTimeoutException.class);
            assertThat(health.toString()).startsWith("replica DOWN in ");
            assertThat(millis).as("a refused connection is not waited out").isLessThan(5_000);
        }
    }

    @Test
    void a_server_that_never_answers_is_down_within_the_timeout() throws Exception {
        try (Silent silent = new Silent(); TenantJdbc jdbc = jdbc("stuck", storeAt(silent.port()))) {
            long start = System.nanoTime();
            JdbcStoreHealth health = jdbc.checkHealth("stuck", Duration.ofMillis(400));
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(health.isUp()).isFalse();
            assertThat(health.error()).get().isInstanceOf(SQLTimeoutException.class).extracting(Throwable::getMessage)
                    .asString().contains("\"stuck\"").contains("400 ms");
            assertThat(millis).as("time to report down").isBetween(400L, 1_500L);
            assertThat(health.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(400));
            assertThat(silent.accepted()).as("the check did reach the server").isPositive();
        }
    }

    @Test
    void unknown_stores_and_timeouts_that_are_not_positive_are_caller_mistakes() {
        try (TenantJdbc jdbc = jdbc("main", server.appStore())) {
            assertThatThrownBy(() -> jdbc.checkHealth("other", Duration.ofSeconds(1)))
                    .isInstanceOf(RoutingException.class).hasMessageContaining("\"other\"");
            assertThatThrownBy(() -> jdbc.checkHealth("main", Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> jdbc.checkHealth("main", Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static TenantJdbc jdbc(String storeName, JdbcStore store) {
        return TenantJdbc.builder().store(storeName, store)
                .directory(TenantDirectory.inMemory(Tenant.builder("acme").build()))
                .router(TenantRouter.builder().otherwise(Placement.schema(storeName, "nowhere")).build())
                .rolePrefix("hc_").build();
    }

    private static JdbcStore storeAt(int port) {
        return JdbcStore.builder("jdbc:postgresql://127.0.0.1:" + port + "/")
                .credentials(PostgresServer.APP_USER, PostgresServer.APP_PASSWORD).build();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Whether the server's backends of health checks on {@code database} end (they outlive the close briefly). */
    private boolean healthSessionsEnd(String database) throws SQLException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        try (Connection c = server.admin("postgres").getConnection(); Statement s = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = '"
                        + database + "' AND application_name = 'tenantry-health'")) {
                    r.next();
                    if (r.getInt(1) == 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** A server that accepts connections and never says a word: a PostgreSQL hung or behind a black hole. */
    private static final class Silent implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0);
        private final List<Socket> clients = new ArrayList<>();
        private final Thread acceptor;

        Silent() throws IOException {
            acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket client = socket.accept();
                        synchronized (clients) {
                            clients.add(client);
                        }
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int accepted() {
            synchronized (clients) {
                return clients.size();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            synchronized (clients) {
                for (Socket client : clients) {
                    client.close();
                }
            }
        }
    }
}
