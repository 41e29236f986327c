package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.LifecycleOperation;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantDigest;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycle;
import io.tenantry.spi.TenantDataStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Right to erasure: after {@code TenantLifecycle.delete}, a raw scan, as the superuser, of every database on
 * both servers finds nothing of the tenant: no database, schema or role named for it anywhere, and none of
 * its rows in any table with a tenant column of this suite's databases; its directory entry is gone and the
 * journal keeps the record of the deletion. Tenants whose ids collide with its id under naive naming
 * ({@code erased01}, {@code erased0_1}, {@code erased0-1} beside {@code erased0}), on the same placement and
 * with some of the same keys, keep every row. On each of the six placements.
 */
class JdbcTenantDeletionTest {

    /** Ids no other suite uses, so that the scan of every database may look for names ending with one. */
    private static final String ERASED = "erased";

    private static LifecycleFixture fixture;
    private static TenantDataStore store;

    @BeforeAll
    static void start() {
        fixture = new LifecycleFixture("erase");
        store = fixture.jdbc.dataStore();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @ParameterizedTest(name = "placement {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void deletingATenantLeavesNoTraceOfItOnEitherServerAndEveryOtherTenantWhole(int index) {
        Placement placement = fixture.placements.get(index);
        SplittableRandom random = new SplittableRandom(index);
        TenantId acme = TenantId.of(ERASED + index);
        List<TenantId> neighbours = List.of(TenantId.of(acme.value() + "1"), TenantId.of(acme.value() + "_1"),
                TenantId.of(acme.value() + "-1"));
        Map<TenantId, TenantDigest> digests = new HashMap<>();
        Map<TenantId, Map<String, List<String>>> rows = new HashMap<>();
        for (TenantId tenant : concat(acme, neighbours)) {
            fixture.directory.register(Tenant.builder(tenant).placement(placement).build());
            store.provision(tenant, placement);
            LifecycleRows.Data data = LifecycleRows.data(random, 5, tenant.equals(acme));
            while (data.rows() < 4) {
                data = LifecycleRows.data(random, 5, tenant.equals(acme));
            }
            LifecycleRows.insert(fixture.jdbc.dataSource(), tenant, data);
            digests.put(tenant, store.digest(tenant, placement));
            rows.put(tenant, fixture.read(tenant));
        }
        assertThat(traces(acme)).as("what a scan finds of the tenant before it is deleted").isNotEmpty();

        TenantLifecycle lifecycle = TenantLifecycle.builder(fixture.directory, fixture.router).store(store)
                .journal(fixture.journal).build();
        lifecycle.delete(acme);

        assertThat(traces(acme)).as("what a scan finds of the tenant after it is deleted").isEmpty();
        assertThat(fixture.directory.find(acme)).isEmpty();
        assertThat(fixture.journal.all()).filteredOn(op -> op.tenant().equals(acme)).singleElement()
                .satisfies(op -> {
                    assertThat(op.kind()).isEqualTo(LifecycleOperation.Kind.DELETE);
                    assertThat(op.step()).isEqualTo(LifecycleOperation.Step.DONE);
                });
        for (TenantId neighbour : neighbours) {
            assertThat(store.digest(neighbour, placement)).as("digest of %s", neighbour)
                    .isEqualTo(digests.get(neighbour));
            assertThat(fixture.read(neighbour)).as("rows of %s", neighbour).isEqualTo(rows.get(neighbour));
        }
    }

    private static List<TenantId> concat(TenantId first, List<TenantId> rest) {
        List<TenantId> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    /**
     * Returns what a raw scan finds of {@code tenant} on both servers: any database whose name ends with
     * {@code _<tenant>} (every database prefix ends with {@code _}), any role whose name carries
     * {@code _<tenant>~} (a tenant role is {@code prefix + tenant + "~" + database}), and in each of this
     * suite's databases (its shared databases, its tenant databases, whatever their prefix, its
     * control plane) and in {@code postgres}: schemas whose name ends with {@code _<tenant>}, and tables
     * of any schema with a {@code tenant_id} column holding rows of the tenant. The servers hold other
     * suites' databases too, whose tenants may have the same ids.
     */
    private static List<String> traces(TenantId tenant) {
        List<String> found = new ArrayList<>();
        String suffix = "%\\_" + tenant.value();
        for (PostgresServer server : List.of(fixture.main, fixture.other)) {
            String name = server == fixture.main ? "main" : "other";
            try (Connection c = server.admin("postgres").getConnection()) {
                for (String database : strings(c, "SELECT datname FROM pg_database WHERE datallowconn", null)) {
                    if (database.endsWith("_" + tenant.value())) {
                        found.add(name + ": database " + database);
                    }
                    if (!ours(database) && !database.equals("postgres")) {
                        continue;
                    }
                    try (Connection d = server.admin(database).getConnection()) {
                        strings(d, "SELECT nspname FROM pg_namespace WHERE nspname LIKE ?", suffix)
                                .forEach(schema -> found.add(name + "/" + database + ": schema " + schema));
                        LifecycleFixture.tenantRows(d, tenant)
                                .forEach(table -> found.add(name + "/" + database + ": rows in " + table));
                    }
                }
                strings(c, "SELECT rolname FROM pg_roles WHERE rolname LIKE ?", suffix + "~%")
                        .forEach(role -> found.add(name + ": role " + role));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return found;
    }

    /** Whether {@code database} is one of this suite's. */
    private static boolean ours(String database) {
        return database.equals(fixture.controlDatabase) || fixture.placements.stream()
                .anyMatch(p -> database.equals(p.namespace()) || database.startsWith(p.namespace()));
    }

    private static List<String> strings(Connection c, String sql, @Nullable String parameter) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            if (parameter != null) {
                p.setString(1, parameter);
            }
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    values.add(r.getString(1));
                }
            }
        }
        return values;
    }
}
