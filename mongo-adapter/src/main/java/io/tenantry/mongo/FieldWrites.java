package io.tenantry.mongo;

import com.mongodb.MongoWriteException;
import com.mongodb.bulk.BulkWriteInsert;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.bulk.BulkWriteUpsert;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.conversions.Bson;
import org.jspecify.annotations.Nullable;

/**
 * The writing half of a FIELD collection: every filter confined, every inserted or replacing
 * document stamped with the tenant (an upsert inherits it from the confined filter, whose tenant
 * condition is an equality), every update checked not to touch the tenant field. Documents are
 * written through the collection's {@code BsonDocument} view once stamped. See {@link FieldCollection}.
 */
abstract class FieldWrites<T> extends FieldReads<T> {

    /** The collection's {@code BsonDocument} view, which writes stamped documents as they are. */
    private final MongoCollection<BsonDocument> raw;

    FieldWrites(FieldScope scope, MongoCollection<T> delegate) {
        super(scope, delegate);
        this.raw = delegate.withDocumentClass(BsonDocument.class);
    }

    private MongoCollection<BsonDocument> raw() {
        return raw;
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
        FieldDocuments<T> encoder = documents();
        BsonDocument stamped = encoder.forInsert(document);
        InsertOneResult result = session == null ? raw().insertOne(stamped, options)
                : raw().insertOne(session, stamped, options);
        // The caller's id from the document sent, not from the result: the driver reports it as raw
        // bytes, which would be scanned again to unwrap it.
        return result.wasAcknowledged() ? InsertOneResult.acknowledged(encoder.id(stamped.get(FieldIds.ID)))
                : result;
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
        InsertManyResult result = session == null ? raw().insertMany(stamped, options)
                : raw().insertMany(session, stamped, options);
        if (!result.wasAcknowledged()) {
            return result;
        }
        Map<Integer, BsonValue> ids = new HashMap<>();
        result.getInsertedIds().forEach((index, id) -> ids.put(index, encoder.id(id)));
        return InsertManyResult.acknowledged(ids);
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
        if (!encoder.needsGeneratedId(stamped, filter, options.isUpsert()) || !getWriteConcern().isAcknowledged()) {
            return unwrapped(encoder, replace(session, confined, stamped, options));
        }
        ReplaceOptions replaceOnly = withoutUpsert(options);
        for (int attempt = 1; ; attempt++) {
            UpdateResult replaced = replace(session, confined, stamped, replaceOnly);
            if (replaced.getMatchedCount() > 0) {
                return replaced;
            }
            try {
                return unwrapped(encoder, replace(session, confined, encoder.withGeneratedId(stamped), options));
            } catch (MongoWriteException e) {
                // A matching document appeared between the two steps: replace it, keeping its id.
                if (e.getCode() != IMMUTABLE_FIELD || attempt == UPSERT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * The server's error code for a write that would change {@code _id}: the second step of an
     * upserting replacement meeting a document that appeared after the first step.
     */
    static final int IMMUTABLE_FIELD = 66;

    /** How often an upserting replacement retries its two steps when documents keep appearing between them. */
    static final int UPSERT_ATTEMPTS = 3;

    private UpdateResult replace(@Nullable ClientSession session, BsonDocument filter, BsonDocument replacement,
            ReplaceOptions options) {
        return session == null ? raw().replaceOne(filter, replacement, options)
                : raw().replaceOne(session, filter, replacement, options);
    }

    private static ReplaceOptions withoutUpsert(ReplaceOptions options) {
        return new ReplaceOptions().upsert(false).bypassDocumentValidation(options.getBypassDocumentValidation())
                .collation(options.getCollation()).hint(options.getHint()).hintString(options.getHintString())
                .comment(options.getComment()).let(options.getLet()).sort(options.getSort());
    }

    /** Returns {@code result} with the upserted id, if any, as the caller's id. */
    static UpdateResult unwrapped(FieldDocuments<?> documents, UpdateResult result) {
        if (!result.wasAcknowledged() || result.getUpsertedId() == null) {
            return result;
        }
        return UpdateResult.acknowledged(result.getMatchedCount(), result.getModifiedCount(),
                documents.id(result.getUpsertedId()));
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
        BsonDocument checked = rules.update(filter, update, options.isUpsert());
        BsonDocument confined = rules.filter(filter);
        if (many) {
            return unwrapped(rules, session == null ? delegate.updateMany(confined, checked, options)
                    : delegate.updateMany(session, confined, checked, options));
        }
        return unwrapped(rules, session == null ? delegate.updateOne(confined, checked, options)
                : delegate.updateOne(session, confined, checked, options));
    }

    private UpdateResult updateScoped(@Nullable ClientSession session, Bson filter, List<? extends Bson> pipeline,
            UpdateOptions options, boolean many) {
        FieldDocuments<T> rules = documents();
        List<BsonDocument> checked = rules.update(filter, pipeline, options.isUpsert());
        BsonDocument confined = rules.filter(filter);
        if (many) {
            return unwrapped(rules, session == null ? delegate.updateMany(confined, checked, options)
                    : delegate.updateMany(session, confined, checked, options));
        }
        return unwrapped(rules, session == null ? delegate.updateOne(confined, checked, options)
                : delegate.updateOne(session, confined, checked, options));
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
        FieldDocuments<T> documents = documents();
        List<WriteModel<BsonDocument>> confined = documents.bulk(requests);
        BulkWriteResult result = session == null ? raw().bulkWrite(confined, options)
                : raw().bulkWrite(session, confined, options);
        if (!result.wasAcknowledged()) {
            return result;
        }
        List<BulkWriteUpsert> upserts = new ArrayList<>(result.getUpserts().size());
        for (BulkWriteUpsert upsert : result.getUpserts()) {
            upserts.add(new BulkWriteUpsert(upsert.getIndex(), documents.id(upsert.getId())));
        }
        List<BulkWriteInsert> inserts = new ArrayList<>(result.getInserts().size());
        for (BulkWriteInsert insert : result.getInserts()) {
            inserts.add(new BulkWriteInsert(insert.getIndex(), documents.id(insert.getId())));
        }
        return BulkWriteResult.acknowledged(result.getInsertedCount(), result.getMatchedCount(),
                result.getDeletedCount(), result.getModifiedCount(), upserts, inserts);
    }
}
