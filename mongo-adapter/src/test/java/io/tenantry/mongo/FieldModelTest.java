package io.tenantry.mongo;

import static io.tenantry.mongo.FieldMongo.ACME;
import static io.tenantry.mongo.FieldMongo.BRAVO;
import static io.tenantry.mongo.FieldMongo.COBALT;
import static io.tenantry.mongo.FieldMongo.as;
import static io.tenantry.mongo.FieldMongo.callAs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoNamespace;
import com.mongodb.ReadPreference;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.tenantry.IsolationViolationException;
import io.tenantry.NoTenantBoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The FIELD model end to end: three tenants sharing collection "cards", each seeing only its own documents. */
class FieldModelTest {

    private FieldMongo deployment;
    private MongoCollection<Document> cards;

    @BeforeEach
    void start() {
        deployment = new FieldMongo();
        cards = deployment.mongo.collection("cards");
        as(ACME, () -> cards.insertMany(List.of(card("a1", "rare", 5), card("a2", "common", 1))));
        as(BRAVO, () -> cards.insertMany(List.of(card("b1", "rare", 7), card("b2", "rare", 2), card("b3", "epic", 9))));
    }

    @AfterEach
    void stop() {
        deployment.close();
    }

    private static Document card(String sku, String rarity, int price) {
        return new Document("sku", sku).append("rarity", rarity).append("price", price);
    }

    private static List<String> skus(Iterable<Document> documents) {
        List<String> skus = new ArrayList<>();
        documents.forEach(document -> skus.add(document.getString("sku")));
        return skus;
    }

    @Test
    void everyInsertedDocumentCarriesItsTenantInTheSharedCollection() {
        List<Document> stored = deployment.raw("cards").find().sort(new Document("sku", 1)).into(new ArrayList<>());

        assertThat(stored).extracting(document -> document.getString("sku") + "@" + document.getString("tenantId"))
                .containsExactly("a1@acme", "a2@acme", "b1@bravo", "b2@bravo", "b3@bravo");
    }

    @Test
    void findReturnsOnlyTheTenantsDocuments() {
        assertThat(callAs(ACME, () -> skus(cards.find()))).containsExactlyInAnyOrder("a1", "a2");
        assertThat(callAs(BRAVO, () -> skus(cards.find()))).containsExactlyInAnyOrder("b1", "b2", "b3");
        assertThat(callAs(COBALT, () -> skus(cards.find()))).isEmpty();
    }

    @Test
    void aFilterNamingAnotherTenantCannotWidenTheTenantCondition() {
        assertThat(callAs(ACME, () -> skus(cards.find(Filters.eq("tenantId", "bravo"))))).isEmpty();
        assertThat(callAs(ACME, () -> skus(cards.find(Filters.or(Filters.eq("tenantId", "bravo"),
                Filters.exists("sku")))))).containsExactlyInAnyOrder("a1", "a2");
        assertThat(callAs(ACME, () -> skus(cards.find(Filters.expr(new Document("$eq", List.of(1, 1)))))))
                .containsExactlyInAnyOrder("a1", "a2");
    }

    @Test
    void theFilterSentToTheServerIsTheTenantConditionAndTheCallersFilter() {
        deployment.clearCommands();
        as(ACME, () -> cards.find(Filters.eq("rarity", "rare")).first());

        assertThat(deployment.lastCommand("find").getDocument("filter")).isEqualTo(BsonDocument.parse(
                "{$and: [{tenantId: 'acme'}, {rarity: 'rare'}]}"));
    }

    @Test
    void countsAreTheTenantsOwn() {
        assertThat(callAs(ACME, () -> cards.countDocuments())).isEqualTo(2);
        assertThat(callAs(BRAVO, () -> cards.countDocuments(Filters.eq("rarity", "rare")))).isEqualTo(2);
        assertThat(callAs(COBALT, () -> cards.countDocuments())).isZero();
    }

    @Test
    void theEstimatedCountDoesNotRevealTheSharedTotal() {
        assertThat(callAs(ACME, () -> cards.estimatedDocumentCount())).isEqualTo(2);
        assertThat(callAs(BRAVO, () -> cards.estimatedDocumentCount())).isEqualTo(3);
        assertThat(deployment.commands("count")).isEmpty();
    }

    @Test
    void distinctValuesAreTheTenantsOwn() {
        assertThat(callAs(ACME, () -> cards.distinct("rarity", String.class).into(new ArrayList<>())))
                .containsExactlyInAnyOrder("rare", "common");
        assertThat(callAs(BRAVO, () -> cards.distinct("rarity", Filters.gt("price", 5), String.class)
                .into(new ArrayList<>()))).containsExactlyInAnyOrder("rare", "epic");
    }

    @Test
    void updatesAndDeletesReachOnlyTheTenantsDocuments() {
        as(ACME, () -> cards.updateMany(Filters.eq("rarity", "rare"), Updates.set("price", 100)));
        as(ACME, () -> cards.deleteMany(Filters.eq("rarity", "epic")));

        assertThat(deployment.raw("cards").find(Filters.eq("tenantId", "bravo")).into(new ArrayList<>()))
                .extracting(document -> document.getString("sku") + "=" + document.getInteger("price"))
                .containsExactlyInAnyOrder("b1=7", "b2=2", "b3=9");
        assertThat(deployment.raw("cards").find(Filters.eq("sku", "a1")).first()).containsEntry("price", 100);
    }

    @Test
    void dropRemovesOnlyTheTenantsDocuments() {
        as(BRAVO, () -> cards.drop());

        assertThat(callAs(BRAVO, () -> cards.countDocuments())).isZero();
        assertThat(callAs(ACME, () -> skus(cards.find()))).containsExactlyInAnyOrder("a1", "a2");
        assertThat(deployment.raw().listCollectionNames().into(new ArrayList<>())).contains("cards");
    }

    @Test
    void theNamespaceIsTheRealSharedOne() {
        assertThat(callAs(ACME, () -> cards.getNamespace().getFullName())).isEqualTo("cardvault.cards");
        assertThat(deployment.mongo.databaseName(ACME)).isEqualTo("cardvault");
        assertThat(deployment.mongo.databaseName(BRAVO)).isEqualTo("cardvault");
    }

    @Test
    void optionsAndDocumentClassesGiveConfinedCollectionsAgain() {
        MongoSettings settings = new MongoSettings(new Clusters(Map.of("main", deployment.client)), "tenantId", Map.of(),
                10_000);
        MongoCollection<Document> scoped = new FieldIsolation(settings).collection(ACME,
                deployment.mongo.placement(ACME), "cards", Document.class);

        MongoCollection<BsonDocument> derived = scoped.withReadPreference(ReadPreference.primaryPreferred())
                .withWriteConcern(WriteConcern.MAJORITY).withDocumentClass(BsonDocument.class);

        assertThat(derived).isInstanceOf(FieldCollection.class);
        assertThat(derived.getReadPreference()).isEqualTo(ReadPreference.primaryPreferred());
        assertThat(callAs(ACME, () -> derived.countDocuments())).isEqualTo(2);
        assertThat(callAs(ACME, () -> derived.find().into(new ArrayList<>()))).extracting(d -> d.getString("sku").getValue())
                .containsExactlyInAnyOrder("a1", "a2");
    }

    @Test
    void renamingASharedCollectionAndMapReduceAreRefusedWithWhatToDoInstead() {
        assertThatThrownBy(() -> as(ACME, () -> cards.renameCollection(new MongoNamespace("cardvault", "old_cards"))))
                .isInstanceOf(IsolationViolationException.class).hasMessageContaining("$merge");
        assertThatThrownBy(() -> as(ACME, () -> mapReduce(cards))).isInstanceOf(IsolationViolationException.class)
                .hasMessageContaining("aggregate");
        assertThat(deployment.raw().listCollectionNames().into(new ArrayList<>())).containsExactly("cards");
    }

    @SuppressWarnings("deprecation") // mapReduce is deprecated; the test shows it is refused
    private static void mapReduce(MongoCollection<Document> collection) {
        collection.mapReduce("function() { emit(this.rarity, 1); }", "function(k, v) { return Array.sum(v); }").first();
    }

    @Test
    void nothingRunsWithoutATenant() {
        deployment.clearCommands();

        assertThatThrownBy(() -> cards.find().first()).isInstanceOf(NoTenantBoundException.class);
        assertThatThrownBy(() -> cards.insertOne(card("x", "rare", 1))).isInstanceOf(NoTenantBoundException.class);
        assertThat(deployment.commands("find")).isEmpty();
        assertThat(deployment.commands("insert")).isEmpty();
    }

    @Test
    void aTenantFieldOfAnotherNameIsUsedEverywhere() {
        try (FieldMongo custom = new FieldMongo(builder -> builder.tenantField("user_id"))) {
            MongoCollection<Document> own = custom.mongo.collection("cards");
            as(ACME, () -> own.insertOne(card("a1", "rare", 1)));
            as(BRAVO, () -> own.insertOne(card("b1", "rare", 1)));

            assertThat(custom.raw("cards").find(Filters.eq("sku", "a1")).first()).containsEntry("user_id", "acme");
            assertThat(callAs(BRAVO, () -> skus(own.find()))).containsExactly("b1");
        }
    }
}
