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
        return scope.rules.stamp(scope.tenant, encode(document, true));
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

    /** Returns the confined filter. */
    BsonDocument filter(@Nullable Bson filter) {
        return scope.filter(filter, registry);
    }

    /** Returns a checked update document. */
    BsonDocument update(Bson update) {
        return scope.rules.checkUpdate(Objects.requireNonNull(update, "update"), registry);
    }

    /** Returns a checked update pipeline. */
    List<BsonDocument> update(List<? extends Bson> pipeline) {
        return scope.rules.checkUpdatePipeline(Objects.requireNonNull(pipeline, "update pipeline"), registry);
    }

    /** Decodes a document the server returned into the collection's document class. */
    @Nullable T decode(@Nullable BsonDocument document) {
        if (document == null) {
            return null;
        }
        return registry.get(documentClass).decode(new BsonDocumentReader(document), DecoderContext.builder().build());
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
            return new ReplaceOneModel<>(filter(replace.getFilter()), forReplacement(replace.getReplacement()),
                    replace.getReplaceOptions());
        }
        if (model instanceof UpdateOneModel<? extends T> update) {
            List<? extends Bson> pipeline = update.getUpdatePipeline();
            return pipeline != null
                    ? new UpdateOneModel<>(filter(update.getFilter()), update(pipeline), update.getOptions())
                    : new UpdateOneModel<>(filter(update.getFilter()), update(requireUpdate(update.getUpdate())),
                            update.getOptions());
        }
        if (model instanceof UpdateManyModel<? extends T> update) {
            List<? extends Bson> pipeline = update.getUpdatePipeline();
            return pipeline != null
                    ? new UpdateManyModel<>(filter(update.getFilter()), update(pipeline), update.getOptions())
                    : new UpdateManyModel<>(filter(update.getFilter()), update(requireUpdate(update.getUpdate())),
                            update.getOptions());
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
