package io.tenantry.spring.data.mongo.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.ClientSessionOptions;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.tenantry.NoTenantBoundException;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.spring.EmbeddedMongo;
import io.tenantry.spring.data.mongo.TenantMongoDatabaseFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Spring Data MongoDB unchanged on top of Tenantry: Spring Boot's own {@link MongoTemplate} and an
 * ordinary repository, through the routing factory, on all three isolation models (free tier:
 * shared collections with a tenant field; premium: a collection per tenant; enterprise: a database
 * per tenant on a second cluster), against two in-process MongoDB servers.
 */
@SpringBootTest(classes = DataTestApplication.class, properties = {
    "tenantry.mongodb.tenant-field=tenantId",
    "tenantry.routing.tiers.free.model=field",
    "tenantry.routing.tiers.free.database=sd_vault",
    "tenantry.routing.tiers.premium.model=collection",
    "tenantry.routing.tiers.premium.database=sd_premium",
    "tenantry.routing.tiers.enterprise.model=database",
    "tenantry.routing.tiers.enterprise.store=dedicated",
    "tenantry.routing.tiers.enterprise.prefix=sd_",
    "tenantry.directory.tenants[0].id=free1", "tenantry.directory.tenants[0].tier=free",
    "tenantry.directory.tenants[1].id=free2", "tenantry.directory.tenants[1].tier=free",
    "tenantry.directory.tenants[2].id=prem1", "tenantry.directory.tenants[2].tier=premium",
    "tenantry.directory.tenants[3].id=prem2", "tenantry.directory.tenants[3].tier=premium",
    "tenantry.directory.tenants[4].id=ent1", "tenantry.directory.tenants[4].tier=enterprise",
    "tenantry.directory.tenants[5].id=ent2", "tenantry.directory.tenants[5].tier=enterprise",
    "spring.data.mongodb.auto-index-creation=true"
})
class SpringDataIsolationTest {

    private static final MongoClient MAIN = MongoClients.create(EmbeddedMongo.main().uri());
    private static final MongoClient DEDICATED = MongoClients.create(EmbeddedMongo.dedicated().uri());

    @DynamicPropertySource
    static void clusters(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", () -> EmbeddedMongo.main().uri() + "/app");
        registry.add("tenantry.mongodb.clusters.main", EmbeddedMongo.main()::uri);
        registry.add("tenantry.mongodb.clusters.dedicated", EmbeddedMongo.dedicated()::uri);
    }

    @Autowired
    CardRepository cards;

    @Autowired
    MongoTemplate template;

    @Autowired
    MongoDatabaseFactory factory;

    static Stream<Arguments> models() {
        return Stream.of(Arguments.of("field", "free1", "free2"), Arguments.of("collection", "prem1", "prem2"),
                Arguments.of("database", "ent1", "ent2"));
    }

    @AfterAll
    static void closeClients() {
        MAIN.close();
        DEDICATED.close();
    }

    @BeforeEach
    void emptyVaults() {
        for (String tenant : List.of("free1", "free2", "prem1", "prem2", "ent1", "ent2")) {
            run(tenant, cards::deleteAll);
        }
    }

    @Test
    void springBootsTemplateAndRepositoriesRunOnTheRoutingFactory() {
        assertThat(factory).isInstanceOf(TenantMongoDatabaseFactory.class);
        assertThat(template.getMongoDatabaseFactory()).isSameAs(factory);
    }

    @ParameterizedTest(name = "{0} model")
    @MethodSource("models")
    void eachTenantSeesOnlyWhatItSaved(String model, String a, String b) {
        Card mine = as(a, () -> cards.save(new Card("black lotus", "ann")));
        Card theirs = as(b, () -> cards.save(new Card("mox pearl", "bob")));

        assertThat(names(a)).containsExactly("black lotus");
        assertThat(names(b)).containsExactly("mox pearl");
        assertThat(as(a, () -> cards.findById(theirs.getId())).isPresent()).isFalse();
        assertThat(as(a, () -> cards.existsById(theirs.getId()))).isFalse();
        assertThat(as(b, () -> cards.findById(mine.getId())).isPresent()).isFalse();
        assertThat(as(a, () -> cards.findById(mine.getId())).isPresent()).isTrue();
        assertThat(as(a, () -> cards.existsById(mine.getId()))).isTrue();
        assertThat(as(a, () -> cards.findByOwner("bob").size())).isZero();
        assertThat(as(a, () -> template.find(Query.query(Criteria.where("owner").is("bob")), Card.class).size()))
                .isZero();
        assertThat(as(a, () -> cards.count())).isEqualTo(1);
        assertThat(as(b, () -> template.count(new Query(), Card.class))).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} model")
    @MethodSource("models")
    void deleteAllDeletesOnlyTheTenantsOwnDocuments(String model, String a, String b) {
        as(a, () -> cards.saveAll(List.of(new Card("a1", "ann"), new Card("a2", "ann"))));
        Card theirs = as(b, () -> cards.save(new Card("b1", "bob")));

        run(a, cards::deleteAll);
        run(a, () -> cards.deleteById(theirs.getId()));

        assertThat(as(a, () -> cards.count())).isZero();
        assertThat(as(b, () -> cards.findAll().stream().map(Card::getId).toList())).containsExactly(theirs.getId());
    }

    @ParameterizedTest(name = "{0} model")
    @MethodSource("models")
    void entityIndexesAreCreatedPerTenantSoUniqueNamesNeverClashAcrossTenants(String model, String a, String b) {
        as(a, () -> cards.save(new Card("same name", "ann")));
        as(b, () -> cards.save(new Card("same name", "bob")));
        assertThatThrownBy(() -> as(a, () -> cards.save(new Card("same name", "again"))))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(as(b, () -> cards.count())).isEqualTo(1);
    }

    @Test
    void theModelsKeepTheirDataWhereTheRulesSay() {
        as("free1", () -> cards.save(new Card("f", "x")));
        as("prem1", () -> cards.save(new Card("p", "x")));
        as("ent1", () -> cards.save(new Card("e", "x")));

        Document shared = MAIN.getDatabase("sd_vault").getCollection("cards").find().first();
        assertThat(shared).containsEntry("tenantId", "free1").containsEntry("name", "f");
        assertThat(indexKeys(MAIN, "sd_vault", "cards")).contains(new Document("tenantId", 1).append("name", 1));

        List<String> premium = MAIN.getDatabase("sd_premium").listCollectionNames().into(new ArrayList<>());
        assertThat(premium).doesNotContain("cards").anyMatch(name -> name.contains("prem1"));

        assertThat(DEDICATED.listDatabaseNames().into(new ArrayList<>())).contains("sd_ent1", "sd_ent2");
        assertThat(MAIN.listDatabaseNames().into(new ArrayList<>())).doesNotContain("sd_ent1");
        assertThat(DEDICATED.getDatabase("sd_ent1").getCollection("cards").find().first()).containsEntry("name", "e");
        assertThat(indexKeys(DEDICATED, "sd_ent1", "decks")).contains(new Document("owner", 1).append("title", -1));
        assertThat(MAIN.getDatabase("app").listCollectionNames().into(new ArrayList<>()))
                .as("Spring Data created no index of its own").isEmpty();
    }

    @Test
    void withoutATenantTheTemplateAndTheRepositoryRefuseToWork() {
        assertThatThrownBy(() -> cards.count()).isInstanceOf(NoTenantBoundException.class);
        assertThatThrownBy(() -> template.findAll(Card.class)).isInstanceOf(NoTenantBoundException.class);
        assertThatThrownBy(() -> factory.getMongoDatabase("sd_vault")).isInstanceOf(NoTenantBoundException.class);
        assertThatThrownBy(() -> factory.getSession(ClientSessionOptions.builder().build()))
                .isInstanceOf(NoTenantBoundException.class);
    }

    @Test
    void aDatabaseByNameIsOnlyTheTenantsOwn() {
        assertThat(as("ent1", () -> factory.getMongoDatabase("sd_ent1"))).isSameAs(factory.getMongoDatabase());
        assertThatThrownBy(() -> as("ent1", () -> factory.getMongoDatabase("sd_ent2")))
                .isInstanceOf(io.tenantry.IsolationViolationException.class).hasMessageContaining("sd_ent1");
    }

    private static List<Object> indexKeys(MongoClient client, String database, String collection) {
        List<Object> keys = new ArrayList<>();
        client.getDatabase(database).getCollection(collection).listIndexes().forEach(i -> keys.add(i.get("key")));
        return keys;
    }

    private List<String> names(String tenant) {
        return as(tenant, () -> cards.findAll().stream().map(Card::getName).toList());
    }

    private static void run(String tenant, Runnable work) {
        TenantContext.runAs(TenantId.of(tenant), work::run);
    }

    private static <T> T as(String tenant, Supplier<T> work) {
        return TenantContext.callAs(TenantId.of(tenant), work::get);
    }
}
