package io.tenantry.mongo;

import static io.tenantry.mongo.FieldMongo.callAs;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.DeleteManyModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.tenantry.TenantId;
import io.tenantry.tck.Trials;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Isolation, model-based: for any sequence of writes by any of three tenants on one shared
 * collection, each tenant observes exactly the documents it wrote (through find, counts, distinct
 * and aggregate), and every stored document carries the tenant that wrote it.
 */
class FieldIsolationPropertyTest {

    private static final List<TenantId> TENANTS = List.of(FieldMongo.ACME, FieldMongo.BRAVO, FieldMongo.COBALT);

    private static FieldMongo deployment;
    private static MongoCollection<Document> cards;

    /** What each tenant should see: "sku:qty" entries, with repeats. */
    private final Map<TenantId, List<String>> expected = new HashMap<>();

    @BeforeAll
    static void start() {
        deployment = new FieldMongo();
        cards = deployment.mongo.collection("cards");
    }

    @AfterAll
    static void stop() {
        deployment.close();
    }

    /** Runs before every sequence, also while a failing one is shrunk. */
    private void emptyTheSharedCollection() {
        deployment.raw("cards").deleteMany(Filters.empty());
        expected.clear();
        TENANTS.forEach(tenant -> expected.put(tenant, new ArrayList<>()));
    }

    enum Kind { INSERT, INCREMENT, DELETE, REPLACE, UPSERT, BULK, DROP }

    private static final List<Kind> KINDS = List.of(Kind.values());

    /** One write by one tenant. */
    record Action(TenantId tenant, Kind kind, String sku, int qty, int other) {
    }

    /** Up to 20 writes, each by any tenant, of any kind, on one of three skus. */
    private static List<Action> actions(SplittableRandom random) {
        return Draw.list(random, 0, 20, r -> new Action(Draw.oneOf(r, TENANTS), Draw.oneOf(r, KINDS),
                Draw.oneOf(r, List.of("s1", "s2", "s3")), Draw.between(r, 0, 3), Draw.between(r, 0, 3)));
    }

    @Test
    void eachTenantObservesExactlyWhatItWrote() {
        Trials.forAllLists("each tenant observes exactly what it wrote", 60, FieldIsolationPropertyTest::actions,
                this::checkActions);
    }

    private void checkActions(List<Action> actions) {
        emptyTheSharedCollection();
        for (int step = 0; step < actions.size(); step++) {
            Action action = actions.get(step);
            callAs(action.tenant(), () -> {
                apply(action);
                return null;
            });
            for (TenantId tenant : TENANTS) {
                assertObserves(tenant, "after step " + (step + 1) + ", " + action);
            }
            assertEveryStoredDocumentCarriesItsTenant();
        }
    }

    private void apply(Action action) {
        List<String> own = expected.get(action.tenant());
        String sku = action.sku();
        switch (action.kind()) {
            case INSERT -> {
                cards.insertOne(new Document("sku", sku).append("qty", action.qty()));
                own.add(sku + ":" + action.qty());
            }
            case INCREMENT -> {
                cards.updateMany(Filters.eq("sku", sku), Updates.inc("qty", action.qty()));
                own.replaceAll(entry -> entry.startsWith(sku + ":")
                        ? sku + ":" + (Integer.parseInt(entry.substring(sku.length() + 1)) + action.qty()) : entry);
            }
            case DELETE -> {
                cards.deleteMany(Filters.eq("sku", sku));
                own.removeIf(entry -> entry.startsWith(sku + ":"));
            }
            case REPLACE -> {
                long replaced = cards.replaceOne(Filters.and(Filters.eq("sku", sku), Filters.eq("qty", action.qty())),
                        new Document("sku", sku).append("qty", action.other())).getMatchedCount();
                if (own.remove(sku + ":" + action.qty())) {
                    own.add(sku + ":" + action.other());
                    assertThat(replaced).isEqualTo(1);
                } else {
                    assertThat(replaced).isZero();
                }
            }
            case UPSERT -> {
                cards.updateMany(Filters.eq("sku", sku), Updates.set("qty", action.qty()), new UpdateOptions().upsert(true));
                long matching = own.stream().filter(entry -> entry.startsWith(sku + ":")).count();
                own.removeIf(entry -> entry.startsWith(sku + ":"));
                for (long i = 0; i < Math.max(matching, 1); i++) {
                    own.add(sku + ":" + action.qty());
                }
            }
            case BULK -> {
                cards.bulkWrite(List.of(new DeleteManyModel<>(Filters.eq("sku", sku)),
                        new InsertOneModel<>(new Document("sku", sku).append("qty", action.other()))));
                own.removeIf(entry -> entry.startsWith(sku + ":"));
                own.add(sku + ":" + action.other());
            }
            case DROP -> {
                cards.drop();
                own.clear();
            }
            default -> throw new IllegalStateException(action.kind().name());
        }
    }

    private void assertObserves(TenantId tenant, String when) {
        List<String> own = expected.get(tenant);
        List<String> found = callAs(tenant, () -> cards.find().into(new ArrayList<>()).stream()
                .map(d -> d.getString("sku") + ":" + d.getInteger("qty")).sorted().toList());
        assertThat(found).as("documents of %s %s", tenant, when).isEqualTo(own.stream().sorted().toList());
        assertThat(callAs(tenant, () -> cards.countDocuments())).as("count of %s %s", tenant, when)
                .isEqualTo(own.size());
        assertThat(callAs(tenant, () -> cards.estimatedDocumentCount())).as("estimated count of %s %s", tenant, when)
                .isEqualTo(own.size());
        TreeSet<String> skus = new TreeSet<>();
        own.forEach(entry -> skus.add(entry.substring(0, entry.indexOf(':'))));
        assertThat(callAs(tenant, () -> cards.distinct("sku", String.class).into(new TreeSet<>())))
                .as("distinct of %s %s", tenant, when).isEqualTo(skus);
        List<Document> totals = callAs(tenant, () -> cards.aggregate(List.of(
                Aggregates.group(null, Accumulators.sum("n", 1)))).into(new ArrayList<>()));
        assertThat(totals.isEmpty() ? 0 : totals.get(0).getInteger("n")).as("aggregate of %s %s", tenant, when)
                .isEqualTo(own.size());
    }

    private void assertEveryStoredDocumentCarriesItsTenant() {
        Map<String, Long> perTenant = new HashMap<>();
        for (Document stored : deployment.raw("cards").find()) {
            assertThat(stored.getString("tenantId")).isIn("acme", "bravo", "cobalt");
            perTenant.merge(stored.getString("tenantId"), 1L, Long::sum);
        }
        for (TenantId tenant : TENANTS) {
            assertThat(perTenant.getOrDefault(tenant.value(), 0L)).isEqualTo(expected.get(tenant).size());
        }
    }
}
