package io.tenantry.mongo;

import static io.tenantry.mongo.TwoServers.ACME;
import static io.tenantry.mongo.TwoServers.BRAVO;
import static io.tenantry.mongo.TwoServers.CAROL;
import static io.tenantry.mongo.TwoServers.SHARED_DB;
import static io.tenantry.mongo.TwoServers.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoNamespace;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.tenantry.IsolationViolationException;
import io.tenantry.NoTenantBoundException;
import io.tenantry.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonRegularExpression;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The COLLECTION model: a collection per tenant in the shared database cardvault. */
class CollectionModelTest extends ServerTestSupport {

    private TenantMongo mongo;
    private MongoCollection<Document> cards;
    private MongoDatabase database;

    @BeforeEach
    void routingHandles() {
        mongo = servers.builder().build();
        cards = mongo.collection("cards");
        database = mongo.database();
        for (TenantId tenant : List.of(ACME, BRAVO, CAROL)) {
            as(tenant, () -> cards.insertMany(List.of(card(tenant, "a", 1), card(tenant, "b", 2))));
        }
        servers.clearCommands();
    }

    private static Document card(TenantId tenant, String name, int set) {
        return new Document("name", tenant + "-" + name).append("set", set);
    }

    private static List<Document> names(Iterable<Document> documents) {
        List<Document> names = new ArrayList<>();
        documents.forEach(d -> names.add(new Document("name", d.get("name"))));
        return names;
    }

    private static Set<String> rawNames() {
        return servers.main.getDatabase(SHARED_DB).listCollectionNames().into(new java.util.TreeSet<>());
    }

    @Test
    void each_tenant_reads_and_writes_only_its_own_physical_collection() {
        othersUnchanged(ns -> ns.startsWith("main:cardvault.acme."), () -> as(ACME, () -> {
            cards.insertOne(card(ACME, "c", 3));
            cards.updateMany(Filters.eq("set", 1), new Document("$set", new Document("set", 9)));
            cards.deleteOne(Filters.eq("name", "acme-b"));
        }));
        onlyTouched(during(), name -> name.startsWith("acme."));
        List<Document> found = as(ACME, () -> cards.find().projection(Projections.excludeId())
                .sort(Sorts.ascending("name")).into(new ArrayList<>()));
        assertThat(found).containsExactly(new Document("name", "acme-a").append("set", 9),
                new Document("name", "acme-c").append("set", 3));
        assertThat(as(ACME, () -> cards.countDocuments())).isEqualTo(2);
        assertThat(as(ACME, () -> cards.estimatedDocumentCount())).isEqualTo(2);
        assertThat(as(BRAVO, () -> cards.distinct("name", String.class).into(new ArrayList<>())))
                .containsExactlyInAnyOrder("bravo-a", "bravo-b");
        assertThat(raw(servers.main, SHARED_DB, "acme.cards").countDocuments()).isEqualTo(2);
        assertThat(raw(servers.main, SHARED_DB, "carol.cards").countDocuments()).isEqualTo(2);
    }

    @Test
    void names_are_logical_outside_and_physical_on_the_server() {
        assertThat(as(ACME, () -> database.getName())).isEqualTo(SHARED_DB);
        // The namespace names the collection logically, so that reopening it by name finds it again.
        assertThat(as(ACME, () -> cards.getNamespace())).isEqualTo(new MongoNamespace(SHARED_DB, "cards"));
        assertThat(as(BRAVO, () -> database.getCollection("cards").getNamespace()))
                .isEqualTo(new MongoNamespace(SHARED_DB, "cards"));
        assertThat(mongo.databaseName(CAROL)).isEqualTo(SHARED_DB);
        assertThat(rawNames()).containsExactly("acme.cards", "bravo.cards", "carol.cards");
    }

    @Test
    void listings_show_only_the_tenants_collections_under_logical_names() {
        as(ACME, () -> database.createCollection("sets"));
        as(BRAVO, () -> database.createCollection("decks"));
        as(ACME, () -> database.createView("firsts", "cards", List.of(Filters.eq("$match", Filters.eq("set", 1)))));

        assertThat(as(ACME, () -> database.listCollectionNames().into(new ArrayList<>())))
                .containsExactlyInAnyOrder("cards", "sets", "firsts");
        assertThat(as(BRAVO, () -> database.listCollectionNames().into(new ArrayList<>())))
                .containsExactlyInAnyOrder("cards", "decks");
        assertThat(as(CAROL, () -> database.listCollections().into(new ArrayList<>())))
                .extracting(d -> d.getString("name")).containsExactly("cards");
        assertThat(as(ACME, () -> database.listCollections(BsonDocument.class).into(new ArrayList<>())))
                .extracting(d -> d.getString("name").getValue()).containsExactlyInAnyOrder("cards", "sets", "firsts");

        servers.clearCommands();
        as(ACME, () -> database.listCollectionNames().filter(Filters.in("name", "cards", "decks")).first());
        BsonDocument sent = TwoServers.named(servers.mainCommands, "listCollections").get(0);
        assertThat(sent.getDocument("filter")).isEqualTo(new BsonDocument("$and", new BsonArray(List.of(
                new BsonDocument("name", new BsonRegularExpression("^acme\\.")),
                BsonDocument.parse("{name: {$in: ['acme.cards', 'acme.decks']}}")))));
        assertThatThrownBy(() -> as(ACME, () -> database.listCollectionNames().filter(Filters.regex("name", "^c"))
                .first())).isInstanceOf(IsolationViolationException.class).hasMessageContaining("$eq, $ne, $in");
    }

    @Test
    void long_logical_names_are_shortened_within_the_namespace_limit() {
        String logical = "history_" + "x".repeat(300);
        // The test server caps namespaces at 128 bytes, MongoDB at 255: assert the name it receives.
        assertThatThrownBy(() -> as(ACME, () -> database.getCollection(logical).insertOne(new Document("n", 1))))
                .isInstanceOf(com.mongodb.MongoWriteException.class);
        String physical = TwoServers.named(servers.mainCommands, "insert").get(0).getString("insert").getValue();
        assertThat(physical).startsWith("acme.history_xxx").hasSize(255 - SHARED_DB.length() - 1);
        assertThat(as(ACME, () -> database.getCollection(logical).getNamespace().getCollectionName()))
                .isEqualTo(logical);
        assertThatThrownBy(() -> as(BRAVO, () -> database.getCollection(logical).insertOne(new Document("n", 1))))
                .isInstanceOf(com.mongodb.MongoWriteException.class);
        List<BsonDocument> inserts = TwoServers.named(servers.mainCommands, "insert");
        assertThat(inserts.get(inserts.size() - 1).getString("insert").getValue())
                .startsWith("bravo.history_xxx").hasSize(physical.length()).isNotEqualTo(physical);
    }

    @Test
    void create_collection_and_view_map_names_and_confine_the_view_pipeline() {
        othersUnchanged(ns -> ns.startsWith("main:cardvault.acme."), () -> as(ACME, () -> {
            database.createCollection("sets");
            database.createView("joined", "cards", List.of(new Document("$lookup", new Document("from", "sets")
                    .append("localField", "set").append("foreignField", "n").append("as", "sets"))));
        }));
        assertThat(rawNames()).contains("acme.sets", "acme.joined").doesNotContain("sets", "joined");
        BsonDocument create = TwoServers.named(servers.mainCommands, "create").get(1);
        assertThat(create.getString("create").getValue()).isEqualTo("acme.joined");
        assertThat(create.getString("viewOn").getValue()).isEqualTo("acme.cards");
        assertThat(create.getArray("pipeline").get(0).asDocument().getDocument("$lookup").getString("from")
                .getValue()).isEqualTo("acme.sets");
        assertThatThrownBy(() -> as(ACME, () -> database.createCollection("secret",
                new com.mongodb.client.model.CreateCollectionOptions().encryptedFields(new Document("fields", List.of())))))
                .isInstanceOf(IsolationViolationException.class).hasMessageContaining("DATABASE model");
    }

    @Test
    void rename_maps_the_target_and_stays_in_the_shared_database() {
        othersUnchanged(ns -> ns.startsWith("main:cardvault.acme."), () -> as(ACME,
                () -> cards.renameCollection(new MongoNamespace(SHARED_DB, "archive"))));
        assertThat(rawNames()).containsExactly("acme.archive", "bravo.cards", "carol.cards");
        assertThat(raw(servers.main, SHARED_DB, "acme.archive").countDocuments()).isEqualTo(2);

        as(BRAVO, () -> cards.renameCollection(new MongoNamespace(SHARED_DB, "carol.cards")));
        assertThat(rawNames()).containsExactly("acme.archive", "bravo.carol.cards", "carol.cards");
        assertThat(raw(servers.main, SHARED_DB, "carol.cards").distinct("name", String.class).into(new ArrayList<>()))
                .containsExactlyInAnyOrder("carol-a", "carol-b");

        servers.clearCommands();
        assertThatThrownBy(() -> as(CAROL, () -> cards.renameCollection(new MongoNamespace("elsewhere", "cards"))))
                .isInstanceOf(IsolationViolationException.class).hasMessageContaining("\"elsewhere\"");
        assertThat(TwoServers.dataCommands(servers.mainCommands)).isEmpty();
    }

    @Test
    void drop_removes_only_the_tenants_collections() {
        as(ACME, () -> database.createCollection("sets"));
        as(BRAVO, () -> database.createCollection("sets"));
        othersUnchanged(ns -> ns.startsWith("main:cardvault.acme."), () -> as(ACME, () -> cards.drop()));
        assertThat(rawNames()).containsExactly("acme.sets", "bravo.cards", "bravo.sets", "carol.cards");
        othersUnchanged(ns -> ns.startsWith("main:cardvault.bravo."), () -> as(BRAVO, () -> database.drop()));
        assertThat(rawNames()).containsExactly("acme.sets", "carol.cards");
        assertThat(as(CAROL, () -> cards.countDocuments())).isEqualTo(2);
    }

    @Test
    void aggregation_is_confined_to_the_tenants_collections() {
        for (TenantId tenant : List.of(ACME, BRAVO)) {
            as(tenant, () -> database.getCollection("sets").insertOne(new Document("n", 1).append("owner", tenant.value())));
        }
        Document lookup = new Document("$lookup", new Document("from", "sets").append("localField", "set")
                .append("foreignField", "n").append("as", "sets"));
        List<Document> joined = as(ACME, () -> cards.aggregate(List.of(new Document("$match", new Document("set", 1)),
                lookup)).into(new ArrayList<>()));
        assertThat(joined).hasSize(1);
        assertThat(joined.get(0).getList("sets", Document.class)).extracting(d -> d.getString("owner"))
                .containsExactly("acme");

        othersUnchanged(ns -> ns.startsWith("main:cardvault.acme."), () -> as(ACME, () -> {
            cards.aggregate(List.of(new Document("$out", "report"))).toCollection();
            cards.aggregate(List.of(new Document("$merge", new Document("into", "merged")))).toCollection();
        }));
        assertThat(raw(servers.main, SHARED_DB, "acme.report").countDocuments()).isEqualTo(2);
        assertThat(raw(servers.main, SHARED_DB, "acme.merged").countDocuments()).isEqualTo(2);
        assertThat(rawNames()).doesNotContain("report", "merged");

        servers.clearCommands();
        assertThatThrownBy(() -> as(ACME, () -> cards.aggregate(List.of(new Document("$out",
                new Document("db", "elsewhere").append("coll", "report")))).first()))
                .isInstanceOf(IsolationViolationException.class);
        assertThat(TwoServers.dataCommands(servers.mainCommands)).isEmpty();
        assertThatThrownBy(() -> as(ACME, () -> cards.aggregate(List.of(new Document("$unionWith", "sets"))).first()))
                .isNotInstanceOf(IsolationViolationException.class);
        assertThat(TwoServers.named(servers.mainCommands, "aggregate").get(0).getArray("pipeline").get(0))
                .isEqualTo(BsonDocument.parse("{$unionWith: 'acme.sets'}"));
    }

    @Test
    void database_level_aggregate_and_watch_are_refused() {
        assertThatThrownBy(() -> as(ACME, () -> database.aggregate(List.of(new Document("$documents", List.of())))))
                .isInstanceOf(IsolationViolationException.class)
                .hasMessageContaining("database-level aggregate").hasMessageContaining("on one of the tenant's collections");
        assertThatThrownBy(() -> as(ACME, () -> database.watch()))
                .isInstanceOf(IsolationViolationException.class).hasMessageContaining("database-level watch");
        assertThat(TwoServers.dataCommands(servers.mainCommands)).isEmpty();
    }

    @Test
    void collection_change_streams_watch_the_tenants_own_collection() {
        // The test server has no change streams: assert the command it receives.
        assertThatThrownBy(() -> as(BRAVO, () -> cards.watch().cursor())).isNotInstanceOf(IsolationViolationException.class);
        BsonDocument sent = TwoServers.named(servers.mainCommands, "aggregate").get(0);
        assertThat(sent.getString("aggregate").getValue()).isEqualTo("bravo.cards");
        assertThat(sent.getArray("pipeline").get(0).asDocument().getFirstKey()).isEqualTo("$changeStream");
    }

    @Test
    void iterables_run_only_for_the_tenant_that_created_them() {
        FindIterable<Document> acmeCards = as(ACME, () -> cards.find());
        assertThat(names(as(ACME, () -> acmeCards.into(new ArrayList<>())))).hasSize(2);
        assertThatThrownBy(() -> as(BRAVO, () -> acmeCards.first())).isInstanceOf(IsolationViolationException.class)
                .hasMessageContaining("created for tenant \"acme\"");
        assertThatThrownBy(acmeCards::first).isInstanceOf(IsolationViolationException.class);
        var acmeNames = as(ACME, () -> database.listCollectionNames());
        assertThatThrownBy(() -> as(BRAVO, () -> acmeNames.first())).isInstanceOf(IsolationViolationException.class);
        var acmeDistinct = as(ACME, () -> cards.distinct("name", String.class));
        assertThatThrownBy(() -> as(CAROL, () -> acmeDistinct.first())).isInstanceOf(IsolationViolationException.class);
        assertThatThrownBy(() -> cards.find().first()).isInstanceOf(NoTenantBoundException.class);
    }

    @Test
    @SuppressWarnings("deprecation")
    void map_reduce_is_refused() {
        assertThatThrownBy(() -> as(ACME, () -> cards.mapReduce("function() {}", "function(k, v) {}")))
                .isInstanceOf(IsolationViolationException.class).hasMessageContaining("aggregate(");
        assertThat(TwoServers.dataCommands(servers.mainCommands)).isEmpty();
    }

    @Test
    void search_indexes_are_managed_on_the_tenants_own_collection() {
        // The test server has no search indexes: assert the command it receives.
        assertThatThrownBy(() -> as(CAROL, () -> cards.createSearchIndex(new Document("mappings",
                new Document("dynamic", true))))).isNotInstanceOf(IsolationViolationException.class);
        assertThat(TwoServers.named(servers.mainCommands, "createSearchIndexes").get(0).getString("createSearchIndexes")
                .getValue()).isEqualTo("carol.cards");
    }

    @Test
    void run_command_allows_only_commands_that_touch_no_data() {
        assertThat(as(ACME, () -> database.runCommand(new Document("ping", 1))).get("ok", Number.class).intValue())
                .isEqualTo(1);
        assertThat(as(ACME, () -> database.runCommand(new Document("buildInfo", 1))).containsKey("version")).isTrue();
        for (Document command : List.of(new Document("find", "bravo.cards"), new Document("dbStats", 1),
                new Document("drop", "acme.cards"), new Document("ping", 1).append("$db", "admin"))) {
            assertThatThrownBy(() -> as(ACME, () -> database.runCommand(command)))
                    .as(command.toJson()).isInstanceOf(IsolationViolationException.class);
        }
        assertThat(TwoServers.dataCommands(servers.mainCommands)).isEmpty();
        assertThat(raw(servers.main, SHARED_DB, "bravo.cards").countDocuments()).isEqualTo(2);
    }
}
