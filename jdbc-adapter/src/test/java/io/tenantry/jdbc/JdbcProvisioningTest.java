package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.IsolationModel;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycleException;
import io.tenantry.TenantRouter;
import io.tenantry.UnknownTenantException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Provisioning of tenants' schemas, roles and databases, their migrations, and many tenants at once, on PostgreSQL. */
class JdbcProvisioningTest {

    private static final String MIGRATIONS = "classpath:db/tenant-test";

    /** The two models, each on fixtures of its own. */
    enum Model {
        SCHEMA, DATABASE;

        JdbcFixture fixture(String hint, List<TenantId> tenants, Consumer<TenantJdbc.Builder> customizer) {
            return this == SCHEMA ? JdbcFixture.schemas(hint, tenants, customizer)
                    : JdbcFixture.databases(hint, tenants, customizer);
        }
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void ensureIsIdempotentAlsoFromFourThreadsAtOnceForTheSameTenant(Model model) throws Exception {
        TenantId tenant = TenantId.of("fresh");
        try (JdbcFixture f = model.fixture("idem", List.of(), b -> b.migrations(MIGRATIONS))) {
            f.directory.register(Tenant.builder(tenant).build());
            ExecutorService threads = Executors.newFixedThreadPool(4);
            try {
                CyclicBarrier start = new CyclicBarrier(4);
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    calls.add(threads.submit(() -> {
                        start.await(30, TimeUnit.SECONDS);
                        f.jdbc.provisioning().ensure(tenant);
                        return null;
                    }));
                }
                for (Future<?> call : calls) {
                    call.get(120, TimeUnit.SECONDS);
                }
            } finally {
                threads.shutdownNow();
            }
            f.jdbc.provisioning().ensure(tenant);

            assertThat(history(f, tenant)).containsExactly("1 items true", "2 index true");
            assertThat(tables(f, tenant)).containsExactly("flyway_schema_history", "items");
        }
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void migrationsRunForEachTenantInItsOwnSchemaOrDatabaseAndOnlyOnce(Model model) throws Exception {
        List<TenantId> tenants = List.of(TenantId.of("acme"), TenantId.of("acme-1"));
        try (JdbcFixture f = model.fixture("migrate", tenants, b -> b.migrations(MIGRATIONS))) {
            for (TenantId tenant : tenants) {
                assertThat(history(f, tenant)).containsExactly("1 items true", "2 index true");
                assertThat(indexes(f, tenant)).contains("items_v");
                String owner = model == Model.SCHEMA ? f.targetOf(tenant).role() : PostgresServer.APP_USER;
                assertThat(owners(f, tenant)).containsOnly(owner).isNotEmpty();
            }
            List<String> installed = installedOn(f, tenants.get(0));

            f.jdbc.provisioning().ensure(tenants.get(0));

            assertThat(installedOn(f, tenants.get(0))).isEqualTo(installed);
            TenantContext.runAs(tenants.get(1), () -> {
                try (Connection c = f.dataSource().getConnection(); Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO items (k, v) VALUES ('k1', 'written through Tenantry')");
                }
            });
            assertThat(f.itemsOf(tenants.get(1))).containsExactly("k1=written through Tenantry");
            assertThat(f.itemsOf(tenants.get(0))).isEmpty();
        }
    }

    @Test
    void aMigrationThatNamesAnotherTenantsSchemaFailsAndLeavesNothingBehind() {
        TenantId victim = TenantId.of("victim");
        TenantId intruder = TenantId.of("intruder");
        try (JdbcFixture f = JdbcFixture.schemas("intrude", List.of(victim), b -> { });
                TenantJdbc other = TenantJdbc.builder().store("main", f.server.appStore())
                        .directory(TenantDirectory.inMemory(Tenant.builder(intruder).build()))
                        .router(TenantRouter.builder().otherwise(f.placement).build())
                        .rolePrefix("intruder_")
                        .migrations("classpath:db/tenant-intruder")
                        .build()) {
            f.asAdmin(victim, "INSERT INTO items VALUES ('secret', 'of the victim')");
            assertThat(f.jdbc.schemaName(victim)).contains("tenant_victim");

            assertThatThrownBy(() -> other.provisioning().ensure(intruder))
                    .isInstanceOf(TenantLifecycleException.class)
                    .hasMessageContaining("\"intruder\"")
                    .hasMessageContaining("version 1 (V1__read_another_tenant.sql)")
                    .hasMessageContaining("permission denied for schema tenant_victim");
            assertThat(tables(f.sharedDatabase, "tenant_intruder")).containsExactly("flyway_schema_history");
            assertThat(tables(f.sharedDatabase, "tenant_victim")).containsExactly("flyway_schema_history", "items");
        }
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void aMigrationThatBreaksOnOneTenantsDataFailsThatTenantOnlyAndNamesTheVersion(Model model) {
        List<TenantId> tenants = List.of(TenantId.of("t1"), TenantId.of("t2"), TenantId.of("t3"));
        TenantId broken = tenants.get(1);
        try (JdbcFixture f = model.fixture("broken", tenants, b -> b.rolePrefix("brk_").migrations(MIGRATIONS))) {
            f.asAdmin(broken, "INSERT INTO items VALUES ('a', 'same'), ('b', 'same')");
            try (TenantJdbc next = TenantJdbc.builder().store("main", f.server.appStore()).directory(f.directory)
                    .router(TenantRouter.builder().otherwise(f.placement).build()).rolePrefix("brk_")
                    .migrations(MIGRATIONS, "classpath:db/tenant-broken").build()) {

                ProvisioningReport report = next.provisioning().ensureAll(tenants, 3);

                assertThat(report.succeeded()).containsExactly(tenants.get(0), tenants.get(2));
                assertThat(report.failures()).containsOnlyKeys(broken);
                assertThat(report.failures().get(broken)).isInstanceOf(TenantLifecycleException.class)
                        .hasMessageContaining("\"t2\"")
                        .hasMessageContaining("version 3 (V3__unique_values.sql)")
                        .hasMessageContaining("could not create unique index \"items_v_unique\"");
                assertThat(history(f, tenants.get(0))).hasSize(3);
                assertThat(history(f, broken)).containsExactly("1 items true", "2 index true");
                assertThat(history(f, tenants.get(2))).hasSize(3);

                f.asAdmin(broken, "DELETE FROM items WHERE k = 'b'");
                next.provisioning().ensure(broken);
                assertThat(history(f, broken)).hasSize(3).last().isEqualTo("3 unique values true");
            }
        }
    }

    @Test
    void ensureAllProvisionsTheKnownTenantsAndReportsTheUnknownOnesByTenant() {
        List<TenantId> known = ids("known", 15);
        List<TenantId> unknown = ids("ghost", 5);
        List<TenantId> input = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            input.add(known.get(i));
            if (i % 3 == 0) {
                input.add(unknown.get(i / 3));
            }
        }
        input.addAll(known.subList(0, 3));
        try (JdbcFixture f = JdbcFixture.schemas("all", List.of(), b -> b.migrations(MIGRATIONS))) {
            known.forEach(id -> f.directory.register(Tenant.builder(id).build()));
            RecordingListener listener = new RecordingListener();

            ProvisioningReport report = f.jdbc.provisioning().ensureAll(input, 4, listener);

            assertThat(report.total()).isEqualTo(20);
            assertThat(report.succeeded()).containsExactlyElementsOf(known);
            assertThat(report.failures()).containsOnlyKeys(unknown);
            assertThat(report.failures().values()).allMatch(e -> e instanceof UnknownTenantException);
            assertThat(report.allSucceeded()).isFalse();
            known.forEach(id -> assertThat(history(f, id)).hasSize(2));

            assertThat(listener.threads).containsOnly(Thread.currentThread().getName());
            assertThat(listener.failed).containsExactlyInAnyOrderElementsOf(unknown);
            assertThat(listener.progress).hasSize(20);
            for (int i = 1; i < listener.progress.size(); i++) {
                ProvisioningProgress before = listener.progress.get(i - 1);
                ProvisioningProgress after = listener.progress.get(i);
                assertThat(after.done()).isGreaterThanOrEqualTo(before.done());
                assertThat(after.failed()).isGreaterThanOrEqualTo(before.failed());
                assertThat(after.finished()).isEqualTo(before.finished() + 1);
                assertThat(after.elapsed()).isGreaterThanOrEqualTo(before.elapsed());
            }
            ProvisioningProgress last = listener.progress.get(listener.progress.size() - 1);
            assertThat(last.done() + last.failed()).isEqualTo(last.total()).isEqualTo(20);
            assertThat(last.failed()).isEqualTo(5);
            assertThat(last.complete()).isTrue();

            assertThatThrownBy(report::throwIfFailed)
                    .isInstanceOf(TenantLifecycleException.class)
                    .hasMessageStartingWith("Provisioning failed for 5 of 20 tenants: \"ghost00\"")
                    .hasMessageContaining("and 2 more")
                    .hasCause(report.failures().get(unknown.get(0)));
        }
    }

    @Test
    void aListenerThatThrowsDoesNotStopProvisioning() {
        List<TenantId> tenants = ids("loud", 6);
        try (JdbcFixture f = JdbcFixture.schemas("loud", List.of(), b -> b.migrations(MIGRATIONS))) {
            tenants.forEach(id -> f.directory.register(Tenant.builder(id).build()));
            ProvisioningListener throwing = new ProvisioningListener() {
                @Override
                public void progress(ProvisioningProgress progress) {
                    throw new IllegalStateException("listener bug at " + progress.finished());
                }

                @Override
                public void failed(TenantId tenant, RuntimeException error) {
                    throw new IllegalStateException("listener bug on failure");
                }
            };
            List<TenantId> input = new ArrayList<>(tenants);
            input.add(TenantId.of("nobody"));

            ProvisioningReport report = f.jdbc.provisioning().ensureAll(input, 2, throwing);

            assertThat(report.succeeded()).containsExactlyElementsOf(tenants);
            assertThat(report.failures()).containsOnlyKeys(TenantId.of("nobody"));
            tenants.forEach(id -> assertThat(history(f, id)).hasSize(2));
        }
    }

    @Test
    void ensureAllChecksItsArgumentsAndAcceptsNoTenants() {
        try (JdbcFixture f = JdbcFixture.schemas("args", List.of(), b -> { })) {
            assertThatThrownBy(() -> f.jdbc.provisioning().ensureAll(List.of(TenantId.of("a")), 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("parallelism must be at least 1");

            ProvisioningReport report = f.jdbc.provisioning().ensureAll(List.of(), 4);

            assertThat(report.total()).isZero();
            assertThat(report.allSucceeded()).isTrue();
            report.throwIfFailed();
        }
    }

    /** Records what it is told and on which thread; deliberately not thread-safe. */
    private static final class RecordingListener implements ProvisioningListener {
        final List<ProvisioningProgress> progress = new ArrayList<>();
        final List<TenantId> failed = new ArrayList<>();
        final List<String> threads = new ArrayList<>();

        @Override
        public void progress(ProvisioningProgress update) {
            threads.add(Thread.currentThread().getName());
            progress.add(update);
        }

        @Override
        public void failed(TenantId tenant, RuntimeException error) {
            threads.add(Thread.currentThread().getName());
            failed.add(tenant);
        }
    }

    static List<TenantId> ids(String stem, int count) {
        return IntStream.range(0, count).mapToObj(i -> TenantId.of(String.format("%s%02d", stem, i))).toList();
    }

    /** The tenant's Flyway history as "version description success", oldest first. */
    private static List<String> history(JdbcFixture f, TenantId tenant) {
        return query(f, tenant, "SELECT version || ' ' || description || ' ' || success FROM \"%s\".flyway_schema_history"
                + " ORDER BY installed_rank");
    }

    private static List<String> installedOn(JdbcFixture f, TenantId tenant) {
        return query(f, tenant, "SELECT installed_rank || ' ' || installed_on FROM \"%s\".flyway_schema_history"
                + " ORDER BY installed_rank");
    }

    private static List<String> tables(JdbcFixture f, TenantId tenant) {
        return query(f, tenant, "SELECT tablename FROM pg_tables WHERE schemaname = '%s' ORDER BY 1");
    }

    private static List<String> owners(JdbcFixture f, TenantId tenant) {
        return query(f, tenant, "SELECT tableowner FROM pg_tables WHERE schemaname = '%s'");
    }

    private static List<String> indexes(JdbcFixture f, TenantId tenant) {
        return query(f, tenant, "SELECT indexname FROM pg_indexes WHERE schemaname = '%s' ORDER BY 1");
    }

    /** Runs {@code sql}, with {@code %s} the tenant's schema, as the superuser in the tenant's database. */
    private static List<String> query(JdbcFixture f, TenantId tenant, String sql) {
        String schema = f.jdbc.schemaName(tenant).orElse("public");
        return rows(f.jdbc.databaseName(tenant), String.format(sql, schema), List.of());
    }

    private static List<String> tables(String database, String schema) {
        return rows(database, "SELECT tablename FROM pg_tables WHERE schemaname = ? ORDER BY 1", List.of(schema));
    }

    static List<String> rows(String database, String sql, List<String> parameters) {
        List<String> rows = new ArrayList<>();
        try (Connection c = PostgresServer.get().admin(database).getConnection();
                PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                p.setString(i + 1, parameters.get(i));
            }
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    rows.add(r.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
        return rows;
    }

    @ParameterizedTest
    @EnumSource(value = IsolationModel.class, names = {"FIELD", "COLLECTION"})
    void aMissingSharedDatabaseIsCreatedOwnedByTheLoginRole(IsolationModel model) {
        PostgresServer server = PostgresServer.get();
        String database = "n" + ProcessHandle.current().pid() + "_" + model.name().toLowerCase(java.util.Locale.ROOT)
                + "_" + System.nanoTime() % 1_000_000;
        Placement placement = Placement.of(model, "main", database);
        TenantJdbc.Builder builder = TenantJdbc.builder().store("main", server.appStore())
                .directory(TenantDirectory.inMemory(Tenant.builder("acme").build()))
                .router(TenantRouter.builder().otherwise(placement).build())
                .migrations(MIGRATIONS);
        if (model == IsolationModel.FIELD) {
            builder.sharedMigrations(JdbcFixture.SHARED_MIGRATIONS);
        }
        try (TenantJdbc jdbc = builder.build()) {
            jdbc.provisioning().ensure(TenantId.of("acme"));
            jdbc.provisioning().ensure(TenantId.of("acme"));
        }
        try (Connection c = server.admin("postgres").getConnection();
                PreparedStatement p = c.prepareStatement(
                        "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = ?")) {
            p.setString(1, database);
            try (ResultSet r = p.executeQuery()) {
                assertThat(r.next()).as("database %s exists", database).isTrue();
                assertThat(r.getString(1)).isEqualTo(PostgresServer.APP_USER);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
