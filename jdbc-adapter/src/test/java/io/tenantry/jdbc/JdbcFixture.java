package io.tenantry.jdbc;

import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantRouter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * A {@link TenantJdbc} on the test server for one model, its tenants registered and provisioned, each
 * with a table {@code items(k text primary key, v text not null)} made by its migrations. Every fixture has its own shared
 * database (schema model) or database prefix (database model), so test classes never meet.
 */
final class JdbcFixture implements AutoCloseable {

    /** Ids that collide under naive naming: a prefix of another, one with '_' and one with '-'. */
    static final List<TenantId> TENANTS = List.of(TenantId.of("acme"), TenantId.of("acme1"), TenantId.of("acme_1"),
            TenantId.of("acme-1"), TenantId.of("b"));

    /** Creates {@code items(k text primary key, v text not null)} in each tenant's schema or database. */
    static final String MIGRATIONS = "classpath:db/tenant-test";

    /** Creates the shared {@code items(tenant_id text, k text primary key, v text not null)} of the FIELD model. */
    static final String SHARED_MIGRATIONS = "classpath:db/field-test";

    private static final AtomicInteger PREFIXES = new AtomicInteger();

    final PostgresServer server = PostgresServer.get();
    final Placement placement;
    final TenantDirectory directory;
    final TenantJdbc jdbc;
    final String sharedDatabase;

    private JdbcFixture(Placement placement, String sharedDatabase, List<TenantId> tenants, JdbcStore store,
            BiConsumer<TenantDirectory, TenantJdbc.Builder> customizer) {
        this.placement = placement;
        this.sharedDatabase = sharedDatabase;
        List<Tenant> entries = new ArrayList<>();
        tenants.forEach(id -> entries.add(Tenant.builder(id).build()));
        this.directory = TenantDirectory.inMemory(entries.toArray(new Tenant[0]));
        TenantJdbc.Builder builder = TenantJdbc.builder().store("main", store).directory(directory)
                .router(TenantRouter.builder().otherwise(placement).build())
                .rolePrefix("r" + PREFIXES.incrementAndGet() + "_")
                .migrations(MIGRATIONS)
                .sharedMigrations(SHARED_MIGRATIONS);
        customizer.accept(directory, builder);
        this.jdbc = builder.build();
        jdbc.provisioning().ensureAll(tenants, 4).throwIfFailed();
    }

    /** Tenants on a schema each in a new shared database, the store logging in as a non-superuser. */
    static JdbcFixture schemas(String hint) {
        return schemas(hint, TENANTS, b -> { });
    }

    static JdbcFixture schemas(String hint, List<TenantId> tenants, Consumer<TenantJdbc.Builder> customizer) {
        return schemas(hint, tenants, customizer, PostgresServer.get().appStore());
    }

    static JdbcFixture schemas(String hint, List<TenantId> tenants, Consumer<TenantJdbc.Builder> customizer,
            JdbcStore store) {
        String database = PostgresServer.get().freshDatabase(hint);
        return new JdbcFixture(Placement.schema("main", database), database, tenants, store,
                (d, b) -> customizer.accept(b));
    }

    /** Tenants on a database each, under a new prefix, the store logging in as a non-superuser. */
    static JdbcFixture databases(String hint) {
        return databases(hint, TENANTS, b -> { });
    }

    static JdbcFixture databases(String hint, List<TenantId> tenants, Consumer<TenantJdbc.Builder> customizer) {
        return databases(hint, tenants, customizer, PostgresServer.get().appStore());
    }

    static JdbcFixture databases(String hint, List<TenantId> tenants, Consumer<TenantJdbc.Builder> customizer,
            JdbcStore store) {
        String prefix = "d" + ProcessHandle.current().pid() + "_" + PREFIXES.incrementAndGet() + "_";
        return new JdbcFixture(Placement.database("main", prefix), "postgres", tenants, store,
                (d, b) -> customizer.accept(b));
    }

    /** Tenants on the shared tables (FIELD model) of a new database, the store logging in as a non-superuser. */
    static JdbcFixture shared(String hint) {
        return shared(hint, TENANTS, b -> { });
    }

    static JdbcFixture shared(String hint, List<TenantId> tenants, Consumer<TenantJdbc.Builder> customizer) {
        return shared(hint, tenants, customizer, PostgresServer.get().appStore());
    }

    static JdbcFixture shared(String hint, List<TenantId> tenants, Consumer<TenantJdbc.Builder> customizer,
            JdbcStore store) {
        String database = PostgresServer.get().freshDatabase(hint);
        return new JdbcFixture(Placement.field("main", database), database, tenants, store,
                (d, b) -> customizer.accept(b));
    }

    /**
     * Tenants on {@code model} (FIELD, COLLECTION for a schema each, DATABASE), the store logging in as a
     * non-superuser, the builder customized with the fixture's directory at hand (for quotas over it).
     */
    static JdbcFixture of(io.tenantry.IsolationModel model, String hint, List<TenantId> tenants,
            BiConsumer<TenantDirectory, TenantJdbc.Builder> customizer) {
        PostgresServer server = PostgresServer.get();
        return switch (model) {
            case FIELD -> {
                String database = server.freshDatabase(hint);
                yield new JdbcFixture(Placement.field("main", database), database, tenants, server.appStore(),
                        customizer);
            }
            case COLLECTION -> {
                String database = server.freshDatabase(hint);
                yield new JdbcFixture(Placement.schema("main", database), database, tenants, server.appStore(),
                        customizer);
            }
            case DATABASE -> new JdbcFixture(Placement.database("main", "d" + ProcessHandle.current().pid() + "_"
                    + PREFIXES.incrementAndGet() + "_"), "postgres", tenants, server.appStore(), customizer);
        };
    }

    DataSource dataSource() {
        return jdbc.dataSource();
    }

    boolean schemaModel() {
        return placement.model() == io.tenantry.IsolationModel.COLLECTION;
    }

    boolean fieldModel() {
        return placement.model() == io.tenantry.IsolationModel.FIELD;
    }

    /**
     * Runs {@code sql} as the superuser inside {@code tenant}'s schema (as its role) or database, the way
     * a migration would, bypassing Tenantry.
     */
    void asAdmin(TenantId tenant, String sql) {
        try (Connection c = adminConnection(tenant); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Returns the rows of {@code tenant}'s items, read as the superuser bypassing Tenantry, as "k=v" strings. */
    List<String> itemsOf(TenantId tenant) {
        List<String> rows = new ArrayList<>();
        String sql = fieldModel() ? "SELECT k, v FROM items WHERE tenant_id = '" + tenant + "' ORDER BY k"
                : "SELECT k, v FROM items ORDER BY k";
        try (Connection c = fieldModel() ? server.admin(sharedDatabase).getConnection() : adminConnection(tenant);
                Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                rows.add(r.getString(1) + "=" + r.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    /**
     * A connection to {@code tenant}'s database outside Tenantry: as the superuser set to the tenant's
     * role and schema on the schema model, to the shared tables' role and the tenant's setting on the
     * FIELD model (inserts take the tenant as the column's default), as the store's login role (the
     * database's owner) otherwise.
     */
    Connection adminConnection(TenantId tenant) throws SQLException {
        if (fieldModel()) {
            Connection c = server.admin(sharedDatabase).getConnection();
            try (Statement s = c.createStatement()) {
                s.execute(targetOf(tenant).switchSql());
            }
            return c;
        }
        if (!schemaModel()) {
            return JdbcProvisioning.unpooled(server.appStore(), jdbc.databaseName(tenant)).getConnection();
        }
        Connection c = server.admin(jdbc.databaseName(tenant)).getConnection();
        JdbcTarget target = targetOf(tenant);
        try (Statement s = c.createStatement()) {
            s.execute("SET ROLE " + JdbcNames.quote(target.role()) + "; SET search_path TO "
                    + JdbcNames.quote(target.schema()));
        }
        return c;
    }

    JdbcTarget targetOf(TenantId tenant) {
        return jdbc.routing().target(tenant);
    }

    /** Empties every tenant's items, each through Tenantry's pooled connections (a new admin connection costs more). */
    void clear(List<TenantId> tenants) {
        for (TenantId tenant : tenants) {
            try {
                TenantContext.runAs(tenant, () -> {
                    try (Connection c = jdbc.dataSource().getConnection(); Statement s = c.createStatement()) {
                        s.execute("DELETE FROM items");
                    }
                });
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        jdbc.close();
    }
}
