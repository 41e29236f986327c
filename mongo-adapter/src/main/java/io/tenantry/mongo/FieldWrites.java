package io.tenantry.mongo;

import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.DeleteOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.InsertOneOptions;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import com.mongodb.client.result.DeleteResult;
import com.mongodb.client.result.InsertManyResult;
import com.mongodb.client.result.InsertOneResult;
import com.mongodb.client.result.UpdateResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bson.BsonDocument;
import org.bson.conversions.Bson;
import org.jspecify.annotations.Nullable;

/**
 * The writing half of a FIELD collection: every filter confined, every inserted or replacing
 * document stamped with the tenant (an upsert inherits it from the confined filter, whose tenant
 * condition is an equality), every update checked not to touch the tenant field. Documents are
 * written through the collection's {@code BsonDocument} view once stamped. See {@link FieldCollection}.
 */
abstract class FieldWrites<T> extends FieldReads<T> {

    FieldWrites(FieldScope scope, MongoCollection<T> delegate) {
        super(scope, delegate);
    }

    private MongoCollection<BsonDocument> raw() {
        return delegate.withDocumentClass(BsonDocument.class);
    }

    // ---- inserts

    @Override
    public InsertOneResult insertOne(T document) {
        return insertOneScoped(null, document, new InsertOneOptions());
    }

    @Override
    public InsertOneResult insertOne(T document, InsertOneOptions options) {
        return insertOneScoped(null, document, options);
    }

    @Override
    public InsertOneResult insertOne(ClientSession clientSession, T document) {
        return insertOneScoped(session(clientSession), document, new InsertOneOptions());
    }

    @Override
    public InsertOneResult insertOne(ClientSession clientSession, T document, InsertOneOptions options) {
        return insertOneScoped(session(clientSession), document, options);
    }

    private InsertOneResult insertOneScoped(@Nullable ClientSession session, T document, InsertOneOptions options) {
        BsonDocument stamped = documents().forInsert(document);
        return session == null ? raw().insertOne(stamped, options) : raw().insertOne(session, stamped, options);
    }

    @Override
    public InsertManyResult insertMany(List<? extends T> documents) {
        return insertManyScoped(null, documents, new InsertManyOptions());
    }

    @Override
    public InsertManyResult insertMany(List<? extends T> documents, InsertManyOptions options) {
        return insertManyScoped(null, documents, options);
    }

    @Override
    public InsertManyResult insertMany(ClientSession clientSession, List<? extends T> documents) {
        return insertManyScoped(session(clientSession), documents, new InsertManyOptions());
    }

    @Override
    public InsertManyResult insertMany(ClientSession clientSession, List<? extends T> documents,
            InsertManyOptions options) {
        return insertManyScoped(session(clientSession), documents, options);
    }

    private InsertManyResult insertManyScoped(@Nullable ClientSession session, List<? extends T> documents,
            InsertManyOptions options) {
        FieldDocuments<T> encoder = documents();
        List<BsonDocument> stamped = new ArrayList<>(Objects.requireNonNull(documents, "documents").size());
        for (T document : documents) {
            stamped.add(encoder.forInsert(Objects.requireNonNull(document, "a document in documents")));
        }
        return session == null ? raw().insertMany(stamped, options) : raw().insertMany(session, stamped, options);
    }

    // ---- deletes

    @Override
    public DeleteResult deleteOne(Bson filter) {
        return deleteScoped(null, filter, new DeleteOptions(), false);
    }

    @Override
    public DeleteResult deleteOne(Bson filter, DeleteOptions options) {
        return deleteScoped(null, filter, options, false);
    }

    @Override
    public DeleteResult deleteOne(ClientSession clientSession, Bson filter) {
        return deleteScoped(session(clientSession), filter, new DeleteOptions(), false);
    }

    @Override
    public DeleteResult deleteOne(ClientSession clientSession, Bson filter, DeleteOptions options) {
        return deleteScoped(session(clientSession), filter, options, false);
    }

    @Override
    public DeleteResult deleteMany(Bson filter) {
        return deleteScoped(null, filter, new DeleteOptions(), true);
    }

    @Override
    public DeleteResult deleteMany(Bson filter, DeleteOptions options) {
        return deleteScoped(null, filter, options, true);
    }

    @Override
    public DeleteResult deleteMany(ClientSession clientSession, Bson filter) {
        return deleteScoped(session(clientSession), filter, new DeleteOptions(), true);
    }

    @Override
    public DeleteResult deleteMany(ClientSession clientSession, Bson filter, DeleteOptions options) {
        return deleteScoped(session(clientSession), filter, options, true);
    }

    final DeleteResult deleteScoped(@Nullable ClientSession session, @Nullable Bson filter, DeleteOptions options,
            boolean many) {
        BsonDocument confined = confined(filter);
        if (many) {
            return session == null ? delegate.deleteMany(confined, options)
                    : delegate.deleteMany(session, confined, options);
        }
        return session == null ? delegate.deleteOne(confined, options) : delegate.deleteOne(session, confined, options);
    }

    // ---- replace

    @Override
    public UpdateResult replaceOne(Bson filter, T replacement) {
        return replaceOneScoped(null, filter, replacement, new ReplaceOptions());
    }

    @Override
    public UpdateResult replaceOne(Bson filter, T replacement, ReplaceOptions options) {
        return replaceOneScoped(null, filter, replacement, options);
    }

    @Override
    public UpdateResult replaceOne(ClientSession clientSession, Bson filter, T replacement) {
        return replaceOneScoped(session(clientSession), filter, replacement, new ReplaceOptions());
    }

    @Override
    public UpdateResult replaceOne(ClientSession clientSession, Bson filter, T replacement, ReplaceOptions options) {
        return replaceOneScoped(session(clientSession), filter, replacement, options);
    }

    private UpdateResult replaceOneScoped(@Nullable ClientSession session, Bson filter, T replacement,
            ReplaceOptions options) {
        FieldDocuments<T> encoder = documents();
        BsonDocument confined = encoder.filter(filter);
        BsonDocument stamped = encoder.forReplacement(replacement);
        return session == null ? raw().replaceOne(confined, stamped, options)
                : raw().replaceOne(session, confined, stamped, options);
    }

    // ---- updates

    @Override
    public UpdateResult updateOne(Bson filter, Bson update) {
        return updateScoped(null, filter, update, new UpdateOptions(), false);
    }

    @Override
    public UpdateResult updateOne(Bson filter, Bson update, UpdateOptions options) {
        return updateScoped(null, filter, update, options, false);
    }

    @Override
    public UpdateResult updateOne(ClientSession clientSession, Bson filter, Bson update) {
        return updateScoped(session(clientSession), filter, update, new UpdateOptions(), false);
    }

    @Override
    public UpdateResult updateOne(ClientSession clientSession, Bson filter, Bson update, UpdateOptions options) {
        return updateScoped(session(clientSession), filter, update, options, false);
    }

    @Override
    public UpdateResult updateOne(Bson filter, List<? extends Bson> update) {
        return updateScoped(null, filter, update, new UpdateOptions(), false);
    }

    @Override
    public UpdateResult updateOne(Bson filter, List<? extends Bson> update, UpdateOptions options) {
        return updateScoped(null, filter, update, options, false);
    }

    @Override
    public UpdateResult updateOne(ClientSession clientSession, Bson filter, List<? extends Bson> update) {
        return updateScoped(session(clientSession), filter, update, new UpdateOptions(), false);
    }

    @Override
    public UpdateResult updateOne(ClientSession clientSession, Bson filter, List<? extends Bson> update,
            UpdateOptions options) {
        return updateScoped(session(clientSession), filter, update, options, false);
    }

    @Override
    public UpdateResult updateMany(Bson filter, Bson update) {
        return updateScoped(null, filter, update, new UpdateOptions(), true);
    }

    @Override
    public UpdateResult updateMany(Bson filter, Bson update, UpdateOptions options) {
        return updateScoped(null, filter, update, options, true);
    }

    @Override
    public UpdateResult updateMany(ClientSession clientSession, Bson filter, Bson update) {
        return updateScoped(session(clientSession), filter, update, new UpdateOptions(), true);
    }

    @Override
    public UpdateResult updateMany(ClientSession clientSession, Bson filter, Bson update, UpdateOptions options) {
        return updateScoped(session(clientSession), filter, update, options, true);
    }

    @Override
    public UpdateResult updateMany(Bson filter, List<? extends Bson> update) {
        return updateScoped(null, filter, update, new UpdateOptions(), true);
    }

    @Override
    public UpdateResult updateMany(Bson filter, List<? extends Bson> update, UpdateOptions options) {
        return updateScoped(null, filter, update, options, true);
    }

    @Override
    public UpdateResult updateMany(ClientSession clientSession, Bson filter, List<? extends Bson> update) {
        return updateScoped(session(clientSession), filter, update, new UpdateOptions(), true);
    }

    @Override
    public UpdateResult updateMany(ClientSession clientSession, Bson filter, List<? extends Bson> update,
            UpdateOptions options) {
        return updateScoped(session(clientSession), filter, update, options, true);
    }

    private UpdateResult updateScoped(@Nullable ClientSession session, Bson filter, Bson update, UpdateOptions options,
            boolean many) {
        FieldDocuments<T> rules = documents();
        BsonDocument checked = rules.update(update);
        BsonDocument confined = rules.filter(filter);
        if (many) {
            return session == null ? delegate.updateMany(confined, checked, options)
                    : delegate.updateMany(session, confined, checked, options);
        }
        return session == null ? delegate.updateOne(confined, checked, options)
                : delegate.updateOne(session, confined, checked, options);
    }

    private UpdateResult updateScoped(@Nullable ClientSession session, Bson filter, List<? extends Bson> pipeline,
            UpdateOptions options, boolean many) {
        FieldDocuments<T> rules = documents();
        List<BsonDocument> checked = rules.update(pipeline);
        BsonDocument confined = rules.filter(filter);
        if (many) {
            return session == null ? delegate.updateMany(confined, checked, options)
                    : delegate.updateMany(session, confined, checked, options);
        }
        return session == null ? delegate.updateOne(confined, checked, options)
                : delegate.updateOne(session, confined, checked, options);
    }

    // ---- bulk

    @Override
    public BulkWriteResult bulkWrite(List<? extends WriteModel<? extends T>> requests) {
        return bulkWriteScoped(null, requests, new BulkWriteOptions());
    }

    @Override
    public BulkWriteResult bulkWrite(List<? extends WriteModel<? extends T>> requests, BulkWriteOptions options) {
        return bulkWriteScoped(null, requests, options);
    }

    @Override
    public BulkWriteResult bulkWrite(ClientSession clientSession, List<? extends WriteModel<? extends T>> requests) {
        return bulkWriteScoped(session(clientSession), requests, new BulkWriteOptions());
    }

    @Override
    public BulkWriteResult bulkWrite(ClientSession clientSession, List<? extends WriteModel<? extends T>> requests,
            BulkWriteOptions options) {
        return bulkWriteScoped(session(clientSession), requests, options);
    }

    /** Confines every request before sending any, so a refused request leaves nothing half-written. */
    private BulkWriteResult bulkWriteScoped(@Nullable ClientSession session, List<? extends WriteModel<? extends T>> requests,
            BulkWriteOptions options) {
        List<WriteModel<BsonDocument>> confined = documents().bulk(requests);
        return session == null ? raw().bulkWrite(confined, options) : raw().bulkWrite(session, confined, options);
    }
}
