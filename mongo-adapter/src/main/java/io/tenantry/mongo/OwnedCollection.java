package io.tenantry.mongo;

import com.mongodb.MongoNamespace;
import com.mongodb.ReadConcern;
import com.mongodb.ReadPreference;
import com.mongodb.WriteConcern;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.CreateIndexOptions;
import com.mongodb.client.model.DropCollectionOptions;
import com.mongodb.client.model.DropIndexOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.RenameCollectionOptions;
import com.mongodb.client.model.SearchIndexModel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.conversions.Bson;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's view of a physical collection that holds its documents only: its own collection in a
 * shared database (COLLECTION model) or a collection of its own database (DATABASE model).
 *
 * <p>Every method of {@link MongoCollection} is implemented here or in the two halves it extends
 * ({@link OwnedCollectionQueries}, {@link OwnedCollectionWrites}). Most pass through, since the data
 * is the tenant's; the exceptions are what could reach beyond the collection:
 *
 * <ul>
 *   <li>aggregation pipelines are confined to the tenant's collections of the same database;
 *   <li>{@code renameCollection} takes a target in the same database whose collection name is
 *       logical, and maps it to the tenant's physical name;
 *   <li>{@code mapReduce} is refused;
 *   <li>returned iterables are bound to the tenant.
 * </ul>
 *
 * <p>{@link #getNamespace()} returns the physical database with the <em>logical</em> collection name,
 * so that a client which reopens a collection by {@code getNamespace().getCollectionName()} (Spring
 * Data does) gets the same collection back through the routing database. Option setters return another owned
 * collection. Thread-safe.
 *
 * @param <T> the document class
 */
final class OwnedCollection<T> extends OwnedCollectionWrites<T> {

    OwnedCollection(MongoCollection<T> physical, OwnedNamespace namespace) {
        super(physical, namespace);
    }

    @Override
    public String toString() {
        return "Tenantry collection " + physical.getNamespace() + " of tenant " + namespace.tenant;
    }

    @Override
    public MongoNamespace getNamespace() {
        MongoNamespace real = physical.getNamespace();
        String logical = namespace.logical(real.getCollectionName());
        return logical == null ? real : new MongoNamespace(real.getDatabaseName(), logical);
    }

    @Override
    public Class<T> getDocumentClass() {
        return physical.getDocumentClass();
    }

    @Override
    public CodecRegistry getCodecRegistry() {
        return physical.getCodecRegistry();
    }

    @Override
    public ReadPreference getReadPreference() {
        return physical.getReadPreference();
    }

    @Override
    public WriteConcern getWriteConcern() {
        return physical.getWriteConcern();
    }

    @Override
    public ReadConcern getReadConcern() {
        return physical.getReadConcern();
    }

    @Override
    public @Nullable Long getTimeout(TimeUnit timeUnit) {
        return physical.getTimeout(timeUnit);
    }

    @Override
    public <N> MongoCollection<N> withDocumentClass(Class<N> documentClass) {
        return new OwnedCollection<>(physical.withDocumentClass(documentClass), namespace);
    }

    @Override
    public MongoCollection<T> withCodecRegistry(CodecRegistry codecRegistry) {
        return new OwnedCollection<>(physical.withCodecRegistry(codecRegistry), namespace);
    }

    @Override
    public MongoCollection<T> withReadPreference(ReadPreference readPreference) {
        return new OwnedCollection<>(physical.withReadPreference(readPreference), namespace);
    }

    @Override
    public MongoCollection<T> withWriteConcern(WriteConcern writeConcern) {
        return new OwnedCollection<>(physical.withWriteConcern(writeConcern), namespace);
    }

    @Override
    public MongoCollection<T> withReadConcern(ReadConcern readConcern) {
        return new OwnedCollection<>(physical.withReadConcern(readConcern), namespace);
    }

    @Override
    public MongoCollection<T> withTimeout(long timeout, TimeUnit timeUnit) {
        return new OwnedCollection<>(physical.withTimeout(timeout, timeUnit), namespace);
    }

    @Override
    public void drop() {
        physical.drop();
    }

    @Override
    public void drop(ClientSession clientSession) {
        physical.drop(clientSession);
    }

    @Override
    public void drop(DropCollectionOptions dropCollectionOptions) {
        physical.drop(dropCollectionOptions);
    }

    @Override
    public void drop(ClientSession clientSession, DropCollectionOptions dropCollectionOptions) {
        physical.drop(clientSession, dropCollectionOptions);
    }

    @Override
    public String createSearchIndex(String indexName, Bson definition) {
        return physical.createSearchIndex(indexName, definition);
    }

    @Override
    public String createSearchIndex(Bson definition) {
        return physical.createSearchIndex(definition);
    }

    @Override
    public List<String> createSearchIndexes(List<SearchIndexModel> searchIndexModels) {
        return physical.createSearchIndexes(searchIndexModels);
    }

    @Override
    public void updateSearchIndex(String indexName, Bson definition) {
        physical.updateSearchIndex(indexName, definition);
    }

    @Override
    public void dropSearchIndex(String indexName) {
        physical.dropSearchIndex(indexName);
    }

    @Override
    public String createIndex(Bson keys) {
        return physical.createIndex(keys);
    }

    @Override
    public String createIndex(ClientSession clientSession, Bson keys) {
        return physical.createIndex(clientSession, keys);
    }

    @Override
    public String createIndex(Bson keys, IndexOptions indexOptions) {
        return physical.createIndex(keys, indexOptions);
    }

    @Override
    public String createIndex(ClientSession clientSession, Bson keys, IndexOptions indexOptions) {
        return physical.createIndex(clientSession, keys, indexOptions);
    }

    @Override
    public List<String> createIndexes(List<IndexModel> indexes) {
        return physical.createIndexes(indexes);
    }

    @Override
    public List<String> createIndexes(ClientSession clientSession, List<IndexModel> indexes) {
        return physical.createIndexes(clientSession, indexes);
    }

    @Override
    public List<String> createIndexes(List<IndexModel> indexes, CreateIndexOptions createIndexOptions) {
        return physical.createIndexes(indexes, createIndexOptions);
    }

    @Override
    public List<String> createIndexes(ClientSession clientSession, List<IndexModel> indexes,
            CreateIndexOptions createIndexOptions) {
        return physical.createIndexes(clientSession, indexes, createIndexOptions);
    }

    @Override
    public void dropIndex(String indexName) {
        physical.dropIndex(indexName);
    }

    @Override
    public void dropIndex(ClientSession clientSession, String indexName) {
        physical.dropIndex(clientSession, indexName);
    }

    @Override
    public void dropIndex(String indexName, DropIndexOptions dropIndexOptions) {
        physical.dropIndex(indexName, dropIndexOptions);
    }

    @Override
    public void dropIndex(ClientSession clientSession, String indexName, DropIndexOptions dropIndexOptions) {
        physical.dropIndex(clientSession, indexName, dropIndexOptions);
    }

    @Override
    public void dropIndex(Bson keys) {
        physical.dropIndex(keys);
    }

    @Override
    public void dropIndex(ClientSession clientSession, Bson keys) {
        physical.dropIndex(clientSession, keys);
    }

    @Override
    public void dropIndex(Bson keys, DropIndexOptions dropIndexOptions) {
        physical.dropIndex(keys, dropIndexOptions);
    }

    @Override
    public void dropIndex(ClientSession clientSession, Bson keys, DropIndexOptions dropIndexOptions) {
        physical.dropIndex(clientSession, keys, dropIndexOptions);
    }

    @Override
    public void dropIndexes() {
        physical.dropIndexes();
    }

    @Override
    public void dropIndexes(ClientSession clientSession) {
        physical.dropIndexes(clientSession);
    }

    @Override
    public void dropIndexes(DropIndexOptions dropIndexOptions) {
        physical.dropIndexes(dropIndexOptions);
    }

    @Override
    public void dropIndexes(ClientSession clientSession, DropIndexOptions dropIndexOptions) {
        physical.dropIndexes(clientSession, dropIndexOptions);
    }

    @Override
    public void renameCollection(MongoNamespace newCollectionNamespace) {
        physical.renameCollection(namespace.renameTarget(newCollectionNamespace));
    }

    @Override
    public void renameCollection(ClientSession clientSession, MongoNamespace newCollectionNamespace) {
        physical.renameCollection(clientSession, namespace.renameTarget(newCollectionNamespace));
    }

    @Override
    public void renameCollection(MongoNamespace newCollectionNamespace,
            RenameCollectionOptions renameCollectionOptions) {
        physical.renameCollection(namespace.renameTarget(newCollectionNamespace), renameCollectionOptions);
    }

    @Override
    public void renameCollection(ClientSession clientSession, MongoNamespace newCollectionNamespace,
            RenameCollectionOptions renameCollectionOptions) {
        physical.renameCollection(clientSession, namespace.renameTarget(newCollectionNamespace),
                renameCollectionOptions);
    }
}
