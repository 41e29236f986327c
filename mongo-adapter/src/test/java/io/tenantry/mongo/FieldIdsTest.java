package io.tenantry.mongo;

import static io.tenantry.mongo.FieldMongo.ACME;
import static io.tenantry.mongo.FieldMongo.BRAVO;
import static io.tenantry.mongo.FieldMongo.as;
import static io.tenantry.mongo.FieldMongo.callAs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.tenantry.IsolationViolationException;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Ids stored with their tenant on the FIELD model: the rewriting rules, and their effect on a server. */
class FieldIdsTest {

    private static final FieldIds IDS = new FieldIds("tenantId");

    private static BsonDocument bson(String json) {
        return BsonDocument.parse(json);
    }

    private static BsonDocument filter(String json) {
        return IDS.filter(ACME, bson(json));
    }

    @Nested
    class Rules {

        @Test
        void idsAreWrappedWithTheTenantAndUnwrappedOnlyFromThatShape() {
            assertThat(IDS.wrap(ACME, new BsonString("x"))).isEqualTo(bson("{tenantId: 'acme', id: 'x'}"));
            assertThat(IDS.unwrap(bson("{tenantId: 'acme', id: {a: 1}}"))).isEqualTo(bson("{a: 1}"));
            assertThat(IDS.unwrap(new BsonInt32(3))).isEqualTo(new BsonInt32(3));
            assertThat(IDS.unwrap(bson("{id: 3, tenantId: 'acme'}"))).isEqualTo(bson("{id: 3, tenantId: 'acme'}"));
            assertThat(IDS.unwrap(bson("{tenantId: 'acme', id: 3, x: 1}"))).isEqualTo(bson("{tenantId: 'acme', id: 3, x: 1}"));
            assertThatThrownBy(() -> IDS.wrap(ACME, bson("{a: [1]}").get("a")))
                    .isInstanceOf(IsolationViolationException.class).hasMessageContaining("array");
        }

        @Test
        void equalitiesAndInListsCompareWrappedValuesSoTheyUseTheIdIndex() {
            assertThat(filter("{_id: 'x'}")).isEqualTo(bson("{_id: {tenantId: 'acme', id: 'x'}}"));
            assertThat(filter("{_id: {a: 1}}")).isEqualTo(bson("{_id: {tenantId: 'acme', id: {a: 1}}}"));
            assertThat(filter("{_id: {$eq: 5}}")).isEqualTo(bson("{_id: {$eq: {tenantId: 'acme', id: 5}}}"));
            assertThat(filter("{_id: {$in: ['a', 2]}}")).isEqualTo(
                    bson("{_id: {$in: [{tenantId: 'acme', id: 'a'}, {tenantId: 'acme', id: 2}]}}"));
        }

        @Test
        void everyOtherConditionReadsTheCallersIdByPath() {
            assertThat(filter("{_id: {$gt: 5, $lt: 9}}")).isEqualTo(bson("{'_id.id': {$gt: 5, $lt: 9}}"));
            assertThat(filter("{_id: {$in: [1, 2], $ne: 2}}"))
                    .isEqualTo(bson("{_id: {$in: [{tenantId: 'acme', id: 1}, {tenantId: 'acme', id: 2}]},"
                            + " '_id.id': {$ne: 2}}"));
            assertThat(filter("{_id: {$regex: '^a'}}")).isEqualTo(bson("{'_id.id': {$regex: '^a'}}"));
            assertThat(filter("{_id: {$in: [/^a/]}}")).isEqualTo(bson("{'_id.id': {$in: [/^a/]}}"));
            assertThat(filter("{_id: {$exists: true}}")).isEqualTo(bson("{'_id.id': {$exists: true}}"));
            assertThat(filter("{'_id.region': 'eu'}")).isEqualTo(bson("{'_id.id.region': 'eu'}"));
        }

        @Test
        void logicalBranchesAndExprAreRewrittenButOtherFieldsAndElemMatchAreNot() {
            assertThat(filter("{$or: [{_id: 1}, {n: 2}], $nor: [{_id: {$gt: 3}}], items: {$elemMatch: {_id: 4}}}"))
                    .isEqualTo(bson("{$or: [{_id: {tenantId: 'acme', id: 1}}, {n: 2}], $nor: [{'_id.id': {$gt: 3}}],"
                            + " items: {$elemMatch: {_id: 4}}}"));
            assertThat(filter("{$expr: {$eq: ['$_id', '$$ROOT._id.x', {$literal: '$_id'}]}}")).isEqualTo(
                    bson("{$expr: {$eq: ['$_id.id', '$$ROOT._id.id.x', {$literal: '$_id'}]}}"));
            assertThat(filter("{_idx: 1, name: '$_id'}")).isEqualTo(bson("{_idx: 1, name: '$_id'}"));
        }

        @Test
        void updatesWrapSetIdsAndReadPathsBelowTheId() {
            assertThat(IDS.update(ACME, bson("{$set: {_id: 'x', n: 1}, $setOnInsert: {_id: 'x'}, $inc: {'_id.n': 1}}")))
                    .isEqualTo(bson("{$set: {_id: {tenantId: 'acme', id: 'x'}, n: 1},"
                            + " $setOnInsert: {_id: {tenantId: 'acme', id: 'x'}}, $inc: {'_id.id.n': 1}}"));
            assertThat(FieldIds.touchesId(bson("{$set: {n: 1}}"))).isFalse();
            assertThat(FieldIds.touchesId(bson("{$unset: {'_id.x': 1}}"))).isTrue();
            assertThat(FieldIds.fixesId(bson("{_id: 'x'}"))).isTrue();
            assertThat(FieldIds.fixesId(bson("{$and: [{n: 1}, {_id: {$eq: 'x'}}]}"))).isTrue();
            assertThat(FieldIds.fixesId(bson("{_id: {$in: ['x']}}"))).isFalse();
            assertThat(FieldIds.fixesId(bson("{$or: [{_id: 'x'}]}"))).isFalse();
        }

        @Test
        void sortAndProjectionKeysBelowTheIdReadTheCallersId() {
            assertThat(FieldIds.keys(bson("{_id: 1, '_id.region': -1, name: 1}")))
                    .isEqualTo(bson("{_id: 1, '_id.id.region': -1, name: 1}"));
            assertThat(FieldIds.keys(bson("{copy: '$_id'}"))).isEqualTo(bson("{copy: '$_id.id'}"));
        }

        @Test
        void theInputsAreNeverChanged() {
            BsonDocument input = bson("{_id: 'x', $or: [{_id: 1}]}");
            IDS.filter(ACME, input);
            assertThat(input).isEqualTo(bson("{_id: 'x', $or: [{_id: 1}]}"));
        }
    }

    @Nested
    class OnAServer {

        private FieldMongo deployment;
        private MongoCollection<Document> cards;

        @BeforeEach
        void start() {
            deployment = new FieldMongo();
            cards = deployment.mongo.collection("cards");
            for (var tenant : List.of(ACME, BRAVO)) {
                as(tenant, () -> cards.insertMany(List.of(new Document("_id", 1).append("n", "one"),
                        new Document("_id", 2).append("n", "two"), new Document("_id", "c").append("n", "three"),
                        new Document("_id", new Document("region", "eu").append("k", 4)).append("n", "four"))));
            }
        }

        @AfterEach
        void stop() {
            deployment.close();
        }

        private List<Object> ids(Iterable<Document> documents) {
            List<Object> ids = new ArrayList<>();
            documents.forEach(document -> ids.add(document.get("_id")));
            return ids;
        }

        @Test
        void theSameIdsLiveSideBySideAndEachTenantSeesItsOwn() {
            assertThat(deployment.raw("cards").countDocuments(Filters.eq("_id.id", 1))).isEqualTo(2);
            assertThat(callAs(ACME, () -> cards.find(Filters.eq("_id", 1)).first())).containsEntry("_id", 1)
                    .containsEntry("n", "one");
            assertThat(callAs(ACME, () -> ids(cards.find(Filters.in("_id", 1, "c", "zz")).sort(Sorts.ascending("_id")))))
                    .containsExactly(1, "c");
        }

        @Test
        void rangesTypesAndSortsBehaveAsOnTheCallersIds() {
            assertThat(callAs(ACME, () -> ids(cards.find(Filters.gt("_id", 1)))))
                    .as("type bracketing: a number range matches numbers only").containsExactly(2);
            assertThat(callAs(ACME, () -> ids(cards.find(Filters.type("_id", "string"))))).containsExactly("c");
            assertThat(callAs(ACME, () -> ids(cards.find(Filters.eq("_id.region", "eu")))))
                    .containsExactly(new Document("region", "eu").append("k", 4));
            assertThat(callAs(ACME, () -> ids(cards.find().sort(Sorts.descending("_id"))))).containsExactly(
                    new Document("region", "eu").append("k", 4), "c", 2, 1);
            assertThat(callAs(ACME, () -> cards.find(Filters.eq("_id", "c")).projection(Projections.include("_id"))
                    .first())).isEqualTo(new Document("_id", "c"));
            assertThat(callAs(ACME, () -> cards.distinct("_id", Filters.type("_id", "number"), Integer.class)
                    .into(new ArrayList<>()))).containsExactlyInAnyOrder(1, 2);
        }

        @Test
        void aggregationsSeeTheCallersIds() {
            assertThat(callAs(ACME, () -> ids(cards.aggregate(List.of(Aggregates.match(Filters.in("_id", 1, 2)),
                    Aggregates.sort(Sorts.ascending("_id"))))))).containsExactly(1, 2);
            assertThat(callAs(ACME, () -> cards.aggregate(List.of(Aggregates.match(Filters.eq("n", "two")),
                    Aggregates.project(Projections.computed("copy", "$_id")))).first()))
                    .isEqualTo(new Document("_id", 2).append("copy", 2));
        }

        @Test
        void writesResultsAndUpsertsSpeakInTheCallersIds() {
            assertThat(callAs(ACME, () -> cards.insertOne(new Document("_id", "new")).getInsertedId()))
                    .isEqualTo(new BsonString("new"));
            BsonValue generated = callAs(ACME, () -> cards.insertOne(new Document("n", "gen")).getInsertedId());
            assertThat(generated.isObjectId()).isTrue();
            assertThat(callAs(ACME, () -> cards.find(Filters.eq("_id", generated.asObjectId().getValue())).first()))
                    .containsEntry("n", "gen");

            var upserted = callAs(ACME, () -> cards.updateOne(Filters.eq("n", "five"), Updates.set("k", 5),
                    new UpdateOptions().upsert(true)));
            assertThat(upserted.getUpsertedId().isObjectId()).isTrue();
            assertThat(callAs(ACME, () -> cards.find(Filters.eq("_id", upserted.getUpsertedId().asObjectId().getValue()))
                    .first())).containsEntry("n", "five");

            var replaced = callAs(ACME, () -> cards.replaceOne(Filters.eq("n", "six"), new Document("n", "six"),
                    new ReplaceOptions().upsert(true)));
            assertThat(replaced.getUpsertedId().isObjectId()).isTrue();
            var again = callAs(ACME, () -> cards.replaceOne(Filters.eq("n", "six"), new Document("n", "six").append("v", 2),
                    new ReplaceOptions().upsert(true)));
            assertThat(again.getMatchedCount()).isEqualTo(1);
            assertThat(callAs(ACME, () -> cards.find(Filters.eq("n", "six")).into(new ArrayList<>())))
                    .extracting(d -> d.get("_id")).containsExactly(replaced.getUpsertedId().asObjectId().getValue());
            assertThat(deployment.raw("cards").find(Filters.eq("n", "six")).first().get("_id", Document.class))
                    .containsEntry("tenantId", "acme");
        }

        @Test
        void upsertsThatCannotChooseTheirIdAreRefusedWithTheWayOut() {
            assertThatThrownBy(() -> as(ACME, () -> cards.bulkWrite(List.of(new InsertOneModel<>(new Document()),
                    new ReplaceOneModel<>(Filters.eq("n", "x"), new Document("n", "x"), new ReplaceOptions().upsert(true))))))
                    .isInstanceOf(IsolationViolationException.class).hasMessageContaining("replaceOne");
            assertThatThrownBy(() -> as(ACME, () -> cards.updateOne(Filters.eq("n", "x"),
                    List.of(new Document("$set", new Document("k", 1))), new UpdateOptions().upsert(true))))
                    .isInstanceOf(IsolationViolationException.class).hasMessageContaining("fixes _id");
            assertThat(callAs(ACME, () -> cards.countDocuments(Filters.eq("n", "x")))).isZero();
        }

        @Test
        void aCallerChosenObjectIdIsTheCallersOwnToo() {
            ObjectId id = new ObjectId();
            as(BRAVO, () -> cards.insertOne(new Document("_id", id)));
            as(ACME, () -> cards.insertOne(new Document("_id", id).append("n", "mine")));
            assertThat(callAs(ACME, () -> cards.find(Filters.eq("_id", id)).first())).containsEntry("n", "mine");
        }
    }
}
