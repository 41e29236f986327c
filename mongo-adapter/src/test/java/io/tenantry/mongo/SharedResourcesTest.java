package io.tenantry.mongo;

import static io.tenantry.mongo.TwoServers.ACME;
import static io.tenantry.mongo.TwoServers.BRAVO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoNamespace;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.Updates;
import io.tenantry.IsolationViolationException;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.TenantScope;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A shared reference database: readable by every tenant, writable only in a system scope. */
class SharedResourcesTest extends ServerTestSupport {

    private MongoDatabase reference;
    private MongoCollection<Document> currencies;

    @BeforeEach
    void seed() {
        TwoServers.raw(servers.main, "reference", "currencies").insertMany(List.of(
                new Document("_id", "EUR").append("digits", 2), new Document("_id", "JPY").append("digits", 0)));
        reference = SharedResources.readOnly(servers.main.getDatabase("reference"));
        currencies = reference.getCollection("currencies");
        servers.clearCommands();
    }

    @Test
    void every_tenant_and_unscoped_code_can_read() {
        for (TenantId tenant : new TenantId[] {ACME, BRAVO}) {
            assertThat(as(tenant, () -> currencies.find().into(new ArrayList<>()))).hasSize(2);
            assertThat(as(tenant, () -> currencies.countDocuments(Filters.eq("digits", 0)))).isEqualTo(1);
        }
        assertThat(currencies.distinct("digits", Integer.class).into(new ArrayList<>())).containsExactlyInAnyOrder(0, 2);
        assertThat(currencies.aggregate(List.of(new Document("$match", new Document("digits", 2)))).first())
                .containsEntry("_id", "EUR");
        assertThat(reference.listCollectionNames().into(new ArrayList<>())).containsExactly("currencies");
        assertThat(currencies.listIndexes().into(new ArrayList<>())).hasSize(1);
        assertThat(reference.runCommand(new Document("ping", 1)).get("ok", Number.class).intValue()).isEqualTo(1);
        assertThat(reference.withReadPreference(com.mongodb.ReadPreference.primary()).getCollection("currencies")
                .estimatedDocumentCount()).isEqualTo(2);
        assertThat(currencies.getNamespace()).isEqualTo(new MongoNamespace("reference", "currencies"));
    }

    private List<ThrowingCallable> writes() {
        MongoCollection<Document> withOptions = currencies.withWriteConcern(WriteConcern.MAJORITY)
                .withDocumentClass(Document.class);
        return List.of(
                () -> currencies.insertOne(new Document("_id", "USD")),
                () -> currencies.insertMany(List.of(new Document("_id", "USD"))),
                () -> currencies.updateMany(Filters.empty(), Updates.set("digits", 9)),
                () -> currencies.replaceOne(Filters.eq("_id", "EUR"), new Document("digits", 9)),
                () -> currencies.deleteMany(Filters.empty()),
                () -> currencies.findOneAndUpdate(Filters.eq("_id", "EUR"), Updates.set("digits", 9)),
                () -> currencies.bulkWrite(List.of(new InsertOneModel<>(new Document("_id", "USD")))),
                () -> currencies.createIndex(Indexes.ascending("digits")),
                () -> currencies.dropIndexes(),
                () -> currencies.renameCollection(new MongoNamespace("reference", "money")),
                () -> currencies.drop(),
                () -> currencies.aggregate(List.of(new Document("$out", "copy"))).first(),
                () -> currencies.aggregate(List.of(new Document("$merge", new Document("into", "copy")))).toCollection(),
                () -> withOptions.insertOne(new Document("_id", "USD")),
                () -> reference.withWriteConcern(WriteConcern.W1).getCollection("currencies").deleteOne(Filters.empty()),
                () -> reference.drop(),
                () -> reference.createCollection("money"),
                () -> reference.createView("cheap", "currencies", List.of()),
                () -> reference.runCommand(new Document("insert", "currencies").append("documents",
                        List.of(new Document("_id", "USD")))),
                () -> reference.runCommand(new Document("dbStats", 1)),
                () -> reference.aggregate(List.of(new Document("$documents", List.of(new Document("a", 1))),
                        new Document("$out", "copy"))).first());
    }

    @Test
    void writes_are_refused_outside_a_system_scope_and_change_nothing() {
        Map<String, List<Document>> before = servers.everything();
        servers.clearCommands();
        for (ThrowingCallable write : writes()) {
            assertThatThrownBy(write).isInstanceOf(IsolationViolationException.class)
                    .hasMessageContaining("read-only").hasMessageContaining("TenantContext.openSystem");
            assertThatThrownBy(() -> as(ACME, () -> {
                try {
                    write.call();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
            })).isInstanceOf(IsolationViolationException.class);
        }
        assertThat(TwoServers.dataCommands(servers.mainCommands)).isEmpty();
        assertThat(servers.everything()).isEqualTo(before);
    }

    @Test
    @SuppressWarnings("deprecation")
    void map_reduce_counts_as_a_write() {
        assertThatThrownBy(() -> currencies.mapReduce("function() {}", "function(k, v) {}"))
                .isInstanceOf(IsolationViolationException.class);
    }

    @Test
    void a_system_scope_may_write_but_a_tenant_scope_inside_it_may_not() {
        try (TenantScope system = TenantContext.openSystem("currency import")) {
            assertThat(system.isSystem()).isTrue();
            currencies.insertOne(new Document("_id", "USD").append("digits", 2));
            currencies.aggregate(List.of(new Document("$out", "copy"))).toCollection();
            assertThat(reference.runCommand(new Document("dbStats", 1)).getString("db")).isEqualTo("reference");
            assertThatThrownBy(() -> as(ACME, () -> currencies.insertOne(new Document("_id", "GBP"))))
                    .isInstanceOf(IsolationViolationException.class);
        }
        assertThat(TwoServers.raw(servers.main, "reference", "currencies").countDocuments()).isEqualTo(3);
        assertThat(TwoServers.raw(servers.main, "reference", "copy").countDocuments()).isEqualTo(3);
        assertThatThrownBy(() -> currencies.insertOne(new Document("_id", "GBP")))
                .isInstanceOf(IsolationViolationException.class);
    }

    @Test
    void every_driver_method_is_classified() {
        for (Method method : MongoDatabase.class.getMethods()) {
            assertThat(SharedResources.DATABASE_METHODS).as(method.toString()).containsKey(method.getName());
        }
        for (Method method : MongoCollection.class.getMethods()) {
            assertThat(SharedResources.COLLECTION_METHODS).as(method.toString()).containsKey(method.getName());
        }
        assertThat(SharedResources.DATABASE_METHODS.keySet()).allSatisfy(name -> assertThat(MongoDatabase.class
                .getMethods()).extracting(Method::getName).contains(name));
        assertThat(SharedResources.COLLECTION_METHODS.keySet()).allSatisfy(name -> assertThat(MongoCollection.class
                .getMethods()).extracting(Method::getName).contains(name));
    }
}
