package io.tenantry.mongo;

import static io.tenantry.mongo.FieldMongo.ACME;
import static io.tenantry.mongo.FieldMongo.BRAVO;
import static io.tenantry.mongo.FieldMongo.as;
import static io.tenantry.mongo.FieldMongo.callAs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.ChangeStreamIterable;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.client.model.changestream.FullDocumentBeforeChange;
import io.tenantry.IsolationViolationException;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Find, distinct, aggregate and watch iterables of a FIELD collection: confined when built, and later too. */
class FieldIterablesTest {

    private FieldMongo deployment;
    private MongoCollection<Document> cards;

    @BeforeEach
    void start() {
        deployment = new FieldMongo();
        cards = deployment.mongo.collection("cards");
        as(ACME, () -> cards.insertMany(List.of(new Document("_id", "a1").append("rarity", "rare"),
                new Document("_id", "a2").append("rarity", "common"))));
        as(BRAVO, () -> cards.insertMany(List.of(new Document("_id", "b1").append("rarity", "rare"),
                new Document("_id", "b2").append("rarity", "mythic"))));
    }

    @AfterEach
    void stop() {
        deployment.close();
    }

    private static List<Object> ids(Iterable<Document> documents) {
        List<Object> ids = new ArrayList<>();
        documents.forEach(document -> ids.add(document.get("_id")));
        return ids;
    }

    @Test
    void aFilterSetLaterOnAFindIsConfinedToo() {
        List<Object> found = callAs(ACME, () -> ids(cards.find().filter(Filters.eq("rarity", "rare"))));
        List<Object> widened = callAs(ACME, () -> ids(cards.find().filter(Filters.eq("tenantId", "bravo"))));

        assertThat(found).containsExactly("a1");
        assertThat(widened).isEmpty();
        assertThat(deployment.lastCommand("find").getDocument("filter"))
                .isEqualTo(BsonDocument.parse("{$and: [{tenantId: 'acme'}, {tenantId: 'bravo'}]}"));
    }

    @Test
    void aNullFilterSetLaterStillHasTheTenantCondition() {
        assertThat(callAs(BRAVO, () -> ids(cards.find(Filters.eq("_id", "b1")).filter(null))))
                .containsExactlyInAnyOrder("b1", "b2");
    }

    @Test
    void findOptionsPassThrough() {
        List<Object> found = callAs(BRAVO, () -> ids(cards.find().sort(new Document("_id", -1)).limit(1)
                .projection(new Document("_id", 1))));

        assertThat(found).containsExactly("b2");
    }

    @Test
    void explainIsRefusedOnASharedCollection() {
        FindIterable<Document> find = callAs(ACME, () -> cards.find());

        assertThatThrownBy(() -> as(ACME, find::explain)).isInstanceOf(IsolationViolationException.class)
                .hasMessageContaining("explain");
        assertThatThrownBy(() -> as(ACME, () -> cards.aggregate(List.of()).explain()))
                .isInstanceOf(IsolationViolationException.class);
    }

    @Test
    void anIterableKeptAcrossTenantsIsRefused() {
        FindIterable<Document> acmes = callAs(ACME, () -> cards.find());

        assertThatThrownBy(() -> as(BRAVO, () -> acmes.first())).isInstanceOf(IsolationViolationException.class)
                .hasMessageContaining("acme").hasMessageContaining("bravo");
        assertThatThrownBy(acmes::first).isInstanceOf(IsolationViolationException.class);
        assertThat(callAs(ACME, () -> ids(acmes))).containsExactlyInAnyOrder("a1", "a2");
    }

    @Test
    void aFilterSetLaterOnADistinctIsConfinedToo() {
        List<String> rarities = callAs(BRAVO, () -> cards.distinct("rarity", String.class)
                .filter(Filters.in("rarity", "rare", "common")).into(new ArrayList<>()));

        assertThat(rarities).containsExactly("rare");
    }

    @Test
    void anAggregationReadsOnlyTheTenantsDocuments() {
        List<Document> groups = callAs(ACME, () -> cards.aggregate(List.of(
                Aggregates.group("$rarity", com.mongodb.client.model.Accumulators.sum("n", 1)))).into(new ArrayList<>()));

        assertThat(groups).extracting(group -> group.getString("_id") + "=" + group.getInteger("n"))
                .containsExactlyInAnyOrder("rare=1", "common=1");
        assertThat(deployment.lastCommand("aggregate").getArray("pipeline").get(0))
                .isEqualTo(BsonDocument.parse("{$match: {tenantId: 'acme'}}"));
    }

    @Test
    void aLookupIntoAnotherSharedCollectionIsConfinedToo() {
        deployment.raw("prices").insertMany(List.of(new Document("card", "a1").append("tenantId", "acme"),
                new Document("card", "a1").append("tenantId", "bravo")));
        deployment.clearCommands();
        try {
            as(ACME, () -> cards.aggregate(List.of(Aggregates.lookup("prices", "_id", "card", "prices"))).first());
        } catch (RuntimeException testServerLacksTheRewrittenLookup) {
            // the command sent is what matters
        }

        String sent = deployment.lastCommand("aggregate").getArray("pipeline").toString();
        assertThat(sent).contains("prices").contains("acme").doesNotContain("bravo");
    }

    @Test
    void outIsRefusedBecauseItWouldReplaceASharedCollection() {
        assertThatThrownBy(() -> as(ACME, () -> cards.aggregate(List.of(Aggregates.out("copy"))).first()))
                .isInstanceOf(IsolationViolationException.class);
        assertThat(deployment.commands("aggregate")).isEmpty();
    }

    @Test
    void aChangeStreamKeepsOnlyTheTenantsEventsAndLooksUpTheDocuments() {
        deployment.clearCommands();
        try {
            as(BRAVO, () -> cards.watch(List.of(Aggregates.match(Filters.eq("operationType", "insert")))).first());
        } catch (RuntimeException testServerLacksChangeStreams) {
            // the command sent is what matters
        }

        List<BsonDocument> pipeline = deployment.lastCommand("aggregate").getArray("pipeline").stream()
                .map(stage -> stage.asDocument()).toList();
        assertThat(pipeline.get(0).getDocument("$changeStream")).isEqualTo(BsonDocument.parse(
                "{fullDocument: 'updateLookup', fullDocumentBeforeChange: 'whenAvailable'}"));
        assertThat(pipeline.get(1)).isEqualTo(BsonDocument.parse("{$match: {$or: [{'fullDocument.tenantId': 'bravo'},"
                + " {'fullDocumentBeforeChange.tenantId': 'bravo'}]}}"));
        assertThat(pipeline.get(2)).isEqualTo(FieldChangeStreams.unwrapIds());
        assertThat(pipeline.get(2).toJson()).contains("\"documentKey._id\": \"$documentKey._id.id\"",
                "\"$mergeObjects\": [\"$fullDocument\", {\"_id\": \"$fullDocument._id.id\"}]");
        assertThat(pipeline.get(3)).isEqualTo(BsonDocument.parse("{$match: {operationType: 'insert'}}"));
    }

    @Test
    void theDocumentLookupsOfAChangeStreamCannotBeTurnedOff() {
        ChangeStreamIterable<Document> stream = callAs(ACME, () -> cards.watch());

        assertThatThrownBy(() -> stream.fullDocument(FullDocument.DEFAULT))
                .isInstanceOf(IsolationViolationException.class);
        assertThatThrownBy(() -> stream.fullDocumentBeforeChange(FullDocumentBeforeChange.OFF))
                .isInstanceOf(IsolationViolationException.class);
    }

    @Test
    void aChangeStreamStageThatIsNotPerEventIsRefused() {
        assertThatThrownBy(() -> as(ACME, () -> cards.watch(List.of(Aggregates.lookup("prices", "_id", "card", "p")))))
                .isInstanceOf(IsolationViolationException.class);
    }
}
