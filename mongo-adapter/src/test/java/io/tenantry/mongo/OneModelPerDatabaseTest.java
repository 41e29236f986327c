package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.IsolationModel;
import io.tenantry.NameLimits;
import io.tenantry.PhysicalNaming;
import io.tenantry.Placement;
import io.tenantry.RoutingException;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantRouter;
import io.tenantry.tck.Trials;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A database on a cluster belongs to one isolation model: placements of two models that would share one are
 * refused when the adapter is built (placements a router declares), when a tenant is routed or provisioned
 * (placements pinned on tenants, routers that cannot list theirs), and so is a tenant whose own database would
 * be a shared database or another tenant's.
 */
class OneModelPerDatabaseTest {

    private static final PhysicalNaming DATABASE_NAMES = PhysicalNaming.of(NameLimits.MONGODB_DATABASE);

    private static TestClusters clusters;

    @BeforeAll
    static void start() {
        clusters = TestClusters.start("main", "other");
    }

    @AfterAll
    static void stop() {
        clusters.close();
    }

    @BeforeEach
    void empty() {
        clusters.dropAll();
    }

    private static TenantMongo mongo(TenantDirectory directory, TenantRouter router) {
        return clusters.addTo(TenantMongo.builder()).directory(directory).router(router).collection("cards").build();
    }

    /** Two tenants pinned to their placements, routed by a router that knows no other placement. */
    private static TenantMongo pinned(String first, Placement firstPlacement, String second, Placement secondPlacement) {
        return mongo(TenantDirectory.inMemory(Tenant.builder(first).placement(firstPlacement).build(),
                Tenant.builder(second).placement(secondPlacement).build()), tenant -> tenant.placement().orElseThrow());
    }

    private static void insertCard(TenantMongo mongo, String tenant) {
        TenantContext.runAs(TenantId.of(tenant), () -> mongo.collection("cards").insertOne(new Document("n", 1)));
    }

    @Test
    void placementsOfTwoModelsThatARouterDeclaresInOneDatabaseAreRefusedWhenTheAdapterIsBuilt() {
        TenantRouter mixed = TenantRouter.builder().tier("free", Placement.field("main", "app"))
                .tier("premium", Placement.collection("main", "app")).build();
        assertThatThrownBy(() -> mongo(TenantDirectory.inMemory(), mixed)).isInstanceOf(RoutingException.class)
                .hasMessageContaining("field(main, app)").hasMessageContaining("collection(main, app)")
                .hasMessageContaining("database \"app\" on cluster \"main\"")
                .hasMessageContaining("Give each model its own database, e.g. collection(main, app_collection)");
        // MongoDB compares database names ignoring case, so App and app are one database
        assertThatThrownBy(() -> mongo(TenantDirectory.inMemory(), TenantRouter.builder()
                .tier("premium", Placement.collection("main", "App")).otherwise(Placement.field("main", "app")).build()))
                .isInstanceOf(RoutingException.class).hasMessageContaining("collection(main, App)");
        assertThatCode(() -> mongo(TenantDirectory.inMemory(), TenantRouter.builder()
                .tier("free", Placement.field("main", "app")).tier("premium", Placement.collection("other", "app"))
                .tier("basic", Placement.field("main", "App")).build()))
                .as("one name on two clusters, or one model twice").doesNotThrowAnyException();
        TenantMongo beside = mongo(TenantDirectory.inMemory(Tenant.builder("acme").tier("pro").build()),
                TenantRouter.builder().tier("free", Placement.field("pg", "app"))
                        .tier("pro", Placement.schema("pg", "app")).build());
        assertThatThrownBy(() -> insertCard(beside, "acme")).as("a store of another adapter, with rules of its own")
                .isInstanceOf(RoutingException.class).hasMessageContaining("cluster \"pg\", which is not configured");
    }

    @Test
    void aPinnedPlacementThatPutsASecondModelInADatabaseIsRefusedWhenItsTenantIsRoutedOrProvisioned() {
        TenantDirectory directory = TenantDirectory.inMemory(Tenant.builder("acme").tier("free").build(),
                Tenant.builder("bravo").placement(Placement.collection("main", "app")).build());
        TenantMongo mongo = mongo(directory, TenantRouter.builder().tier("free", Placement.field("main", "app")).build());
        insertCard(mongo, "acme");

        assertThatThrownBy(() -> insertCard(mongo, "bravo")).isInstanceOf(RoutingException.class)
                .hasMessageContaining("collection(main, app) (a collection per tenant) would use database \"app\""
                        + " on cluster \"main\", which field(main, app) (collections shared through a tenant field)"
                        + " uses already");
        assertThatThrownBy(() -> mongo.provisioning().ensure(TenantId.of("bravo")))
                .isInstanceOf(RoutingException.class);
        assertThat(clusters.client("main").getDatabase("app").listCollectionNames().into(new ArrayList<>()))
                .containsExactly("cards");
        insertCard(mongo, "acme");
    }

    @Test
    void withARouterThatCannotListItsPlacementsTheFirstModelToUseADatabaseKeepsIt() {
        TenantDirectory directory = TenantDirectory.inMemory(Tenant.builder("acme").build(),
                Tenant.builder("bravo").build());
        TenantRouter byName = tenant -> tenant.id().value().equals("acme") ? Placement.field("main", "app")
                : Placement.collection("main", "app");

        TenantMongo acmeFirst = mongo(directory, byName);
        insertCard(acmeFirst, "acme");
        assertThatThrownBy(() -> insertCard(acmeFirst, "bravo")).isInstanceOf(RoutingException.class);

        clusters.dropAll();
        TenantMongo bravoFirst = mongo(directory, byName);
        insertCard(bravoFirst, "bravo");
        assertThatThrownBy(() -> insertCard(bravoFirst, "acme")).isInstanceOf(RoutingException.class)
                .hasMessageContaining("field(main, app) (collections shared through a tenant field) would use database");
        assertThat(clusters.client("main").getDatabase("app").listCollectionNames().into(new ArrayList<>()))
                .containsExactly("bravo.cards");
    }

    @Test
    void aTenantWhoseOwnDatabaseWouldBeADatabaseOfAnotherModelIsRefused() {
        TenantDirectory directory = TenantDirectory.inMemory(Tenant.builder("shared").tier("enterprise").build(),
                Tenant.builder("acme").tier("enterprise").build(), Tenant.builder("carol").tier("free").build());
        TenantMongo mongo = mongo(directory, TenantRouter.builder().tier("free", Placement.field("main", "t_shared"))
                .tier("enterprise", Placement.database("main", "t_")).build());

        assertThatThrownBy(() -> insertCard(mongo, "shared")).isInstanceOf(RoutingException.class)
                .hasMessageContaining("tenant \"shared\"'s own database at database(main, t_) would use database"
                        + " \"t_shared\" on cluster \"main\", which field(main, t_shared)")
                .hasMessageContaining("e.g. field(main, t_shared_field), or a prefix for database(main, t_) that"
                        + " \"t_shared\" does not start with");
        insertCard(mongo, "acme");
        insertCard(mongo, "carol");
        assertThat(clusters.client("main").listDatabaseNames().into(new ArrayList<>()))
                .contains("t_acme", "t_shared").doesNotContain("t_t_shared");

        // the other way round: a tenant's own database first, then a placement that shares it
        TenantMongo later = pinned("owner", Placement.database("main", "d_"), "intruder",
                Placement.collection("main", "d_owner"));
        insertCard(later, "owner");
        assertThatThrownBy(() -> insertCard(later, "intruder")).isInstanceOf(RoutingException.class)
                .hasMessageContaining("which tenant \"owner\"'s own database at database(main, d_) uses already");
    }

    @Test
    void twoTenantsWhoseOwnDatabasesWouldBeOneAreRefused() {
        TenantMongo mongo = pinned("a_b", Placement.database("main", "t"), "b", Placement.database("main", "ta_"));
        insertCard(mongo, "a_b");
        assertThatThrownBy(() -> insertCard(mongo, "b")).isInstanceOf(RoutingException.class)
                .hasMessageContaining("\"ta_b\"").hasMessageContaining("Two tenants must never share a database");
    }

    /** One routed call: {@code tenant}, pinned to {@code placement} at that moment, uses {@code logical}. */
    record Step(TenantId tenant, Placement placement, String logical) {
    }

    /** Where an admitted call went: the physical database and collection. */
    record Admitted(TenantId tenant, Placement placement, String database, String collection) {

        boolean sameDatabase(Admitted other) {
            return placement.store().equals(other.placement.store()) && database.equalsIgnoreCase(other.database);
        }

        boolean sameNamespace(Admitted other) {
            return sameDatabase(other) && collection.equals(other.collection);
        }
    }

    private static final List<String> IDS = List.of("a", "b", "ab", "a_b", "b1", "shared", "app");
    private static final List<String> SHARED_NAMES = List.of("app", "App", "shared", "t_a", "t_ab", "ta_b", "t_shared",
            "u_b1", "tapp");
    private static final List<String> PREFIXES = List.of("t_", "ta_", "t", "u_");
    private static final List<String> LOGICAL = List.of("cards", "b.cards", "x");

    private static Step step(SplittableRandom random) {
        String id = random.nextInt(4) == 0 ? randomId(random) : IDS.get(random.nextInt(IDS.size()));
        String store = random.nextBoolean() ? "main" : "other";
        Placement placement = switch (random.nextInt(3)) {
            case 0 -> Placement.field(store, SHARED_NAMES.get(random.nextInt(SHARED_NAMES.size())));
            case 1 -> Placement.collection(store, SHARED_NAMES.get(random.nextInt(SHARED_NAMES.size())));
            default -> Placement.database(store, PREFIXES.get(random.nextInt(PREFIXES.size())));
        };
        return new Step(TenantId.of(id), placement, LOGICAL.get(random.nextInt(LOGICAL.size())));
    }

    private static String randomId(SplittableRandom random) {
        String alphabet = "ab_1";
        while (true) {
            StringBuilder id = new StringBuilder();
            for (int i = 1 + random.nextInt(4); i > 0; i--) {
                id.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            if (TenantId.isValid(id.toString())) {
                return id.toString();
            }
        }
    }

    @Test
    void tenantsRoutedToRandomPlacementsNeverMeetAnotherModelInOneDatabaseAndAreRefusedOnlyWhenTheyWould() {
        Trials.forAllLists("a routed call is refused exactly when its database belongs to another model or tenant",
                Trials.defaultTries(), random -> {
                    List<Step> steps = new ArrayList<>();
                    for (int i = 1 + random.nextInt(30); i > 0; i--) {
                        steps.add(step(random));
                    }
                    return steps;
                }, OneModelPerDatabaseTest::routeAll);
    }

    private static void routeAll(List<Step> steps) {
        Map<TenantId, Placement> pins = new HashMap<>();
        TenantDirectory directory = TenantDirectory.inMemory();
        TenantMongo mongo = mongo(directory, tenant -> pins.get(tenant.id()));
        List<Admitted> admitted = new ArrayList<>();
        for (Step step : steps) {
            if (directory.find(step.tenant()).isEmpty()) {
                directory.register(Tenant.builder(step.tenant()).build());
            }
            pins.put(step.tenant(), step.placement());
            Placement placement = step.placement();
            String database = placement.model() == IsolationModel.DATABASE
                    ? DATABASE_NAMES.name(placement.namespace(), step.tenant()) : placement.namespace();
            String collection = placement.model() == IsolationModel.COLLECTION
                    ? PhysicalNaming.of(NameLimits.mongodbCollection(database)).name("", step.tenant(), step.logical())
                    : step.logical();
            Admitted here = new Admitted(step.tenant(), placement, database, collection);
            boolean conflict = admitted.stream().anyMatch(a -> a.sameDatabase(here)
                    && (a.placement().model() != placement.model()
                            || placement.model() == IsolationModel.DATABASE && !a.tenant().equals(step.tenant())));
            List<String> routed;
            try {
                routed = TenantContext.callAs(step.tenant(), mongo::listDatabaseNames);
            } catch (RoutingException e) {
                assertThat(conflict).as("%s refused (%s), though nothing admitted before shares its database: %s",
                        step, e.getMessage(), admitted).isTrue();
                assertThat(e.getMessage()).contains("database \"" + database + "\" on cluster \"" + placement.store()
                        + "\"");
                continue;
            }
            assertThat(conflict).as("%s admitted beside %s", step, admitted).isFalse();
            assertThat(routed).containsExactly(database);
            admitted.add(here);
        }
        for (Admitted a : admitted) {
            for (Admitted b : admitted) {
                if (a.placement().model() != b.placement().model()) {
                    assertThat(a.sameDatabase(b)).as("%s and %s share a database", a, b).isFalse();
                } else if (a.placement().model() != IsolationModel.FIELD && !a.tenant().equals(b.tenant())) {
                    assertThat(a.sameNamespace(b)).as("%s and %s share a namespace", a, b).isFalse();
                }
            }
        }
    }

    @Test
    void randomRoutersAreRefusedWhenBuiltExactlyWhenTheyDeclareTwoModelsInOneDatabase() {
        Trials.forAll("a router is refused when built exactly when it declares two models in one database",
                Trials.defaultTries(), random -> {
                    List<Placement> declared = new ArrayList<>();
                    for (int i = 1 + random.nextInt(5); i > 0; i--) {
                        Placement placement = step(random).placement();
                        declared.add(placement.model() == IsolationModel.DATABASE
                                ? Placement.database(placement.store(), "t_") : placement);
                    }
                    return declared;
                }, declared -> {
                    var router = TenantRouter.builder();
                    for (int i = 0; i < declared.size(); i++) {
                        router.tier("tier" + i, declared.get(i));
                    }
                    boolean conflict = declared.stream().anyMatch(a -> declared.stream().anyMatch(b ->
                            a.model() != IsolationModel.DATABASE && b.model() != IsolationModel.DATABASE
                                    && a.model() != b.model() && a.store().equals(b.store())
                                    && a.namespace().toLowerCase(Locale.ROOT).equals(b.namespace().toLowerCase(Locale.ROOT))));
                    if (conflict) {
                        assertThatThrownBy(() -> mongo(TenantDirectory.inMemory(), router.build()))
                                .isInstanceOf(RoutingException.class).hasMessageContaining("its own database");
                    } else {
                        assertThatCode(() -> mongo(TenantDirectory.inMemory(), router.build()))
                                .doesNotThrowAnyException();
                    }
                });
    }
}
