package io.tenantry.mongo;

import static io.tenantry.mongo.TwoServers.ACME;
import static io.tenantry.mongo.TwoServers.DELTA;
import static io.tenantry.mongo.TwoServers.ECHO;
import static io.tenantry.mongo.TwoServers.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoNamespace;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.tenantry.IsolationViolationException;
import io.tenantry.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The DATABASE model: a database per tenant (cv_ + id) on the dedicated cluster. */
class DatabaseModelTest extends ServerTestSupport {

    private TenantMongo mongo;
    private MongoCollection<Document> cards;
    private MongoDatabase database;

    @BeforeEach
    void routingHandles() {
        mongo = servers.builder().build();
        cards = mongo.collection("cards");
        database = mongo.database();
        for (TenantId tenant : List.of(DELTA, ECHO, ACME)) {
            as(tenant, () -> cards.insertMany(List.of(card(tenant, "a", 1), card(tenant, "b", 2))));
        }
        servers.clearCommands();
    }

    private static Document card(TenantId tenant, String name, int set) {
        return new Document("name", tenant + "-" + name).append("set", set);
    }

    private static boolean ownedByDelta(String namespace) {
        return namespace.startsWith("dedicated:cv_delta.");
    }

    private static TreeSet<String> databases(com.mongodb.client.MongoClient client) {
        return client.listDatabaseNames().into(new TreeSet<>());
    }

    @Test
    void each_tenant_has_its_own_database_with_logical_collection_names() {
        assertThat(databases(servers.dedicated)).containsExactly("cv_delta", "cv_echo");
        assertThat(databases(servers.main)).containsExactly("cardvault");
        assertThat(mongo.databaseName(DELTA)).isEqualTo("cv_delta");
        assertThat(as(ECHO, () -> database.getName())).isEqualTo("cv_echo");
        assertThat(as(DELTA, () -> cards.getNamespace())).isEqualTo(new MongoNamespace("cv_delta", "cards"));
        assertThat(raw(servers.dedicated, "cv_echo", "cards").distinct("name", String.class).into(new TreeSet<>()))
                .containsExactly("echo-a", "echo-b");

        othersUnchanged(DatabaseModelTest::ownedByDelta, () -> as(DELTA, () -> {
            cards.updateOne(Filters.eq("set", 1), new Document("$set", new Document("set", 7)));
            database.getCollection("sets").insertOne(new Document("n", 7));
        }));
        assertThat(during()).allSatisfy(c -> assertThat(c.getString("$db").getValue()).isEqualTo("cv_delta"));
        assertThat(as(DELTA, () -> cards.find(Filters.eq("set", 7)).into(new ArrayList<>()))).hasSize(1);
        assertThat(as(DELTA, () -> database.listCollectionNames().into(new TreeSet<>()))).containsExactly("cards", "sets");
        assertThat(as(ECHO, () -> database.listCollectionNames().into(new TreeSet<>()))).containsExactly("cards");
        assertThat(as(ECHO, () -> cards.countDocuments(Filters.eq("set", 7)))).isZero();
    }

    @Test
    void database_drop_drops_only_the_tenants_database() {
        othersUnchanged(DatabaseModelTest::ownedByDelta, () -> as(DELTA, () -> database.drop()));
        assertThat(databases(servers.dedicated)).containsExactly("cv_echo");
        assertThat(as(ECHO, () -> cards.countDocuments())).isEqualTo(2);
        othersUnchanged(ns -> ns.equals("dedicated:cv_echo.cards"), () -> as(ECHO, () -> cards.drop()));
        assertThat(raw(servers.dedicated, "cv_echo", "cards").countDocuments()).isZero();
    }

    @Test
    void rename_stays_in_the_tenants_database() {
        othersUnchanged(DatabaseModelTest::ownedByDelta,
                () -> as(DELTA, () -> cards.renameCollection(new MongoNamespace("cv_delta", "archive"))));
        assertThat(servers.dedicated.getDatabase("cv_delta").listCollectionNames().into(new TreeSet<>()))
                .containsExactly("archive");
        servers.clearCommands();
        for (MongoNamespace target : List.of(new MongoNamespace("cv_echo_x", "cards"),
                new MongoNamespace("cv_delta", "cards"), new MongoNamespace("cardvault", "acme.cards"))) {
            assertThatThrownBy(() -> as(ECHO, () -> cards.renameCollection(target)))
                    .isInstanceOf(IsolationViolationException.class).hasMessageContaining("only within its database");
        }
        assertThat(TwoServers.dataCommands(servers.dedicatedCommands)).isEmpty();
    }

    @Test
    void pipelines_reach_only_the_tenants_database() {
        as(DELTA, () -> database.getCollection("sets").insertOne(new Document("n", 1).append("owner", "delta")));
        as(ECHO, () -> database.getCollection("sets").insertOne(new Document("n", 1).append("owner", "echo")));
        Document lookup = new Document("$lookup", new Document("from", "sets").append("localField", "set")
                .append("foreignField", "n").append("as", "sets"));
        List<Document> joined = as(DELTA, () -> cards.aggregate(List.of(new Document("$match",
                new Document("set", 1)), lookup)).into(new ArrayList<>()));
        assertThat(joined.get(0).getList("sets", Document.class)).extracting(d -> d.getString("owner"))
                .containsExactly("delta");
        othersUnchanged(DatabaseModelTest::ownedByDelta,
                () -> as(DELTA, () -> cards.aggregate(List.of(new Document("$out", "report"))).toCollection()));
        assertThat(raw(servers.dedicated, "cv_delta", "report").countDocuments()).isEqualTo(2);

        servers.clearCommands();
        for (Document stage : List.of(new Document("$out", new Document("db", "cv_echo").append("coll", "x")),
                new Document("$merge", new Document("into", new Document("db", "cv_echo").append("coll", "cards"))),
                new Document("$lookup", new Document("from", new Document("db", "cv_echo").append("coll", "sets"))
                        .append("pipeline", List.of()).append("as", "x")),
                new Document("$currentOp", new Document()))) {
            assertThatThrownBy(() -> as(DELTA, () -> cards.aggregate(List.of(stage)).first()))
                    .as(stage.toJson()).isInstanceOf(IsolationViolationException.class);
        }
        assertThat(TwoServers.dataCommands(servers.dedicatedCommands)).isEmpty();
    }

    @Test
    void database_level_watch_and_aggregate_run_in_the_tenants_database() {
        // The test server has no change streams: assert the command it receives.
        assertThatThrownBy(() -> as(ECHO, () -> database.watch().cursor())).isNotInstanceOf(IsolationViolationException.class);
        BsonDocument watch = TwoServers.named(servers.dedicatedCommands, "aggregate").get(0);
        assertThat(watch.getString("$db").getValue()).isEqualTo("cv_echo");
        assertThat(watch.getInt32("aggregate").getValue()).isEqualTo(1);
        assertThatThrownBy(() -> as(ECHO, () -> database.aggregate(List.of(new Document("$currentOp",
                new Document()))))).isInstanceOf(IsolationViolationException.class);
    }

    @Test
    void run_command_allows_commands_within_the_tenants_database() {
        othersUnchanged(DatabaseModelTest::ownedByDelta, () -> as(DELTA, () -> {
            database.runCommand(new Document("insert", "cards").append("documents", List.of(card(DELTA, "c", 3))));
            database.runCommand(new Document("create", "decks"));
            database.runCommand(new Document("aggregate", "cards").append("pipeline",
                    List.of(new Document("$out", "copy"))).append("cursor", new Document()));
        }));
        assertThat(as(DELTA, () -> database.runCommand(new Document("count", "cards"))).get("n", Number.class)
                .intValue()).isEqualTo(3);
        assertThat(as(DELTA, () -> database.runCommand(new Document("dbStats", 1))).getString("db")).isEqualTo("cv_delta");
        assertThat(servers.dedicated.getDatabase("cv_delta").listCollectionNames().into(new TreeSet<>()))
                .containsExactly("cards", "copy", "decks");
        assertThat(raw(servers.dedicated, "cv_echo", "cards").countDocuments()).isEqualTo(2);

        servers.clearCommands();
        for (Document command : List.of(new Document("renameCollection", "cv_delta.cards").append("to", "cv_echo.cards"),
                new Document("dropDatabase", 1), new Document("listDatabases", 1),
                new Document("aggregate", 1).append("pipeline", List.of(new Document("$currentOp", new Document()))),
                new Document("aggregate", "cards").append("pipeline", List.of(new Document("$out",
                        new Document("db", "cv_echo").append("coll", "cards")))).append("cursor", new Document()),
                new Document("create", "v").append("viewOn", "cards").append("pipeline", List.of(new Document("$lookup",
                        new Document("from", new Document("db", "cv_echo").append("coll", "cards")).append("as", "x")
                                .append("pipeline", List.of())))),
                new Document("find", "cards").append("$db", "cv_echo"),
                new Document("cloneCollectionAsCapped", "cards").append("toCollection", "x").append("size", 1))) {
            assertThatThrownBy(() -> as(DELTA, () -> database.runCommand(command)))
                    .as(command.toJson()).isInstanceOf(IsolationViolationException.class);
        }
        assertThat(TwoServers.dataCommands(servers.dedicatedCommands)).isEmpty();
    }

    @Test
    void iterables_run_only_for_the_tenant_that_created_them() {
        FindIterable<Document> deltaCards = as(DELTA, () -> cards.find());
        assertThat(as(DELTA, () -> deltaCards.into(new ArrayList<>()))).hasSize(2);
        assertThatThrownBy(() -> as(ECHO, () -> deltaCards.first())).isInstanceOf(IsolationViolationException.class);
        var deltaCollections = as(DELTA, () -> database.listCollections());
        assertThatThrownBy(() -> as(ECHO, () -> deltaCollections.first())).isInstanceOf(IsolationViolationException.class);
        var deltaIndexes = as(DELTA, () -> cards.listIndexes());
        assertThatThrownBy(() -> as(ACME, () -> deltaIndexes.first())).isInstanceOf(IsolationViolationException.class);
    }

    @Test
    @SuppressWarnings("deprecation")
    void map_reduce_is_refused() {
        assertThatThrownBy(() -> as(ECHO, () -> cards.mapReduce("function() {}", "function(k, v) {}")))
                .isInstanceOf(IsolationViolationException.class);
    }

    @Test
    void tenants_on_different_models_land_on_their_own_clusters() {
        othersUnchanged(ns -> ns.equals("main:cardvault.acme.cards"), () -> as(ACME, () -> cards.insertOne(card(ACME,
                "c", 3))));
        assertThat(TwoServers.dataCommands(during())).singleElement()
                .satisfies(c -> assertThat(servers.mainCommands).contains(c));
        othersUnchanged(DatabaseModelTest::ownedByDelta, () -> as(DELTA, () -> cards.insertOne(card(DELTA, "c", 3))));
        assertThat(TwoServers.dataCommands(during())).singleElement()
                .satisfies(c -> assertThat(c.getString("$db").getValue()).isEqualTo("cv_delta"))
                .satisfies(c -> assertThat(servers.mainCommands).doesNotContain(c));
    }
}
