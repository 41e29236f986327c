package io.tenantry.mongo;

import static io.tenantry.mongo.FieldMongo.ACME;
import static io.tenantry.mongo.FieldMongo.BRAVO;
import static io.tenantry.mongo.FieldMongo.as;
import static io.tenantry.mongo.FieldMongo.callAs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.DeleteManyModel;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateManyModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import io.tenantry.IsolationViolationException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** bulkWrite on the FIELD model: every kind of write model confined, and all refused before any is sent. */
class FieldBulkWriteTest {

    private FieldMongo deployment;
    private MongoCollection<Document> cards;

    @BeforeEach
    void start() {
        deployment = new FieldMongo();
        cards = deployment.mongo.collection("cards");
        for (var tenant : List.of(ACME, BRAVO)) {
            String t = tenant.value().substring(0, 1);
            as(tenant, () -> cards.insertMany(List.of(new Document("_id", t + "1").append("n", 1),
                    new Document("_id", t + "2").append("n", 2), new Document("_id", t + "3").append("n", 3))));
        }
    }

    @AfterEach
    void stop() {
        deployment.close();
    }

    /** Every stored document as "id:tenant:n". */
    private List<String> stored() {
        return deployment.raw("cards").find().into(new ArrayList<>()).stream()
                .map(d -> FieldMongo.callerId(d) + ":" + d.getString("tenantId") + ":" + d.get("n"))
                .sorted().collect(Collectors.toList());
    }

    @Test
    void everyKindOfWriteModelIsConfinedToTheTenant() {
        List<WriteModel<Document>> requests = List.of(
                new InsertOneModel<>(new Document("_id", "a4").append("n", 4)),
                new ReplaceOneModel<>(Filters.in("_id", "a1", "b1"), new Document("n", 10)),
                new UpdateOneModel<>(Filters.in("_id", "a2", "b2"), Updates.set("n", 20)),
                new UpdateManyModel<>(Filters.gte("n", 3), Updates.inc("n", 100)),
                new DeleteOneModel<>(Filters.eq("_id", "b3")),
                new DeleteManyModel<>(Filters.eq("n", 104)));

        BulkWriteResult result = callAs(ACME, () -> cards.bulkWrite(requests));

        assertThat(result.getInsertedCount()).isEqualTo(1);
        assertThat(result.getDeletedCount()).isEqualTo(1);
        assertThat(stored()).containsExactly("a1:acme:110", "a2:acme:120", "a3:acme:103",
                "b1:bravo:1", "b2:bravo:2", "b3:bravo:3");
    }

    @Test
    void anUpsertingReplaceInABulkIsStamped() {
        as(BRAVO, () -> cards.bulkWrite(List.of(new ReplaceOneModel<>(Filters.eq("_id", "b9"), new Document("n", 9),
                new ReplaceOptions().upsert(true)))));

        assertThat(stored()).contains("b9:bravo:9");
    }

    @Test
    void anUpdatePipelineInABulkIsCheckedAndConfined() {
        deployment.clearCommands();
        try {
            as(ACME, () -> cards.bulkWrite(List.of(new UpdateManyModel<>(Filters.empty(),
                    List.of(BsonDocument.parse("{$set: {n: 0}}"))))));
        } catch (RuntimeException testServerLacksUpdatePipelines) {
            // the command sent is what matters
        }

        BsonDocument statement = deployment.lastCommand("update").getArray("updates").get(0).asDocument();
        assertThat(statement.getDocument("q")).isEqualTo(BsonDocument.parse("{tenantId: 'acme'}"));
        assertThat(statement.getBoolean("multi").getValue()).isTrue();
    }

    @Test
    void oneForbiddenRequestRefusesTheWholeBulkBeforeAnythingIsWritten() {
        List<List<WriteModel<Document>>> forbidden = List.of(
                List.of(new InsertOneModel<>(new Document("_id", "a5")),
                        new InsertOneModel<>(new Document("_id", "x").append("tenantId", "bravo"))),
                List.of(new InsertOneModel<>(new Document("_id", "a5")),
                        new UpdateOneModel<>(Filters.empty(), Updates.set("tenantId", "bravo"))),
                List.of(new InsertOneModel<>(new Document("_id", "a5")),
                        new UpdateManyModel<>(Filters.empty(), List.of(BsonDocument.parse("{$unset: 'tenantId'}")))),
                List.of(new InsertOneModel<>(new Document("_id", "a5")),
                        new ReplaceOneModel<>(Filters.empty(), new Document("tenantId", "bravo"))));
        List<String> before = stored();

        for (List<WriteModel<Document>> requests : forbidden) {
            assertThatThrownBy(() -> as(ACME, () -> cards.bulkWrite(requests)))
                    .isInstanceOf(IsolationViolationException.class);
        }
        assertThat(stored()).isEqualTo(before);
        assertThat(deployment.commands("update")).isEmpty();
    }
}
