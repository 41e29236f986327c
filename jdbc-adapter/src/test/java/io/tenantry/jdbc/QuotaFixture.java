package io.tenantry.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.tenantry.IsolationModel;
import io.tenantry.Quota;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.TenantQuotas;
import io.tenantry.TenantUsage;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.OptionalLong;

/**
 * A {@link JdbcFixture} on one model whose tenants {@link #ACME} and {@link #OTHER} have an items quota on
 * their table {@code items}, counted in a {@link JdbcQuotaLedger} in a control-plane database of its own.
 */
final class QuotaFixture implements AutoCloseable {

    static final TenantId ACME = TenantId.of("acme");
    static final TenantId OTHER = TenantId.of("b");
    static final String KEY = "items:items";

    /** Work on a tenant connection. */
    @FunctionalInterface
    interface Work<T> {
        T on(Connection c) throws SQLException;
    }

    final JdbcFixture fixture;
    final JdbcQuotaLedger ledger;
    final long limit;
    private final HikariDataSource controlPlane;
    private TenantQuotas quotas;

    private QuotaFixture(IsolationModel model, long limit, long otherLimit) {
        this.limit = limit;
        PostgresServer server = PostgresServer.get();
        this.controlPlane = server.appPool(server.freshDatabase("quotaplane"), "quota-control-plane-" + model, 20);
        this.ledger = JdbcQuotaLedger.of(controlPlane);
        ledger.createTableIfMissing();
        this.fixture = JdbcFixture.of(model, "quota", List.of(ACME, OTHER), (directory, builder) -> {
            directory.update(directory.require(OTHER).toBuilder()
                    .attribute(TenantQuotas.ATTRIBUTE_PREFIX + "items.items", Long.toString(otherLimit)).build());
            quotas = TenantQuotas.builder(directory, ledger).tier(Tenant.DEFAULT_TIER, Quota.items("items", limit))
                    .build();
            builder.quotas(quotas);
        });
    }

    /** Tenant {@link #ACME} may hold {@code limit} items, {@link #OTHER} {@code otherLimit}. */
    static QuotaFixture of(IsolationModel model, long limit, long otherLimit) {
        return new QuotaFixture(model, limit, otherLimit);
    }

    TenantQuotas quotas() {
        return quotas;
    }

    IsolationModel model() {
        return fixture.placement.model();
    }

    /** Runs {@code work} on a new connection of {@code tenant}, inside its scope. */
    <T> T as(TenantId tenant, Work<T> work) throws SQLException {
        return TenantContext.callAs(tenant, () -> {
            try (Connection c = fixture.dataSource().getConnection()) {
                return work.on(c);
            }
        });
    }

    /** Runs {@code sql} as {@code tenant} in auto-commit mode; returns its update count. */
    long update(TenantId tenant, String sql) throws SQLException {
        return as(tenant, c -> {
            try (Statement s = c.createStatement()) {
                return s.executeLargeUpdate(sql);
            }
        });
    }

    /** The rows of {@code tenant}'s items as the superuser counts them, bypassing Tenantry. */
    long raw(TenantId tenant) {
        return fixture.itemsOf(tenant).size();
    }

    /** The ledger's count of {@code tenant}'s items. */
    OptionalLong counted(TenantId tenant) {
        return ledger.get(tenant, KEY);
    }

    /** Measures {@code tenant} and reconciles its counts with the measurement. */
    TenantUsage reconcile(TenantId tenant) {
        return quotas.reconcile(tenant, () -> fixture.jdbc.meter().measure(tenant, fixture.placement));
    }

    /** Empties both tenants' items behind Tenantry's back and forgets their counts. */
    void reset() {
        for (TenantId tenant : List.of(ACME, OTHER)) {
            fixture.asAdmin(tenant, "DELETE FROM items");
            quotas.forget(tenant);
        }
    }

    @Override
    public void close() {
        fixture.close();
        controlPlane.close();
    }
}
