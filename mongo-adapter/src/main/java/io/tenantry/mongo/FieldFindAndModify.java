package io.tenantry.mongo;

import com.mongodb.MongoCommandException;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndDeleteOptions;
import com.mongodb.client.model.FindOneAndReplaceOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.conversions.Bson;
import org.jspecify.annotations.Nullable;

/**
 * The find-and-modify commands of a FIELD collection: filter confined, replacement stamped, update
 * checked, exactly as for {@link FieldWrites}. See {@link FieldCollection}.
 */
abstract class FieldFindAndModify<T> extends FieldWrites<T> {

    FieldFindAndModify(FieldScope scope, MongoCollection<T> delegate) {
        super(scope, delegate);
    }

    @Override
    public @Nullable T findOneAndDelete(Bson filter) {
        return findOneAndDeleteScoped(null, filter, new FindOneAndDeleteOptions());
    }

    @Override
    public @Nullable T findOneAndDelete(Bson filter, FindOneAndDeleteOptions options) {
        return findOneAndDeleteScoped(null, filter, options);
    }

    @Override
    public @Nullable T findOneAndDelete(ClientSession clientSession, Bson filter) {
        return findOneAndDeleteScoped(session(clientSession), filter, new FindOneAndDeleteOptions());
    }

    @Override
    public @Nullable T findOneAndDelete(ClientSession clientSession, Bson filter, FindOneAndDeleteOptions options) {
        return findOneAndDeleteScoped(session(clientSession), filter, options);
    }

    private @Nullable T findOneAndDeleteScoped(@Nullable ClientSession session, Bson filter,
            FindOneAndDeleteOptions options) {
        BsonDocument confined = confined(filter);
        return session == null ? unwrapping().findOneAndDelete(confined, options)
                : unwrapping().findOneAndDelete(session, confined, options);
    }

    @Override
    public @Nullable T findOneAndReplace(Bson filter, T replacement) {
        return findOneAndReplaceScoped(null, filter, replacement, new FindOneAndReplaceOptions());
    }

    @Override
    public @Nullable T findOneAndReplace(Bson filter, T replacement, FindOneAndReplaceOptions options) {
        return findOneAndReplaceScoped(null, filter, replacement, options);
    }

    @Override
    public @Nullable T findOneAndReplace(ClientSession clientSession, Bson filter, T replacement) {
        return findOneAndReplaceScoped(session(clientSession), filter, replacement, new FindOneAndReplaceOptions());
    }

    @Override
    public @Nullable T findOneAndReplace(ClientSession clientSession, Bson filter, T replacement,
            FindOneAndReplaceOptions options) {
        return findOneAndReplaceScoped(session(clientSession), filter, replacement, options);
    }

    /** Replaces through the {@code BsonDocument} view, so the stamp survives any codec, and decodes the answer. */
    private @Nullable T findOneAndReplaceScoped(@Nullable ClientSession session, Bson filter, T replacement,
            FindOneAndReplaceOptions options) {
        FieldDocuments<T> documents = documents();
        BsonDocument confined = documents.filter(filter);
        BsonDocument stamped = documents.forReplacement(replacement);
        MongoCollection<BsonDocument> raw = delegate.withDocumentClass(BsonDocument.class);
        if (!documents.needsGeneratedId(stamped, filter, options.isUpsert())) {
            return documents.decode(findOneAndReplace(raw, session, confined, stamped, options));
        }
        // In two steps, like FieldWrites.replaceOne: an upsert must insert an id stored with the tenant.
        FindOneAndReplaceOptions replaceOnly = withoutUpsert(options);
        for (int attempt = 1; ; attempt++) {
            BsonDocument replaced = findOneAndReplace(raw, session, confined, stamped, replaceOnly);
            if (replaced != null) {
                return documents.decode(replaced);
            }
            try {
                return documents.decode(findOneAndReplace(raw, session, confined, documents.withGeneratedId(stamped),
                        options));
            } catch (MongoCommandException e) {
                if (e.getErrorCode() != FieldWrites.IMMUTABLE_FIELD || attempt == FieldWrites.UPSERT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static @Nullable BsonDocument findOneAndReplace(MongoCollection<BsonDocument> raw,
            @Nullable ClientSession session, BsonDocument filter, BsonDocument replacement,
            FindOneAndReplaceOptions options) {
        return session == null ? raw.findOneAndReplace(filter, replacement, options)
                : raw.findOneAndReplace(session, filter, replacement, options);
    }

    private static FindOneAndReplaceOptions withoutUpsert(FindOneAndReplaceOptions options) {
        return new FindOneAndReplaceOptions().upsert(false).projection(options.getProjection())
                .sort(options.getSort()).returnDocument(options.getReturnDocument())
                .maxTime(options.getMaxTime(TimeUnit.MILLISECONDS), TimeUnit.MILLISECONDS)
                .bypassDocumentValidation(options.getBypassDocumentValidation()).collation(options.getCollation())
                .hint(options.getHint()).hintString(options.getHintString()).comment(options.getComment())
                .let(options.getLet());
    }

    @Override
    public @Nullable T findOneAndUpdate(Bson filter, Bson update) {
        return findOneAndUpdateScoped(null, filter, update, new FindOneAndUpdateOptions());
    }

    @Override
    public @Nullable T findOneAndUpdate(Bson filter, Bson update, FindOneAndUpdateOptions options) {
        return findOneAndUpdateScoped(null, filter, update, options);
    }

    @Override
    public @Nullable T findOneAndUpdate(ClientSession clientSession, Bson filter, Bson update) {
        return findOneAndUpdateScoped(session(clientSession), filter, update, new FindOneAndUpdateOptions());
    }

    @Override
    public @Nullable T findOneAndUpdate(ClientSession clientSession, Bson filter, Bson update,
            FindOneAndUpdateOptions options) {
        return findOneAndUpdateScoped(session(clientSession), filter, update, options);
    }

    @Override
    public @Nullable T findOneAndUpdate(Bson filter, List<? extends Bson> update) {
        return findOneAndUpdateScoped(null, filter, update, new FindOneAndUpdateOptions());
    }

    @Override
    public @Nullable T findOneAndUpdate(Bson filter, List<? extends Bson> update, FindOneAndUpdateOptions options) {
        return findOneAndUpdateScoped(null, filter, update, options);
    }

    @Override
    public @Nullable T findOneAndUpdate(ClientSession clientSession, Bson filter, List<? extends Bson> update) {
        return findOneAndUpdateScoped(session(clientSession), filter, update, new FindOneAndUpdateOptions());
    }

    @Override
    public @Nullable T findOneAndUpdate(ClientSession clientSession, Bson filter, List<? extends Bson> update,
            FindOneAndUpdateOptions options) {
        return findOneAndUpdateScoped(session(clientSession), filter, update, options);
    }

    private @Nullable T findOneAndUpdateScoped(@Nullable ClientSession session, Bson filter, Bson update,
            FindOneAndUpdateOptions options) {
        FieldDocuments<T> documents = documents();
        BsonDocument checked = documents.update(filter, update, options.isUpsert());
        BsonDocument confined = documents.filter(filter);
        return session == null ? unwrapping().findOneAndUpdate(confined, checked, options)
                : unwrapping().findOneAndUpdate(session, confined, checked, options);
    }

    private @Nullable T findOneAndUpdateScoped(@Nullable ClientSession session, Bson filter, List<? extends Bson> update,
            FindOneAndUpdateOptions options) {
        FieldDocuments<T> documents = documents();
        List<BsonDocument> checked = documents.update(filter, update, options.isUpsert());
        BsonDocument confined = documents.filter(filter);
        return session == null ? unwrapping().findOneAndUpdate(confined, checked, options)
                : unwrapping().findOneAndUpdate(session, confined, checked, options);
    }
}
