package io.tenantry.mongo;

import com.mongodb.client.model.DeleteManyModel;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.UpdateManyModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.WriteModel;
import io.tenantry.IsolationViolationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bson.BsonDocument;
import org.bson.BsonDocumentReader;
import org.bson.BsonDocumentWriter;
import org.bson.BsonValue;
import org.bson.codecs.Codec;
import org.bson.codecs.CollectibleCodec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.conversions.Bson;
import org.jspecify.annotations.Nullable;

/**
 * Turns a FIELD collection's documents and write models into what reaches the server: documents of
 * any class encoded through the collection's codecs and stamped with the tenant, filters confined,
 * updates checked. Writes then go through the collection's {@code BsonDocument} view, so the stamp
 * cannot be lost by a codec that does not know the tenant field. Immutable.
 */
final class FieldDocuments<T> {

    private final FieldScope scope;
    private final CodecRegistry registry;
    private final Class<T> documentClass;

    FieldDocuments(FieldScope scope, CodecRegistry registry, Class<T> documentClass) {
        this.scope = scope;
        this.registry = registry;
        this.documentClass = documentClass;
    }

    /**
     * Returns {@code document} encoded and stamped for an insert. As the driver does, a
     * {@link CollectibleCodec} first gives the caller's object an {@code _id} when it has none, so
     * the caller sees the id it was stored under.
     *
     * @throws IsolationViolationException if the document carries another tenant's value
     */
    BsonDocument forInsert(Object document) {
        BsonDocument stamped = scope.rules.stamp(scope.tenant, encode(document, true));
        return stamped.containsKey(FieldIds.ID) ? stamped : withGeneratedId(stamped);
    }

    /**
     * Returns {@code document} encoded and stamped for a replacement (which keeps the stored
     * {@code _id}, so none is generated).
     *
     * @throws IsolationViolationException if the document carries another tenant's value
     */
    BsonDocument forReplacement(Object document) {
        return scope.rules.stamp(scope.tenant, encode(document, false));
    }

    /**
     * Whether a stamped replacement needs an id generated for the case where it upserts: it does
     * upsert, and neither the replacement nor the filter fixes the id. The server would otherwise
     * give the inserted document a plain id. Such a replacement cannot simply carry a generated id,
     * since the same write replacing an existing document must keep that document's id: it is sent
     * in two steps, first without upsert, then, if nothing matched, as an upsert carrying the
     * generated id ({@link FieldWrites}, {@link FieldFindAndModify}).
     */
    boolean needsGeneratedId(BsonDocument stamped, @Nullable Bson filter, boolean upsert) {
        return upsert && !stamped.containsKey(FieldIds.ID) && !FieldIds.fixesId(userFilter(filter));
    }

    /** Returns {@code stamped} with a generated id, stored with the tenant, first. */
    BsonDocument withGeneratedId(BsonDocument stamped) {
        BsonDocument identified = new BsonDocument(FieldIds.ID, ids().generated(scope.tenant));
        identified.putAll(stamped);
        return identified;
    }

    private FieldIds ids() {
        return scope.rules.ids();
    }

    private @Nullable BsonDocument userFilter(@Nullable Bson filter) {
        return filter == null ? null : BsonCopies.document(filter, registry);
    }

    /** Returns the confined filter. */
    BsonDocument filter(@Nullable Bson filter) {
        return scope.filter(filter, registry);
    }

    /** Returns a checked update document, rewritten for ids stored with the tenant ({@link FieldIds#update}). */
    BsonDocument update(Bson update) {
        BsonDocument checked = scope.rules.checkUpdate(Objects.requireNonNull(update, "update"), registry);
        return ids().update(scope.tenant, checked);
    }

    /**
     * Returns {@link #update(Bson)} for a write that may upsert: when it does and neither the
     * filter nor the update fixes the id, {@code $setOnInsert} gives the inserted document a
     * generated id stored with the tenant.
     */
    BsonDocument update(@Nullable Bson filter, Bson update, boolean upsert) {
        BsonDocument checked = update(update);
        if (!upsert || FieldIds.touchesId(checked) || FieldIds.fixesId(userFilter(filter))) {
            return checked;
        }
        return ids().withGeneratedId(scope.tenant, checked);
    }

    /** Returns a checked update pipeline whose expressions read the caller's ids. */
    List<BsonDocument> update(List<? extends Bson> pipeline) {
        List<BsonDocument> checked = scope.rules.checkUpdatePipeline(Objects.requireNonNull(pipeline,
                "update pipeline"), registry);
        return FieldIds.updatePipeline(checked);
    }

    /**
     * Returns {@link #update(List)} for a write that may upsert.
     *
     * @throws IsolationViolationException for an upsert whose filter does not fix {@code _id}: the
     *     server would give the inserted document a plain id, which a pipeline cannot replace
     */
    List<BsonDocument> update(@Nullable Bson filter, List<? extends Bson> pipeline, boolean upsert) {
        List<BsonDocument> checked = update(pipeline);
        if (upsert && !FieldIds.fixesId(userFilter(filter))) {
            throw new IsolationViolationException("An upsert with an update pipeline is refused for tenant \""
                    + scope.tenant + "\" on the FIELD model unless its filter fixes _id (for example"
                    + " {_id: \"my-id\"}): the server would give the inserted document an id of its own, which"
                    + " Tenantry cannot store with the tenant. Add the _id equality to the filter, or use an update"
                    + " document (with $set / $setOnInsert) instead of a pipeline.");
        }
        return checked;
    }

    /** Returns the caller's id for an id the server reports (stored with the tenant). */
    @Nullable BsonValue id(@Nullable BsonValue stored) {
        return stored == null ? null : ids().unwrap(stored);
    }

    /** Decodes a document the server returned into the collection's document class, its id unwrapped. */
    @Nullable T decode(@Nullable BsonDocument document) {
        if (document == null) {
            return null;
        }
        return registry.get(documentClass).decode(new BsonDocumentReader(ids().unwrapDocument(document)),
                DecoderContext.builder().build());
    }

    /**
     * Returns the write models of a bulk write, each confined: inserts stamped, replacements
     * filtered and stamped, updates filtered and checked, deletes filtered.
     *
     * @throws IsolationViolationException if any model would break isolation, or is of a kind
     *     Tenantry does not know; nothing is written then
     */
    List<WriteModel<BsonDocument>> bulk(List<? extends WriteModel<? extends T>> models) {
        Objects.requireNonNull(models, "requests");
        List<WriteModel<BsonDocument>> confined = new ArrayList<>(models.size());
        for (WriteModel<? extends T> model : models) {
            confined.add(confine(Objects.requireNonNull(model, "a write model in requests")));
        }
        return confined;
    }

    private WriteModel<BsonDocument> confine(WriteModel<? extends T> model) {
        if (model instanceof InsertOneModel<? extends T> insert) {
            return new InsertOneModel<>(forInsert(insert.getDocument()));
        }
        if (model instanceof ReplaceOneModel<? extends T> replace) {
            BsonDocument stamped = forReplacement(replace.getReplacement());
            if (needsGeneratedId(stamped, replace.getFilter(), replace.getReplaceOptions().isUpsert())) {
                throw new IsolationViolationException("bulkWrite got an upserting ReplaceOneModel whose filter and"
                        + " replacement do not fix _id. On the FIELD model Tenantry stores ids with the tenant, so it"
                        + " must choose the id an upsert inserts, which it can do for replaceOne and"
                        + " findOneAndReplace but not inside a bulk write. Give the replacement an _id, put an _id"
                        + " equality in the filter, or send this replacement with replaceOne.");
            }
            return new ReplaceOneModel<>(filter(replace.getFilter()), stamped, replace.getReplaceOptions());
        }
        if (model instanceof UpdateOneModel<? extends T> update) {
            List<? extends Bson> pipeline = update.getUpdatePipeline();
            boolean upsert = update.getOptions().isUpsert();
            return pipeline != null
                    ? new UpdateOneModel<>(filter(update.getFilter()), update(update.getFilter(), pipeline, upsert),
                            update.getOptions())
                    : new UpdateOneModel<>(filter(update.getFilter()), update(update.getFilter(),
                            requireUpdate(update.getUpdate()), upsert), update.getOptions());
        }
        if (model instanceof UpdateManyModel<? extends T> update) {
            List<? extends Bson> pipeline = update.getUpdatePipeline();
            boolean upsert = update.getOptions().isUpsert();
            return pipeline != null
                    ? new UpdateManyModel<>(filter(update.getFilter()), update(update.getFilter(), pipeline, upsert),
                            update.getOptions())
                    : new UpdateManyModel<>(filter(update.getFilter()), update(update.getFilter(),
                            requireUpdate(update.getUpdate()), upsert), update.getOptions());
        }
        if (model instanceof DeleteOneModel<? extends T> delete) {
            return new DeleteOneModel<>(filter(delete.getFilter()), delete.getOptions());
        }
        if (model instanceof DeleteManyModel<? extends T> delete) {
            return new DeleteManyModel<>(filter(delete.getFilter()), delete.getOptions());
        }
        throw new IsolationViolationException("bulkWrite got a " + model.getClass().getName() + ", which Tenantry"
                + " cannot confine to one tenant. Use InsertOneModel, ReplaceOneModel, UpdateOneModel,"
                + " UpdateManyModel, DeleteOneModel or DeleteManyModel.");
    }

    private static Bson requireUpdate(@Nullable Bson update) {
        return Objects.requireNonNull(update, "an update model without update nor pipeline");
    }

    private BsonDocument encode(Object document, boolean insert) {
        Objects.requireNonNull(document, "document");
        return encodeAs(document, insert);
    }

    private <D> BsonDocument encodeAs(D document, boolean insert) {
        @SuppressWarnings("unchecked") // the codec of a document's own class encodes that document
        Class<D> type = (Class<D>) document.getClass();
        Codec<D> codec = registry.get(type);
        D identified = document;
        if (insert && codec instanceof CollectibleCodec<D> collectible && !collectible.documentHasId(document)) {
            identified = collectible.generateIdIfAbsentFromDocument(document);
        }
        BsonDocument encoded = new BsonDocument();
        codec.encode(new BsonDocumentWriter(encoded), identified,
                EncoderContext.builder().isEncodingCollectibleDocument(insert).build());
        return encoded;
    }
}
