package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.TenantContext;
import io.tenantry.TenantDigest;
import io.tenantry.TenantId;
import io.tenantry.spi.TenantDataStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The data store's contract on each model, apart from the lifecycle: every method may run again (erase twice,
 * provision after erase), a placement that is not there measures empty, and erasing one tenant leaves the
 * tenants whose ids collide with its id as they were. With {@code resetOnReturn(false)}, pooled sessions that
 * pointed at an erased tenant's role do not outlive it.
 */
class JdbcTenantDataStoreTest {

    private static final TenantId ACME = JdbcFixture.TENANTS.get(0);
    private static final List<TenantId> OTHERS = JdbcFixture.TENANTS.subList(1, JdbcFixture.TENANTS.size());

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"shared", "schemas", "databases"})
    void eraseRunsTwiceMeasuresEmptyAndLeavesTheOthersAndProvisioningBringsTheTenantBack(String model)
            throws SQLException {
        try (JdbcFixture fixture = fixture(model, false)) {
            TenantDataStore store = fixture.jdbc.dataStore();
            for (TenantId tenant : JdbcFixture.TENANTS) {
                fixture.asAdmin(tenant, "INSERT INTO items (k, v) VALUES ('a', '" + tenant + "'), ('b', 'x')");
            }
            TenantDigest others = digests(store, fixture);
            assertThat(store.digest(ACME, fixture.placement).totalCount()).isEqualTo(2);

            store.erase(ACME, fixture.placement);
            store.erase(ACME, fixture.placement);

            assertThat(store.digest(ACME, fixture.placement).resources()).isEmpty();
            assertThat(digests(store, fixture)).isEqualTo(others);
            store.provision(ACME, fixture.placement);
            assertThat(count(fixture, ACME)).isZero();
            assertThat(fixture.itemsOf(OTHERS.get(0))).containsExactly("a=" + OTHERS.get(0), "b=x");
        }
    }

    @ParameterizedTest(name = "resetOnReturn({0})")
    @ValueSource(booleans = {false, true})
    void aTenantErasedAndProvisionedAgainGetsSessionsOfItsNewRole(boolean resetOnReturn) throws SQLException {
        try (JdbcFixture fixture = fixture("schemas", resetOnReturn)) {
            TenantDataStore store = fixture.jdbc.dataStore();
            fixture.asAdmin(ACME, "INSERT INTO items (k, v) VALUES ('a', 'before')");
            assertThat(count(fixture, ACME)).isEqualTo(1); // the pool's session now points at acme's role

            store.erase(ACME, fixture.placement);
            store.provision(ACME, fixture.placement);

            assertThat(count(fixture, ACME)).isZero();
            fixture.asAdmin(ACME, "INSERT INTO items (k, v) VALUES ('a', 'after')");
            assertThat(count(fixture, ACME)).isEqualTo(1);
        }
    }

    private static JdbcFixture fixture(String model, boolean resetOnReturn) {
        List<TenantId> tenants = JdbcFixture.TENANTS;
        return switch (model) {
            case "shared" -> JdbcFixture.shared("store", tenants, b -> b.resetOnReturn(resetOnReturn));
            // one connection, so that the session the tenant used is the one it gets again
            case "schemas" -> JdbcFixture.schemas("store", tenants,
                    b -> b.resetOnReturn(resetOnReturn).connectionBudget(1));
            default -> JdbcFixture.databases("store", tenants, b -> b.resetOnReturn(resetOnReturn));
        };
    }

    /** The other tenants' digests, as one digest with a resource per tenant and table. */
    private static TenantDigest digests(TenantDataStore store, JdbcFixture fixture) {
        TenantDigest.Builder all = TenantDigest.builder();
        for (TenantId other : OTHERS) {
            store.digest(other, fixture.placement).resources().forEach((table, entry) ->
                    all.add(other + "/" + table + "/" + entry.count(), entry.hash().getBytes(
                            java.nio.charset.StandardCharsets.UTF_8)));
        }
        return all.build();
    }

    /** Counts the tenant's items through Tenantry's routing data source. */
    private static long count(JdbcFixture fixture, TenantId tenant) throws SQLException {
        return TenantContext.callAs(tenant, () -> {
            try (Connection c = fixture.dataSource().getConnection(); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT count(*) FROM items")) {
                r.next();
                return r.getLong(1);
            }
        });
    }
}
