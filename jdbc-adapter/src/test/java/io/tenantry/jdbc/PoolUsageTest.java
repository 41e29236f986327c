package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.Placement;
import io.tenantry.RoutingException;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantRouter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TenantJdbc#poolUsage}: each store's pools summed into one figure, however many tenant databases
 * it holds, next to the connection budget.
 */
class PoolUsageTest {

    private static final List<TenantId> SCHEMA_TENANTS = List.of(TenantId.of("s1"), TenantId.of("s2"));
    private static final List<TenantId> DATABASE_TENANTS = List.of(TenantId.of("d1"), TenantId.of("d2"),
            TenantId.of("d3"));

    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private final PostgresServer server = PostgresServer.get();
    private final List<Connection> held = new ArrayList<>();
    private TenantJdbc jdbc;

    @BeforeEach
    void provision() {
        String shared = server.freshDatabase("poolusage");
        String prefix = "d" + ProcessHandle.current().pid() + "_pu" + PREFIXES.incrementAndGet() + "_";
        List<Tenant> tenants = new ArrayList<>();
        SCHEMA_TENANTS.forEach(id -> tenants.add(Tenant.builder(id).tier("std").build()));
        DATABASE_TENANTS.forEach(id -> tenants.add(Tenant.builder(id).tier("ent").build()));
        jdbc = TenantJdbc.builder()
                .store("main", store(3))
                .store("dedicated", store(2))
                .store("spare", store(4))
                .directory(TenantDirectory.inMemory(tenants.toArray(new Tenant[0])))
                .router(TenantRouter.builder().tier("std", Placement.schema("main", shared))
                        .tier("ent", Placement.database("dedicated", prefix)).build())
                .rolePrefix("pu_")
                .migrations(JdbcFixture.MIGRATIONS)
                .connectionBudget(50)
                .build();
        List<TenantId> all = new ArrayList<>(SCHEMA_TENANTS);
        all.addAll(DATABASE_TENANTS);
        jdbc.provisioning().ensureAll(all, 2).throwIfFailed();
    }

    @AfterEach
    void close() throws SQLException {
        for (Connection c : held) {
            c.close();
        }
        jdbc.close();
    }

    @Test
    void one_figure_per_store_sums_every_pool_of_the_store() throws Exception {
        assertThat(jdbc.poolUsage("dedicated")).isEqualTo(new JdbcPoolUsage("dedicated", 0, 0, 0, 0, 0, 0));
        assertThat(jdbc.connectionBudget()).isEqualTo(50);
        assertThat(jdbc.openConnections()).isZero();

        for (TenantId tenant : DATABASE_TENANTS) {
            hold(tenant);
        }
        for (TenantId tenant : SCHEMA_TENANTS) {
            hold(tenant);
        }

        assertThat(jdbc.poolUsage("dedicated")).as("three tenant databases, one pool each, summed")
                .isEqualTo(new JdbcPoolUsage("dedicated", 3, 3, 0, 3, 0, 3 * 2));
        assertThat(jdbc.poolUsage("main")).as("two tenant schemas in one shared database: one pool")
                .isEqualTo(new JdbcPoolUsage("main", 1, 2, 0, 2, 0, 3));
        assertThat(jdbc.poolUsage("spare")).isEqualTo(new JdbcPoolUsage("spare", 0, 0, 0, 0, 0, 0));
        assertThat(jdbc.openConnections()).as("the budget counts the same connections").isEqualTo(5);

        for (Connection c : held) {
            c.close();
        }
        held.clear();

        JdbcPoolUsage returned = jdbc.poolUsage("dedicated");
        assertThat(returned.active()).isZero();
        assertThat(returned.idle()).isEqualTo(returned.total()).isEqualTo(3);
        assertThat(returned.pools()).isEqualTo(3);
    }

    @Test
    void threads_waiting_for_a_full_pool_are_pending() throws Exception {
        TenantId tenant = DATABASE_TENANTS.get(0);
        hold(tenant);
        hold(tenant); // the pool's maximum of two

        CompletableFuture<Connection> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return TenantContext.callAs(tenant, () -> jdbc.dataSource().getConnection());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        await(() -> jdbc.poolUsage("dedicated").pending() == 1);
        assertThat(jdbc.poolUsage("dedicated")).isEqualTo(new JdbcPoolUsage("dedicated", 1, 2, 0, 2, 1, 2));

        held.remove(0).close();
        held.add(waiter.get(10, TimeUnit.SECONDS));
        assertThat(jdbc.poolUsage("dedicated").pending()).isZero();
        assertThat(jdbc.poolUsage("dedicated").active()).isEqualTo(2);
    }

    @Test
    void an_unknown_store_is_a_caller_mistake() {
        assertThatThrownBy(() -> jdbc.poolUsage("elsewhere")).isInstanceOf(RoutingException.class)
                .hasMessageContaining("\"elsewhere\"");
        assertThatThrownBy(() -> new JdbcPoolUsage("main", 0, -1, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private JdbcStore store(int poolSize) {
        return JdbcStore.builder(server.serverUrl()).credentials(PostgresServer.APP_USER, PostgresServer.APP_PASSWORD)
                .maximumPoolSize(poolSize).connectionTimeout(Duration.ofSeconds(20)).build();
    }

    private void hold(TenantId tenant) throws SQLException {
        held.add(TenantContext.callAs(tenant, () -> jdbc.dataSource().getConnection()));
    }

    /**
     * Polls {@code condition} until it holds, for at most ten seconds. A poll, not a fixed wait: HikariCP tells
     * nobody when a thread starts waiting for a connection, so the test watches the figure it asserts on.
     */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
