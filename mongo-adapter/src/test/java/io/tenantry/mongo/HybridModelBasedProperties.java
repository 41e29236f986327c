package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
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
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The isolation invariant as a model-based property: random sequences of operations of 18 kinds,
 * by five tenants on all three models and two clusters at once, each applied to Tenantry and to a
 * plain per-tenant model; after every step every tenant's whole state must equal its model. Ids
 * are unique across tenants and lookups draw from all tenants' ids, so every sequence also probes
 * other tenants' documents by id.
 */
class HybridModelBasedProperties {

    private static final List<TenantId> TENANTS = List.of(TenantId.of("free-a"), TenantId.of("free-b"),
            TenantId.of("prem-a"), TenantId.of("ent-a"), TenantId.of("ent-b"));
    private static final List<String> COLLECTIONS = List.of("cards", "binders");
    private static final List<String> NAMES = List.of("pikachu", "bulbasaur", "mew", "onix");
    private static final List<Kind> KINDS = List.of(Kind.values());

    private static TestClusters clusters;
    private static TenantMongo mongo;

    /** The model: tenant -> collection -> id -> document (without the tenant field). */
    private final Map<TenantId, Map<String, TreeMap<Integer, Document>>> model = new TreeMap<>();

    @BeforeAll
    static void start() {
        clusters = TestClusters.start("main", "dedicated");
        TenantDirectory directory = TenantDirectory.inMemory(
                Tenant.builder("free-a").tier("free").build(),
                Tenant.builder("free-b").tier("free").build(),
                Tenant.builder("prem-a").tier("premium").build(),
                Tenant.builder("ent-a").tier("enterprise").build(),
                Tenant.builder("ent-b").tier("enterprise").placement(Placement.database("main", "own_")).build());
        TenantRouter router = TenantRouter.builder()
                .tier("free", Placement.field("main", "mbt_shared"))
                .tier("premium", Placement.collection("main", "mbt_collection"))
                .tier("enterprise", Placement.database("dedicated", "mbt_"))
                .build();
        mongo = clusters.addTo(TenantMongo.builder()).directory(directory).router(router)
                .collection("cards").collection("binders").build();
    }

    @AfterAll
    static void stop() {
        clusters.close();
    }

    /** Runs before every sequence, also while a failing one is shrunk. */
    private void reset() {
        clusters.dropAll();
        model.clear();
        for (TenantId tenant : TENANTS) {
            mongo.provisioning().ensure(tenant);
            Map<String, TreeMap<Integer, Document>> collections = new TreeMap<>();
            COLLECTIONS.forEach(c -> collections.put(c, new TreeMap<>()));
            model.put(tenant, collections);
        }
    }

    /**
     * A failure names the seed that replays it and lists the fewest steps that still fail, such as
     * {@code shrunk from 20 to 2 steps: 1. UPSERT(free-a, cards, n=1, ...) 2. COUNT(free-b, cards, ...)};
     * the last step is the one that failed.
     */
    @Test
    void everyTenantObservesExactlyWhatItWrote() {
        Trials.forAllLists("every tenant observes exactly what it wrote", 500, HybridModelBasedProperties::sequence,
                this::check);
    }

    private void check(List<Op> ops) {
        reset();
        for (int step = 0; step < ops.size(); step++) {
            Op op = ops.get(step);
            TenantContext.runAs(op.tenant(), () -> op.kind.check(this, op));
            for (TenantId tenant : TENANTS) {
                for (String collection : COLLECTIONS) {
                    Map<Integer, Document> actual = TenantContext.callAs(tenant, () -> state(collection));
                    assertThat(actual).as("state of %s.%s after step %d: %s", tenant, collection, step + 1, op)
                            .isEqualTo(model.get(tenant).get(collection));
                }
            }
        }
    }

    /** One to 20 operations, each of any kind, by any tenant, on either collection. */
    private static List<Op> sequence(SplittableRandom random) {
        return Draw.list(random, 1, 20, r -> new Op(Draw.oneOf(r, KINDS), r.nextInt(TENANTS.size()),
                Draw.oneOf(r, COLLECTIONS), Draw.between(r, 0, 7), r.nextInt(TENANTS.size()), Draw.between(r, 0, 4),
                Draw.oneOf(r, NAMES)));
    }

    private static MongoCollection<Document> collection(String name) {
        return mongo.collection(name);
    }

    /** What the bound tenant sees in {@code collection}, keyed by id, without the tenant field. */
    private static Map<Integer, Document> state(String collection) {
        TreeMap<Integer, Document> state = new TreeMap<>();
        for (Document doc : collection(collection).find().sort(Sorts.ascending("_id"))) {
            state.put(doc.getInteger("_id"), strip(doc));
        }
        return state;
    }

    private static Document strip(Document doc) {
        Document copy = new Document(doc);
        copy.remove(TenantMongo.DEFAULT_TENANT_FIELD);
        copy.remove("_id");
        return copy;
    }

    TreeMap<Integer, Document> mine(Op op) {
        return model.get(op.tenant()).get(op.collection);
    }

    /** One generated operation: who, where, and a few numbers the kinds interpret. */
    static final class Op {
        final Kind kind;
        final int tenantIndex;
        final String collection;
        final int n;
        final int otherTenant;
        final int k;
        final String name;

        Op(Kind kind, int tenantIndex, String collection, int n, int otherTenant, int k, String name) {
            this.kind = kind;
            this.tenantIndex = tenantIndex;
            this.collection = collection;
            this.n = n;
            this.otherTenant = otherTenant;
            this.k = k;
            this.name = name;
        }

        TenantId tenant() {
            return TENANTS.get(tenantIndex);
        }

        /** An id this tenant may own: unique across tenants. */
        int ownId() {
            return n * 10 + tenantIndex;
        }

        /** An id of any tenant, to probe other tenants' documents. */
        int anyId() {
            return n * 10 + otherTenant;
        }

        @Override
        public String toString() {
            return kind + "(" + tenant() + ", " + collection + ", n=" + n + ", other=" + otherTenant + ", k=" + k
                    + ", " + name + ")";
        }
    }

    /** The operation kinds; each applies itself to Tenantry and to the model and compares results. */
    enum Kind {
        INSERT_ONE {
            @Override
            void check(HybridModelBasedProperties t, Op op) {
                Document doc = new Document("_id", op.ownId()).append("name", op.name).append("qty", op.k);
                if (t.mine(op).containsKey(op.ownId())) {
                    assertThatThrownBy(() -> collection(op.collection).insertOne(doc))
                            .isInstanceOf(MongoWriteException.class);
                } else {
                    collection(op.collection).insertOne(doc);
                    t.mine(op).put(op.ownId(), strip(doc));
                }
            }
        },
        INSERT_MANY {
            @Override
            void check(HybridModelBasedProperties t, Op op) {
                List<Document> docs = new ArrayList<>();
                for (int i = 0; i <= op.k; i++) {
                    int id = ((op.n + i) % 8) * 10 + op.tenantIndex;
                    if (!t.mine(op).containsKey(id) && docs.stream().noneMatch(d -> d.getInteger("_id") == id)) {
                        docs.add(new Document("_id", id).append("name", op.name).append("qty", i));
                    }
                }
                if (!docs.isEmpty()) {
                    collection(op.collection).insertMany(docs);
                    docs.forEach(d -> t.mine(op).put(d.getInteger("_id"), strip(d)));
                }
            }
        },
        FIND_BY_ID {
            @Override
            void check(HybridModelBasedProperties t, Op op) {
                Document found = collection(op.collection).find(Filters.eq("_id", op.anyId())).first();
                assertThat(found == null ? null : strip(found)).isEqualTo(t.mine(op).get(op.anyId()));
            }
        },
        FIND_WITH_PROJECTION_AND_SORT {
            @Override
            void check(HybridModelBasedProperties t, Op op) {
                List<String> actual = new ArrayList<>();
                collection(op.collection).find(Filters.gte("qty", op.k)).projection(Projections.include("name"))
                        .sort(Sorts.orderBy(Sorts.descending("name"), Sorts.ascending("_id")))
                        .forEach(d -> actual.add(d.getString("name") + "#" + d.getInteger("_id") + "#" + d.get("qty")));
                List<String> expected = new ArrayList<>();
                t.mine(op).entrySet().stream()
                        .filter(e -> e.getValue().getInteger("qty", -1) >= op.k)
                        .sorted((a, b) -> {
                            int byName = b.getValue().getString("name").compareTo(a.getValue().getString("name"));
                            return byName != 0 ? byName : Integer.compare(a.getKey(), b.getKey());
                        })
                        .forEach(e -> expected.add(e.getValue().getString("name") + "#" + e.getKey() + "#null"));
                assertThat(actual).isEqualTo(expected);
            }
        },
        COUNT {
            @Override
            void check(HybridModelBasedProperties t, Op op) {
                long expected = t.mine(op).values().stream().filter(d -> d.getInteger("qty", -1) >= op.k).count();
                assertThat(collection(op.collection).countDocuments(Filters.gte("qty", op.k))).isEqualTo(expected);
                assertThat(collection(op.collection).estimatedDocumentCount()).isEqualTo(t.mine(op).size());
            }
        },
        DISTINCT {
            @Override
            void check(HybridModelBasedProperties t, Op op) {
                TreeSet<String> actual = new TreeSet<>();
                collection(op.collection).distinct("name", String.class).forEach(actual::add);
                TreeSet<String> expected = new TreeSet<>();
                t.mine(op).values().forEach(d -> expected.add(d.getString("name")));
                assertThat(actual).isEqualTo(expected);
            }
        },
        UPDATE_ONE {
            @Override
            void check(HybridModelBasedProperties t, Op op) {
                long matched = collection(op.collection)
                        .updateOne(Filters.eq("_id", op.anyId()), Updates.set("name", op.name)).getMatchedCount();
                Document doc = t.mine(op).get(op.anyId());
                assertThat(matched).isEqualTo(doc == null ? 0 : 1);
                if (doc != null) {
                    doc.put("name", op.name);
                }
            }
        },
        UPDATE_MANY {
            @Override
            void check(HybridModelBasedProperties t, Op op) {
                long matched = collection(op.collection)
                        .updateMany(Filters.lt("qty", op.k), Updates.inc("qty", 1)).getMatchedCount();
                long expected = 0;
                for (Document doc : t.mine(op).values()) {
                    if (doc.getInteger("qty", Integer.MAX_VALUE) < op.k) {
                        doc.put("qty", doc.getInteger("qty") + 1);
                        expected++;
                    }
                }
                assertThat(matched).isEqualTo(expected);
            }
        },
        REPLACE_ONE {
            @Override
            void check(HybridModelBasedProperties t, Op op) {
                Document replacement = new Document("name", op.name).append("qty", op.k).append("replaced", true);
                long matched = collection(op.collection).replaceOne(Filters.eq("_id", op.anyId()), replacement)
                        .getMatchedCount();
                boolean present = t.mine(op).containsKey(op.anyId());
                assertThat(matched).isEqualTo(present ? 1 : 0);
                if (present) {
                    t.mine(op).put(op.anyId(), strip(replacement));
                }
            }
        },
        UPSERT {
            @Override
            void check(HybridModelBasedProperties t, Op op) {
                collection(op.collection).updateOne(Filters.eq("_id", op.ownId()),
                        Updates.combine(Updates.set("name", op.name), Updates.set("qty", op.k)),
                        new UpdateOptions().upsert(true));
                Document doc = t.mine(op).computeIfAbsent(op.ownId(), id -> new Document());
                doc.put("name", op.name);
                doc.put("qty", op.k);
            }
        },
        DELETE_ONE {
            @Override
            void check(HybridModelBasedProperties t, Op op) {
                long deleted = collection(op.collection).deleteOne(Filters.eq("_id", op.anyId())).getDeletedCount();
                assertThat(deleted).isEqualTo(t.mine(op).remove(op.anyId()) == null ? 0 : 1);
            }
        },
        DELETE_MANY {
            @Override
            void check(HybridModelBasedProperties t, Op op) {
                long deleted = collection(op.collection).deleteMany(Filters.eq("qty", op.k)).getDeletedCount();
                long expected = t.mine(op).values().stream().filter(d -> Objects.equals(d.get("qty"), op.k)).count();
                t.mine(op).values().removeIf(d -> Objects.equals(d.get("qty"), op.k));
                assertThat(deleted).isEqualTo(expected);
            }
        },
        AGGREGATE_GROUP {
            @Override
            void check(HybridModelBasedProperties t, Op op) {
                List<Document> pipeline = List.of(
                        new Document("$match", new Document("qty", new Document("$gte", op.k))),
                        new Document("$group", new Document("_id", "$name").append("n", new Document("$sum", 1))),
                        new Document("$sort", new Document("_id", 1)));
                Map<String, Integer> actual = new TreeMap<>();
                collection(op.collection).aggregate(pipeline).forEach(d -> actual.put(d.getString("_id"), d.getInteger("n")));
                Map<String, Integer> expected = new TreeMap<>();
                t.mine(op).values().stream().filter(d -> d.getInteger("qty", -1) >= op.k)
                        .forEach(d -> expected.merge(d.getString("name"), 1, Integer::sum));
                assertThat(actual).isEqualTo(expected);
            }
        },
        AGGREGATE_LOOKUP {
            @Override
            void check(HybridModelBasedProperties t, Op op) {
                List<Document> pipeline = List.of(
                        new Document("$match", new Document("_id", op.anyId())),
                        new Document("$lookup", new Document("from", "binders")
                                .append("let", new Document("nm", "$name"))
                                .append("pipeline", List.of(new Document("$match", new Document("$expr",
                                        new Document("$eq", List.of("$name", "$$nm"))))))
                                .append("as", "binders")));
                Document actual = mongo.collection("cards").aggregate(pipeline).first();
                Document card = t.model.get(op.tenant()).get("cards").get(op.anyId());
                if (card == null) {
                    assertThat(actual).isNull();
                } else {
                    long expected = t.model.get(op.tenant()).get("binders").values().stream()
                            .filter(b -> b.getString("name").equals(card.getString("name"))).count();
                    assertThat(actual).isNotNull();
                    assertThat(actual.getList("binders", Document.class)).hasSize((int) expected)
                            .allSatisfy(b -> assertThat(b.getInteger("_id") % 10).isEqualTo(op.tenantIndex));
                }
            }
        },
        BULK_WRITE {
            @Override
            void check(HybridModelBasedProperties t, Op op) {
                List<WriteModel<Document>> writes = new ArrayList<>();
                int newId = ((op.n + 3) % 8) * 10 + op.tenantIndex;
                boolean insert = !t.mine(op).containsKey(newId);
                if (insert) {
                    writes.add(new InsertOneModel<>(new Document("_id", newId).append("name", op.name).append("qty", 0)));
                }
                writes.add(new UpdateOneModel<>(Filters.eq("_id", op.anyId()), Updates.set("qty", op.k)));
                int deleteId = ((op.n + 5) % 8) * 10 + op.otherTenant;
                writes.add(new DeleteOneModel<>(Filters.eq("_id", deleteId)));
                var result = collection(op.collection).bulkWrite(writes);
                if (insert) {
                    t.mine(op).put(newId, new Document("name", op.name).append("qty", 0));
                }
                Document updated = t.mine(op).get(op.anyId());
                if (updated != null) {
                    updated.put("qty", op.k);
                }
                Document deletedDoc = t.mine(op).remove(deleteId);
                assertThat(result.getInsertedCount()).isEqualTo(insert ? 1 : 0);
                assertThat(result.getMatchedCount()).isEqualTo(updated == null ? 0 : 1);
                assertThat(result.getDeletedCount()).isEqualTo(deletedDoc == null ? 0 : 1);
            }
        },
        FIND_ONE_AND_UPDATE {
            @Override
            void check(HybridModelBasedProperties t, Op op) {
                Document after = collection(op.collection).findOneAndUpdate(Filters.eq("_id", op.anyId()),
                        Updates.set("qty", op.k), new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
                Document doc = t.mine(op).get(op.anyId());
                if (doc != null) {
                    doc.put("qty", op.k);
                }
                assertThat(after == null ? null : strip(after)).isEqualTo(doc);
            }
        },
        FIND_ONE_AND_DELETE {
            @Override
            void check(HybridModelBasedProperties t, Op op) {
                Document deleted = collection(op.collection).findOneAndDelete(Filters.eq("_id", op.anyId()));
                Document expected = t.mine(op).remove(op.anyId());
                assertThat(deleted == null ? null : strip(deleted)).isEqualTo(expected);
            }
        },
        CREATE_INDEX {
            @Override
            void check(HybridModelBasedProperties t, Op op) {
                String index = collection(op.collection).createIndex(Indexes.ascending("name"), new IndexOptions());
                assertThat(index).isEqualTo("name_1");
                List<Document> indexes = collection(op.collection).listIndexes().into(new ArrayList<>());
                assertThat(indexes).anySatisfy(i -> {
                    assertThat(i.getString("name")).isEqualTo("name_1");
                    assertThat(i.get("key", Document.class)).isEqualTo(new Document("name", 1));
                });
            }
        };

        abstract void check(HybridModelBasedProperties t, Op op);
    }
}
