package io.tenantry.mongo;

import com.mongodb.client.ChangeStreamIterable;
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.client.model.changestream.FullDocumentBeforeChange;
import io.tenantry.IsolationViolationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.conversions.Bson;

/**
 * Change streams of a shared collection, confined to one tenant's events.
 *
 * <p>A change event carries the tenant only inside a copy of the document, so the stream is opened
 * with {@code fullDocument(UPDATE_LOOKUP)} and {@code fullDocumentBeforeChange(WHEN_AVAILABLE)},
 * and its first stage keeps an event only when {@code fullDocument.<field>} or
 * {@code fullDocumentBeforeChange.<field>} is the tenant. This fails closed: an event that carries
 * neither is dropped. That includes <b>delete events on collections without pre-images</b>
 * ({@code changeStreamPreAndPostImages} off), update events whose document was deleted before the
 * lookup, and collection-level events (drop, rename, invalidate). Enable pre- and post-images on
 * the shared collection to receive the tenant's deletes. The second stage unwraps the ids the event
 * carries ({@link FieldIds}), so the caller's stages and the caller see its own ids.
 */
final class FieldChangeStreams {

    /**
     * The stages a change stream accepts that only transform or filter each event; stages that read
     * other collections are not accepted by change streams at all, and anything unknown is refused.
     */
    static final Set<String> EVENT_STAGES = Set.of("$match", "$project", "$addFields", "$set", "$unset",
            "$replaceRoot", "$replaceWith", "$redact");

    private FieldChangeStreams() {
    }

    /**
     * Returns the stream's pipeline: the tenant's {@code $match} first, then the caller's stages.
     *
     * @throws IsolationViolationException if a stage is not a per-event stage
     */
    static List<BsonDocument> pipeline(FieldScope scope, List<? extends Bson> pipeline, CodecRegistry registry) {
        List<BsonDocument> stages = new ArrayList<>(pipeline.size() + 2);
        stages.add(new BsonDocument("$match", tenantEvents(scope)));
        stages.add(unwrapIds());
        for (Bson stage : pipeline) {
            BsonDocument document = BsonCopies.document(stage, registry);
            String name = PipelineConfinement.stageName(document, "change stream pipeline");
            if (!EVENT_STAGES.contains(name)) {
                throw new IsolationViolationException("Stage " + name + " is refused in a change stream of a collection"
                        + " shared by tenants; use only " + UpdateChecks.sorted(EVENT_STAGES) + ".");
            }
            stages.add(document);
        }
        return stages;
    }

    /**
     * Returns the stage that unwraps the ids an event carries ({@link FieldIds}): in
     * {@code documentKey}, which every event that passed the tenant's {@code $match} has, and in the
     * full document and its pre-image when they are documents (a missing or null one stays so).
     */
    static BsonDocument unwrapIds() {
        BsonDocument set = new BsonDocument("documentKey._id", new BsonString("$documentKey._id.id"));
        for (String image : List.of("fullDocument", "fullDocumentBeforeChange")) {
            BsonValue isDocument = new BsonDocument("$eq", new BsonArray(List.of(
                    new BsonDocument("$type", new BsonString("$" + image)), new BsonString("object"))));
            BsonValue unwrapped = new BsonDocument("$mergeObjects", new BsonArray(List.of(new BsonString("$" + image),
                    new BsonDocument(FieldIds.ID, new BsonString("$" + image + "._id.id")))));
            set.put(image, new BsonDocument("$cond", new BsonArray(List.of(isDocument, unwrapped,
                    new BsonString("$" + image)))));
        }
        return new BsonDocument("$addFields", set);
    }

    /** Returns {@code {$or: [{"fullDocument.<field>": t}, {"fullDocumentBeforeChange.<field>": t}]}}. */
    static BsonDocument tenantEvents(FieldScope scope) {
        BsonDocument condition = scope.condition();
        String field = scope.field();
        BsonArray either = new BsonArray();
        either.add(new BsonDocument("fullDocument." + field, condition.get(field)));
        either.add(new BsonDocument("fullDocumentBeforeChange." + field, condition.get(field)));
        return new BsonDocument("$or", either);
    }

    /**
     * Returns the stream with the document lookups the tenant filter needs, bound to the tenant, and
     * refusing later changes of those lookups.
     */
    static <R> ChangeStreamIterable<R> bind(FieldScope scope, ChangeStreamIterable<R> stream, CodecRegistry registry) {
        ChangeStreamIterable<R> configured = stream.fullDocument(FullDocument.UPDATE_LOOKUP)
                .fullDocumentBeforeChange(FullDocumentBeforeChange.WHEN_AVAILABLE);
        String why = "the change stream of a collection shared by tenants needs fullDocument(UPDATE_LOOKUP) and"
                + " fullDocumentBeforeChange(WHEN_AVAILABLE) to tell the tenant's events apart; Tenantry sets both,"
                + " so remove this call.";
        Map<String, String> refused = Map.of("fullDocument", "fullDocument(...) is refused: " + why,
                "fullDocumentBeforeChange", "fullDocumentBeforeChange(...) is refused: " + why);
        return FieldScope.bind(ChangeStreamIterable.class, configured, scope.policy(registry, refused));
    }
}
