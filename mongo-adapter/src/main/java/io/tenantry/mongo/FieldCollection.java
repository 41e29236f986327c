package io.tenantry.mongo;

import com.mongodb.MongoNamespace;
import com.mongodb.ReadConcern;
import com.mongodb.ReadPreference;
import com.mongodb.WriteConcern;
import com.mongodb.client.ClientSession;
import com.mongodb.client.ListIndexesIterable;
import com.mongodb.client.ListSearchIndexesIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.CreateIndexOptions;
import com.mongodb.client.model.DeleteOptions;
import com.mongodb.client.model.DropCollectionOptions;
import com.mongodb.client.model.DropIndexOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.RenameCollectionOptions;
import com.mongodb.client.model.SearchIndexModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.conversions.Bson;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's view of a collection that every tenant on a FIELD placement shares: each document
 * carries the tenant in the tenant field ({@code tenantId} by default).
 *
 * <ul>
 *   <li>Reads and writes are confined ({@link FieldReads}, {@link FieldWrites}, {@link FieldFindAndModify}).
 *   <li>Indexes are shared: {@code createIndex}/{@code createIndexes} create the tenant-prefixed
 *       index under the name the declared keys would have had; {@code listIndexes} shows indexes as
 *       declared, without the tenant field and without Tenantry's own index; dropping indexes and
 *       every search-index method are refused.
 *   <li>{@code drop()} removes only this tenant's documents; the collection and its indexes stay
 *       for the other tenants. {@code renameCollection} and {@code mapReduce} are refused.
 *   <li>{@code getNamespace()} is the real, shared namespace; {@code with*} return FIELD collections
 *       again.
 * </ul>
 *
 * <p>Refusals throw {@link io.tenantry.IsolationViolationException} before anything reaches the
 * server. Thread-safe, like the driver's collection it wraps.
 */
final class FieldCollection<T> extends FieldFindAndModify<T> {

    FieldCollection(FieldScope scope, MongoCollection<T> delegate) {
        super(scope, delegate);
    }

    // ---- options: FIELD collections again

    @Override
    public <N> MongoCollection<N> withDocumentClass(Class<N> documentClass) {
        return new FieldCollection<>(scope, delegate.withDocumentClass(documentClass));
    }

    @Override
    public MongoCollection<T> withCodecRegistry(CodecRegistry codecRegistry) {
        return new FieldCollection<>(scope, delegate.withCodecRegistry(codecRegistry));
    }

    @Override
    public MongoCollection<T> withReadPreference(ReadPreference readPreference) {
        return new FieldCollection<>(scope, delegate.withReadPreference(readPreference));
    }

    @Override
    public MongoCollection<T> withWriteConcern(WriteConcern writeConcern) {
        return new FieldCollection<>(scope, delegate.withWriteConcern(writeConcern));
    }

    @Override
    public MongoCollection<T> withReadConcern(ReadConcern readConcern) {
        return new FieldCollection<>(scope, delegate.withReadConcern(readConcern));
    }

    @Override
    public MongoCollection<T> withTimeout(long timeout, TimeUnit timeUnit) {
        return new FieldCollection<>(scope, delegate.withTimeout(timeout, timeUnit));
    }

    // ---- drop: the tenant's documents only

    /**
     * Removes this tenant's documents, and only them: the collection is shared, so it stays, with
     * its indexes and the other tenants' documents.
     */
    @Override
    public void drop() {
        deleteScoped(null, null, new DeleteOptions(), true);
    }

    /** Like {@link #drop()}, in the session. */
    @Override
    public void drop(ClientSession clientSession) {
        deleteScoped(session(clientSession), null, new DeleteOptions(), true);
    }

    /** Like {@link #drop()}; the options (encrypted fields) concern the shared collection and are ignored. */
    @Override
    public void drop(DropCollectionOptions dropCollectionOptions) {
        drop();
    }

    /** Like {@link #drop(ClientSession)}; the options concern the shared collection and are ignored. */
    @Override
    public void drop(ClientSession clientSession, DropCollectionOptions dropCollectionOptions) {
        drop(clientSession);
    }

    // ---- indexes: shared, tenant-prefixed, listed as declared

    @Override
    public String createIndex(Bson keys) {
        return createIndexScoped(null, keys, new IndexOptions());
    }

    @Override
    public String createIndex(Bson keys, IndexOptions indexOptions) {
        return createIndexScoped(null, keys, indexOptions);
    }

    @Override
    public String createIndex(ClientSession clientSession, Bson keys) {
        return createIndexScoped(session(clientSession), keys, new IndexOptions());
    }

    @Override
    public String createIndex(ClientSession clientSession, Bson keys, IndexOptions indexOptions) {
        return createIndexScoped(session(clientSession), keys, indexOptions);
    }

    private String createIndexScoped(@Nullable ClientSession session, Bson keys, IndexOptions options) {
        return createIndexesScoped(session, List.of(new IndexModel(keys, options)), new CreateIndexOptions()).get(0);
    }

    @Override
    public List<String> createIndexes(List<IndexModel> indexes) {
        return createIndexesScoped(null, indexes, new CreateIndexOptions());
    }

    @Override
    public List<String> createIndexes(List<IndexModel> indexes, CreateIndexOptions createIndexOptions) {
        return createIndexesScoped(null, indexes, createIndexOptions);
    }

    @Override
    public List<String> createIndexes(ClientSession clientSession, List<IndexModel> indexes) {
        return createIndexesScoped(session(clientSession), indexes, new CreateIndexOptions());
    }

    @Override
    public List<String> createIndexes(ClientSession clientSession, List<IndexModel> indexes,
            CreateIndexOptions createIndexOptions) {
        return createIndexesScoped(session(clientSession), indexes, createIndexOptions);
    }

    /**
     * Creates the shared, tenant-prefixed indexes and returns their names, which are the names the
     * declared keys would have had.
     */
    private List<String> createIndexesScoped(@Nullable ClientSession session, List<IndexModel> indexes,
            CreateIndexOptions options) {
        List<IndexModel> physical = FieldIndexes.physical(Objects.requireNonNull(indexes, "indexes"), scope.rules,
                delegate.getCodecRegistry());
        return session == null ? delegate.createIndexes(physical, options)
                : delegate.createIndexes(session, physical, options);
    }

    @Override
    public ListIndexesIterable<Document> listIndexes() {
        return listIndexesScoped(null, Document.class);
    }

    @Override
    public <R> ListIndexesIterable<R> listIndexes(Class<R> resultClass) {
        return listIndexesScoped(null, resultClass);
    }

    @Override
    public ListIndexesIterable<Document> listIndexes(ClientSession clientSession) {
        return listIndexesScoped(session(clientSession), Document.class);
    }

    @Override
    public <R> ListIndexesIterable<R> listIndexes(ClientSession clientSession, Class<R> resultClass) {
        return listIndexesScoped(session(clientSession), resultClass);
    }

    /**
     * Lists the shared collection's indexes as the tenant declared them, read now (not lazily): keys
     * without the leading tenant field, Tenantry's own index left out.
     */
    private <R> ListIndexesIterable<R> listIndexesScoped(@Nullable ClientSession session, Class<R> resultClass) {
        Objects.requireNonNull(resultClass, "resultClass");
        ListIndexesIterable<BsonDocument> listed = session == null ? delegate.listIndexes(BsonDocument.class)
                : delegate.listIndexes(session, BsonDocument.class);
        List<BsonDocument> declared = FieldIndexes.declared(listed.into(new ArrayList<>()), scope.rules);
        return ListBackedIterables.listIndexes(scope.tenant, declared, resultClass, delegate.getCodecRegistry());
    }

    @Override
    public void dropIndex(String indexName) {
        throw refuseDropIndex();
    }

    @Override
    public void dropIndex(String indexName, DropIndexOptions dropIndexOptions) {
        throw refuseDropIndex();
    }

    @Override
    public void dropIndex(Bson keys) {
        throw refuseDropIndex();
    }

    @Override
    public void dropIndex(Bson keys, DropIndexOptions dropIndexOptions) {
        throw refuseDropIndex();
    }

    @Override
    public void dropIndex(ClientSession clientSession, String indexName) {
        throw refuseDropIndex();
    }

    @Override
    public void dropIndex(ClientSession clientSession, Bson keys) {
        throw refuseDropIndex();
    }

    @Override
    public void dropIndex(ClientSession clientSession, String indexName, DropIndexOptions dropIndexOptions) {
        throw refuseDropIndex();
    }

    @Override
    public void dropIndex(ClientSession clientSession, Bson keys, DropIndexOptions dropIndexOptions) {
        throw refuseDropIndex();
    }

    @Override
    public void dropIndexes() {
        throw refuseDropIndex();
    }

    @Override
    public void dropIndexes(ClientSession clientSession) {
        throw refuseDropIndex();
    }

    @Override
    public void dropIndexes(DropIndexOptions dropIndexOptions) {
        throw refuseDropIndex();
    }

    @Override
    public void dropIndexes(ClientSession clientSession, DropIndexOptions dropIndexOptions) {
        throw refuseDropIndex();
    }

    private RuntimeException refuseDropIndex() {
        return scope.refuse("Dropping an index", "the collection's indexes are shared by every tenant on it.",
                "Declare indexes with TenantMongo.Builder.collection(...) and change them there, as an"
                        + " administrative step through TenantMongo.cluster(...).");
    }

    // ---- search indexes: refused

    @Override
    public String createSearchIndex(String indexName, Bson definition) {
        throw refuseSearchIndex();
    }

    @Override
    public String createSearchIndex(Bson definition) {
        throw refuseSearchIndex();
    }

    @Override
    public List<String> createSearchIndexes(List<SearchIndexModel> searchIndexModels) {
        throw refuseSearchIndex();
    }

    @Override
    public void updateSearchIndex(String indexName, Bson definition) {
        throw refuseSearchIndex();
    }

    @Override
    public void dropSearchIndex(String indexName) {
        throw refuseSearchIndex();
    }

    @Override
    public ListSearchIndexesIterable<Document> listSearchIndexes() {
        throw refuseSearchIndex();
    }

    @Override
    public <R> ListSearchIndexesIterable<R> listSearchIndexes(Class<R> resultClass) {
        throw refuseSearchIndex();
    }

    private RuntimeException refuseSearchIndex() {
        return scope.refuse("Atlas Search index management", "search indexes of a shared collection cover every"
                + " tenant's documents.", "Manage them as an administrative step through TenantMongo.cluster(...).");
    }

    // ---- rename: refused

    @Override
    public void renameCollection(MongoNamespace newCollectionNamespace) {
        throw refuseRename();
    }

    @Override
    public void renameCollection(MongoNamespace newCollectionNamespace, RenameCollectionOptions options) {
        throw refuseRename();
    }

    @Override
    public void renameCollection(ClientSession clientSession, MongoNamespace newCollectionNamespace) {
        throw refuseRename();
    }

    @Override
    public void renameCollection(ClientSession clientSession, MongoNamespace newCollectionNamespace,
            RenameCollectionOptions options) {
        throw refuseRename();
    }

    private RuntimeException refuseRename() {
        return scope.refuse("renameCollection", "the collection holds every tenant's documents.",
                "Copy this tenant's documents with aggregate([... {$merge: {into: \"newName\"}}]) and then drop() the"
                        + " old collection, which removes this tenant's documents only.");
    }

    @Override
    public String toString() {
        return "Tenantry FIELD collection " + delegate.getNamespace() + " of tenant " + scope.tenant;
    }
}
