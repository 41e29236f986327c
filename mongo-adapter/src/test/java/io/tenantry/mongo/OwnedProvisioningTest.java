package io.tenantry.mongo;

import static io.tenantry.mongo.TwoServers.ACME;
import static io.tenantry.mongo.TwoServers.BRAVO;
import static io.tenantry.mongo.TwoServers.CAROL;
import static io.tenantry.mongo.TwoServers.DELTA;
import static io.tenantry.mongo.TwoServers.ECHO;
import static io.tenantry.mongo.TwoServers.SHARED_DB;
import static io.tenantry.mongo.TwoServers.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.tenantry.Placement;
import io.tenantry.TenantId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** Provisioning of the COLLECTION and DATABASE models, and the COLLECTION model's size warning. */
class OwnedProvisioningTest extends ServerTestSupport {

    private TenantMongo mongo(int threshold) {
        return servers.builder()
                .collection("cards", c -> c.index(Indexes.ascending("name"), new IndexOptions().unique(true).name("by_name")))
                .collection("sets")
                .collectionWarningThreshold(threshold)
                .build();
    }

    private static List<Document> indexes(MongoClient client, String database, String collection) {
        List<Document> keys = new ArrayList<>();
        for (Document index : raw(client, database, collection).listIndexes()) {
            keys.add(new Document("name", index.get("name")).append("key", index.get("key"))
                    .append("unique", index.getBoolean("unique", false)));
        }
        return keys;
    }

    @Test
    void ensure_creates_declared_collections_and_indexes_under_the_tenants_names_idempotently() {
        TenantMongo mongo = mongo(10_000);
        assertThat(mongo.provisioning().ensure(ACME)).isEqualTo(Placement.collection("main", SHARED_DB));
        othersUnchanged(ns -> ns.startsWith("main:cardvault.bravo.") || ns.startsWith("dedicated:cv_delta."), () -> {
            mongo.provisioning().ensure(BRAVO);
            mongo.provisioning().ensure(BRAVO);
            assertThat(mongo.provisioning().ensure(DELTA)).isEqualTo(Placement.database("dedicated", "cv_"));
            mongo.provisioning().ensure(DELTA);
        });
        assertThat(servers.main.getDatabase(SHARED_DB).listCollectionNames().into(new TreeSet<>()))
                .containsExactly("acme.cards", "acme.sets", "bravo.cards", "bravo.sets");
        assertThat(servers.dedicated.listDatabaseNames().into(new TreeSet<>())).containsExactly("cv_delta");
        assertThat(servers.dedicated.getDatabase("cv_delta").listCollectionNames().into(new TreeSet<>()))
                .containsExactly("cards", "sets");
        List<Document> expected = List.of(
                new Document("name", "_id_").append("key", new Document("_id", 1)).append("unique", false),
                new Document("name", "by_name").append("key", new Document("name", 1)).append("unique", true));
        assertThat(indexes(servers.main, SHARED_DB, "acme.cards")).isEqualTo(expected);
        assertThat(indexes(servers.main, SHARED_DB, "bravo.cards")).isEqualTo(expected);
        assertThat(indexes(servers.dedicated, "cv_delta", "cards")).isEqualTo(expected);
    }

    @Test
    void unique_indexes_are_per_tenant_on_both_models() {
        TenantMongo mongo = mongo(10_000);
        MongoCollection<Document> cards = mongo.collection("cards");
        for (TenantId tenant : List.of(ACME, BRAVO, DELTA, ECHO)) {
            mongo.provisioning().ensure(tenant);
            as(tenant, () -> cards.insertOne(new Document("name", "pikachu")));
        }
        for (TenantId tenant : List.of(ACME, DELTA)) {
            assertThatThrownBy(() -> as(tenant, () -> cards.insertOne(new Document("name", "pikachu"))))
                    .isInstanceOf(MongoWriteException.class).hasMessageContaining("duplicate key");
        }
        assertThat(as(ECHO, () -> cards.countDocuments())).isEqualTo(1);
    }

    @Test
    void ensure_warns_when_the_shared_database_nears_the_collection_threshold() {
        // Each COLLECTION tenant adds 2 collections and 3 indexes (_id on both, by_name on cards): 5.
        TenantMongo mongo = mongo(16);
        String first = capturedErr(() -> {
            mongo.provisioning().ensure(ACME);
            mongo.provisioning().ensure(BRAVO);
            mongo.provisioning().ensure(DELTA);
        });
        assertThat(first).doesNotContain("collectionWarningThreshold");
        String third = capturedErr(() -> mongo.provisioning().ensure(CAROL));
        assertThat(third).contains("WARN").contains("Shared database \"cardvault\" on cluster \"main\" holds 6"
                + " collections and 9 indexes (15 in all), 93% of the collectionWarningThreshold of 16")
                .contains("DATABASE model").contains("another cluster");
        assertThat(CollectionBudget.check(servers.main.getDatabase(SHARED_DB), "main", 17)).isNull();
        assertThat(CollectionBudget.check(servers.main.getDatabase(SHARED_DB), "main", 16)).isNotNull();
    }

    private static String capturedErr(Runnable body) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
