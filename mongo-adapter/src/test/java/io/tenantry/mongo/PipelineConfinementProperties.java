package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoClientSettings;
import io.tenantry.IsolationViolationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.codecs.configuration.CodecRegistry;

/**
 * Random pipelines of allowed stages, with {@code $lookup}, {@code $unionWith}, {@code $facet} and
 * {@code $graphLookup} nested at any depth: in the FIELD model every read of a collection starts
 * with the tenant {@code $match} and every referenced collection went through the scope; in the
 * COLLECTION model only the names change; a forbidden or unknown stage anywhere is refused.
 */
class PipelineConfinementProperties {

    private static final CodecRegistry REGISTRY = MongoClientSettings.getDefaultCodecRegistry();
    private static final BsonDocument TENANT_MATCH = new BsonDocument("$match", RecordingScope.condition());
    private static final List<String> COLLECTIONS = List.of("cards", "users", "orders");

    @Property(tries = 1000)
    void fieldModelConfinesEveryReadAndWrite(@ForAll("pipelines") List<BsonDocument> pipeline) {
        List<BsonDocument> before = copies(pipeline);
        RecordingScope scope = RecordingScope.field();

        List<BsonDocument> confined = PipelineConfinement.confine(pipeline, scope, REGISTRY);

        assertThat(confined.get(0)).isEqualTo(TENANT_MATCH);
        boolean merges = !pipeline.isEmpty() && pipeline.get(pipeline.size() - 1).containsKey("$merge");
        assertThat(confined).hasSize(pipeline.size() + 1 + (merges ? 1 : 0));
        checkConfined(confined, true);
        assertThat(scope.requested).containsExactlyInAnyOrderElementsOf(referencedCollections(before));
        assertThat(pipeline).isEqualTo(before);
    }

    @Property(tries = 500)
    void collectionModelOnlyMapsTheCollectionNames(@ForAll("pipelines") List<BsonDocument> pipeline) {
        List<BsonDocument> before = copies(pipeline);
        RecordingScope scope = RecordingScope.collection();

        List<BsonDocument> confined = PipelineConfinement.confine(pipeline, scope, REGISTRY);

        assertThat(confined).isEqualTo(mapNames(before));
        assertThat(scope.requested).containsExactlyInAnyOrderElementsOf(referencedCollections(before));
        assertThat(pipeline).isEqualTo(before);
    }

    @Property(tries = 1000)
    void forbiddenOrUnknownStageAnywhereIsRefusedInTheFieldModel(
            @ForAll("fieldPoisonedPipelines") List<BsonDocument> pipeline) {
        assertThatThrownBy(() -> PipelineConfinement.confine(pipeline, RecordingScope.field(), REGISTRY))
                .isInstanceOf(IsolationViolationException.class);
    }

    @Property(tries = 500)
    void serverWideOrUnknownStageAnywhereIsRefusedInEveryModel(
            @ForAll("poisonedPipelines") List<BsonDocument> pipeline) {
        assertThatThrownBy(() -> PipelineConfinement.confine(pipeline, RecordingScope.collection(), REGISTRY))
                .isInstanceOf(IsolationViolationException.class);
    }

    // --- checks ------------------------------------------------------------------------------

    private static void checkConfined(List<BsonDocument> pipeline, boolean readsCollection) {
        if (readsCollection) {
            assertThat(pipeline).first().isEqualTo(TENANT_MATCH);
        }
        for (int i = 0; i < pipeline.size(); i++) {
            BsonDocument stage = pipeline.get(i);
            String name = stage.getFirstKey();
            BsonValue spec = stage.get(name);
            switch (name) {
                case "$lookup":
                    assertMapped(spec.asDocument().get("from"));
                    checkConfined(stages(spec.asDocument().get("pipeline")), true);
                    break;
                case "$unionWith":
                    assertMapped(spec.asDocument().get("coll"));
                    checkConfined(stages(spec.asDocument().get("pipeline")), true);
                    break;
                case "$graphLookup":
                    assertMapped(spec.asDocument().get("from"));
                    BsonDocument restrict = spec.asDocument().getDocument("restrictSearchWithMatch");
                    if (!restrict.equals(RecordingScope.condition())) {
                        assertThat(restrict.getArray("$and").get(0)).isEqualTo(RecordingScope.condition());
                    }
                    break;
                case "$facet":
                    for (BsonValue sub : spec.asDocument().values()) {
                        checkConfined(stages(sub), false);
                    }
                    break;
                case "$merge":
                    assertMapped(spec.asDocument().get("into"));
                    assertThat(spec.asDocument().getArray("on").get(0)).isEqualTo(new BsonString("tenantId"));
                    assertThat(pipeline.get(i - 1)).isEqualTo(new BsonDocument("$set", RecordingScope.condition()));
                    break;
                default:
                    break;
            }
        }
    }

    private static void assertMapped(BsonValue name) {
        BsonValue coll = name.isDocument() ? name.asDocument().get("coll") : name;
        assertThat(coll.asString().getValue()).startsWith(RecordingScope.PREFIX);
        if (name.isDocument()) {
            assertThat(name.asDocument().getString("db").getValue()).isEqualTo(RecordingScope.DATABASE);
        }
    }

    /** The logical names the original pipeline references, in any order, once per reference. */
    private static List<String> referencedCollections(List<BsonDocument> pipeline) {
        List<String> names = new ArrayList<>();
        mapNames(pipeline, names);
        return names;
    }

    private static List<BsonDocument> mapNames(List<BsonDocument> pipeline) {
        return mapNames(pipeline, new ArrayList<>());
    }

    /** The test's own model of name mapping: each from/coll/into gets the prefix, nothing else changes. */
    private static List<BsonDocument> mapNames(List<BsonDocument> pipeline, List<String> seen) {
        List<BsonDocument> mapped = new ArrayList<>();
        for (BsonDocument original : pipeline) {
            BsonDocument stage = original.clone();
            String name = stage.getFirstKey();
            BsonValue spec = stage.get(name);
            switch (name) {
                case "$lookup":
                case "$graphLookup":
                    spec.asDocument().put("from", mapName(spec.asDocument().get("from"), seen));
                    mapPipeline(spec.asDocument(), seen);
                    break;
                case "$unionWith":
                case "$merge":
                    if (spec.isString()) {
                        stage.put(name, mapName(spec, seen));
                    } else {
                        String key = name.equals("$merge") ? "into" : "coll";
                        spec.asDocument().put(key, mapName(spec.asDocument().get(key), seen));
                        mapPipeline(spec.asDocument(), seen);
                    }
                    break;
                case "$facet":
                    for (Map.Entry<String, BsonValue> facet : spec.asDocument().entrySet()) {
                        facet.setValue(new BsonArray(mapNames(stages(facet.getValue()), seen)));
                    }
                    break;
                default:
                    break;
            }
            mapped.add(stage);
        }
        return mapped;
    }

    private static void mapPipeline(BsonDocument spec, List<String> seen) {
        if (spec.containsKey("pipeline")) {
            spec.put("pipeline", new BsonArray(mapNames(stages(spec.get("pipeline")), seen)));
        }
    }

    private static BsonValue mapName(BsonValue name, List<String> seen) {
        if (name.isDocument()) {
            BsonDocument namespace = name.asDocument().clone();
            namespace.put("coll", mapName(namespace.get("coll"), seen));
            return namespace;
        }
        seen.add(name.asString().getValue());
        return new BsonString(RecordingScope.PREFIX + name.asString().getValue());
    }

    private static List<BsonDocument> stages(BsonValue array) {
        return array.asArray().stream().map(BsonValue::asDocument).toList();
    }

    private static List<BsonDocument> copies(List<BsonDocument> pipeline) {
        return pipeline.stream().map(BsonDocument::clone).toList();
    }

    // --- generators ----------------------------------------------------------------------------

    @Provide
    Arbitrary<List<BsonDocument>> pipelines() {
        Arbitrary<BsonDocument> merge = Combinators.combine(collection(), Arbitraries.of(0, 1, 2, 3))
                .as((c, form) -> BsonDocument.parse(switch (form) {
                    case 0 -> "{$merge: '" + c + "'}";
                    case 1 -> "{$merge: {into: '" + c + "'}}";
                    case 2 -> "{$merge: {into: {db: 'app', coll: '" + c + "'}, on: ['sku', 'tenantId']}}";
                    default -> "{$merge: {into: '" + c + "', on: 'sku', whenMatched: [{$set: {n: 1}}]}}";
                }));
        return Combinators.combine(pipeline(3), merge.optional()).as((stages, last) -> {
            List<BsonDocument> pipeline = new ArrayList<>(stages);
            last.ifPresent(pipeline::add);
            return pipeline;
        });
    }

    @Provide
    Arbitrary<List<BsonDocument>> fieldPoisonedPipelines() {
        return poisoned(2, Arbitraries.oneOf(alwaysRefused(), Arbitraries.of(
                "{$collStats: {count: {}}}", "{$indexStats: {}}", "{$search: {text: {query: 'x', path: 'a'}}}",
                "{$searchMeta: {}}", "{$listSearchIndexes: {}}", "{$out: 'cards'}").map(BsonDocument::parse)));
    }

    @Provide
    Arbitrary<List<BsonDocument>> poisonedPipelines() {
        return poisoned(2, alwaysRefused());
    }

    private static Arbitrary<BsonDocument> alwaysRefused() {
        return Arbitraries.of("{$rankFusion: {}}", "{$foo: {}}", "{$currentOp: {}}", "{$listSessions: {}}",
                "{$listLocalSessions: {}}", "{$planCacheStats: {}}", "{$shardedDataDistribution: {}}",
                "{$listSampledQueries: {}}", "{$querySettings: {}}", "{$listClusterCatalog: {}}", "{$listCatalog: {}}",
                "{$changeStream: {}}", "{$changeStreamSplitLargeEvent: {}}", "{$documents: [{tenantId: 'bravo'}]}",
                "{$match: {}, $limit: 1}", "{match: {}}", "{}",
                "{$lookup: {from: {db: 'other', coll: 'cards'}, pipeline: [], as: 'x'}}",
                "{$unionWith: {pipeline: [{$match: {}}]}}", "{$lookup: {pipeline: [], as: 'x'}}",
                "{$merge: {into: 'x'}}", "{$out: {db: 'other', coll: 'x'}}").map(BsonDocument::parse);
    }

    /** A valid pipeline with one bad stage at a random position, at the top or inside a sub-pipeline. */
    private static Arbitrary<List<BsonDocument>> poisoned(int depth, Arbitrary<BsonDocument> bad) {
        Arbitrary<BsonDocument> carrier = bad;
        if (depth > 0) {
            Arbitrary<List<BsonDocument>> inner = poisoned(depth - 1, bad);
            carrier = Arbitraries.oneOf(bad,
                    Combinators.combine(collection(), inner).as((c, p) -> lookup(c, p, false)),
                    Combinators.combine(collection(), inner).as((c, p) -> new BsonDocument("$unionWith",
                            new BsonDocument("coll", new BsonString(c)).append("pipeline", new BsonArray(p)))),
                    inner.map(p -> new BsonDocument("$facet", new BsonDocument("f", new BsonArray(p)))));
        }
        // $merge is refused anywhere but last; keep it off the end so it stays a refusal.
        return Combinators.combine(pipeline(1), carrier, Arbitraries.integers().between(0, 100))
                .as((stages, stage, position) -> {
                    List<BsonDocument> pipeline = new ArrayList<>(stages);
                    pipeline.add(Math.floorMod(position, stages.size() + 1), stage);
                    if (pipeline.get(pipeline.size() - 1).containsKey("$merge")) {
                        pipeline.add(BsonDocument.parse("{$limit: 1}"));
                    }
                    return pipeline;
                });
    }

    private static Arbitrary<String> collection() {
        return Arbitraries.of(COLLECTIONS);
    }

    private static Arbitrary<List<BsonDocument>> pipeline(int depth) {
        return stage(depth).list().ofMaxSize(4);
    }

    private static Arbitrary<BsonDocument> stage(int depth) {
        Arbitrary<BsonDocument> simple = Arbitraries.of(
                "{$match: {a: 1}}", "{$match: {tenantId: 'bravo'}}", "{$match: {$or: [{tenantId: 'b'}, {}]}}",
                "{$project: {a: 1, tenantId: 0}}", "{$addFields: {tenantId: 'bravo'}}", "{$set: {b: '$a'}}",
                "{$unset: 'tenantId'}", "{$group: {_id: '$a', n: {$sum: 1}}}", "{$sort: {a: 1}}", "{$limit: 5}",
                "{$skip: 1}", "{$count: 'n'}", "{$unwind: '$tags'}", "{$sample: {size: 2}}", "{$sortByCount: '$a'}",
                "{$replaceWith: '$sub'}", "{$replaceRoot: {newRoot: '$sub'}}", "{$redact: '$$KEEP'}",
                "{$bucket: {groupBy: '$a', boundaries: [0, 5]}}", "{$bucketAuto: {groupBy: '$a', buckets: 2}}",
                "{$setWindowFields: {sortBy: {a: 1}, output: {r: {$rank: {}}}}}",
                "{$densify: {field: 'a', range: {step: 1, bounds: 'full'}}}",
                "{$fill: {output: {a: {value: 0}}}}").map(BsonDocument::parse);
        Arbitrary<BsonDocument> localLookup = collection().map(c -> BsonDocument.parse(
                "{$lookup: {from: '" + c + "', localField: 'a', foreignField: 'b', as: 'x'}}"));
        Arbitrary<BsonDocument> unionByName = collection().map(c -> new BsonDocument("$unionWith", new BsonString(c)));
        Arbitrary<BsonDocument> graphLookup = Combinators.combine(collection(), Arbitraries.of(true, false))
                .as((c, restricted) -> BsonDocument.parse("{$graphLookup: {from: '" + c + "', startWith: '$a', "
                        + "connectFromField: 'a', connectToField: 'b', as: 'g'"
                        + (restricted ? ", restrictSearchWithMatch: {tenantId: 'bravo'}" : "") + "}}"));
        if (depth == 0) {
            return Arbitraries.frequencyOf(Tuple.of(6, simple), Tuple.of(1, localLookup), Tuple.of(1, unionByName),
                    Tuple.of(1, graphLookup));
        }
        Arbitrary<List<BsonDocument>> sub = pipeline(depth - 1);
        Arbitrary<BsonDocument> pipelineLookup = Combinators.combine(collection(), sub, Arbitraries.of(true, false))
                .as(PipelineConfinementProperties::lookup);
        Arbitrary<BsonDocument> unionWithPipeline = Combinators.combine(collection(), sub.optional())
                .as((c, p) -> {
                    BsonDocument spec = new BsonDocument("coll", new BsonString(c));
                    p.ifPresent(stages -> spec.put("pipeline", new BsonArray(stages)));
                    return new BsonDocument("$unionWith", spec);
                });
        Arbitrary<BsonDocument> facet = sub.list().ofMinSize(1).ofMaxSize(2).map(subs -> {
            BsonDocument facets = new BsonDocument();
            for (int i = 0; i < subs.size(); i++) {
                facets.put("f" + i, new BsonArray(subs.get(i)));
            }
            return new BsonDocument("$facet", facets);
        });
        return Arbitraries.frequencyOf(Tuple.of(6, simple), Tuple.of(1, localLookup), Tuple.of(1, unionByName),
                Tuple.of(1, graphLookup), Tuple.of(2, pipelineLookup), Tuple.of(2, unionWithPipeline),
                Tuple.of(1, facet));
    }

    private static BsonDocument lookup(String collection, List<BsonDocument> pipeline, boolean namespaced) {
        BsonValue from = namespaced
                ? new BsonDocument("db", new BsonString("app")).append("coll", new BsonString(collection))
                : new BsonString(collection);
        return new BsonDocument("$lookup", new BsonDocument("from", from)
                .append("pipeline", new BsonArray(pipeline)).append("as", new BsonString("x")));
    }
}
