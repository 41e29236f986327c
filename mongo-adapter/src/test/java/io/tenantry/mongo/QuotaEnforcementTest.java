package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndReplaceOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.tenantry.IsolationModel;
import io.tenantry.QuotaExceededException;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Quotas on each write path of the routing collection and database, on each model: at the limit a write that
 * adds is refused with the quota, its limit and the usage, and nothing reaches the store (counted around
 * Tenantry); below it, it passes; partial failures, upserts that update and deletes keep the count equal to the
 * store; other tenants are unaffected.
 */
class QuotaEnforcementTest {

    private static final long LIMIT = 5;

    private static QuotaServers servers;

    @BeforeAll
    static void start() {
        servers = new QuotaServers(LIMIT);
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    private static MongoCollection<Document> cards() {
        return servers.cards;
    }

    private static void as(TenantId tenant, Runnable work) {
        TenantContext.runAs(tenant, work::run);
    }

    private static List<Document> cards(int from, int to) {
        List<Document> documents = new ArrayList<>();
        for (int i = from; i < to; i++) {
            documents.add(new Document("_id", "c" + i).append("n", i));
        }
        return documents;
    }

    /** Fills {@code tenant} to the limit and checks the count agrees with the store. */
    private static TenantId full(IsolationModel model) {
        TenantId tenant = servers.fresh(model);
        as(tenant, () -> cards().insertMany(cards(0, (int) LIMIT)));
        assertThat(servers.raw(tenant)).isEqualTo(LIMIT);
        assertThat(servers.counted(tenant)).isEqualTo(LIMIT);
        return tenant;
    }

    private static void assertRefusedAtTheLimit(TenantId tenant, long requested, Runnable write) {
        as(tenant, () -> assertThatThrownBy(write::run).isInstanceOfSatisfying(QuotaExceededException.class, e -> {
            assertThat(e.quota().key()).isEqualTo(QuotaServers.KEY);
            assertThat(e.limit()).isEqualTo(LIMIT);
            assertThat(e.usage()).isEqualTo(LIMIT);
            assertThat(e.requested()).isEqualTo(requested);
            assertThat(e.tenant()).isEqualTo(tenant);
            assertThat(e.getMessage()).contains("quota.items.cards");
        }));
        assertThat(servers.raw(tenant)).as("nothing written").isEqualTo(LIMIT);
        assertThat(servers.counted(tenant)).isEqualTo(LIMIT);
    }

    private static void assertExact(TenantId tenant, long expected) {
        assertThat(servers.raw(tenant)).as("in the store").isEqualTo(expected);
        assertThat(servers.counted(tenant)).as("counted").isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(IsolationModel.class)
    @DisplayName("insertOne and insertMany: refused at the limit (nothing written), pass below it, other tenants unaffected")
    void insertsStopAtTheLimit(IsolationModel model) {
        TenantId tenant = servers.fresh(model);
        as(tenant, () -> cards().insertMany(cards(0, 3)));
        assertExact(tenant, 3);
        as(tenant, () -> assertThatThrownBy(() -> cards().insertMany(cards(3, 6)))
                .isInstanceOf(QuotaExceededException.class));
        assertExact(tenant, 3);
        as(tenant, () -> cards().insertMany(cards(3, 5)));
        assertRefusedAtTheLimit(tenant, 1, () -> cards().insertOne(new Document("_id", "one-more")));
        assertRefusedAtTheLimit(tenant, 2, () -> cards().insertMany(cards(10, 12), new InsertManyOptions().ordered(false)));
        TenantId other = servers.fresh(model);
        as(other, () -> cards().insertMany(cards(0, (int) LIMIT)));
        assertExact(other, LIMIT);
        assertExact(tenant, LIMIT);
        TenantId unlimited = servers.unlimited();
        as(unlimited, () -> cards().insertMany(cards(0, 20)));
        assertThat(servers.counted(unlimited)).as("no quota, no count").isEqualTo(-1);
    }

    @ParameterizedTest
    @EnumSource(IsolationModel.class)
    @DisplayName("an insertMany failing part-way counts exactly what it inserted, ordered and unordered")
    void partialInsertsCountWhatWasWritten(IsolationModel model) {
        TenantId tenant = servers.fresh(model);
        as(tenant, () -> cards().insertOne(new Document("_id", "c1")));
        as(tenant, () -> assertThatThrownBy(() -> cards().insertMany(cards(0, 4)))
                .isInstanceOf(MongoBulkWriteException.class));
        assertExact(tenant, 2);
        as(tenant, () -> assertThatThrownBy(() -> cards().insertMany(cards(0, 3), new InsertManyOptions().ordered(false)))
                .isInstanceOf(MongoBulkWriteException.class));
        assertExact(tenant, 3);
    }

    @ParameterizedTest
    @EnumSource(IsolationModel.class)
    @DisplayName("upserts: one that updates passes at the limit and counts nothing; one that would insert is refused there, and counts one below it")
    void upsertsCountOnlyWhatTheyInsert(IsolationModel model) {
        TenantId tenant = full(model);
        List<Consumer<String>> upserts = List.of(
                id -> cards().updateOne(Filters.eq("_id", id), Updates.set("seen", true), new UpdateOptions().upsert(true)),
                id -> cards().updateMany(Filters.eq("_id", id), Updates.set("seen", true), new UpdateOptions().upsert(true)),
                id -> cards().replaceOne(Filters.eq("_id", id), new Document("seen", true), new ReplaceOptions().upsert(true)),
                id -> cards().findOneAndUpdate(Filters.eq("_id", id), Updates.set("seen", true),
                        new FindOneAndUpdateOptions().upsert(true)),
                id -> cards().findOneAndUpdate(Filters.eq("_id", id), Updates.set("seen", true),
                        new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER)),
                id -> cards().findOneAndReplace(Filters.eq("_id", id), new Document("seen", true),
                        new FindOneAndReplaceOptions().upsert(true)),
                id -> cards().findOneAndReplace(Filters.eq("_id", id), new Document("seen", true),
                        new FindOneAndReplaceOptions().upsert(true).returnDocument(ReturnDocument.AFTER)));
        for (Consumer<String> upsert : upserts) {
            as(tenant, () -> upsert.accept("c2"));
            assertExact(tenant, LIMIT);
            assertRefusedAtTheLimit(tenant, 1, () -> upsert.accept("new"));
        }
        as(tenant, () -> cards().deleteOne(Filters.eq("_id", "c0")));
        for (int i = 0; i < upserts.size(); i++) {
            String id = "u" + i;
            as(tenant, () -> cards().deleteOne(Filters.eq("_id", "c1")));
            as(tenant, () -> cards().deleteOne(Filters.eq("_id", "u" + (upserts.size() - 1))));
            long before = servers.raw(tenant);
            Consumer<String> upsert = upserts.get(i);
            as(tenant, () -> upsert.accept(id));
            assertExact(tenant, before + 1);
            as(tenant, () -> cards().deleteOne(Filters.eq("_id", id)));
            assertExact(tenant, before);
        }
    }

    @ParameterizedTest
    @EnumSource(IsolationModel.class)
    @DisplayName("deletes give back what they removed: deleteOne, deleteMany, findOneAndDelete, bulk deletes, drop")
    void deletesGiveBack(IsolationModel model) {
        TenantId tenant = full(model);
        as(tenant, () -> cards().deleteOne(Filters.eq("_id", "c0")));
        assertExact(tenant, LIMIT - 1);
        as(tenant, () -> cards().deleteOne(Filters.eq("_id", "absent")));
        assertExact(tenant, LIMIT - 1);
        as(tenant, () -> cards().findOneAndDelete(Filters.eq("_id", "c1")));
        assertExact(tenant, LIMIT - 2);
        as(tenant, () -> cards().bulkWrite(List.of(new DeleteOneModel<>(Filters.eq("_id", "c2")))));
        assertExact(tenant, LIMIT - 3);
        as(tenant, () -> cards().deleteMany(Filters.in("_id", "c3", "c4")));
        assertExact(tenant, 0);
        as(tenant, () -> cards().insertMany(cards(0, (int) LIMIT)));
        as(tenant, () -> cards().drop());
        assertExact(tenant, 0);
        as(tenant, () -> cards().insertMany(cards(0, (int) LIMIT)));
        assertExact(tenant, LIMIT);
    }

    @ParameterizedTest
    @EnumSource(IsolationModel.class)
    @DisplayName("bulkWrite reserves its inserts and upserts before it runs, and settles with what it wrote")
    void bulkWritesReserveAndSettle(IsolationModel model) {
        TenantId tenant = servers.fresh(model);
        as(tenant, () -> cards().bulkWrite(List.of(new InsertOneModel<>(new Document("_id", "a")),
                new UpdateOneModel<>(Filters.eq("_id", "b"), Updates.set("x", 1), new UpdateOptions().upsert(true)),
                new UpdateOneModel<>(Filters.eq("_id", "a"), Updates.set("x", 1), new UpdateOptions().upsert(true)))));
        assertExact(tenant, 2);
        as(tenant, () -> assertThatThrownBy(() -> cards().bulkWrite(List.of(new InsertOneModel<>(new Document("_id", "c")),
                new InsertOneModel<>(new Document("_id", "a")), new InsertOneModel<>(new Document("_id", "d"))),
                new BulkWriteOptions().ordered(false))).isInstanceOf(MongoBulkWriteException.class));
        assertExact(tenant, 4);
        assertThatThrownBy(() -> as(tenant, () -> cards().bulkWrite(List.of(new DeleteOneModel<>(Filters.eq("_id", "a")),
                new InsertOneModel<>(new Document("_id", "e")), new InsertOneModel<>(new Document("_id", "f"))))))
                .as("a bulk write reserves all it may add before it runs").isInstanceOf(QuotaExceededException.class);
        assertExact(tenant, 4);
        as(tenant, () -> cards().bulkWrite(List.of(new DeleteOneModel<>(Filters.eq("_id", "a")),
                new InsertOneModel<>(new Document("_id", "e")))));
        assertExact(tenant, 4);
    }

    @ParameterizedTest
    @EnumSource(IsolationModel.class)
    @DisplayName("an aggregation into a collection under a quota ($out, inserting $merge) and a rename into one are refused, naming the fix")
    void unknownAdditionsAreRefused(IsolationModel model) {
        TenantId tenant = servers.fresh(model);
        as(tenant, () -> assertThatThrownBy(() -> servers.mongo.collection("decks")
                .aggregate(List.of(new Document("$out", QuotaServers.CARDS))).toCollection())
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("insertMany"));
        as(tenant, () -> assertThatThrownBy(() -> servers.mongo.collection("decks")
                .aggregate(List.of(new Document("$merge", new Document("into", QuotaServers.CARDS)))))
                .isInstanceOf(UnsupportedOperationException.class));
        as(tenant, () -> assertThatThrownBy(() -> servers.mongo.database().aggregate(
                List.of(new Document("$documents", List.of(new Document("x", 1))), new Document("$out", "cards"))))
                .isInstanceOf(UnsupportedOperationException.class));
        as(tenant, () -> assertThatThrownBy(() -> servers.mongo.collection("decks").renameCollection(
                new com.mongodb.MongoNamespace(servers.mongo.databaseName(tenant), QuotaServers.CARDS)))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("quota.items.cards"));
        assertThat(servers.raw(tenant)).isZero();
        assertThat(servers.counted(tenant)).as("nothing was reserved").isEqualTo(-1);
    }

    @ParameterizedTest
    @EnumSource(value = IsolationModel.class, names = "DATABASE")
    @DisplayName("runCommand: an insert into a collection under a quota is refused; a delete command gives back")
    void commandsAreCountedOrRefused(IsolationModel model) {
        TenantId tenant = full(model);
        as(tenant, () -> assertThatThrownBy(() -> servers.mongo.database().runCommand(new Document("insert", "cards")
                .append("documents", List.of(new Document("_id", "x"))))).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("getCollection(\"cards\")"));
        as(tenant, () -> servers.mongo.database().runCommand(new Document("delete", "cards").append("deletes",
                List.of(new Document("q", new Document("_id", "c0")).append("limit", 1)))));
        assertExact(tenant, LIMIT - 1);
        as(tenant, () -> servers.mongo.database().drop());
        assertExact(tenant, 0);
    }
}
