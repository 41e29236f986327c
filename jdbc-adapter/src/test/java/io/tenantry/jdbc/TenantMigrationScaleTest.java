package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantRouter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Provisions and migrates many tenant schemas (three tables and three indexes each, from
 * {@code db/tenant-scale}) in one shared database, once one tenant at a time and once in parallel, each
 * on a fresh database of the same server, checks that every tenant got every table and index, and
 * prints both times, the tenants per second and the speed-up on standard output.
 *
 * <p>The normal build migrates 60 tenants. The figures for the README come from 1,000:
 *
 * <pre>
 * ./mvnw -B -pl jdbc-adapter verify -Dtest=TenantMigrationScaleTest -Dtenantry.scale.tenants=1000 -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <p>{@code -Dtenantry.scale.parallelism=8} changes the parallel run's threads (default 4). PostgreSQL
 * runs on the same machine as the test, so the speed-up is bounded by its cores, not by Tenantry.
 */
class TenantMigrationScaleTest {

    private static final List<String> TABLES = List.of("customers", "invoices", "orders");
    private static final List<String> INDEXES = List.of("customers_email", "invoices_unpaid_due",
            "orders_customer_placed");

    @Test
    void everyTenantSchemaGetsEveryTableOneAtATimeAndInParallel() {
        int tenants = Integer.getInteger("tenantry.scale.tenants", 60);
        int parallelism = Integer.getInteger("tenantry.scale.parallelism", 4);
        List<TenantId> ids = IntStream.rangeClosed(1, tenants)
                .mapToObj(i -> TenantId.of(String.format(Locale.ROOT, "scale%05d", i))).toList();
        // Class loading and JIT compilation would otherwise be charged to whichever run came first.
        migrate("warmup", ids.subList(0, Math.min(4, tenants)), 2);

        Duration sequential = migrate("scale1", ids, 1);
        Duration parallel = migrate("scale" + parallelism, ids, parallelism);

        System.out.println(line(tenants, 1, sequential));
        System.out.println(line(tenants, parallelism, parallel));
        System.out.printf(Locale.ROOT, "[tenantry scale] speed-up of parallelism %d over 1: x%.2f (%d cores)%n",
                parallelism, (double) sequential.toNanos() / parallel.toNanos(),
                Runtime.getRuntime().availableProcessors());
    }

    /** Provisions {@code ids} on a fresh shared database, checks that each has every table and index, and returns the time. */
    private static Duration migrate(String hint, List<TenantId> ids, int parallelism) {
        PostgresServer server = PostgresServer.get();
        String database = server.freshDatabase(hint);
        TenantDirectory directory = TenantDirectory.inMemory(
                ids.stream().map(id -> Tenant.builder(id).build()).toArray(Tenant[]::new));
        try (TenantJdbc jdbc = TenantJdbc.builder().store("main", server.appStore()).directory(directory)
                .router(TenantRouter.builder().otherwise(Placement.schema("main", database)).build())
                .migrations("classpath:db/tenant-scale")
                .build()) {
            ProvisioningReport report = jdbc.provisioning().ensureAll(ids, parallelism);

            report.throwIfFailed();
            assertThat(report.succeeded()).hasSize(ids.size());
            Set<String> schemas = ids.stream().map(id -> jdbc.schemaName(id).orElseThrow()).collect(Collectors.toSet());
            assertThat(schemasHavingAll(database, "SELECT schemaname FROM pg_tables WHERE tablename = ANY (?::text[])"
                    + " GROUP BY schemaname HAVING count(*) = 3", TABLES)).isEqualTo(schemas);
            assertThat(schemasHavingAll(database, "SELECT schemaname FROM pg_indexes WHERE indexname = ANY (?::text[])"
                    + " GROUP BY schemaname HAVING count(*) = 3", INDEXES)).isEqualTo(schemas);
            return report.elapsed();
        }
    }

    private static Set<String> schemasHavingAll(String database, String sql, List<String> names) {
        return Set.copyOf(JdbcProvisioningTest.rows(database, sql, List.of("{" + String.join(",", names) + "}")));
    }

    private static String line(int tenants, int parallelism, Duration elapsed) {
        double seconds = elapsed.toNanos() / 1e9;
        return String.format(Locale.ROOT, "[tenantry scale] %d tenant schemas x 3 migrations (3 tables, 3 indexes),"
                + " parallelism %d: %.1f s, %.1f tenants/s", tenants, parallelism, seconds, tenants / seconds);
    }
}
