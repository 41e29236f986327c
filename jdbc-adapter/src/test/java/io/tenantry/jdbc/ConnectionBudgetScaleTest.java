package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Many tenants on the database model, each with its own pool, driven by 32 threads within a budget
 * of 50 connections: PostgreSQL never holds more than 50 of Tenantry's connections (sampled from
 * {@code pg_stat_activity} by a separate session), every operation succeeds, and the JVM's thread count
 * stays bounded because the pools share one housekeeping thread.
 *
 * <p>The default build runs 60 tenants; the scale run takes 1,000:
 * {@code ./mvnw -B -pl jdbc-adapter verify -Dtest=ConnectionBudgetScaleTest -Dtenantry.scale.tenants=1000
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ConnectionBudgetScaleTest {

    private static final int BUDGET = 50;
    private static final int THREADS = 32;

    @Test
    void the_server_never_holds_more_connections_than_the_budget() throws Exception {
        int tenantCount = Integer.getInteger("tenantry.scale.tenants", 60);
        int operations = Integer.getInteger("tenantry.scale.operations", Math.max(2_000, tenantCount * 4));
        List<TenantId> tenants = new ArrayList<>();
        for (int i = 0; i < tenantCount; i++) {
            tenants.add(TenantId.of("t" + i));
        }
        JdbcStore store = JdbcStore.builder(PostgresServer.get().serverUrl())
                .credentials(PostgresServer.APP_USER, PostgresServer.APP_PASSWORD).maximumPoolSize(4).build();
        long provisioningStart = System.nanoTime();
        try (JdbcFixture f = JdbcFixture.databases("budget", tenants, b -> b.connectionBudget(BUDGET).maxPools(100),
                store)) {
            long provisioned = System.nanoTime() - provisioningStart;
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            int threadsBefore = threads.getThreadCount();
            AtomicInteger maxOnServer = new AtomicInteger();
            AtomicInteger maxOpen = new AtomicInteger();
            AtomicInteger maxThreads = new AtomicInteger();
            AtomicInteger samples = new AtomicInteger();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> sample(f, running, maxOnServer, maxOpen, maxThreads, samples),
                    "budget-sampler");
            sampler.start();

            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            AtomicInteger done = new AtomicInteger();
            long start = System.nanoTime();
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int w = 0; w < THREADS; w++) {
                    int worker = w;
                    futures.add(pool.submit(() -> {
                        SplittableRandom random = new SplittableRandom(worker);
                        for (int i = worker; i < operations; i += THREADS) {
                            TenantId tenant = tenants.get(random.nextInt(tenants.size()));
                            int operation = i;
                            TenantContext.runAs(tenant, () -> work(f, tenant, operation));
                            done.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (Future<?> future : futures) {
                    future.get(10, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
                running.set(false);
                sampler.join();
            }
            long elapsed = System.nanoTime() - start;

            System.out.printf("ConnectionBudgetScaleTest: %d tenant databases (provisioned in %.1f s), %d threads,"
                    + " budget %d: %d operations in %.1f s (%.0f ops/s); most connections on the server %d"
                    + " (%d samples), most held by Tenantry %d; JVM threads %d before, at most %d during;"
                    + " pools opened %d, open at the end %d%n",
                    tenantCount, provisioned / 1e9, THREADS, BUDGET, done.get(), elapsed / 1e9,
                    done.get() / (elapsed / 1e9), maxOnServer.get(), samples.get(), maxOpen.get(), threadsBefore,
                    maxThreads.get(), f.jdbc.pools().poolsCreated(), f.jdbc.openPools());
            assertThat(done.get()).isEqualTo(operations);
            assertThat(samples.get()).isGreaterThan(3);
            assertThat(maxOnServer.get()).as("Tenantry's connections seen in pg_stat_activity").isBetween(1, BUDGET);
            assertThat(maxOpen.get()).isLessThanOrEqualTo(BUDGET);
            assertThat(maxThreads.get() - threadsBefore).as("threads added while %d pools came and went",
                    f.jdbc.pools().poolsCreated()).isLessThan(THREADS + 2 * 100 + 10);
        }
    }

    private static void work(JdbcFixture f, TenantId tenant, int i) throws SQLException {
        try (Connection c = f.dataSource().getConnection()) {
            if (i % 4 == 0) {
                try (PreparedStatement p = c.prepareStatement("INSERT INTO items VALUES (?, ?)")) {
                    p.setString(1, "k" + i);
                    p.setString(2, tenant.value());
                    p.executeUpdate();
                }
            } else {
                try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM items WHERE v <> ?")) {
                    p.setString(1, tenant.value());
                    try (ResultSet r = p.executeQuery()) {
                        r.next();
                        assertThat(r.getLong(1)).as("rows of another tenant in %s's database", tenant).isZero();
                    }
                }
            }
        }
    }

    private static void sample(JdbcFixture f, AtomicBoolean running, AtomicInteger maxOnServer, AtomicInteger maxOpen,
            AtomicInteger maxThreads, AtomicInteger samples) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (Connection c = f.server.admin("postgres").getConnection(); Statement s = c.createStatement()) {
            while (running.get()) {
                // every session of the store's login role, whatever its application name says: during the
                // load nothing but Tenantry's pools logs in as that role
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE usename = '"
                        + PostgresServer.APP_USER + "'")) {
                    r.next();
                    maxOnServer.accumulateAndGet(r.getInt(1), Math::max);
                }
                maxOpen.accumulateAndGet(f.jdbc.openConnections(), Math::max);
                maxThreads.accumulateAndGet(threads.getThreadCount(), Math::max);
                samples.incrementAndGet();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
