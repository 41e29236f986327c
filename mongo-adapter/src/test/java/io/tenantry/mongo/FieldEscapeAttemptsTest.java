package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.result.UpdateResult;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.tenantry.IsolationViolationException;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Escape attempts on the FIELD model (a collection shared with the victim): forged tenant values in
 * documents, filters and updates, operator tricks and pipeline stages. Each asserts the exact
 * outcome, neutralised or refused, and (after each) that the victim's data is unchanged.
 */
class FieldEscapeAttemptsTest {

    private static final TenantId MALLORY = TenantId.of("mallory-f");
    private static AdversarialFixture fixture;

    @BeforeAll
    static void stage() {
        fixture = new AdversarialFixture();
    }

    @AfterAll
    static void strike() {
        fixture.close();
    }

    @AfterEach
    void victimsAreUntouched() {
        fixture.assertVictimsUntouched();
    }

    private static MongoCollection<Document> cards() {
        return fixture.mongo.collection("cards");
    }

    private static List<Document> asMallory(java.util.function.Supplier<List<Document>> query) {
        return TenantContext.callAs(MALLORY, query::get);
    }

    private static void refusedAsMallory(ThrowingCallable attempt) {
        TenantContext.runAs(MALLORY, () -> assertThatThrownBy(attempt)
                .isInstanceOf(IsolationViolationException.class).message().isNotBlank());
    }

    private static void onlyMallorys(List<Document> documents) {
        assertThat(documents).allSatisfy(d -> assertThat(d.getString("_id")).startsWith("mallory-f"));
    }

    @Test
    void filterNamingTheVictimsTenantValueFindsNothing() {
        assertThat(asMallory(() -> cards().find(Filters.eq("tenantId", "victim-f")).into(new ArrayList<>()))).isEmpty();
    }

    @Test
    void orWithAnEmptyBranchCannotWidenTheFilter() {
        onlyMallorys(asMallory(() -> cards().find(Filters.or(Filters.eq("tenantId", "victim-f"), new Document()))
                .into(new ArrayList<>())));
    }

    @Test
    void notEqualOnTheTenantFieldFindsNothing() {
        assertThat(asMallory(() -> cards().find(Filters.ne("tenantId", "mallory-f")).into(new ArrayList<>()))).isEmpty();
    }

    @Test
    void exprComparingTheTenantFieldFindsOnlyOwnDocuments() {
        onlyMallorys(asMallory(() -> cards().find(Filters.expr(new Document("$ne", List.of("$tenantId", "x"))))
                .into(new ArrayList<>())));
    }

    @Test
    void filterReplacedLaterOnTheFindIterableIsConfinedToo() {
        assertThat(asMallory(() -> cards().find().filter(Filters.eq("_id", "victim-f-1")).into(new ArrayList<>())))
                .isEmpty();
    }

    @Test
    void lookupByTheVictimsIdFindsNothing() {
        assertThat(asMallory(() -> cards().find(Filters.in("_id", "victim-f-1", "victim-f-2")).into(new ArrayList<>())))
                .isEmpty();
    }

    @Test
    void insertedDocumentCarryingTheVictimsTenantIsRefused() {
        refusedAsMallory(() -> cards().insertOne(new Document("tenantId", "victim-f").append("name", "planted")));
    }

    @Test
    void insertedDocumentCarryingAnOperatorAsTenantValueIsRefused() {
        refusedAsMallory(() -> cards().insertOne(new Document("tenantId", new Document("$ne", "x"))));
    }

    @Test
    void insertManyWithOneForgedDocumentWritesNothing() {
        refusedAsMallory(() -> cards().insertMany(List.of(new Document("name", "fine-1"),
                new Document("name", "planted").append("tenantId", "victim-f"))));
        assertThat(asMallory(() -> cards().find(Filters.eq("name", "fine-1")).into(new ArrayList<>()))).isEmpty();
    }

    @Test
    void replacementCarryingTheVictimsTenantIsRefused() {
        refusedAsMallory(() -> cards().replaceOne(Filters.eq("_id", "mallory-f-1"),
                new Document("tenantId", "victim-f").append("name", "moved")));
    }

    @Test
    void replacingTheVictimsDocumentByIdMatchesNothing() {
        long matched = TenantContext.callAs(MALLORY, () -> cards()
                .replaceOne(Filters.eq("_id", "victim-f-1"), new Document("name", "overwritten")).getMatchedCount());
        assertThat(matched).isZero();
    }

    @Test
    void upsertOntoTheVictimsIdCannotTakeTheDocumentOverAndCreatesMallorysOwn() {
        // Ids are stored with the tenant: the upsert creates Mallory's own "victim-f-1" and does not
        // even learn that the victim has one (the write's outcome does not depend on it).
        TenantContext.runAs(MALLORY, () -> {
            UpdateResult result = cards().replaceOne(Filters.eq("_id", "victim-f-1"), new Document("name", "mine now"),
                    new ReplaceOptions().upsert(true));
            try {
                assertThat(result.getUpsertedId()).isEqualTo(new org.bson.BsonString("victim-f-1"));
                assertThat(cards().find(Filters.eq("_id", "victim-f-1")).into(new ArrayList<>()))
                        .extracting(d -> d.getString("name")).containsExactly("mine now");
            } finally {
                cards().deleteOne(Filters.eq("_id", "victim-f-1"));
            }
        });
    }

    @Test
    void settingTheTenantFieldIsRefused() {
        refusedAsMallory(() -> cards().updateOne(Filters.eq("_id", "mallory-f-1"), Updates.set("tenantId", "victim-f")));
    }

    @Test
    void unsettingTheTenantFieldIsRefused() {
        refusedAsMallory(() -> cards().updateMany(new Document(), Updates.unset("tenantId")));
    }

    @Test
    void renamingTheTenantFieldAwayIsRefused() {
        refusedAsMallory(() -> cards().updateMany(new Document(), Updates.rename("tenantId", "was")));
    }

    @Test
    void renamingAnotherFieldOntoTheTenantFieldIsRefused() {
        refusedAsMallory(() -> cards().updateMany(new Document(), Updates.rename("name", "tenantId")));
    }

    @Test
    void dottedPathUnderTheTenantFieldIsRefused() {
        refusedAsMallory(() -> cards().updateOne(new Document(), Updates.set("tenantId.inner", 1)));
    }

    @Test
    void incrementingTheTenantFieldIsRefused() {
        refusedAsMallory(() -> cards().updateOne(new Document(), Updates.inc("tenantId", 1)));
    }

    @Test
    void setOnInsertOfTheTenantFieldIsRefused() {
        refusedAsMallory(() -> cards().updateOne(Filters.eq("_id", "new"), Updates.setOnInsert("tenantId", "victim-f"),
                new UpdateOptions().upsert(true)));
    }

    @Test
    void updatePipelineSettingTheTenantFieldIsRefused() {
        refusedAsMallory(() -> cards().updateOne(new Document(),
                List.of(new Document("$set", new Document("tenantId", "victim-f")))));
    }

    @Test
    void updatePipelineReplacingTheWholeDocumentIsRefused() {
        refusedAsMallory(() -> cards().updateMany(new Document(),
                List.of(new Document("$replaceWith", new Document("tenantId", "victim-f")))));
    }

    @Test
    void updatePipelineProjectingTheTenantFieldAwayIsRefused() {
        refusedAsMallory(() -> cards().updateMany(new Document(),
                List.of(new Document("$project", new Document("name", 1)))));
    }

    @Test
    void updatePipelineUnsettingTheTenantFieldIsRefused() {
        refusedAsMallory(() -> cards().updateMany(new Document(), List.of(new Document("$unset", "tenantId"))));
    }

    @Test
    void findOneAndUpdateMovingTheDocumentIsRefused() {
        refusedAsMallory(() -> cards().findOneAndUpdate(new Document(), Updates.set("tenantId", "victim-f")));
    }

    @Test
    void findOneAndReplaceWithAForgedTenantIsRefused() {
        refusedAsMallory(() -> cards().findOneAndReplace(new Document(), new Document("tenantId", "victim-f")));
    }

    @Test
    void bulkWriteWithOneForgedInsertWritesNothing() {
        refusedAsMallory(() -> cards().bulkWrite(List.of(
                new UpdateOneModel<>(Filters.eq("_id", "mallory-f-1"), Updates.set("qty", 99)),
                new InsertOneModel<>(new Document("tenantId", "victim-f").append("name", "planted")))));
        assertThat(asMallory(() -> cards().find(Filters.eq("qty", 99)).into(new ArrayList<>()))).isEmpty();
    }

    @Test
    void deleteManyWithAnEmptyFilterDeletesOnlyOwnDocuments() {
        TenantContext.runAs(MALLORY, () -> {
            cards().insertOne(new Document("_id", "mallory-f-tmp").append("name", "tmp"));
            cards().deleteMany(Filters.eq("name", "secret"));
            assertThat(cards().deleteMany(Filters.eq("_id", "mallory-f-tmp")).getDeletedCount()).isOne();
        });
    }

    @Test
    void deletingByTheVictimsTenantValueDeletesNothing() {
        long deleted = TenantContext.callAs(MALLORY, () -> cards().deleteMany(Filters.eq("tenantId", "victim-f"))
                .getDeletedCount());
        assertThat(deleted).isZero();
    }

    @Test
    void countsAreOwnAndTheEstimateDoesNotRevealTheSharedTotal() {
        TenantContext.runAs(MALLORY, () -> {
            long own = cards().countDocuments();
            assertThat(cards().estimatedDocumentCount()).isEqualTo(own);
            assertThat(cards().countDocuments(Filters.eq("name", "secret"))).isZero();
        });
    }

    @Test
    void distinctOfTheTenantFieldShowsOnlyOwnValue() {
        List<String> values = TenantContext.callAs(MALLORY, () -> cards().distinct("tenantId", String.class)
                .into(new ArrayList<>()));
        assertThat(values).containsExactly("mallory-f");
    }

    @Test
    void aggregationMatchingTheVictimsTenantValueFindsNothing() {
        assertThat(asMallory(() -> cards().aggregate(List.of(new Document("$match", new Document("tenantId", "victim-f"))))
                .into(new ArrayList<>()))).isEmpty();
    }

    @Test
    void lookupIntoASharedCollectionJoinsOnlyOwnDocuments() {
        List<Document> joined = asMallory(() -> cards().aggregate(List.of(new Document("$lookup",
                new Document("from", "binders").append("pipeline", List.of()).append("as", "all"))))
                .into(new ArrayList<>()));
        assertThat(joined).isNotEmpty().allSatisfy(d -> assertThat(d.getList("all", Document.class)).isEmpty());
    }

    @Test
    void unionWithASharedCollectionAddsOnlyOwnDocuments() {
        fixture.capture.drain();
        try {
            onlyMallorys(asMallory(() -> cards().aggregate(List.of(new Document("$unionWith", "binders")))
                    .into(new ArrayList<>())));
        } catch (com.mongodb.MongoCommandException embeddedServerLacksUnionWith) {
            assertThat(TestClusters.real()).as("a real MongoDB runs $unionWith").isFalse();
        }
        org.bson.BsonDocument sent = fixture.capture.drain().stream().filter(c -> c.name.equals("aggregate"))
                .findFirst().orElseThrow().command;
        org.bson.BsonDocument condition = new org.bson.BsonDocument("tenantId", new org.bson.BsonString("mallory-f"));
        assertThat(sent.getArray("pipeline").get(0).asDocument().getDocument("$match")).isEqualTo(condition);
        org.bson.BsonDocument union = sent.getArray("pipeline").stream().map(org.bson.BsonValue::asDocument)
                .filter(stage -> stage.containsKey("$unionWith")).findFirst().orElseThrow().getDocument("$unionWith");
        assertThat(union.getString("coll").getValue()).isEqualTo("binders");
        assertThat(union.getArray("pipeline").get(0).asDocument().getDocument("$match")).isEqualTo(condition);
    }

    @Test
    void outIsRefusedBecauseItWouldReplaceTheSharedCollection() {
        refusedAsMallory(() -> cards().aggregate(List.of(new Document("$out", "binders"))).toCollection());
    }

    @Test
    void mergeIntoAnotherDatabaseIsRefused() {
        refusedAsMallory(() -> cards().aggregate(List.of(new Document("$merge",
                new Document("into", new Document("db", "adv_victim-d").append("coll", "cards"))))).toCollection());
    }

    @Test
    void lookupIntoAnotherDatabaseIsRefused() {
        refusedAsMallory(() -> cards().aggregate(List.of(new Document("$lookup", new Document("from",
                new Document("db", "adv_victim-d").append("coll", "cards")).append("pipeline", List.of())
                .append("as", "x")))).first());
    }

    @Test
    void statisticsStagesThatExposeTheSharedCollectionAreRefused() {
        refusedAsMallory(() -> cards().aggregate(List.of(new Document("$collStats", new Document("count",
                new Document())))).first());
        refusedAsMallory(() -> cards().aggregate(List.of(new Document("$indexStats", new Document()))).first());
    }

    @Test
    void serverInternalsStagesAreRefused() {
        refusedAsMallory(() -> cards().aggregate(List.of(new Document("$currentOp", new Document()))).first());
        refusedAsMallory(() -> cards().aggregate(List.of(new Document("$listSessions", new Document()))).first());
    }

    @Test
    void unknownStagesAreRefused() {
        refusedAsMallory(() -> cards().aggregate(List.of(new Document("$futureStage", new Document()))).first());
    }

    @Test
    void uniqueIndexesAreScopedSoTheVictimsValuesDoNotBlockOthers() {
        TenantContext.runAs(MALLORY, () -> {
            cards().createIndex(new Document("name", 1), new IndexOptions().unique(true).name("unique_name"));
            cards().insertOne(new Document("_id", "mallory-f-secret").append("name", "secret"));
            assertThat(cards().deleteOne(Filters.eq("_id", "mallory-f-secret")).getDeletedCount()).isOne();
        });
    }

    @Test
    void indexWithTheTenantFieldAfterOtherKeysIsRefused() {
        refusedAsMallory(() -> cards().createIndex(new Document("name", 1).append("tenantId", 1)));
    }

    @Test
    void droppingASharedIndexIsRefused() {
        refusedAsMallory(() -> cards().dropIndexes());
    }

    @Test
    void droppingTheSharedCollectionRemovesOnlyOwnDocuments() {
        TenantContext.runAs(MALLORY, () -> {
            cards().drop();
            assertThat(cards().countDocuments()).isZero();
            cards().insertOne(new Document("_id", "mallory-f-1").append("name", "own").append("qty", 1));
        });
    }

    @Test
    void renamingTheSharedCollectionIsRefused() {
        refusedAsMallory(() -> cards().renameCollection(new com.mongodb.MongoNamespace(AdversarialFixture.FIELD_DB,
                "stolen")));
    }

    @Test
    void explainIsRefusedOnTheSharedCollection() {
        refusedAsMallory(() -> cards().find().explain());
    }

    @Test
    void databaseCommandsOnTheSharedDatabaseAreRefused() {
        refusedAsMallory(() -> fixture.mongo.database().runCommand(new Document("find", "cards")));
        refusedAsMallory(() -> fixture.mongo.database().drop());
    }
}
