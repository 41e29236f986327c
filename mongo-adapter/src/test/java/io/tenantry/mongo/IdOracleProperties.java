package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantRouter;
import io.tenantry.tck.Trials;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No existence oracle through ids: for any sequence of writes with caller-chosen ids, each write's
 * outcome (its result or its error) and the writer's data afterwards are the same whether or not
 * another tenant on the same placement already holds the same ids. Checked on all three models;
 * on the FIELD model the other tenant shares the writer's collection, where a plain unique
 * {@code _id} index would answer "taken" for the other tenant's ids. A control run shows the
 * property catches exactly that on a shared collection without tenant-scoped ids.
 */
class IdOracleProperties {

    /** Ids of several BSON types, numeric ones that compare equal across types included. */
    private static final List<Object> IDS = List.of("order-1", "alice@example.com", "", 7, 7L, 7.0,
            new Decimal128(7), new ObjectId("65f0c0ffee0000000000beef"), new Document("region", "eu").append("n", 1),
            true);

    private static final List<String> MODELS = List.of("field", "collection", "database");

    private static TestClusters clusters;
    private static TenantMongo mongo;

    @BeforeAll
    static void start() {
        clusters = TestClusters.start("main");
        List<Tenant> tenants = new ArrayList<>();
        for (String model : MODELS) {
            tenants.add(Tenant.builder(writer(model)).tier(model).build());
            tenants.add(Tenant.builder(holder(model)).tier(model).build());
        }
        TenantRouter router = TenantRouter.builder()
                .tier("field", Placement.field("main", "oracle_shared"))
                .tier("collection", Placement.collection("main", "oracle_coll"))
                .tier("database", Placement.database("main", "oracle_"))
                .build();
        mongo = clusters.addTo(TenantMongo.builder()).directory(TenantDirectory.inMemory(tenants.toArray(Tenant[]::new)))
                .router(router).collection("orders").build();
    }

    @AfterAll
    static void stop() {
        clusters.close();
    }

    private static TenantId writer(String model) {
        return TenantId.of(model + "-writer");
    }

    private static TenantId holder(String model) {
        return TenantId.of(model + "-holder");
    }

    @Test
    void aWritesOutcomeNeverDependsOnAnotherTenantsIds() {
        MongoCollection<Document> orders = mongo.collection("orders");
        for (String model : MODELS) {
            Runnable clean = () -> {
                TenantContext.runAs(writer(model), () -> orders.deleteMany(new Document()));
                TenantContext.runAs(holder(model), () -> orders.deleteMany(new Document()));
            };
            Runnable hold = () -> TenantContext.runAs(holder(model), () -> holdEveryId(orders));
            Trials.forAllLists("on the " + model + " model, each write's outcome is the same whether or not another"
                    + " tenant holds the same ids", 40, IdOracleProperties::writes, writes -> {
                        List<String> alone = run(writes, writer(model), orders, () -> { }, clean);
                        List<String> besideHolder = run(writes, writer(model), orders, hold, clean);
                        assertThat(besideHolder).as("outcomes with another tenant holding every id")
                                .isEqualTo(alone);
                    });
        }
    }

    /**
     * The control: on a shared collection whose documents carry a tenant field but plain ids (what
     * the FIELD model stored before ids were scoped), the same comparison differs as soon as a
     * sequence inserts an id the other tenant holds. This is what keeps the property above honest.
     */
    @Test
    void theComparisonCatchesTheOracleOfPlainIdsOnASharedCollection() {
        MongoCollection<Document> shared = clusters.client("main").getDatabase("oracle_plain").getCollection("orders");
        Runnable clean = () -> shared.deleteMany(new Document());
        List<Write> insertTaken = List.of(new Write(Kind.INSERT, 0, 1));
        List<String> alone = run(insertTaken, writer("field"), shared, () -> { }, clean);
        List<String> besideHolder = run(insertTaken, writer("field"), shared, () -> holdEveryId(shared), clean);
        assertThat(besideHolder).isNotEqualTo(alone);
        assertThat(besideHolder.get(0)).contains("write error 11000");
        shared.drop();
    }

    private static void holdEveryId(MongoCollection<Document> orders) {
        for (Object id : IDS) {
            try {
                orders.insertOne(new Document("_id", id).append("owner", "holder"));
            } catch (MongoWriteException numericallyEqualToAnEarlierId) {
                assertThat(numericallyEqualToAnEarlierId.getError().getCode()).isEqualTo(11000);
            }
        }
    }

    /**
     * Runs {@code writes} as {@code writer} after {@code clean} and {@code prepare}, and returns
     * each write's outcome and, last, the writer's documents.
     */
    private static List<String> run(List<Write> writes, TenantId writer, MongoCollection<Document> orders,
            Runnable prepare, Runnable clean) {
        clean.run();
        prepare.run();
        List<String> outcomes = new ArrayList<>();
        TenantContext.runAs(writer, () -> {
            for (Write write : writes) {
                outcomes.add(outcome(() -> write.apply(orders)));
            }
            List<String> state = new ArrayList<>();
            for (Document document : orders.find(Filters.ne("owner", "holder"))) {
                document.remove("tenantId");
                state.add(document.toJson());
            }
            state.sort(null);
            outcomes.add("state " + state);
        });
        clean.run();
        return outcomes;
    }

    private static String outcome(java.util.function.Supplier<Object> write) {
        try {
            return "ok " + write.get();
        } catch (MongoWriteException e) {
            return "write error " + e.getError().getCode() + " " + e.getError().getMessage();
        } catch (MongoBulkWriteException e) {
            return "bulk error " + e.getWriteErrors().stream().map(w -> w.getIndex() + ":" + w.getCode()).toList()
                    + " " + e.getWriteResult().getInsertedCount();
        } catch (MongoCommandException e) {
            return "command error " + e.getErrorCode();
        }
    }

    // ---- writes

    enum Kind { INSERT, INSERT_MANY, REPLACE_UPSERT, UPDATE_UPSERT, FIND_AND_UPSERT, BULK, DELETE, UPDATE }

    record Write(Kind kind, int id, int value) {

        Object apply(MongoCollection<Document> orders) {
            Object key = IDS.get(id);
            Document document = new Document("_id", key).append("value", value);
            Function<Object, String> shown = result -> String.valueOf(result);
            return switch (kind) {
                case INSERT -> shown.apply(orders.insertOne(document).getInsertedId());
                case INSERT_MANY -> shown.apply(orders.insertMany(List.of(document,
                        new Document("_id", IDS.get((id + 1) % IDS.size())).append("value", value))).getInsertedIds());
                case REPLACE_UPSERT -> shown.apply(orders.replaceOne(Filters.eq("_id", key),
                        new Document("value", value), new ReplaceOptions().upsert(true)));
                case UPDATE_UPSERT -> shown.apply(orders.updateOne(Filters.eq("_id", key), Updates.set("value", value),
                        new UpdateOptions().upsert(true)));
                case FIND_AND_UPSERT -> shown.apply(orders.findOneAndUpdate(Filters.eq("_id", key),
                        Updates.inc("value", value), new FindOneAndUpdateOptions().upsert(true)
                                .returnDocument(ReturnDocument.AFTER)));
                case BULK -> {
                    List<WriteModel<Document>> models = List.of(new InsertOneModel<>(document),
                            new UpdateOneModel<>(Filters.eq("_id", key), Updates.inc("value", 1)),
                            new ReplaceOneModel<>(Filters.eq("_id", IDS.get((id + 3) % IDS.size())),
                                    new Document("value", value), new ReplaceOptions().upsert(true)));
                    yield shown.apply(orders.bulkWrite(models, new BulkWriteOptions().ordered(true)));
                }
                case DELETE -> shown.apply(orders.deleteOne(Filters.eq("_id", key)).getDeletedCount());
                case UPDATE -> shown.apply(orders.updateMany(Filters.in("_id", key, IDS.get((id + 1) % IDS.size())),
                        Updates.inc("value", value)).getModifiedCount());
            };
        }
    }

    private static List<Write> writes(SplittableRandom random) {
        int size = 1 + random.nextInt(8);
        List<Write> writes = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            writes.add(new Write(Kind.values()[random.nextInt(Kind.values().length)], random.nextInt(IDS.size()),
                    random.nextInt(100)));
        }
        return writes;
    }
}
