package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
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
 * Escape attempts through names on the COLLECTION model (the victim's collections sit in the same
 * database) and the DATABASE model (the victim's database sits on the same cluster): logical names
 * that spell another tenant's physical name, renames, views, cross-database stages and raw
 * commands. Each asserts the exact outcome and (after each) that the victims' data is unchanged.
 */
class NamespaceEscapeAttemptsTest {

    private static final TenantId MALLORY_C = TenantId.of("mallory-c");
    private static final TenantId MALLORY_D = TenantId.of("mallory-d");
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

    private static MongoCollection<Document> collection(String name) {
        return fixture.mongo.collection(name);
    }

    private static void refused(TenantId tenant, ThrowingCallable attempt) {
        TenantContext.runAs(tenant, () -> assertThatThrownBy(attempt).isInstanceOf(IsolationViolationException.class)
                .message().isNotBlank());
    }

    @Test
    void logicalNameSpellingTheVictimsPhysicalCollectionStaysInOwnNamespace() {
        List<Document> found = TenantContext.callAs(MALLORY_C, () -> collection("victim-c.cards").find()
                .into(new ArrayList<>()));
        assertThat(found).isEmpty();
    }

    @Test
    void writesThroughSuchANameLandInOwnNamespace() {
        TenantContext.runAs(MALLORY_C, () -> {
            collection("victim-c.cards").insertOne(new Document("_id", "planted"));
            assertThat(collection("victim-c.cards").countDocuments()).isOne();
            collection("victim-c.cards").drop();
        });
    }

    @Test
    void listingCollectionsShowsOnlyOwnLogicalNames() {
        List<String> names = TenantContext.callAs(MALLORY_C, () -> fixture.mongo.database().listCollectionNames()
                .into(new ArrayList<>()));
        assertThat(names).contains("cards").noneMatch(n -> n.contains("victim"));
    }

    @Test
    void lookupFromANameSpellingTheVictimsCollectionJoinsNothingOfTheVictims() {
        List<Document> joined = TenantContext.callAs(MALLORY_C, () -> {
            collection("cards").replaceOne(Filters.eq("_id", "mallory-c-probe"), new Document("name", "probe"),
                    new com.mongodb.client.model.ReplaceOptions().upsert(true));
            return collection("cards").aggregate(List.of(new Document("$lookup", new Document("from", "victim-c.cards")
                    .append("pipeline", List.of()).append("as", "stolen")))).into(new ArrayList<>());
        });
        assertThat(joined).isNotEmpty().allSatisfy(d -> assertThat(d.getList("stolen", Document.class)).isEmpty());
    }

    @Test
    void renamingOntoTheVictimsNameStaysInOwnNamespace() {
        TenantContext.runAs(MALLORY_C, () -> {
            collection("scratch").insertOne(new Document("_id", "s"));
            collection("scratch").renameCollection(new MongoNamespace(AdversarialFixture.SHARED_DB, "victim-c.binders"));
            assertThat(collection("victim-c.binders").countDocuments()).isOne();
            collection("victim-c.binders").drop();
        });
    }

    @Test
    void renamingIntoAnotherDatabaseIsRefused() {
        refused(MALLORY_C, () -> collection("cards").renameCollection(new MongoNamespace("elsewhere", "cards")));
        refused(MALLORY_D, () -> collection("cards").renameCollection(new MongoNamespace("adv_victim-d", "cards")));
    }

    @Test
    void rawCommandsOnTheSharedDatabaseAreRefused() {
        refused(MALLORY_C, () -> fixture.mongo.database().runCommand(new Document("find", "victim-c.cards")));
        refused(MALLORY_C, () -> fixture.mongo.database().runCommand(new Document("drop", "victim-c.cards")));
    }

    @Test
    void droppingTheDatabaseDropsOnlyOwnCollections() {
        TenantContext.runAs(MALLORY_C, () -> {
            fixture.mongo.database().drop();
            assertThat(fixture.mongo.database().listCollectionNames().into(new ArrayList<>())).isEmpty();
            fixture.mongo.provisioning().ensure(MALLORY_C);
        });
    }

    @Test
    void outAndMergeIntoAnotherDatabaseAreRefused() {
        refused(MALLORY_D, () -> collection("cards").aggregate(List.of(new Document("$out",
                new Document("db", "adv_victim-d").append("coll", "cards")))).toCollection());
        refused(MALLORY_D, () -> collection("cards").aggregate(List.of(new Document("$merge",
                new Document("into", new Document("db", "adv_victim-d").append("coll", "cards"))))).toCollection());
    }

    @Test
    void aggregateCommandReachingAnotherDatabaseIsRefused() {
        refused(MALLORY_D, () -> fixture.mongo.database().runCommand(new Document("aggregate", "cards")
                .append("pipeline", List.of(new Document("$lookup", new Document("from",
                        new Document("db", "adv_victim-d").append("coll", "cards")).append("pipeline", List.of())
                        .append("as", "x")))).append("cursor", new Document())));
    }

    @Test
    void renameAndAdministrativeCommandsAreRefused() {
        refused(MALLORY_D, () -> fixture.mongo.database().runCommand(new Document("renameCollection",
                "adv_mallory-d.cards").append("to", "adv_victim-d.cards")));
        refused(MALLORY_D, () -> fixture.mongo.database().runCommand(new Document("dropDatabase", 1)));
        refused(MALLORY_D, () -> fixture.mongo.database().runCommand(new Document("listDatabases", 1)));
    }

    @Test
    void ownDatabaseCommandsWork() {
        Document count = TenantContext.callAs(MALLORY_D, () -> fixture.mongo.database()
                .runCommand(new Document("count", "cards")));
        assertThat(count.get("n", Number.class).intValue()).isOne();
    }

    @Test
    void findingTheVictimsIdsInOwnDatabaseFindsNothing() {
        for (TenantId mallory : List.of(MALLORY_C, MALLORY_D)) {
            List<Document> found = TenantContext.callAs(mallory, () -> collection("cards")
                    .find(Filters.regex("_id", "^victim")).into(new ArrayList<>()));
            assertThat(found).isEmpty();
        }
    }

    @Test
    void deletingEverythingDeletesOnlyOwnDocuments() {
        for (TenantId mallory : List.of(MALLORY_C, MALLORY_D)) {
            TenantContext.runAs(mallory, () -> {
                collection("binders").deleteMany(new Document());
                assertThat(collection("binders").countDocuments()).isZero();
            });
        }
    }

    @Test
    void collectionNamesThatEscapeTheNamespaceAreRejectedBeforeAnyCall() {
        assertThatThrownBy(() -> fixture.mongo.collection("cards$evil")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fixture.mongo.collection("system.users")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fixture.mongo.collection("")).isInstanceOf(IllegalArgumentException.class);
    }
}
