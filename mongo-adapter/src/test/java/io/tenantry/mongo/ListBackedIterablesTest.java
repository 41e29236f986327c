package io.tenantry.mongo;

import static io.tenantry.mongo.FieldMongo.ACME;
import static io.tenantry.mongo.FieldMongo.BRAVO;
import static io.tenantry.mongo.FieldMongo.callAs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoClientSettings;
import com.mongodb.client.ListCollectionNamesIterable;
import com.mongodb.client.ListCollectionsIterable;
import com.mongodb.client.ListIndexesIterable;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;
import io.tenantry.IsolationViolationException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** Listings served from memory through the driver's iterable interfaces, still bound to their tenant. */
class ListBackedIterablesTest {

    private static final List<BsonDocument> COLLECTIONS = List.of(
            BsonDocument.parse("{name: 'cards', type: 'collection'}"),
            BsonDocument.parse("{name: 'decks', type: 'collection'}"),
            BsonDocument.parse("{name: 'top', type: 'view'}"));

    @Test
    void indexesAreDecodedIntoTheResultClassAndOptionsChangeNothing() {
        ListIndexesIterable<Document> indexes = ListBackedIterables.listIndexes(ACME,
                List.of(BsonDocument.parse("{name: 'sku_1', key: {sku: 1}}")), Document.class,
                MongoClientSettings.getDefaultCodecRegistry());

        ListIndexesIterable<Document> tuned = indexes.batchSize(1).maxTime(1, TimeUnit.SECONDS).comment("x");

        assertThat(tuned).isSameAs(indexes);
        assertThat(callAs(ACME, () -> tuned.first())).isEqualTo(new Document("name", "sku_1")
                .append("key", new Document("sku", 1)));
    }

    @Test
    void collectionsFilterByTopLevelEquality() {
        ListCollectionsIterable<Document> collections = ListBackedIterables.listCollections(ACME, COLLECTIONS,
                Document.class, MongoClientSettings.getDefaultCodecRegistry());

        assertThat(callAs(ACME, () -> collections.filter(Filters.eq("type", "view")).into(new ArrayList<>())))
                .extracting(c -> c.getString("name")).containsExactly("top");
        assertThat(callAs(ACME, () -> collections.filter(Filters.in("name", "cards", "decks")).into(new ArrayList<>())))
                .extracting(c -> c.getString("name")).containsExactly("cards", "decks");
        assertThat(callAs(ACME, () -> collections.filter(null).into(new ArrayList<>()))).hasSize(3);
    }

    @Test
    void aFilterItCannotEvaluateIsRefusedRatherThanIgnored() {
        ListCollectionNamesIterable names = ListBackedIterables.listCollectionNames(ACME, List.of("cards", "decks"));

        assertThat(callAs(ACME, () -> names.filter(Filters.regex("name", "^D", "i")).first())).isEqualTo("decks");
        assertThatThrownBy(() -> callAs(ACME, () -> names.filter(Filters.not(Filters.eq("name", "cards"))).first()))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("equality");
        assertThatThrownBy(() -> callAs(ACME, () -> names.filter(Filters.or(Filters.eq("name", "cards"))).first()))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void namesMapAndIterateLikeTheDriversIterables() {
        ListCollectionNamesIterable names = ListBackedIterables.listCollectionNames(ACME, List.of("cards", "decks"));

        assertThat(callAs(ACME, () -> names.map(String::length).into(new ArrayList<>()))).containsExactly(5, 5);
        assertThat(callAs(ACME, () -> names.filter(Filters.eq("name", "decks")).first())).isEqualTo("decks");
        try (MongoCursor<String> cursor = callAs(ACME, () -> names.filter(null).cursor())) {
            assertThat(cursor.available()).isEqualTo(2);
            assertThat(cursor.tryNext()).isEqualTo("cards");
            assertThat(cursor.next()).isEqualTo("decks");
            assertThat(cursor.hasNext()).isFalse();
            assertThat(cursor.getServerCursor()).isNull();
        }
    }

    @Test
    void everyExecutionChecksTheTenant() {
        ListCollectionNamesIterable names = ListBackedIterables.listCollectionNames(ACME, List.of("cards"));
        var mapped = names.map(String::toUpperCase);

        assertThatThrownBy(names::first).isInstanceOf(IsolationViolationException.class);
        assertThatThrownBy(() -> callAs(BRAVO, () -> names.into(new ArrayList<>())))
                .isInstanceOf(IsolationViolationException.class);
        assertThatThrownBy(() -> callAs(BRAVO, () -> mapped.first())).isInstanceOf(IsolationViolationException.class);
        assertThat(callAs(ACME, () -> mapped.first())).isEqualTo("CARDS");
    }
}
