package io.tenantry.mongo;

import io.tenantry.IsolationViolationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.conversions.Bson;
import org.jspecify.annotations.Nullable;

/**
 * Confines an aggregation pipeline to one tenant before it reaches the server.
 *
 * <p>It is an allowlist, because a pipeline is a program: a stage Tenantry does not understand
 * could read another collection or another tenant's documents, so any stage not listed here is
 * refused rather than passed through. In the FIELD model every read of a collection (the pipeline's
 * own input, each {@code $lookup}, {@code $graphLookup} and {@code $unionWith}) is narrowed by the
 * tenant condition, and every write ({@code $merge}) carries the tenant; in every model each
 * referenced collection goes through {@link PipelineScope#collection(String)} and another database
 * is refused. The stages that reference other collections live in {@link CollectionReferences}.
 *
 * <p>Pure BSON in, BSON out: no server I/O, inputs never mutated.
 */
final class PipelineConfinement {

    /** What a (sub-)pipeline reads, which decides whether it must be narrowed to the tenant. */
    enum Input {
        /** Documents of a collection: in the FIELD model, narrowed by the tenant condition first. */
        COLLECTION,
        /** Documents already narrowed by an enclosing pipeline ({@code $facet}). */
        CONFINED,
        /** Literal documents from a leading {@code $documents} stage (no collection is read). */
        DOCUMENTS
    }

    /** Stages that only transform the documents flowing through them and reach no other data. */
    private static final Set<String> PASS_THROUGH = Set.of(
            "$match", "$project", "$addFields", "$set", "$unset", "$group", "$sort", "$limit", "$skip", "$count",
            "$unwind", "$sample", "$bucket", "$bucketAuto", "$sortByCount", "$replaceRoot", "$replaceWith",
            "$redact", "$setWindowFields", "$densify", "$fill");

    /**
     * Stages that describe a whole collection or its search index: the tenant's own under the
     * COLLECTION and DATABASE models, every tenant's under FIELD. Value: why FIELD refuses it.
     */
    private static final Map<String, String> WHOLE_COLLECTION = Map.of(
            "$collStats", "reports statistics of the whole shared collection, other tenants' documents included; "
                    + "use countDocuments() for this tenant's count",
            "$indexStats", "reports index usage of the whole shared collection, other tenants' queries included",
            "$listSearchIndexes", "lists the search indexes of the whole shared collection",
            "$search", "cannot be confined: Atlas Search runs before any $match Tenantry could add; use $match "
                    + "(with a text index) or $vectorSearch, whose filter Tenantry confines, or place the tenant on "
                    + "the COLLECTION or DATABASE model",
            "$searchMeta", "cannot be confined: Atlas Search runs before any $match Tenantry could add; place the "
                    + "tenant on the COLLECTION or DATABASE model to use it");

    /** Stages that expose server-wide state in every model. Value: what they expose. */
    private static final Map<String, String> SERVER_WIDE = Map.ofEntries(
            Map.entry("$currentOp", "lists every client's operations, other tenants' queries included"),
            Map.entry("$listSessions", "lists the sessions of every user of the cluster"),
            Map.entry("$listLocalSessions", "lists the sessions of every user of the server"),
            Map.entry("$planCacheStats", "shows cached query shapes, other tenants' included"),
            Map.entry("$shardedDataDistribution", "describes the data of every sharded collection"),
            Map.entry("$listSampledQueries", "lists sampled queries of every client"),
            Map.entry("$querySettings", "lists the query settings of the whole cluster"),
            Map.entry("$listClusterCatalog", "lists every collection of the cluster"),
            Map.entry("$listCatalog", "lists every collection of the cluster"));

    private final PipelineScope scope;
    private final @Nullable BsonDocument condition;
    private final PipelineScope.@Nullable Ids ids;
    private final CollectionReferences references;

    private PipelineConfinement(PipelineScope scope) {
        this.scope = scope;
        BsonDocument tenantCondition = scope.tenantCondition();
        this.condition = tenantCondition == null ? null : BsonCopies.deepCopy(tenantCondition);
        this.ids = scope.ids();
        this.references = new CollectionReferences(this);
    }

    /** The FIELD model's ids of the tenant, or null for the other models. */
    PipelineScope.@Nullable Ids ids() {
        return ids;
    }

    /** Returns {@code filter} rewritten for ids stored with the tenant (FIELD), or itself. */
    BsonValue idFilter(@Nullable BsonValue filter) {
        return ids == null || filter == null || !filter.isDocument() ? filter : ids.filter(filter.asDocument());
    }

    /**
     * Returns the confined pipeline as new documents; the input is never mutated.
     *
     * @throws IsolationViolationException for any stage it cannot confine; the message names the
     *     stage and says what to do instead
     */
    static List<BsonDocument> confine(List<? extends Bson> pipeline, PipelineScope scope, CodecRegistry registry) {
        Objects.requireNonNull(scope, "pipeline scope must not be null");
        List<BsonDocument> stages = BsonCopies.documents(pipeline, registry);
        return new PipelineConfinement(scope).confine(stages, Input.COLLECTION, true);
    }

    /**
     * Returns the name of {@code stage}, its only key, which must start with '$'.
     *
     * @param where how the enclosing pipeline is called in messages
     */
    static String stageName(BsonDocument stage, String where) {
        if (stage.size() != 1) {
            throw new IsolationViolationException("A stage of the " + where + " must have exactly one key, the stage "
                    + "name, like {$match: {...}}; got " + (stage.isEmpty() ? "an empty document" : "keys "
                    + stage.keySet()) + ". Split it into one document per stage.");
        }
        String name = stage.getFirstKey();
        if (!name.startsWith("$")) {
            throw new IsolationViolationException("'" + name + "' in the " + where + " is not a stage name: stage "
                    + "names start with '$', like {$match: {...}}.");
        }
        return name;
    }

    PipelineScope scope() {
        return scope;
    }

    /** The FIELD model's tenant condition as a new document, or null for the other models. */
    @Nullable BsonDocument condition() {
        return condition == null ? null : BsonCopies.deepCopy(condition);
    }

    /** Confines a (sub-)pipeline whose stages are already this engine's own copies. */
    List<BsonDocument> confine(List<BsonDocument> stages, Input input, boolean topLevel) {
        List<BsonDocument> confined = new ArrayList<>(stages.size() + 3);
        if (input == Input.COLLECTION && condition != null) {
            String first = stages.isEmpty() ? null : stageName(stages.get(0), "pipeline");
            if ("$match".equals(first) && stages.get(0).get(first).isDocument()) {
                // The leading $match joins the tenant condition, before the ids are unwrapped, so
                // that its conditions on _id can use the index. $text must be in the first stage
                // anyway, and a compound text index needs the tenant equality in the same $match.
                confined.add(match(and(idFilter(stages.get(0).get(first)), "$match", "filter")));
                stages = stages.subList(1, stages.size());
            } else if ("$geoNear".equals(first) || "$vectorSearch".equals(first)) {
                // $geoNear and $vectorSearch must come first; they take the condition themselves.
                BsonDocument stage = stages.get(0);
                confineStage(first, stage, stage.get(first), false, false, confined);
                stages = stages.subList(1, stages.size());
            } else {
                confined.add(match(condition()));
            }
            if (ids != null) {
                confined.add(FieldIds.unwrapStage());
            }
        }
        for (int i = 0; i < stages.size(); i++) {
            BsonDocument stage = stages.get(i);
            String name = stageName(stage, "pipeline");
            boolean last = i == stages.size() - 1;
            confineStage(name, stage, stage.get(name), input == Input.DOCUMENTS && i == 0, topLevel && last,
                    confined);
        }
        return confined;
    }

    private void confineStage(String name, BsonDocument stage, BsonValue spec, boolean literalInput,
            boolean lastOfTopLevel, List<BsonDocument> confined) {
        if (PASS_THROUGH.contains(name)) {
            confined.add(stage);
            return;
        }
        switch (name) {
            case "$geoNear":
                BsonDocument geoNear = document(name, spec);
                if (geoNear.containsKey("query")) {
                    geoNear.put("query", idFilter(geoNear.get("query")));
                }
                confined.add(new BsonDocument(name, withCondition(name, geoNear, "query", condition())));
                return;
            case "$vectorSearch":
                confined.add(new BsonDocument(name,
                        withCondition(name, spec, "filter", condition == null ? null : explicitEq(condition))));
                return;
            case "$facet":
                confined.add(new BsonDocument(name, facet(spec)));
                return;
            case "$lookup":
                confined.add(new BsonDocument(name, references.lookup(spec)));
                return;
            case "$graphLookup":
                BsonDocument graphLookup = references.graphLookup(spec);
                confined.add(new BsonDocument(name, graphLookup));
                BsonDocument unwrap = references.afterGraphLookup(graphLookup);
                if (unwrap != null) {
                    confined.add(unwrap);
                }
                return;
            case "$unionWith":
                confined.add(new BsonDocument(name, references.unionWith(spec)));
                return;
            case "$out":
                confined.add(new BsonDocument(name, references.out(spec, lastOfTopLevel)));
                return;
            case "$merge":
                references.merge(spec, lastOfTopLevel, confined);
                return;
            case "$documents":
                if (!literalInput) {
                    throw new IsolationViolationException("$documents supplies literal documents, so it may only start "
                            + "the pipeline of a $lookup or $unionWith that names no collection; a collection's own "
                            + "pipeline reads the tenant's documents. Use "
                            + "{$unionWith: {pipeline: [{$documents: ...}]}}.");
                }
                confined.add(stage);
                return;
            case "$changeStream":
            case "$changeStreamSplitLargeEvent":
                throw new IsolationViolationException(name + " is refused in aggregate(); use watch() on the "
                        + "collection or database, which Tenantry confines to this tenant's changes.");
            default:
                break;
        }
        String reason = SERVER_WIDE.get(name);
        if (reason != null) {
            throw new IsolationViolationException(name + " " + reason + ", so Tenantry refuses it in a tenant's "
                    + "pipeline. Run it on an administrative connection outside Tenantry.");
        }
        reason = WHOLE_COLLECTION.get(name);
        if (reason != null) {
            if (condition != null) {
                throw new IsolationViolationException(name + " " + reason + ". The tenant's collections are shared "
                        + "(FIELD model), so Tenantry refuses it; run it on an administrative connection.");
            }
            confined.add(stage);
            return;
        }
        throw new IsolationViolationException("Unknown aggregation stage '" + name + "': Tenantry passes only stages "
                + "it knows how to confine to the tenant, and refuses the rest. Use the supported stages "
                + supportedStages() + ", or run the pipeline on an administrative connection.");
    }

    private BsonDocument facet(BsonValue spec) {
        if (!spec.isDocument()) {
            throw new IsolationViolationException("$facet must be given a document of named sub-pipelines; got a "
                    + spec.getBsonType() + ".");
        }
        BsonDocument facets = new BsonDocument();
        for (Map.Entry<String, BsonValue> facet : spec.asDocument().entrySet()) {
            List<BsonDocument> stages = stages(facet.getValue(), "$facet." + facet.getKey());
            // The $facet input is already narrowed to the tenant; only nested references need confining.
            facets.put(facet.getKey(), new BsonArray(confine(stages, Input.CONFINED, false)));
        }
        return facets;
    }

    private static BsonDocument document(String name, BsonValue spec) {
        if (!spec.isDocument()) {
            throw new IsolationViolationException(name + " must be given a document; got a " + spec.getBsonType()
                    + ".");
        }
        return spec.asDocument();
    }

    /** Returns {@code spec} with {@code condition} ANDed into its {@code key} (no-op for a null condition). */
    private static BsonDocument withCondition(String name, BsonValue spec, String key,
            @Nullable BsonDocument condition) {
        if (!spec.isDocument()) {
            throw new IsolationViolationException(name + " must be given a document; got a " + spec.getBsonType()
                    + ".");
        }
        BsonDocument document = spec.asDocument();
        if (condition != null) {
            document.put(key, and(condition, document.get(key), name, key));
        }
        return document;
    }

    /** Returns {@code {$and: [condition, existing]}}, or the condition when there is nothing to AND. */
    static BsonDocument and(BsonDocument condition, @Nullable BsonValue existing, String stage, String key) {
        if (existing == null || (existing.isDocument() && existing.asDocument().isEmpty())) {
            return condition;
        }
        if (!existing.isDocument()) {
            throw new IsolationViolationException(stage + "." + key + " must be a query document; got a "
                    + existing.getBsonType() + ".");
        }
        return new BsonDocument("$and", new BsonArray(List.of(condition, existing)));
    }

    private BsonDocument and(BsonValue existing, String stage, String key) {
        return and(condition(), existing, stage, key);
    }

    /** {@code {field: value}} as {@code {field: {$eq: value}}}: $vectorSearch filters document only that form. */
    private static BsonDocument explicitEq(BsonDocument condition) {
        BsonDocument explicit = new BsonDocument();
        for (Map.Entry<String, BsonValue> entry : condition.entrySet()) {
            explicit.put(entry.getKey(), new BsonDocument("$eq", BsonCopies.deepCopy(entry.getValue())));
        }
        return explicit;
    }

    static BsonDocument match(BsonDocument filter) {
        return new BsonDocument("$match", filter);
    }

    /** Returns the stages of a sub-pipeline value, which must be an array of documents. */
    static List<BsonDocument> stages(BsonValue pipeline, String where) {
        if (!pipeline.isArray()) {
            throw new IsolationViolationException(where + " must be an array of stage documents; got a "
                    + pipeline.getBsonType() + ".");
        }
        List<BsonDocument> stages = new ArrayList<>();
        for (BsonValue stage : pipeline.asArray()) {
            if (!stage.isDocument()) {
                throw new IsolationViolationException(where + " must contain only stage documents; got a "
                        + stage.getBsonType() + ".");
            }
            stages.add(stage.asDocument());
        }
        return stages;
    }

    private static String supportedStages() {
        Set<String> supported = new TreeSet<>(PASS_THROUGH);
        supported.addAll(List.of("$facet", "$geoNear", "$vectorSearch", "$lookup", "$graphLookup", "$unionWith",
                "$merge", "$out"));
        return supported.toString();
    }
}
