package io.tenantry.spring.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.tenantry.IsolationViolationException;
import io.tenantry.NoTenantBoundException;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.TenantScope;
import io.tenantry.TenantryException;
import io.tenantry.jdbc.TenantJdbc;
import io.tenantry.spring.jdbc.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One repository scenario, written once and run by each Spring Data stack (a short subclass per stack)
 * on Tenantry's routing {@code DataSource}: create, find by id, update, delete, a derived query, a native
 * query, another tenant's id, a forged tenant column, and transactions that never span two tenants. It
 * runs on all three models, with two tenants on each so that isolation shows within a model: tier
 * {@code free} on shared tables with a tenant column, {@code pro} on a schema per tenant, {@code
 * enterprise} on a database per tenant. Each runner gets its own databases from {@link #placeTenants}.
 */
public abstract class RepositoryIsolationScenario {

    static final List<String> TENANTS = List.of("free1", "free2", "pro1", "pro2", "ent1", "ent2");

    @Autowired
    protected TransactionalWork work;

    @Autowired
    protected TransactionTemplate transactions;

    @Autowired
    protected TenantJdbc tenantJdbc;

    @Autowired
    protected Environment environment;

    /** A card as the scenario sees it, whatever the stack's entity class. */
    public record CardRow(UUID id, String name, int value) {
    }

    /** What the scenario asks of a stack: its own repository methods, mapped onto {@link CardRow}. */
    protected interface Cards {

        /** Saves a new card (no id) and returns it as stored, with its id. */
        CardRow create(String name, int value);

        /** Saves an entity that carries {@code card}'s id: an update when that id is the caller's own. */
        CardRow save(CardRow card);

        Optional<CardRow> findById(UUID id);

        boolean existsById(UUID id);

        void deleteById(UUID id);

        /** The repository's derived query on the name. */
        List<CardRow> findByName(String name);

        /** The repository's native query: {@code SELECT * FROM cards WHERE value >= ? ORDER BY name}. */
        List<CardRow> worthAtLeast(int value);

        /** The repository's native update: {@code UPDATE cards SET value = ? WHERE id = ?}; the rows changed. */
        int revalue(UUID id, int value);

        List<CardRow> findAll();

        long count();

        void deleteAll();

        /** Saves a new entity that maps the tenant column itself and gives it {@code tenantId} (shared tables). */
        CardRow createStamped(String name, int value, String tenantId);
    }

    /** Runs work in one transaction, as an application's {@code @Transactional} service method does. */
    public static class TransactionalWork {

        @Transactional
        public void inTransaction(Runnable work) {
            work.run();
        }
    }

    /** Returns the stack's repository, adapted. */
    protected abstract Cards cards();

    /**
     * Registers fresh databases (the control plane, the shared tables' database, the schemas' database),
     * a fresh database prefix, the tiers' rules, the migrations and the six tenants.
     */
    protected static void placeTenants(DynamicPropertyRegistry registry) {
        properties().forEach((name, value) -> registry.add(name, () -> value));
    }

    /** Returns what {@link #placeTenants} registers, on databases created now. */
    public static Map<String, String> properties() {
        TestPostgres postgres = TestPostgres.get();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("spring.datasource.url", postgres.url(postgres.freshDatabase("repo_control")));
        p.put("spring.datasource.username", TestPostgres.APP_USER);
        p.put("spring.datasource.password", TestPostgres.APP_PASSWORD);
        p.put("tenantry.mongodb.enabled", "false");
        p.put("tenantry.routing.tiers.free.model", "field");
        p.put("tenantry.routing.tiers.free.database", postgres.freshDatabase("repo_shared"));
        p.put("tenantry.routing.tiers.pro.model", "collection");
        p.put("tenantry.routing.tiers.pro.database", postgres.freshDatabase("repo_schemas"));
        p.put("tenantry.routing.tiers.enterprise.model", "database");
        p.put("tenantry.routing.tiers.enterprise.prefix", postgres.freshPrefix());
        p.put("tenantry.jdbc.migrations", "classpath:db/repository/tenant");
        p.put("tenantry.jdbc.shared-migrations", "classpath:db/repository/shared");
        p.put("tenantry.jdbc.connection-budget", "30");
        for (int i = 0; i < TENANTS.size(); i++) {
            String tenant = TENANTS.get(i);
            p.put("tenantry.directory.tenants[" + i + "].id", tenant);
            p.put("tenantry.directory.tenants[" + i + "].tier",
                    tenant.startsWith("free") ? "free" : tenant.startsWith("pro") ? "pro" : "enterprise");
        }
        return p;
    }

    static Stream<Arguments> models() {
        return Stream.of(arguments("field", "free1", "free2"), arguments("schema", "pro1", "pro2"),
                arguments("database", "ent1", "ent2"));
    }

    static Stream<Arguments> tenantSwitches() {
        return Stream.of(arguments("free1", "free2"), arguments("pro1", "pro2"), arguments("ent1", "ent2"),
                arguments("free1", "ent1"), arguments("ent2", "pro1"), arguments("pro2", "free2"));
    }

    @BeforeEach
    void emptyTables() {
        for (String tenant : TENANTS) {
            run(tenant, () -> cards().deleteAll());
        }
    }

    @ParameterizedTest(name = "{0} model")
    @MethodSource("models")
    @DisplayName("Each tenant finds only the cards it created: all, by id, by a derived query and by a native query")
    void eachTenantFindsOnlyItsOwnCards(String model, String a, String b) {
        CardRow lotus = as(a, () -> cards().create("black lotus", 100));
        CardRow pearl = as(a, () -> cards().create("mox pearl", 50));
        CardRow theirLotus = as(b, () -> cards().create("black lotus", 7));
        CardRow walk = as(b, () -> cards().create("time walk", 80));

        assertThat(as(a, () -> cards().findAll())).containsExactlyInAnyOrder(lotus, pearl);
        assertThat(as(b, () -> cards().findAll())).containsExactlyInAnyOrder(theirLotus, walk);
        assertThat(as(a, () -> cards().count())).isEqualTo(2);
        assertThat(as(a, () -> cards().findById(lotus.id()))).contains(lotus);
        assertThat(as(b, () -> cards().findById(theirLotus.id()))).contains(theirLotus);
        assertThat(as(a, () -> cards().findByName("black lotus"))).containsExactly(lotus);
        assertThat(as(b, () -> cards().findByName("black lotus"))).containsExactly(theirLotus);
        assertThat(as(a, () -> cards().findByName("time walk"))).isEmpty();
        assertThat(as(a, () -> cards().worthAtLeast(60))).containsExactly(lotus);
        assertThat(as(b, () -> cards().worthAtLeast(60))).containsExactly(walk);
        assertThat(as(b, () -> cards().worthAtLeast(0))).containsExactly(theirLotus, walk);
    }

    @ParameterizedTest(name = "{0} model")
    @MethodSource("models")
    @DisplayName("Updates and deletes change the tenant's own cards and never another tenant's")
    void updatesAndDeletesChangeOnlyTheTenantsOwnCards(String model, String a, String b) {
        CardRow mine = as(a, () -> cards().create("shivan dragon", 5));
        CardRow other = as(a, () -> cards().create("serra angel", 3));
        CardRow theirs = as(b, () -> cards().create("shivan dragon", 5));

        CardRow loaded = as(a, () -> cards().findById(mine.id())).orElseThrow();
        as(a, () -> cards().save(new CardRow(loaded.id(), "shivan dragon (foil)", 9)));
        assertThat(as(a, () -> cards().findById(mine.id()))).contains(new CardRow(mine.id(), "shivan dragon (foil)", 9));
        assertThat(as(a, () -> cards().revalue(mine.id(), 12))).isEqualTo(1);
        assertThat(as(a, () -> cards().findByName("shivan dragon (foil)")))
                .containsExactly(new CardRow(mine.id(), "shivan dragon (foil)", 12));
        assertThat(as(b, () -> cards().findAll())).containsExactly(theirs);

        run(a, () -> cards().deleteById(mine.id()));
        assertThat(as(a, () -> cards().findAll())).containsExactly(other);
        run(a, () -> cards().deleteAll());
        assertThat(as(a, () -> cards().count())).isZero();
        assertThat(as(b, () -> cards().findAll())).containsExactly(theirs);
    }

    @ParameterizedTest(name = "{0} model")
    @MethodSource("models")
    @DisplayName("Another tenant's id finds nothing and changes nothing, and looks like an id nobody has")
    void anotherTenantsIdFindsNothingAndChangesNothing(String model, String a, String b) {
        CardRow mine = as(a, () -> cards().create("ancestral recall", 300));

        assertThat(as(b, () -> cards().findById(mine.id()))).isEmpty();
        assertThat(as(b, () -> cards().existsById(mine.id()))).isFalse();
        assertThat(as(b, () -> cards().revalue(mine.id(), 0))).isZero();
        run(b, () -> cards().deleteById(mine.id()));
        String foreign = outcome(b, () -> cards().save(new CardRow(mine.id(), "stolen", 0)));
        String unused = outcome(b, () -> cards().save(new CardRow(UUID.randomUUID(), "stolen", 0)));

        assertThat(foreign).as("saving another tenant's id ends as saving an id nobody has").isEqualTo(unused);
        assertThat(as(a, () -> cards().findAll())).containsExactly(mine);
        assertThat(as(a, () -> cards().findById(mine.id()))).contains(mine);
        assertThat(as(b, () -> cards().findAll())).allSatisfy(card -> assertThat(card.name()).isEqualTo("stolen"));
    }

    @Test
    @DisplayName("On shared tables an entity that writes the tenant column is refused for another tenant, kept for its own")
    void aForgedTenantColumnIsRefused() {
        Throwable forged = catchThrowable(() -> as("free1", () -> cards().createStamped("forged", 1, "free2")));

        assertThat(forged).isInstanceOf(IsolationViolationException.class)
                .hasMessageContaining("'free2'").hasMessageContaining("\"free1\"");
        assertThat(as("free2", () -> cards().count())).isZero();
        assertThat(as("free1", () -> cards().count())).isZero();

        CardRow honest = as("free1", () -> cards().createStamped("honest", 2, "free1"));
        assertThat(as("free1", () -> cards().findAll())).containsExactly(honest);
        assertThat(as("free2", () -> cards().count())).isZero();
        assertThat(query(sharedDatabase(), "SELECT tenant_id || ':' || name FROM public.cards"))
                .containsExactly("free1:honest");
    }

    @Test
    @DisplayName("Each model keeps the data where its rule says: a shared table, the tenant's schema, the tenant's database")
    void theModelsKeepTheirDataWhereTheRulesSay() {
        as("free1", () -> cards().create("on shared tables", 1));
        as("pro1", () -> cards().create("in a schema", 2));
        as("ent1", () -> cards().create("in a database", 3));

        assertThat(query(sharedDatabase(), "SELECT tenant_id || ':' || name FROM public.cards"))
                .containsExactly("free1:on shared tables");
        String schema = tenantJdbc.schemaName(TenantId.of("pro1")).orElseThrow();
        String schemas = environment.getRequiredProperty("tenantry.routing.tiers.pro.database");
        assertThat(tenantJdbc.databaseName(TenantId.of("pro1"))).isEqualTo(schemas);
        assertThat(query(schemas, "SELECT name FROM \"" + schema + "\".cards")).containsExactly("in a schema");
        String otherSchema = tenantJdbc.schemaName(TenantId.of("pro2")).orElseThrow();
        assertThat(otherSchema).isNotEqualTo(schema);
        assertThat(query(schemas, "SELECT name FROM \"" + otherSchema + "\".cards")).isEmpty();
        String database = tenantJdbc.databaseName(TenantId.of("ent1"));
        assertThat(database).startsWith(environment.getRequiredProperty("tenantry.routing.tiers.enterprise.prefix"));
        assertThat(query(database, "SELECT name FROM public.cards")).containsExactly("in a database");
        assertThat(query(tenantJdbc.databaseName(TenantId.of("ent2")), "SELECT name FROM public.cards")).isEmpty();
    }

    @Test
    @DisplayName("Without a bound tenant the repository refuses to work and nothing is sent")
    void withoutATenantTheRepositoryRefusesToWork() {
        assertThatThrownBy(() -> cards().count())
                .satisfies(e -> assertThat(tenantryCause(e)).isInstanceOf(NoTenantBoundException.class));
        assertThatThrownBy(() -> cards().create("nobody's", 0))
                .satisfies(e -> assertThat(tenantryCause(e)).isInstanceOf(NoTenantBoundException.class));
    }

    @ParameterizedTest(name = "{0} then {1}")
    @MethodSource("tenantSwitches")
    @DisplayName("A @Transactional method that binds another tenant is refused at once and its work rolled back")
    void aTransactionNeverSpansTwoTenants(String first, String second) {
        AtomicBoolean reached = new AtomicBoolean();

        Throwable refused = catchThrowable(() -> run(first, () -> work.inTransaction(() -> {
            cards().create("before the switch", 1);
            TenantContext.runAs(TenantId.of(second), () -> {
                reached.set(true);
                cards().create("after the switch", 2);
            });
        })));

        assertThat(refused).isInstanceOf(IsolationViolationException.class)
                .hasMessageContaining(first).hasMessageContaining(second);
        assertThat(reached).as("nothing ran for the second tenant").isFalse();
        assertThat(as(first, () -> cards().count())).as("the first tenant's work was rolled back").isZero();
        assertThat(as(second, () -> cards().count())).isZero();
        assertThat(TenantContext.find()).isEmpty();
        as(second, () -> cards().create("next unit of work", 3));
        assertThat(as(second, () -> cards().findAll())).extracting(CardRow::name).containsExactly("next unit of work");
    }

    @Test
    @DisplayName("A TransactionTemplate refuses the switch too, to another tenant or to the system scope")
    void aTransactionTemplateRefusesTheSwitchToo() {
        AtomicBoolean reached = new AtomicBoolean();

        Throwable toTenant = catchThrowable(() -> run("pro1", () -> transactions.executeWithoutResult(status -> {
            cards().create("before the switch", 1);
            TenantContext.callAs(TenantId.of("free1"), () -> {
                reached.set(true);
                return cards().create("after the switch", 2);
            });
        })));
        Throwable toSystem = catchThrowable(() -> run("pro1", () -> transactions.executeWithoutResult(status -> {
            cards().create("before the switch", 1);
            try (TenantScope system = TenantContext.openSystem("a report over all tenants")) {
                reached.set(true);
            }
        })));

        assertThat(toTenant).isInstanceOf(IsolationViolationException.class)
                .hasMessageContaining("\"pro1\"").hasMessageContaining("\"free1\"");
        assertThat(toSystem).isInstanceOf(IsolationViolationException.class)
                .hasMessageContaining("\"pro1\"").hasMessageContaining("a report over all tenants");
        assertThat(reached).as("nothing ran after the switch").isFalse();
        assertThat(as("pro1", () -> cards().count())).isZero();
        assertThat(as("free1", () -> cards().count())).isZero();
    }

    @Test
    @DisplayName("Inside its transaction the tenant may be bound again, and after it ends another tenant may be")
    void theTransactionsOwnTenantMayBeBoundAgain() {
        run("ent1", () -> {
            work.inTransaction(() -> {
                cards().create("outer", 1);
                TenantContext.runAs(TenantId.of("ent1"), () -> cards().create("inner", 2));
            });
            TenantContext.runAs(TenantId.of("ent2"), () -> cards().create("after the transaction", 3));
        });

        assertThat(as("ent1", () -> cards().findAll())).extracting(CardRow::name)
                .containsExactlyInAnyOrder("outer", "inner");
        assertThat(as("ent2", () -> cards().findAll())).extracting(CardRow::name)
                .containsExactly("after the transaction");
    }

    /** Returns the first Tenantry exception in {@code failure}'s causes, or {@code failure} itself. */
    protected static Throwable tenantryCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TenantryException) {
                return t;
            }
        }
        return failure;
    }

    /** Runs {@code work} for {@code tenant} and names what happened: "saved", or the exception thrown. */
    private static String outcome(String tenant, Runnable work) {
        try {
            run(tenant, work);
            return "saved";
        } catch (RuntimeException e) {
            return e.getClass().getName();
        }
    }

    protected String sharedDatabase() {
        return environment.getRequiredProperty("tenantry.routing.tiers.free.database");
    }

    /** Runs {@code sql} as the server's superuser, behind Tenantry's back, and returns the first column. */
    protected static List<String> query(String database, String sql) {
        List<String> values = new ArrayList<>();
        try (Connection c = TestPostgres.get().admin(database).getConnection(); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not run \"" + sql + "\" on " + database, e);
        }
        return values;
    }

    protected static void run(String tenant, Runnable work) {
        TenantContext.runAs(TenantId.of(tenant), work::run);
    }

    protected static <T> T as(String tenant, Supplier<T> work) {
        return TenantContext.callAs(TenantId.of(tenant), work::get);
    }
}
