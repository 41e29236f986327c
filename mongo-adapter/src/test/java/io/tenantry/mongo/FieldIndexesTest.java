package io.tenantry.mongo;

import static io.tenantry.mongo.FieldMongo.ACME;
import static io.tenantry.mongo.FieldMongo.BRAVO;
import static io.tenantry.mongo.FieldMongo.as;
import static io.tenantry.mongo.FieldMongo.callAs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.SearchIndexModel;
import io.tenantry.IsolationViolationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Indexes on the FIELD model: shared, tenant-prefixed, listed and named as declared. */
class FieldIndexesTest {

    private FieldMongo deployment;
    private MongoCollection<Document> cards;

    @BeforeEach
    void start() {
        deployment = new FieldMongo(builder -> builder
                .collection("cards", spec -> spec.index(Indexes.ascending("sku"), new IndexOptions().unique(true))
                        .index(Indexes.compoundIndex(Indexes.ascending("set"), Indexes.descending("number"))))
                .collection("decks"));
        cards = deployment.mongo.collection("cards");
    }

    @AfterEach
    void stop() {
        deployment.close();
    }

    /** The indexes as the server holds them: name to keys. */
    private Map<String, BsonDocument> physicalIndexes(String collection) {
        return deployment.raw().getCollection(collection).listIndexes(BsonDocument.class).into(new ArrayList<>())
                .stream().collect(Collectors.toMap(index -> index.getString("name").getValue(),
                        index -> index.getDocument("key")));
    }

    @Test
    void provisioningCreatesTheDeclaredCollectionsWithTenantPrefixedIndexes() {
        deployment.mongo.provisioning().ensure(ACME);

        assertThat(deployment.raw().listCollectionNames().into(new ArrayList<>())).contains("cards", "decks");
        assertThat(physicalIndexes("cards")).containsOnly(
                Map.entry("_id_", BsonDocument.parse("{_id: 1}")),
                Map.entry("tenantry_tenant_id", BsonDocument.parse("{tenantId: 1, _id: 1}")),
                Map.entry("sku_1", BsonDocument.parse("{tenantId: 1, sku: 1}")),
                Map.entry("set_1_number_-1", BsonDocument.parse("{tenantId: 1, set: 1, number: -1}")));
        assertThat(physicalIndexes("decks")).containsKeys("_id_", "tenantry_tenant_id").hasSize(2);
    }

    @Test
    void provisioningIsIdempotentAndSharedByTheTenantsOfThePlacement() {
        deployment.mongo.provisioning().ensure(ACME);
        Map<String, BsonDocument> first = physicalIndexes("cards");
        deployment.mongo.provisioning().ensure(ACME);
        deployment.mongo.provisioning().ensure(BRAVO);

        assertThat(physicalIndexes("cards")).isEqualTo(first);
    }

    @Test
    void aDeclaredUniqueIndexIsUniquePerTenant() {
        deployment.mongo.provisioning().ensure(ACME);
        as(ACME, () -> cards.insertOne(new Document("sku", "LEA-232")));
        as(BRAVO, () -> cards.insertOne(new Document("sku", "LEA-232")));

        assertThatThrownBy(() -> as(ACME, () -> cards.insertOne(new Document("sku", "LEA-232"))))
                .isInstanceOf(MongoWriteException.class);
        assertThat(deployment.raw("cards").countDocuments()).isEqualTo(2);
    }

    @Test
    void listIndexesShowsTheIndexesAsDeclaredWithoutTenantrysOwn() {
        deployment.mongo.provisioning().ensure(ACME);

        List<Document> listed = callAs(BRAVO, () -> cards.listIndexes().into(new ArrayList<>()));

        assertThat(listed).extracting(index -> index.getString("name") + " " + ((Document) index.get("key")).toJson())
                .containsExactlyInAnyOrder("_id_ {\"_id\": 1}", "sku_1 {\"sku\": 1}",
                        "set_1_number_-1 {\"set\": 1, \"number\": -1}");
        assertThat(listed).filteredOn(index -> index.getString("name").equals("sku_1"))
                .allSatisfy(index -> assertThat(index.getBoolean("unique")).isTrue());
    }

    @Test
    void listIndexesDecodesIntoTheRequestedClassAndStaysBoundToItsTenant() {
        deployment.mongo.provisioning().ensure(ACME);
        var listing = callAs(ACME, () -> cards.listIndexes(BsonDocument.class));

        assertThat(callAs(ACME, () -> listing.into(new ArrayList<>()))).hasSize(3);
        assertThatThrownBy(() -> as(BRAVO, () -> listing.first())).isInstanceOf(IsolationViolationException.class);
    }

    @Test
    void createIndexFromATenantScopeCreatesTheSharedIndexUnderTheDeclaredName() {
        String name = callAs(ACME, () -> cards.createIndex(Indexes.descending("price")));
        List<String> names = callAs(ACME, () -> cards.createIndexes(List.of(
                new IndexModel(Indexes.ascending("grade"), new IndexOptions().name("by_grade").unique(true)))));

        assertThat(name).isEqualTo("price_-1");
        assertThat(names).containsExactly("by_grade");
        assertThat(physicalIndexes("cards")).contains(
                Map.entry("price_-1", BsonDocument.parse("{tenantId: 1, price: -1}")),
                Map.entry("by_grade", BsonDocument.parse("{tenantId: 1, grade: 1}")));
        assertThat(callAs(BRAVO, () -> cards.listIndexes().into(new ArrayList<>())))
                .extracting(index -> index.getString("name")).contains("price_-1", "by_grade");
    }

    @Test
    void theCallersIndexOptionsAreNotChanged() {
        IndexOptions options = new IndexOptions().unique(true);
        as(ACME, () -> cards.createIndex(Indexes.ascending("grade"), options));

        assertThat(options.getName()).isNull();
    }

    @Test
    void anIndexNamingTheTenantFieldElsewhereIsRefused() {
        assertThatThrownBy(() -> as(ACME, () -> cards.createIndex(Indexes.ascending("sku", "tenantId"))))
                .isInstanceOf(IsolationViolationException.class);
        assertThat(deployment.commands("createIndexes")).isEmpty();
    }

    @Test
    void aTtlIndexStaysSingleFieldAndCannotBeUnique() {
        String name = callAs(ACME, () -> cards.createIndex(Indexes.ascending("seenAt"),
                new IndexOptions().expireAfter(3600L, TimeUnit.SECONDS)));

        assertThat(physicalIndexes("cards")).containsEntry(name, BsonDocument.parse("{seenAt: 1}"));
        assertThatThrownBy(() -> as(ACME, () -> cards.createIndex(Indexes.ascending("token"),
                new IndexOptions().unique(true).expireAfter(60L, TimeUnit.SECONDS))))
                .isInstanceOf(IsolationViolationException.class).hasMessageContaining("unique across all tenants");
    }

    @Test
    void droppingIndexesFromATenantScopeIsRefused() {
        deployment.mongo.provisioning().ensure(ACME);
        List<Consumer<MongoCollection<Document>>> drops = List.of(
                c -> c.dropIndex("sku_1"), c -> c.dropIndex(Indexes.ascending("sku")), MongoCollection::dropIndexes);

        for (Consumer<MongoCollection<Document>> drop : drops) {
            assertThatThrownBy(() -> as(ACME, () -> drop.accept(cards))).isInstanceOf(IsolationViolationException.class)
                    .hasMessageContaining("TenantMongo.Builder.collection");
        }
        assertThat(physicalIndexes("cards")).containsKey("sku_1");
    }

    @Test
    void searchIndexesAreRefused() {
        List<Consumer<MongoCollection<Document>>> calls = List.of(
                c -> c.createSearchIndex(new Document()), c -> c.createSearchIndex("s", new Document()),
                c -> c.createSearchIndexes(List.of(new SearchIndexModel(new Document()))),
                c -> c.updateSearchIndex("s", new Document()), c -> c.dropSearchIndex("s"),
                MongoCollection::listSearchIndexes, c -> c.listSearchIndexes(BsonDocument.class));

        for (Consumer<MongoCollection<Document>> call : calls) {
            assertThatThrownBy(() -> as(ACME, () -> call.accept(cards))).isInstanceOf(IsolationViolationException.class);
        }
    }
}
