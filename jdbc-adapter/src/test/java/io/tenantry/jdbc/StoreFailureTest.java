package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tenantry.Placement;
import io.tenantry.StoreUnavailableException;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycleException;
import io.tenantry.TenantRouter;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One store down: its tenants get a StoreUnavailableException naming it in time; the others are unaffected. */
class StoreFailureTest {

    @Test
    void a_down_store_fails_its_tenants_only_within_the_timeout() throws Exception {
        PostgresServer server = PostgresServer.get();
        String database = server.freshDatabase("storedown");
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        JdbcStore down = JdbcStore.builder("jdbc:postgresql://127.0.0.1:" + closedPort + "/")
                .credentials(PostgresServer.APP_USER, PostgresServer.APP_PASSWORD)
                .connectionTimeout(Duration.ofMillis(1_000)).build();
        TenantDirectory directory = TenantDirectory.inMemory(Tenant.builder("up").tier("a").build(),
                Tenant.builder("lost").tier("b").build());
        TenantRouter router = TenantRouter.builder().tier("a", Placement.schema("main", database))
                .tier("b", Placement.schema("replica", database)).build();
        try (TenantJdbc jdbc = TenantJdbc.builder().store("main", server.appStore()).store("replica", down)
                .directory(directory).router(router).rolePrefix("sf_").build()) {
            jdbc.provisioning().ensure(TenantId.of("up"));

            long start = System.nanoTime();
            Throwable thrown = TenantContext.callAs(TenantId.of("lost"),
                    () -> catchThrowable(() -> jdbc.dataSource().getConnection()));
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(thrown).isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("\"replica\"").hasMessageContaining("\"lost\"");
            assertThat(((StoreUnavailableException) thrown).store()).isEqualTo("replica");
            assertThat(millis).as("time to fail").isLessThan(1_000 + 2_000);
            assertThat(TenantContext.callAs(TenantId.of("up"), () -> {
                try (Connection c = jdbc.dataSource().getConnection(); Statement s = c.createStatement();
                        ResultSet r = s.executeQuery("SELECT current_user")) {
                    r.next();
                    return r.getString(1);
                }
            })).isEqualTo(jdbc.routing().target(TenantId.of("up")).role());
        }
    }

    @Test
    void a_tenant_that_was_never_provisioned_is_told_to_provision() throws Exception {
        PostgresServer server = PostgresServer.get();
        TenantDirectory directory = TenantDirectory.inMemory(Tenant.builder("fresh").build());
        try (TenantJdbc jdbc = TenantJdbc.builder().store("main", server.appStore()).directory(directory)
                .router(TenantRouter.builder().otherwise(Placement.schema("main", server.freshDatabase("unprov")))
                        .build()).rolePrefix("up_").build()) {
            Throwable thrown = TenantContext.callAs(TenantId.of("fresh"),
                    () -> catchThrowable(() -> jdbc.dataSource().getConnection()));
            assertThat(thrown).isInstanceOf(TenantLifecycleException.class).hasMessageContaining("provisioning()");
            assertThat(jdbc.pools().beans().values()).as("the half-switched connection is not kept in any pool").isNotEmpty()
                    .allSatisfy(pool -> assertThat(pool.getTotalConnections()).isZero());
        }
    }
}
