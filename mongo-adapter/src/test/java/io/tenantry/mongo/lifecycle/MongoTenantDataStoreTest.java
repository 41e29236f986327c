package io.tenantry.mongo.lifecycle;

import static io.tenantry.mongo.lifecycle.LifecycleServers.ACME;
import static io.tenantry.mongo.lifecycle.LifecycleServers.BRAVO;
import static io.tenantry.mongo.lifecycle.LifecycleServers.PLACEMENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.tenantry.Placement;
import io.tenantry.RoutingException;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDigest;
import io.tenantry.mongo.MongoTenantDirectory;
import io.tenantry.mongo.TenantMongo;
import io.tenantry.spi.TenantDataStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The MongoDB data store's own promises, one by one, on the in-process servers. */
class MongoTenantDataStoreTest {

    private static LifecycleServers servers;
    private MongoTenantDirectory directory;
    private TenantMongo mongo;

    @BeforeAll
    static void start() {
        servers = new LifecycleServers();
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    @BeforeEach
    void empty() {
        servers.reset();
        directory = MongoTenantDirectory.of(servers.control());
        mongo = servers.mongo(directory);
    }

    private void place(Placement placement) {
        if (directory.find(ACME).isEmpty()) {
            directory.register(Tenant.builder(ACME).placement(placement).build());
        } else {
            directory.update(directory.require(ACME).toBuilder().placement(placement).build());
        }
    }

    @Test
    void theSameDataWrittenOnEachOfTheSixPlacementsHasTheSameDigest() {
        Map<String, List<BsonDocument>> data = Shapes.data(new SplittableRandom(7), 20, null);
        data.put("cards", List.of(Shapes.document(new SplittableRandom(8), Shapes.id(new SplittableRandom(9), 1), true,
                null)));
        List<TenantDigest> digests = new ArrayList<>();
        for (Placement placement : PLACEMENTS) {
            place(placement);
            LifecycleServers.write(mongo, ACME, data);
            digests.add(mongo.dataStore().digest(ACME, placement));
        }
        assertThat(digests.get(0).totalCount()).isEqualTo(data.values().stream().mapToInt(List::size).sum());
        assertThat(digests).allSatisfy(digest -> assertThat(digest).isEqualTo(digests.get(0)));
    }

    @Test
    void aCopyIsWrittenInBatchesAndReportedPerBatch() {
        place(LifecycleServers.COLLECTION_MAIN);
        List<Document> cards = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            cards.add(new Document("_id", i));
        }
        TenantContext.runAs(ACME, () -> mongo.collection("cards").insertMany(cards));
        List<String> reports = new ArrayList<>();
        mongo.dataStore(3).copy(ACME, LifecycleServers.COLLECTION_MAIN, LifecycleServers.FIELD_OTHER,
                (resource, items, bytes) -> reports.add(resource + " " + items + " " + (bytes > 0)));
        assertThat(reports).containsExactly("cards 3 true", "cards 3 true", "cards 1 true");
        assertThatThrownBy(() -> mongo.dataStore(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCopyCarriesTheTenantsIndexesWithTheTenantFieldFirstOnField() {
        place(LifecycleServers.DATABASE_MAIN);
        TenantContext.runAs(ACME, () -> {
            mongo.collection("items").createIndex(Indexes.ascending("sku"), new IndexOptions().unique(true).name("sku"));
            mongo.collection("items").insertOne(new Document("_id", 1).append("sku", "a"));
        });
        TenantDataStore store = mongo.dataStore();

        store.copy(ACME, LifecycleServers.DATABASE_MAIN, LifecycleServers.FIELD_OTHER, (r, i, b) -> { });
        List<Document> shared = servers.other.getDatabase("app2").getCollection("items").listIndexes()
                .into(new ArrayList<>());
        assertThat(shared).anySatisfy(index -> {
            assertThat(index.getString("name")).isEqualTo("sku");
            assertThat(index.get("key", Document.class)).isEqualTo(new Document("tenantId", 1).append("sku", 1));
            assertThat(index.getBoolean("unique")).isTrue();
        });
        assertThat(shared).anySatisfy(index -> assertThat(index.getString("name")).isEqualTo("tenantry_tenant_id"));

        store.copy(ACME, LifecycleServers.FIELD_OTHER, LifecycleServers.COLLECTION_MAIN, (r, i, b) -> { });
        assertThat(servers.main.getDatabase(LifecycleServers.COLLECTION_MAIN.namespace()).getCollection("acme.items").listIndexes()).anySatisfy(index -> {
            assertThat(index.getString("name")).isEqualTo("sku");
            assertThat(index.get("key", Document.class)).isEqualTo(new Document("sku", 1));
            assertThat(index.getBoolean("unique")).isTrue();
        });
        assertThat(store.digest(ACME, LifecycleServers.COLLECTION_MAIN))
                .isEqualTo(store.digest(ACME, LifecycleServers.DATABASE_MAIN));
    }

    /**
     * A database belongs to one isolation model, so on the FIELD model every collection is shared, whatever its
     * name: {@code fs.files} is not tenant fs's collection, and a document of acme's there is acme's by its tenant
     * field alone, even with a plain id (written around Tenantry), which reads show as acme's.
     */
    @Test
    void onTheFieldModelEveryCollectionIsSharedEvenOneNamedLikeATenantsOwn() {
        place(LifecycleServers.FIELD_MAIN);
        TenantContext.runAs(ACME, () -> mongo.collection("fs.files").insertOne(new Document("_id", 1)));
        MongoCollection<Document> raw = servers.main.getDatabase("app").getCollection("fs.files");
        raw.insertOne(new Document("_id", 2).append("tenantId", "acme"));
        raw.insertOne(new Document("_id", 3).append("tenantId", "bravo"));
        TenantDataStore store = mongo.dataStore();

        assertThat(store.digest(ACME, LifecycleServers.FIELD_MAIN).resources()).containsOnlyKeys("fs.files")
                .hasEntrySatisfying("fs.files", entry -> assertThat(entry.count()).isEqualTo(2));
        store.erase(ACME, LifecycleServers.FIELD_MAIN);

        assertThat(raw.find().into(new ArrayList<>())).containsExactly(new Document("_id", 3).append("tenantId", "bravo"));
    }

    /**
     * A process whose router knows only pinned placements served bravo, pinned to the COLLECTION model in the
     * FIELD placement's database, and bravo keeps there a document in acme's FIELD stored form. This process has
     * not routed bravo, so its claims know nothing of it; the data store finds bravo's collection, asks the
     * directory, and refuses to erase, digest or copy acme there, changing nothing.
     */
    @Test
    void theLifecycleRefusesAFieldDatabaseWhereTheDirectoryPlacesATenantOnTheCollectionModel() {
        Placement mixed = Placement.collection("main", LifecycleServers.FIELD_MAIN.namespace());
        directory.register(Tenant.builder(BRAVO).placement(mixed).build());
        TenantMongo elsewhere = TenantMongo.builder().cluster("main", servers.main).cluster("other", servers.other)
                .directory(directory).router(tenant -> tenant.placement().orElseThrow()).build();
        Document forged = new Document("_id", new Document("tenantId", "acme").append("id", 1)).append("tenantId", "acme");
        TenantContext.runAs(BRAVO, () -> elsewhere.collection("cards").insertOne(forged));
        place(LifecycleServers.FIELD_MAIN);
        TenantContext.runAs(ACME, () -> mongo.collection("cards").insertOne(new Document("_id", 1)));
        Map<String, List<String>> before = servers.scan();
        TenantDataStore store = mongo.dataStore();

        assertThatThrownBy(() -> store.erase(ACME, LifecycleServers.FIELD_MAIN)).isInstanceOf(RoutingException.class)
                .hasMessageContaining("tenant \"bravo\"").hasMessageContaining("collection(main, app)")
                .hasMessageContaining("database \"app\" on cluster \"main\"");
        assertThatThrownBy(() -> store.digest(ACME, LifecycleServers.FIELD_MAIN)).isInstanceOf(RoutingException.class);
        assertThatThrownBy(() -> store.copy(ACME, LifecycleServers.FIELD_MAIN, LifecycleServers.FIELD_OTHER,
                (r, i, b) -> { })).isInstanceOf(RoutingException.class);
        assertThat(servers.scan()).isEqualTo(before);
        assertThat(servers.main.getDatabase("app").getCollection("bravo.cards").find().into(new ArrayList<>()))
                .containsExactly(forged);
    }

    @Test
    void servesThePlacementsOfItsClustersOnly() {
        TenantDataStore store = mongo.dataStore();
        assertThat(PLACEMENTS).allSatisfy(placement -> assertThat(store.serves(placement)).isTrue());
        assertThat(store.serves(Placement.field("elsewhere", "app"))).isFalse();
    }
}
