package io.tenantry.mongo;

import io.tenantry.IsolationViolationException;
import io.tenantry.mongo.PipelineConfinement.Input;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.jspecify.annotations.Nullable;

/**
 * Confines the pipeline stages that name another collection: {@code $lookup},
 * {@code $graphLookup} and {@code $unionWith} read one, {@code $out} and {@code $merge} write one.
 *
 * <p>Every collection name goes through {@link PipelineScope#collection(String)}, and a stage that
 * names a database other than {@link PipelineScope#database()} is refused. In the FIELD model each
 * read of another collection is narrowed by the tenant condition and each {@code $merge} writes
 * only documents that carry the tenant and can only match the tenant's documents.
 */
final class CollectionReferences {

    private static final Set<String> WHEN_MATCHED = Set.of("replace", "keepExisting", "merge", "fail");

    private final PipelineConfinement pipelines;
    private final PipelineScope scope;

    CollectionReferences(PipelineConfinement pipelines) {
        this.pipelines = pipelines;
        this.scope = pipelines.scope();
    }

    /**
     * {@code $lookup}: {@code from} is mapped; its pipeline is confined like a collection's (in the
     * FIELD model it starts with the tenant {@code $match}, added for the localField/foreignField
     * form too, which MongoDB 5.0+ accepts together with a pipeline). Without {@code from}, the
     * pipeline must start with {@code $documents}.
     */
    BsonDocument lookup(BsonValue value) {
        BsonDocument spec = document(value, "$lookup");
        BsonValue from = spec.get("from");
        BsonValue pipeline = spec.get("pipeline");
        if (from == null) {
            if (pipeline == null || !startsWithDocuments(pipeline, "$lookup.pipeline")) {
                throw new IsolationViolationException("$lookup without 'from' reads no collection, so its pipeline "
                        + "must start with $documents; name the collection in 'from' so Tenantry can confine it.");
            }
            spec.put("pipeline", confine(pipeline, "$lookup.pipeline", Input.DOCUMENTS));
            return spec;
        }
        spec.put("from", namespace(from, "$lookup", "from"));
        if (pipeline != null) {
            spec.put("pipeline", confine(pipeline, "$lookup.pipeline", Input.COLLECTION));
        } else if (pipelines.condition() != null) {
            spec.put("pipeline", confine(new BsonArray(), "$lookup.pipeline", Input.COLLECTION));
        }
        if (pipelines.ids() != null) {
            // MongoDB matches foreignField against the stored documents, before the pipeline unwraps ids.
            storedPath(spec, "foreignField", "$lookup");
        }
        return spec;
    }

    /** {@code $graphLookup}: {@code from} is mapped; FIELD: the condition is ANDed into restrictSearchWithMatch. */
    BsonDocument graphLookup(BsonValue value) {
        BsonDocument spec = document(value, "$graphLookup");
        BsonValue from = spec.get("from");
        if (from == null) {
            throw new IsolationViolationException("$graphLookup must name the collection it searches in 'from'.");
        }
        spec.put("from", namespace(from, "$graphLookup", "from"));
        BsonDocument condition = pipelines.condition();
        if (condition != null) {
            spec.put("restrictSearchWithMatch", PipelineConfinement.and(condition,
                    pipelines.idFilter(spec.get("restrictSearchWithMatch")), "$graphLookup", "restrictSearchWithMatch"));
        }
        if (pipelines.ids() != null) {
            // The search reads the stored documents: their ids are stored with the tenant.
            storedPath(spec, "connectFromField", "$graphLookup");
            storedPath(spec, "connectToField", "$graphLookup");
        }
        return spec;
    }

    /**
     * FIELD model: returns the stage that unwraps the ids of the documents a {@code $graphLookup}
     * put in its {@code as} array, or null when ids are not stored with the tenant.
     */
    @Nullable BsonDocument afterGraphLookup(BsonDocument spec) {
        BsonValue as = spec.get("as");
        if (pipelines.ids() == null || as == null || !as.isString()) {
            return null;
        }
        return FieldIds.unwrapArrayStage(as.asString().getValue());
    }

    /** Rewrites the path at {@code key} of {@code spec}, when it is a string, to its stored form ({@link FieldIds#path}). */
    private static void storedPath(BsonDocument spec, String key, String stage) {
        BsonValue path = spec.get(key);
        if (path == null) {
            return;
        }
        if (!path.isString()) {
            throw new IsolationViolationException(stage + "." + key + " must be a field path string; got a "
                    + path.getBsonType() + ".");
        }
        spec.put(key, new BsonString(FieldIds.path(path.asString().getValue())));
    }

    /**
     * {@code $unionWith}: the collection is mapped and, in the FIELD model, its pipeline starts with
     * the tenant {@code $match} (added when there is none). Without a collection, the pipeline must
     * start with {@code $documents}.
     */
    BsonValue unionWith(BsonValue value) {
        BsonDocument condition = pipelines.condition();
        if (value.isString()) {
            BsonString coll = new BsonString(scope.collection(value.asString().getValue()));
            if (condition == null) {
                return coll;
            }
            BsonDocument spec = new BsonDocument("coll", coll);
            spec.put("pipeline", confine(new BsonArray(), "$unionWith.pipeline", Input.COLLECTION));
            return spec;
        }
        BsonDocument spec = document(value, "$unionWith");
        BsonValue coll = spec.get("coll");
        BsonValue pipeline = spec.get("pipeline");
        if (coll == null) {
            if (pipeline == null || !startsWithDocuments(pipeline, "$unionWith.pipeline")) {
                throw new IsolationViolationException("$unionWith without 'coll' reads no collection, so its pipeline "
                        + "must start with $documents; name the collection in 'coll' so Tenantry can confine it.");
            }
            spec.put("pipeline", confine(pipeline, "$unionWith.pipeline", Input.DOCUMENTS));
            return spec;
        }
        spec.put("coll", collectionName(coll, "$unionWith", "coll"));
        if (pipeline != null || condition != null) {
            spec.put("pipeline", confine(pipeline == null ? new BsonArray() : pipeline, "$unionWith.pipeline",
                    Input.COLLECTION));
        }
        return spec;
    }

    /** {@code $out}: only as the last stage, only where the model allows it, only into this database. */
    BsonValue out(BsonValue value, boolean lastOfTopLevel) {
        if (!scope.allowsOut()) {
            throw new IsolationViolationException("$out would replace the shared collection '" + target(value)
                    + "' for every tenant; use $merge, which Tenantry confines to this tenant.");
        }
        requireLast("$out", lastOfTopLevel);
        return namespace(value, "$out", "coll");
    }

    /**
     * {@code $merge}: only as the last stage, only into this database. In the FIELD model a
     * {@code {$set: condition}} stage is added before it, so every merged document carries the
     * tenant, and the tenant field is put first in {@code on} (default {@code _id}), so a merged
     * document can only match this tenant's documents. MongoDB requires a unique index on exactly
     * the {@code on} fields: Tenantry's provisioning creates {@code {field: 1, _id: 1}} unique and
     * prefixes every declared unique index with the field, which provides them. A
     * {@code whenMatched} pipeline must not touch the tenant field; {@code let} is kept.
     */
    void merge(BsonValue value, boolean lastOfTopLevel, List<BsonDocument> confined) {
        requireLast("$merge", lastOfTopLevel);
        BsonDocument condition = pipelines.condition();
        if (value.isString()) {
            if (condition == null) {
                confined.add(new BsonDocument("$merge", namespace(value, "$merge", "into")));
                return;
            }
            value = new BsonDocument("into", value);
        }
        BsonDocument spec = document(value, "$merge");
        BsonValue into = spec.get("into");
        if (into == null) {
            throw new IsolationViolationException("$merge must name its target collection in 'into'.");
        }
        spec.put("into", namespace(into, "$merge", "into"));
        if (condition != null) {
            spec.put("on", on(condition, spec.get("on")));
            BsonValue whenMatched = spec.get("whenMatched");
            if (whenMatched != null) {
                checkWhenMatched(condition, whenMatched);
            }
            PipelineScope.Ids ids = pipelines.ids();
            if (ids != null) {
                confined.add(ids.wrapStage());
            }
            BsonDocument stamp = new BsonDocument();
            for (Map.Entry<String, BsonValue> entry : condition.entrySet()) {
                stamp.put(entry.getKey(), literal(entry.getValue()));
            }
            confined.add(new BsonDocument("$set", stamp));
        }
        confined.add(new BsonDocument("$merge", spec));
    }

    private static BsonArray on(BsonDocument condition, @Nullable BsonValue on) {
        List<BsonValue> declared = on == null ? List.of(new BsonString("_id"))
                : on.isArray() ? on.asArray().getValues() : List.of(on);
        BsonArray fields = new BsonArray();
        for (String field : condition.keySet()) {
            fields.add(new BsonString(field));
        }
        for (BsonValue field : declared) {
            if (!field.isString()) {
                throw new IsolationViolationException("$merge.on must name fields as a string or an array of "
                        + "strings; got a " + field.getBsonType() + ".");
            }
            if (!condition.containsKey(field.asString().getValue())) {
                fields.add(field);
            }
        }
        return fields;
    }

    private static void checkWhenMatched(BsonDocument condition, BsonValue whenMatched) {
        if (whenMatched.isString() && WHEN_MATCHED.contains(whenMatched.asString().getValue())) {
            return;
        }
        if (!whenMatched.isArray()) {
            throw new IsolationViolationException("$merge.whenMatched must be one of "
                    + UpdateChecks.sorted(WHEN_MATCHED) + " or an update pipeline; got " + (whenMatched.isString() ? "'"
                    + whenMatched.asString().getValue() + "'" : "a " + whenMatched.getBsonType()) + ".");
        }
        List<BsonDocument> stages = PipelineConfinement.stages(whenMatched, "$merge.whenMatched");
        for (String field : condition.keySet()) {
            UpdateChecks.checkPipeline(field, stages, "$merge whenMatched pipeline");
        }
    }

    /** A value that an aggregation expression reads literally (a string starting with '$' would be a path). */
    private static BsonValue literal(BsonValue value) {
        boolean plain = (value.isString() && !value.asString().getValue().startsWith("$"))
                || value.isNumber() || value.isBoolean() || value.isObjectId();
        return plain ? value : new BsonDocument("$literal", value);
    }

    private BsonArray confine(BsonValue pipeline, String where, Input input) {
        return new BsonArray(pipelines.confine(PipelineConfinement.stages(pipeline, where), input, false));
    }

    private static boolean startsWithDocuments(BsonValue pipeline, String where) {
        List<BsonDocument> stages = PipelineConfinement.stages(pipeline, where);
        return !stages.isEmpty() && PipelineConfinement.stageName(stages.get(0), where).equals("$documents");
    }

    /** Maps a collection reference, a name or {@code {db, coll, ...}}, refusing any other database. */
    private BsonValue namespace(BsonValue reference, String stage, String key) {
        if (reference.isString()) {
            return collectionName(reference, stage, key);
        }
        if (!reference.isDocument()) {
            throw new IsolationViolationException(stage
                    + " must name a collection as a string or {db: ..., coll: ...}; got a "
                    + reference.getBsonType() + ".");
        }
        BsonDocument namespace = reference.asDocument();
        BsonValue db = namespace.get("db");
        if (db != null && !(db.isString() && db.asString().getValue().equals(scope.database()))) {
            String named = db.isString() ? "'" + db.asString().getValue() + "'" : "a " + db.getBsonType();
            throw new IsolationViolationException(stage + " names database " + named
                    + ", but this tenant's pipeline runs in '" + scope.database() + "' and Tenantry confines it "
                    + "there. Name the collection alone (\"" + target(namespace) + "\") to use this tenant's.");
        }
        BsonValue coll = namespace.get("coll");
        if (coll == null) {
            throw new IsolationViolationException(stage + " must name the collection in 'coll'.");
        }
        namespace.put("coll", collectionName(coll, stage, "coll"));
        return namespace;
    }

    private BsonString collectionName(BsonValue name, String stage, String key) {
        if (!name.isString()) {
            throw new IsolationViolationException(stage + "." + key + " must be a collection name string; got a "
                    + name.getBsonType() + ".");
        }
        return new BsonString(scope.collection(name.asString().getValue()));
    }

    private static String target(BsonValue reference) {
        BsonValue name = reference.isDocument() ? reference.asDocument().get("coll") : reference;
        return name != null && name.isString() ? name.asString().getValue() : "?";
    }

    private static void requireLast(String stage, boolean lastOfTopLevel) {
        if (!lastOfTopLevel) {
            throw new IsolationViolationException(stage + " must be the last stage of the pipeline, and cannot appear "
                    + "inside $facet, $lookup or $unionWith; move it to the end.");
        }
    }

    private static BsonDocument document(BsonValue value, String stage) {
        if (!value.isDocument()) {
            throw new IsolationViolationException(stage + " must be given a document; got a " + value.getBsonType()
                    + ".");
        }
        return value.asDocument();
    }
}
