package io.tenantry.mongo;

import static io.tenantry.mongo.FieldMongo.ACME;
import static io.tenantry.mongo.FieldMongo.BRAVO;
import static io.tenantry.mongo.FieldMongo.as;
import static io.tenantry.mongo.FieldMongo.callAs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndReplaceOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.result.UpdateResult;
import io.tenantry.IsolationViolationException;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.codecs.configuration.CodecRegistries;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.codecs.pojo.PojoCodecProvider;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Writes on the FIELD model: stamped, confined, and unable to touch the tenant field. */
class FieldWritesTest {

    private FieldMongo deployment;
    private MongoCollection<Document> cards;

    @BeforeEach
    void start() {
        deployment = new FieldMongo();
        cards = deployment.mongo.collection("cards");
        as(ACME, () -> cards.insertOne(new Document("_id", "a1").append("name", "Lotus")));
        as(BRAVO, () -> cards.insertOne(new Document("_id", "b1").append("name", "Lotus")));
    }

    @AfterEach
    void stop() {
        deployment.close();
    }

    private Document stored(String id) {
        return deployment.raw("cards").find(Filters.eq("_id.id", id)).first();
    }

    /** A plain POJO, encoded by the POJO codec, which knows nothing of the tenant field. */
    public static final class Card {
        private ObjectId id;
        private String name;

        public Card() {
        }

        Card(String name) {
            this.name = name;
        }

        public ObjectId getId() {
            return id;
        }

        public void setId(ObjectId id) {
            this.id = id;
        }

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }
    }

    private static CodecRegistry pojos() {
        return CodecRegistries.fromRegistries(MongoClientSettings.getDefaultCodecRegistry(),
                CodecRegistries.fromProviders(PojoCodecProvider.builder().automatic(true).build()));
    }

    @Test
    void anInsertedDocumentGetsItsIdLikeWithThePlainDriver() {
        Document card = new Document("name", "Mox");
        as(ACME, () -> cards.insertOne(card));

        assertThat(card.get("_id")).isInstanceOf(ObjectId.class);
        assertThat(card).doesNotContainKey("tenantId");
        assertThat(deployment.raw("cards").find(Filters.eq("_id.id", card.get("_id"))).first())
                .containsEntry("tenantId", "acme").containsEntry("name", "Mox");
    }

    @Test
    void aPojoIsStampedThroughTheCollectionsCodecsAndGetsItsId() {
        MongoCollection<Card> pojoCards = deployment.mongo.collection("cards", Card.class).withCodecRegistry(pojos());
        Card card = new Card("Sol Ring");
        as(BRAVO, () -> pojoCards.insertOne(card));

        assertThat(card.getId()).isNotNull();
        assertThat(deployment.raw("cards").find(Filters.eq("_id.id", card.getId())).first())
                .containsEntry("tenantId", "bravo").containsEntry("name", "Sol Ring");
        assertThat(callAs(BRAVO, () -> pojoCards.find(Filters.eq("name", "Sol Ring")).first().getId()))
                .isEqualTo(card.getId());
        assertThat(callAs(ACME, () -> pojoCards.find(Filters.eq("name", "Sol Ring")).first())).isNull();
    }

    @Test
    void findOneAndReplaceStampsAPojoAndDecodesTheAnswerIntoIt() {
        MongoCollection<Card> pojoCards = deployment.mongo.collection("cards", Card.class).withCodecRegistry(pojos());
        Card card = new Card("Chaos Orb");
        as(ACME, () -> pojoCards.insertOne(card));
        Card replacement = new Card("Chaos Orb (flipped)");

        Card before = callAs(ACME, () -> pojoCards.findOneAndReplace(Filters.eq("_id", card.getId()), replacement));

        assertThat(before.getName()).isEqualTo("Chaos Orb");
        assertThat(deployment.raw("cards").find(Filters.eq("_id.id", card.getId())).first())
                .containsEntry("tenantId", "acme").containsEntry("name", "Chaos Orb (flipped)");
        assertThat(callAs(BRAVO, () -> pojoCards.findOneAndReplace(Filters.eq("_id", card.getId()), replacement)))
                .isNull();
    }

    @Test
    void aDocumentCarryingAnotherTenantIsRefusedAndNothingIsWritten() {
        assertThatThrownBy(() -> as(ACME, () -> cards.insertOne(new Document("name", "x").append("tenantId", "bravo"))))
                .isInstanceOf(IsolationViolationException.class).hasMessageContaining("tenantId");
        assertThatThrownBy(() -> as(ACME, () -> cards.insertMany(List.of(new Document("name", "ok"),
                new Document("name", "forged").append("tenantId", "bravo")))))
                .isInstanceOf(IsolationViolationException.class);

        assertThat(deployment.raw("cards").countDocuments()).isEqualTo(2);
    }

    @Test
    void aDocumentCarryingItsOwnTenantIsAccepted() {
        as(ACME, () -> cards.insertOne(new Document("_id", "a2").append("tenantId", "acme")));

        assertThat(stored("a2")).containsEntry("tenantId", "acme");
    }

    @Test
    void aReplacementIsStampedAndReachesOnlyTheTenantsDocument() {
        UpdateResult result = callAs(ACME, () -> cards.replaceOne(Filters.eq("name", "Lotus"),
                new Document("name", "Black Lotus")));

        assertThat(result.getModifiedCount()).isEqualTo(1);
        assertThat(stored("a1")).containsEntry("tenantId", "acme").containsEntry("name", "Black Lotus");
        assertThat(stored("b1")).containsEntry("name", "Lotus");
    }

    @Test
    void anUpsertedReplacementCarriesTheTenant() {
        as(BRAVO, () -> cards.replaceOne(Filters.eq("_id", "b9"), new Document("name", "Ancestral"),
                new ReplaceOptions().upsert(true)));

        assertThat(stored("b9")).containsEntry("tenantId", "bravo").containsEntry("name", "Ancestral");
    }

    @Test
    void anUpsertByUpdateCarriesTheTenantFromTheConfinedFilter() {
        as(BRAVO, () -> cards.updateOne(Filters.eq("name", "Timetwister"), Updates.set("price", 3),
                new UpdateOptions().upsert(true)));

        Document upserted = deployment.raw("cards").find(Filters.eq("name", "Timetwister")).first();
        assertThat(upserted).containsEntry("tenantId", "bravo").containsEntry("price", 3);
    }

    @Test
    void anUpdateCannotReachAnotherTenantsDocumentById() {
        UpdateResult result = callAs(ACME, () -> cards.updateOne(Filters.eq("_id", "b1"), Updates.set("name", "mine")));

        assertThat(result.getMatchedCount()).isZero();
        assertThat(stored("b1")).containsEntry("name", "Lotus");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{$set: {tenantId: 'bravo'}}",
        "{$unset: {tenantId: ''}}",
        "{$rename: {tenantId: 'owner'}}",
        "{$rename: {name: 'tenantId'}}",
        "{$set: {'tenantId.x': 1}}",
        "{$setOnInsert: {tenantId: 'bravo'}}",
        "{$inc: {tenantId: 1}}",
        "{name: 'replacement style'}"
    })
    void anUpdateTouchingTheTenantFieldIsRefused(String update) {
        assertThatThrownBy(() -> as(ACME, () -> cards.updateOne(Filters.eq("_id", "a1"), BsonDocument.parse(update))))
                .isInstanceOf(IsolationViolationException.class);
        assertThatThrownBy(() -> as(ACME, () -> cards.updateMany(Filters.empty(), BsonDocument.parse(update))))
                .isInstanceOf(IsolationViolationException.class);
        assertThatThrownBy(() -> as(ACME, () -> cards.findOneAndUpdate(Filters.empty(), BsonDocument.parse(update))))
                .isInstanceOf(IsolationViolationException.class);

        assertThat(stored("a1")).containsEntry("tenantId", "acme").containsEntry("name", "Lotus");
        assertThat(deployment.commands("update")).isEmpty();
        assertThat(deployment.commands("findAndModify")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{$set: {tenantId: 'bravo'}}",
        "{$addFields: {tenantId: 'bravo'}}",
        "{$unset: 'tenantId'}",
        "{$unset: ['name', 'tenantId.x']}",
        "{$project: {name: 1}}",
        "{$replaceRoot: {newRoot: {name: '$name'}}}",
        "{$replaceWith: {name: '$name'}}"
    })
    void anUpdatePipelineTouchingTheTenantFieldIsRefused(String stage) {
        List<BsonDocument> pipeline = List.of(BsonDocument.parse(stage));

        assertThatThrownBy(() -> as(ACME, () -> cards.updateOne(Filters.eq("_id", "a1"), pipeline)))
                .isInstanceOf(IsolationViolationException.class);
        assertThatThrownBy(() -> as(ACME, () -> cards.updateMany(Filters.empty(), pipeline)))
                .isInstanceOf(IsolationViolationException.class);
        assertThatThrownBy(() -> as(ACME, () -> cards.findOneAndUpdate(Filters.empty(), pipeline)))
                .isInstanceOf(IsolationViolationException.class);
        assertThat(deployment.commands("update")).isEmpty();
    }

    @Test
    void anUpdatePipelineThatLeavesTheTenantFieldAloneIsSentConfined() {
        deployment.clearCommands();
        List<BsonDocument> pipeline = List.of(BsonDocument.parse("{$set: {price: 4}}"));
        try {
            as(ACME, () -> cards.updateOne(Filters.eq("_id", "a1"), pipeline));
        } catch (RuntimeException serverLacksUpdatePipelines) {
            // the test server may not run update pipelines; what matters is the command it was sent
        }

        BsonDocument statement = deployment.lastCommand("update").getArray("updates").get(0).asDocument();
        assertThat(statement.getDocument("q")).isEqualTo(BsonDocument.parse(
                "{$and: [{tenantId: 'acme'}, {_id: {tenantId: 'acme', id: 'a1'}}]}"));
        assertThat(statement.getArray("u").getValues()).containsExactly(BsonDocument.parse("{$set: {price: 4}}"));
    }

    @Test
    void findOneAndDeleteTakesOnlyTheTenantsDocument() {
        Document deleted = callAs(BRAVO, () -> cards.findOneAndDelete(Filters.eq("name", "Lotus")));

        assertThat(deleted).containsEntry("_id", "b1");
        assertThat(stored("a1")).isNotNull();
        assertThat(stored("b1")).isNull();
        assertThat(callAs(BRAVO, () -> cards.findOneAndDelete(Filters.eq("_id", "a1")))).isNull();
    }

    @Test
    void findOneAndReplaceStampsTheReplacementAndReturnsTheDocumentClass() {
        Document after = callAs(ACME, () -> cards.findOneAndReplace(Filters.eq("name", "Lotus"),
                new Document("name", "Lotus Petal"), new FindOneAndReplaceOptions().returnDocument(ReturnDocument.AFTER)));

        assertThat(after).containsEntry("_id", "a1").containsEntry("name", "Lotus Petal");
        assertThat(stored("a1")).containsEntry("tenantId", "acme");
        assertThat(stored("b1")).containsEntry("name", "Lotus");
    }

    @Test
    void findOneAndUpdateChangesOnlyTheTenantsDocument() {
        Document after = callAs(BRAVO, () -> cards.findOneAndUpdate(Filters.eq("name", "Lotus"),
                Updates.set("grade", 9), new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)));

        assertThat(after).containsEntry("_id", "b1").containsEntry("grade", 9);
        assertThat(stored("a1")).doesNotContainKey("grade");
    }

    @Test
    void writesReturnTheDriversResults() {
        var inserted = callAs(ACME, () -> cards.insertMany(List.of(new Document("_id", "a2"), new Document("_id", "a3"))));
        var deleted = callAs(ACME, () -> cards.deleteMany(Filters.in("_id", "a2", "a3", "b1")));

        assertThat(inserted.getInsertedIds()).hasSize(2);
        assertThat(deleted.getDeletedCount()).isEqualTo(2);
        assertThat(deployment.raw("cards").find().into(new ArrayList<>())).extracting(FieldMongo::callerId)
                .containsExactlyInAnyOrder("a1", "b1");
        assertThat(stored("b1")).containsEntry("tenantId", "bravo");
    }
}
