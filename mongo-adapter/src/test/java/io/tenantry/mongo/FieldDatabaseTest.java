package io.tenantry.mongo;

import static io.tenantry.mongo.FieldMongo.ACME;
import static io.tenantry.mongo.FieldMongo.BRAVO;
import static io.tenantry.mongo.FieldMongo.as;
import static io.tenantry.mongo.FieldMongo.callAs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ValidationOptions;
import io.tenantry.IsolationViolationException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shared database of a FIELD placement, seen from a tenant scope. */
class FieldDatabaseTest {

    private FieldMongo deployment;
    private MongoDatabase database;

    @BeforeEach
    void start() {
        deployment = new FieldMongo(builder -> builder.collection("cards").collection("decks"));
        deployment.mongo.provisioning().ensure(ACME);
        deployment.raw().createCollection("system.js");
        database = deployment.mongo.database();
    }

    @AfterEach
    void stop() {
        deployment.close();
    }

    @Test
    void theDatabaseIsTheSharedOne() {
        assertThat(callAs(ACME, () -> database.getName())).isEqualTo("cardvault");
        assertThat(callAs(BRAVO, () -> database.getName())).isEqualTo("cardvault");
    }

    @Test
    void itsCollectionsAreConfinedToTheTenant() {
        MongoCollection<Document> decks = database.getCollection("decks");
        as(ACME, () -> decks.insertOne(new Document("name", "burn")));
        as(BRAVO, () -> database.getCollection("decks").insertOne(new Document("name", "control")));

        assertThat(callAs(BRAVO, () -> decks.find().into(new ArrayList<>()))).extracting(d -> d.getString("name"))
                .containsExactly("control");
        assertThat(deployment.raw("decks").find(Filters.eq("name", "burn")).first()).containsEntry("tenantId", "acme");
    }

    @Test
    void theScopedDatabaseHandsOutFieldCollections() {
        MongoDatabase scoped = callAs(ACME, () -> new FieldIsolation(settings()).database(ACME,
                deployment.mongo.placement(ACME)));

        assertThat(scoped.getCollection("cards")).isInstanceOf(FieldCollection.class);
        assertThat(scoped.withReadConcern(com.mongodb.ReadConcern.MAJORITY).getCollection("cards", BsonDocument.class))
                .isInstanceOf(FieldCollection.class);
    }

    private MongoSettings settings() {
        return new MongoSettings(new Clusters(java.util.Map.of("main", deployment.client)), "tenantId",
                java.util.Map.of(), 10_000);
    }

    @Test
    void collectionListingsShowTheSharedCollectionsWithoutSystemOnes() {
        assertThat(callAs(ACME, () -> database.listCollectionNames().into(new ArrayList<>())))
                .containsExactlyInAnyOrder("cards", "decks");
        assertThat(callAs(BRAVO, () -> database.listCollections().into(new ArrayList<>())))
                .extracting(c -> c.getString("name")).containsExactlyInAnyOrder("cards", "decks");
    }

    @Test
    void aLaterListingFilterStillLeavesSystemCollectionsOut() {
        // The test server ignores listCollections filters, so check the filter it is sent.
        as(ACME, () -> database.listCollectionNames().filter(Filters.in("name", "cards", "system.js")).first());

        assertThat(deployment.lastCommand("listCollections").getDocument("filter")).isEqualTo(BsonDocument.parse(
                "{$and: [{name: {$not: {$regex: '^system\\\\.', $options: ''}}}, {name: {$in: ['cards', 'system.js']}}]}"));
    }

    @Test
    void aListingIsBoundToItsTenant() {
        var names = callAs(ACME, () -> database.listCollectionNames());

        assertThatThrownBy(() -> as(BRAVO, () -> names.first())).isInstanceOf(IsolationViolationException.class);
        assertThatThrownBy(names::first).isInstanceOf(IsolationViolationException.class);
    }

    @Test
    void createCollectionIsAllowedAndIdempotent() {
        as(ACME, () -> database.createCollection("binders"));
        as(BRAVO, () -> database.createCollection("binders"));
        as(BRAVO, () -> database.createCollection("cards"));

        assertThat(deployment.raw().listCollectionNames().into(new ArrayList<>())).contains("binders");
    }

    @Test
    void createCollectionWithOptionsThatGovernEveryTenantIsRefused() {
        assertThatThrownBy(() -> as(ACME, () -> database.createCollection("log",
                new CreateCollectionOptions().capped(true).sizeInBytes(4096))))
                .isInstanceOf(IsolationViolationException.class);
        assertThatThrownBy(() -> as(ACME, () -> database.createCollection("log",
                new CreateCollectionOptions().validationOptions(new ValidationOptions().validator(Filters.exists("a"))))))
                .isInstanceOf(IsolationViolationException.class);
        assertThat(deployment.raw().listCollectionNames().into(new ArrayList<>())).doesNotContain("log");
    }

    @Test
    void droppingTheSharedDatabaseIsRefused() {
        assertThatThrownBy(() -> as(ACME, () -> database.drop())).isInstanceOf(IsolationViolationException.class)
                .hasMessageContaining("every tenant's data");
        assertThat(deployment.raw().listCollectionNames().into(new ArrayList<>())).contains("cards", "decks");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{ping: 1}", "{buildInfo: 1}", "{buildinfo: 1}", "{hello: 1}", "{isMaster: 1}",
        "{ismaster: 1}"})
    void harmlessCommandsReachTheServer(String command) {
        deployment.clearCommands();
        try {
            as(ACME, () -> database.runCommand(BsonDocument.parse(command)));
        } catch (MongoCommandException testServerLacksIt) {
            assertThat(testServerLacksIt.getErrorCode()).isEqualTo(59); // CommandNotFound: 'hello' is too new for it
        }

        assertThat(deployment.lastCommand(BsonDocument.parse(command).getFirstKey()).getString("$db").getValue())
                .isEqualTo("cardvault");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{find: 'cards'}", "{dropDatabase: 1}", "{dbStats: 1}", "{collStats: 'cards'}",
        "{listCollections: 1}", "{count: 'cards'}", "{}"})
    void otherCommandsAreRefused(String command) {
        deployment.clearCommands();

        assertThatThrownBy(() -> as(ACME, () -> database.runCommand(BsonDocument.parse(command))))
                .isInstanceOf(IsolationViolationException.class).hasMessageContaining("TenantMongo.cluster");
        assertThat(deployment.commands(command.equals("{}") ? "" : BsonDocument.parse(command).getFirstKey())).isEmpty();
    }

    @Test
    void viewsDatabaseAggregationsAndDatabaseChangeStreamsAreRefusedWithWhatToDoInstead() {
        List<Consumer<MongoDatabase>> calls = List.of(
                db -> db.createView("v", "cards", List.of()),
                db -> db.aggregate(List.of(new Document("$currentOp", new Document()))),
                db -> db.watch(),
                db -> db.watch(List.of(), BsonDocument.class));

        for (Consumer<MongoDatabase> call : calls) {
            assertThatThrownBy(() -> as(ACME, () -> call.accept(database)))
                    .isInstanceOf(IsolationViolationException.class).hasMessageContaining("getCollection(");
        }
    }
}
