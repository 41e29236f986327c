package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantRouter;
import io.tenantry.TenantStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;

/**
 * The stage of the adversarial catalogue: on each model a victim with data and an attacker
 * ("mallory") beside it (same shared database for FIELD and COLLECTION, same cluster for DATABASE).
 * After every attempt, the victims' data is read straight from the servers and compared with the
 * snapshot taken before: nothing of theirs may have been read into the attacker's results (each
 * test checks that) or changed (checked here).
 */
final class AdversarialFixture implements AutoCloseable {

    static final String FIELD_DB = "adv_field";
    static final String SHARED_DB = "adv_shared";
    static final String PREFIX = "adv_";

    final TestClusters clusters;
    final CommandCapture capture = new CommandCapture();
    final TenantMongo mongo;
    private final Map<String, List<Document>> snapshot = new TreeMap<>();

    AdversarialFixture() {
        clusters = TestClusters.start(s -> s.addCommandListener(capture), "main", "dedicated");
        TenantDirectory directory = TenantDirectory.inMemory(
                Tenant.builder("victim-f").tier("free").build(),
                Tenant.builder("mallory-f").tier("free").build(),
                Tenant.builder("victim-c").tier("premium").build(),
                Tenant.builder("mallory-c").tier("premium").build(),
                Tenant.builder("victim-d").tier("enterprise").build(),
                Tenant.builder("mallory-d").tier("enterprise").build(),
                Tenant.builder("frozen").tier("free").status(TenantStatus.SUSPENDED).build(),
                Tenant.builder("moving").tier("free").status(TenantStatus.READ_ONLY).build());
        TenantRouter router = TenantRouter.builder()
                .tier("free", Placement.field("main", FIELD_DB))
                .tier("premium", Placement.collection("main", SHARED_DB))
                .tier("enterprise", Placement.database("dedicated", PREFIX))
                .build();
        mongo = clusters.addTo(TenantMongo.builder()).directory(directory).router(router)
                .collection("cards").collection("binders").build();
        for (String tenant : List.of("victim-f", "mallory-f", "victim-c", "mallory-c", "victim-d", "mallory-d")) {
            mongo.provisioning().ensure(TenantId.of(tenant));
        }
        for (String victim : List.of("victim-f", "victim-c", "victim-d")) {
            TenantContext.runAs(TenantId.of(victim), () -> {
                mongo.collection("cards").insertMany(List.of(
                        new Document("_id", victim + "-1").append("name", "secret").append("qty", 7),
                        new Document("_id", victim + "-2").append("name", "charizard").append("qty", 1)));
                mongo.collection("binders").insertOne(new Document("_id", victim + "-b").append("name", "secret"));
            });
        }
        for (String attacker : List.of("mallory-f", "mallory-c", "mallory-d")) {
            TenantContext.runAs(TenantId.of(attacker), () -> mongo.collection("cards")
                    .insertOne(new Document("_id", attacker + "-1").append("name", "own").append("qty", 1)));
        }
        takeSnapshot();
    }

    /** The victims' documents as stored, read without Tenantry. */
    Map<String, List<Document>> victims() {
        Map<String, List<Document>> data = new TreeMap<>();
        MongoClient main = clusters.client("main");
        MongoClient dedicated = clusters.client("dedicated");
        for (String collection : List.of("cards", "binders")) {
            List<Document> shared = new ArrayList<>();
            main.getDatabase(FIELD_DB).getCollection(collection)
                    .find(new Document(TenantMongo.DEFAULT_TENANT_FIELD, "victim-f")).sort(new Document("_id", 1))
                    .into(shared);
            data.put("field." + collection, shared);
            data.put("collection." + collection, read(main.getDatabase(SHARED_DB).getCollection("victim-c." + collection)));
            data.put("database." + collection, read(dedicated.getDatabase(PREFIX + "victim-d").getCollection(collection)));
        }
        return data;
    }

    private static List<Document> read(MongoCollection<Document> collection) {
        return collection.find().sort(new Document("_id", 1)).into(new ArrayList<>());
    }

    void takeSnapshot() {
        snapshot.clear();
        snapshot.putAll(victims());
        assertThat(snapshot.get("field.cards")).hasSize(2);
        assertThat(snapshot.get("collection.cards")).hasSize(2);
        assertThat(snapshot.get("database.cards")).hasSize(2);
    }

    void assertVictimsUntouched() {
        assertThat(victims()).as("the victims' data after the attempt").isEqualTo(snapshot);
    }

    @Override
    public void close() {
        clusters.close();
    }
}
