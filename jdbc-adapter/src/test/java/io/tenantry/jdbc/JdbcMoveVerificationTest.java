package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.IsolationModel;
import io.tenantry.LifecycleOperation;
import io.tenantry.LifecycleProgress;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDigest;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycle;
import io.tenantry.TenantLifecycleException;
import io.tenantry.TenantStatus;
import io.tenantry.spi.TenantDataStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A copy that does not match its source is never switched to: the store is wrapped to lose one row, or to
 * change one value, on the target after copying; the digests differ, the lifecycle erases the copy (nothing
 * of the tenant is left at the target, scanned raw), and the tenant stays where it was, with every row,
 * writable again. And a copy is moved over its sequences: after a move from shared tables (where the
 * application gives the numbers) into a schema or a database, the tenant's next insert draws a number past
 * the copied ones.
 */
class JdbcMoveVerificationTest {

    private static LifecycleFixture fixture;
    private static TenantDataStore store;

    @BeforeAll
    static void start() {
        fixture = new LifecycleFixture("verify");
        store = fixture.jdbc.dataStore();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    enum Tampering {
        /** Deletes one of the copied entries. */
        DROP_A_ROW,
        /** Changes one byte of one copied wallet's avatar. */
        CHANGE_A_VALUE
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({"0, 3, DROP_A_ROW", "1, 5, CHANGE_A_VALUE", "2, 4, DROP_A_ROW", "4, 0, CHANGE_A_VALUE"})
    void aCopyThatDoesNotMatchItsSourceIsErasedAndTheTenantStaysWritableWhereItWas(int fromIndex, int toIndex,
            Tampering tampering) throws SQLException {
        Placement from = fixture.placements.get(fromIndex);
        Placement to = fixture.placements.get(toIndex);
        TenantId tenant = TenantId.of("tampered-" + fromIndex);
        fixture.directory.register(Tenant.builder(tenant).placement(from).build());
        store.provision(tenant, from);
        LifecycleRows.Data data = LifecycleRows.data(new SplittableRandom(fromIndex), 6, false);
        while (data.entries().isEmpty()
                || data.wallets().stream().noneMatch(w -> w.avatar() != null && w.avatar().length > 0)) {
            data = LifecycleRows.data(new SplittableRandom(data.rows() + 31L * fromIndex), 6, false);
        }
        LifecycleRows.insert(fixture.jdbc.dataSource(), tenant, data);
        Map<String, List<String>> before = fixture.read(tenant);
        TenantDigest digest = store.digest(tenant, from);
        int wallets = data.wallets().size();

        TenantDataStore tampered = new TenantDataStore() {
            @Override
            public boolean serves(Placement placement) {
                return store.serves(placement);
            }

            @Override
            public void provision(TenantId t, Placement placement) {
                store.provision(t, placement);
            }

            @Override
            public void copy(TenantId t, Placement source, Placement target, CopyProgress progress) {
                store.copy(t, source, target, progress);
                tamper(t, target, tampering);
            }

            @Override
            public TenantDigest digest(TenantId t, Placement placement) {
                return store.digest(t, placement);
            }

            @Override
            public void erase(TenantId t, Placement placement) {
                store.erase(t, placement);
            }
        };
        TenantLifecycle lifecycle = TenantLifecycle.builder(fixture.directory, fixture.router).store(tampered)
                .journal(fixture.journal).build();
        String table = tampering == Tampering.DROP_A_ROW ? "entries" : "wallets";
        assertThatThrownBy(() -> lifecycle.move(tenant, to, LifecycleProgress.Listener.none()))
                .isInstanceOf(TenantLifecycleException.class).hasMessageContaining("does not match")
                .hasMessageContaining(table + ": ").hasMessageContaining("stays at " + from);

        Tenant after = fixture.directory.require(tenant);
        assertThat(after.placement()).contains(from);
        assertThat(after.status()).isEqualTo(TenantStatus.ACTIVE);
        assertThat(store.digest(tenant, from)).isEqualTo(digest);
        assertThat(fixture.read(tenant)).isEqualTo(before);
        fixture.assertNothingOf(tenant, to);
        assertThat(fixture.journal.all()).filteredOn(op -> op.tenant().equals(tenant)).singleElement()
                .satisfies(op -> assertThat(op.step()).isEqualTo(LifecycleOperation.Step.ROLLED_BACK));
        TenantContext.runAs(tenant, () -> {
            try (Connection c = fixture.jdbc.dataSource().getConnection(); Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("UPDATE wallets SET owner = owner || '!'")).isEqualTo(wallets);
            }
        });
    }

    /** Loses one entry, or changes one avatar byte, of {@code tenant}'s copy at {@code target}, raw. */
    private static void tamper(TenantId tenant, Placement target, Tampering tampering) {
        JdbcTarget names = fixture.target(tenant, target);
        String schema = JdbcNames.quote(names.schema() == null ? "public" : names.schema());
        String mine = target.model() == IsolationModel.FIELD ? "tenant_id = '" + tenant + "' AND " : "";
        String sql = tampering == Tampering.DROP_A_ROW
                ? "DELETE FROM " + schema + ".entries WHERE " + mine + "id = (SELECT min(id::text)::uuid FROM " + schema
                        + ".entries WHERE " + mine + "true)"
                : "UPDATE " + schema + ".wallets SET avatar = set_byte(avatar, 0, (get_byte(avatar, 0) + 1) % 256)"
                        + " WHERE " + mine + "id = (SELECT min(id::text)::uuid FROM " + schema + ".wallets WHERE " + mine
                        + "length(avatar) > 0)";
        try (Connection c = fixture.serverOf(target).admin(names.database()).getConnection();
                Statement s = c.createStatement()) {
            assertThat(s.executeUpdate(sql)).as(sql).isEqualTo(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Test
    void aMoveFromSharedTablesIntoASchemaOrADatabaseMovesTheIdentityPastTheCopiedNumbers() throws SQLException {
        for (Placement to : List.of(fixture.placements.get(1), fixture.placements.get(3))) {
            TenantId tenant = TenantId.of("numbered-" + to.model().name().toLowerCase(java.util.Locale.ROOT));
            fixture.directory.register(Tenant.builder(tenant).placement(fixture.placements.get(0)).build());
            store.provision(tenant, fixture.placements.get(0));
            LifecycleRows.Data data = LifecycleRows.data(new SplittableRandom(7), 6, false);
            while (data.entries().isEmpty()) {
                data = LifecycleRows.data(new SplittableRandom(data.rows() + 1L), 6, false);
            }
            LifecycleRows.insert(fixture.jdbc.dataSource(), tenant, data);
            long largest = data.entries().stream().mapToLong(LifecycleRows.Entry::seq).max().orElseThrow();
            TenantLifecycle.builder(fixture.directory, fixture.router).store(store).journal(fixture.journal).build()
                    .move(tenant, to, LifecycleProgress.Listener.none());
            TenantContext.runAs(tenant, () -> {
                try (Connection c = fixture.jdbc.dataSource().getConnection(); Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO entries (id, wallet_id, booked) SELECT gen_random_uuid(), id, now()"
                            + " FROM wallets LIMIT 1");
                    try (var r = s.executeQuery("SELECT max(seq) FROM entries")) {
                        r.next();
                        assertThat(r.getLong(1)).as("the number drawn after the move to %s", to).isEqualTo(largest + 1);
                    }
                }
            });
        }
    }
}
