package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.IsolationModel;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantId;
import io.tenantry.TenantMetering;
import io.tenantry.TenantUsage;
import io.tenantry.spi.TenantDataStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Metering on real PostgreSQL, on each of six placements (three models on two servers), with neighbours
 * whose ids collide under naive naming on the same placement: the rows and bytes {@link TenantMetering}
 * reports per table equal what the superuser counts raw, by the tenant column on shared tables, and the
 * tables' total relation size where the tenant has its own.
 */
class JdbcMeteringTest {

    private static LifecycleFixture fixture;
    private static TenantDataStore store;

    @BeforeAll
    static void start() {
        fixture = new LifecycleFixture("meter");
        store = fixture.jdbc.dataStore();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @ParameterizedTest(name = "placement {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void meteringEqualsWhatTheSuperuserCountsRaw(int index) throws SQLException {
        Placement placement = fixture.placements.get(index);
        SplittableRandom random = new SplittableRandom(40 + index);
        TenantId tenant = TenantId.of("metered" + index);
        List<TenantId> neighbours = List.of(TenantId.of(tenant.value() + "1"), TenantId.of(tenant.value() + "_1"));
        for (TenantId id : List.of(tenant, neighbours.get(0), neighbours.get(1))) {
            fixture.directory.register(Tenant.builder(id).placement(placement).build());
            store.provision(id, placement);
            LifecycleRows.Data data = LifecycleRows.data(random, 5, random.nextBoolean());
            while (data.rows() < 2) {
                data = LifecycleRows.data(random, 5, false);
            }
            LifecycleRows.insert(fixture.jdbc.dataSource(), id, data);
        }
        TenantMetering metering = TenantMetering.builder(fixture.directory, fixture.router).meter(fixture.jdbc.meter())
                .build();

        TenantUsage usage = metering.usage(tenant);

        assertThat(usage.placement()).isEqualTo(placement);
        assertThat(usage.resources()).isEqualTo(raw(tenant, placement));
        assertThat(usage.totalItems()).isEqualTo(LifecycleRows.rows(fixture.read(tenant)));
        assertThat(usage.totalBytes()).isPositive();
        for (TenantId neighbour : neighbours) {
            assertThat(metering.usage(neighbour).resources()).as("%s", neighbour).isEqualTo(raw(neighbour, placement));
        }
    }

    /** Counts the tenant's rows and bytes as the superuser, without Tenantry's sessions. */
    private static Map<String, TenantUsage.Resource> raw(TenantId tenant, Placement placement) throws SQLException {
        JdbcTarget target = fixture.target(tenant, placement);
        String schema = target.schema() == null ? "public" : target.schema();
        Map<String, TenantUsage.Resource> found = new TreeMap<>();
        try (Connection c = fixture.serverOf(placement).admin(target.database()).getConnection()) {
            for (String table : List.of("wallets", "entries")) {
                String qualified = JdbcNames.quote(schema) + "." + JdbcNames.quote(table);
                String sql = placement.model() == IsolationModel.FIELD
                        ? "SELECT count(*), coalesce(sum(pg_column_size(t.*)), 0) FROM " + qualified
                                + " t WHERE t.tenant_id::text = ?"
                        : "SELECT count(*), pg_total_relation_size(?::regclass) FROM " + qualified;
                try (PreparedStatement p = c.prepareStatement(sql)) {
                    p.setString(1, placement.model() == IsolationModel.FIELD ? tenant.value() : qualified);
                    try (ResultSet r = p.executeQuery()) {
                        r.next();
                        found.put(table, new TenantUsage.Resource(r.getLong(1), r.getLong(2)));
                    }
                }
            }
        }
        return found;
    }
}
