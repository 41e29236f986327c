package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoClientSettings;
import io.tenantry.IsolationViolationException;
import io.tenantry.tck.Trials;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.codecs.configuration.CodecRegistry;
import org.junit.jupiter.api.Test;

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
    private static final List<String> SIMPLE_STAGES = List.of(
            "{$match: {a: 1}}", "{$match: {tenantId: 'bravo'}}", "{$match: {$or: [{tenantId: 'b'}, {}]}}",
            "{$project: {a: 1, tenantId: 0}}", "{$addFields: {tenantId: 'bravo'}}", "{$set: {b: '$a'}}",
            "{$unset: 'tenantId'}", "{$group: {_id: '$a', n: {$sum: 1}}}", "{$sort: {a: 1}}", "{$limit: 5}",
            "{$skip: 1}", "{$count: 'n'}", "{$unwind: '$tags'}", "{$sample: {size: 2}}", "{$sortByCount: '$a'}",
            "{$replaceWith: '$sub'}", "{$replaceRoot: {newRoot: '$sub'}}", "{$redact: '$$KEEP'}",
            "{$bucket: {groupBy: '$a', boundaries: [0, 5]}}", "{$bucketAuto: {groupBy: '$a', buckets: 2}}",
            "{$setWindowFields: {sortBy: {a: 1}, output: {r: {$rank: {}}}}}",
            "{$densify: {field: 'a', range: {step: 1, bounds: 'full'}}}",
            "{$fill: {output: {a: {value: 0}}}}");
    private static final List<String> ALWAYS_REFUSED = List.of("{$rankFusion: {}}", "{$foo: {}}",
            "{$currentOp: {}}", "{$listSessions: {}}", "{$listLocalSessions: {}}", "{$planCacheStats: {}}",
            "{$shardedDataDistribution: {}}", "{$listSampledQueries: {}}", "{$querySettings: {}}",
            "{$listClusterCatalog: {}}", "{$listCatalog: {}}", "{$changeStream: {}}",
            "{$changeStreamSplitLargeEvent: {}}", "{$documents: [{tenantId: 'bravo'}]}", "{$match: {}, $limit: 1}",
            "{match: {}}", "{}", "{$lookup: {from: {db: 'other', coll: 'cards'}, pipeline: [], as: 'x'}}",
            "{$unionWith: {pipeline: [{$match: {}}]}}", "{$lookup: {pipeline: [], as: 'x'}}",
            "{$merge: {into: 'x'}}", "{$out: {db: 'other', coll: 'x'}}");

    @Test
    void fieldModelConfinesEveryReadAndWrite() {
        Trials.forAllLists("the FIELD model confines every read and write", 1000,
                PipelineConfinementProperties::pipeline, pipeline -> {
                    List<BsonDocument> before = copies(pipeline);
                    RecordingScope scope = RecordingScope.field();

                    List<BsonDocument> confined = PipelineConfinement.confine(pipeline, scope, REGISTRY);

                    boolean merges = !pipeline.isEmpty() && pipeline.get(pipeline.size() - 1).containsKey("$merge");
                    boolean leadingMatch = !pipeline.isEmpty() && pipeline.get(0).containsKey("$match");
                    boolean emptyMatch = leadingMatch && pipeline.get(0).getDocument("$match").isEmpty();
                    assertThat(confined.get(0)).isEqualTo(leadingMatch && !emptyMatch ? new BsonDocument("$match", new BsonDocument(
                            "$and", new org.bson.BsonArray(List.of(RecordingScope.condition(),
                                    pipeline.get(0).getDocument("$match"))))) : TENANT_MATCH);
                    assertThat(confined).hasSize(pipeline.size() + (leadingMatch ? 0 : 1) + (merges ? 1 : 0));
                    checkConfined(confined, true);
                    assertThat(scope.requested).containsExactlyInAnyOrderElementsOf(referencedCollections(before));
                    assertThat(pipeline).isEqualTo(before);
                });
    }

    @Test
    void collectionModelOnlyMapsTheCollectionNames() {
        Trials.forAllLists("the COLLECTION model only maps the collection names", 500,
                PipelineConfinementProperties::pipeline, pipeline -> {
                    List<BsonDocument> before = copies(pipeline);
                    RecordingScope scope = RecordingScope.collection();

                    List<BsonDocument> confined = PipelineConfinement.confine(pipeline, scope, REGISTRY);

                    assertThat(confined).isEqualTo(mapNames(before));
                    assertThat(scope.requested).containsExactlyInAnyOrderElementsOf(referencedCollections(before));
                    assertThat(pipeline).isEqualTo(before);
                });
    }

    /** The pipelines are not shrunk: removing stages could remove the one that must be refused. */
    @Test
    void forbiddenOrUnknownStageAnywhereIsRefusedInTheFieldModel() {
        Trials.forAll("a forbidden or unknown stage anywhere is refused in the FIELD model", 1000,
                random -> poisoned(random, 2, PipelineConfinementProperties::refusedInTheFieldModel),
                pipeline -> assertThatThrownBy(() -> PipelineConfinement.confine(pipeline, RecordingScope.field(),
                        REGISTRY)).isInstanceOf(IsolationViolationException.class));
    }

    @Test
    void serverWideOrUnknownStageAnywhereIsRefusedInEveryModel() {
        Trials.forAll("a server-wide or unknown stage anywhere is refused in every model", 500,
                random -> poisoned(random, 2, PipelineConfinementProperties::alwaysRefused),
                pipeline -> assertThatThrownBy(() -> PipelineConfinement.confine(pipeline,
                        RecordingScope.collection(), REGISTRY)).isInstanceOf(IsolationViolationException.class));
    }

    // --- checks ------------------------------------------------------------------------------

    private static void checkConfined(List<BsonDocument> pipeline, boolean readsCollection) {
        if (readsCollection) {
            // The tenant condition alone, or ANDed first with a leading $match of the caller's.
            assertThat(pipeline).isNotEmpty();
            BsonDocument first = pipeline.get(0);
            if (!first.equals(TENANT_MATCH)) {
                assertThat(first.getDocument("$match").getArray("$and").get(0)).isEqualTo(RecordingScope.condition());
            }
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

    /** Up to four stages, nested up to three deep; nineteen in twenty end with a $merge in one of its forms. */
    private static List<BsonDocument> pipeline(SplittableRandom random) {
        List<BsonDocument> pipeline = pipeline(random, 3);
        if (Draw.chance(random, 0.95)) {
            String c = collection(random);
            pipeline.add(BsonDocument.parse(switch (random.nextInt(4)) {
                case 0 -> "{$merge: '" + c + "'}";
                case 1 -> "{$merge: {into: '" + c + "'}}";
                case 2 -> "{$merge: {into: {db: 'app', coll: '" + c + "'}, on: ['sku', 'tenantId']}}";
                default -> "{$merge: {into: '" + c + "', on: 'sku', whenMatched: [{$set: {n: 1}}]}}";
            }));
        }
        return pipeline;
    }

    private static BsonDocument refusedInTheFieldModel(SplittableRandom random) {
        return random.nextBoolean() ? alwaysRefused(random) : BsonDocument.parse(Draw.oneOf(random, List.of(
                "{$collStats: {count: {}}}", "{$indexStats: {}}", "{$search: {text: {query: 'x', path: 'a'}}}",
                "{$searchMeta: {}}", "{$listSearchIndexes: {}}", "{$out: 'cards'}")));
    }

    private static BsonDocument alwaysRefused(SplittableRandom random) {
        return BsonDocument.parse(Draw.oneOf(random, ALWAYS_REFUSED));
    }

    /** A valid pipeline with one bad stage at a random position, at the top or inside a sub-pipeline. */
    private static List<BsonDocument> poisoned(SplittableRandom random, int depth,
            Function<SplittableRandom, BsonDocument> bad) {
        List<BsonDocument> stages = pipeline(random, 1);
        BsonDocument carrier = switch (depth > 0 ? random.nextInt(4) : 0) {
            case 0 -> bad.apply(random);
            case 1 -> lookup(collection(random), poisoned(random, depth - 1, bad), false);
            case 2 -> new BsonDocument("$unionWith", new BsonDocument("coll", new BsonString(collection(random)))
                    .append("pipeline", new BsonArray(poisoned(random, depth - 1, bad))));
            default -> new BsonDocument("$facet", new BsonDocument("f",
                    new BsonArray(poisoned(random, depth - 1, bad))));
        };
        List<BsonDocument> pipeline = new ArrayList<>(stages);
        pipeline.add(Draw.between(random, 0, stages.size()), carrier);
        // $merge is refused anywhere but last; keep it off the end so it stays a refusal.
        if (pipeline.get(pipeline.size() - 1).containsKey("$merge")) {
            pipeline.add(BsonDocument.parse("{$limit: 1}"));
        }
        return pipeline;
    }

    private static String collection(SplittableRandom random) {
        return Draw.oneOf(random, COLLECTIONS);
    }

    private static List<BsonDocument> pipeline(SplittableRandom random, int depth) {
        return Draw.list(random, 0, 4, r -> stage(r, depth));
    }

    /** Mostly simple stages; sometimes a stage that reads another collection, by name or with a sub-pipeline. */
    private static BsonDocument stage(SplittableRandom random, int depth) {
        int roll = random.nextInt(depth == 0 ? 9 : 14);
        if (roll < 6) {
            return BsonDocument.parse(Draw.oneOf(random, SIMPLE_STAGES));
        } else if (roll < 7) {
            return BsonDocument.parse("{$lookup: {from: '" + collection(random)
                    + "', localField: 'a', foreignField: 'b', as: 'x'}}");
        } else if (roll < 8) {
            return new BsonDocument("$unionWith", new BsonString(collection(random)));
        } else if (roll < 9) {
            String c = collection(random);
            boolean restricted = random.nextBoolean();
            return BsonDocument.parse("{$graphLookup: {from: '" + c + "', startWith: '$a', "
                    + "connectFromField: 'a', connectToField: 'b', as: 'g'"
                    + (restricted ? ", restrictSearchWithMatch: {tenantId: 'bravo'}" : "") + "}}");
        } else if (roll < 11) {
            String c = collection(random);
            return lookup(c, pipeline(random, depth - 1), random.nextBoolean());
        } else if (roll < 13) {
            BsonDocument spec = new BsonDocument("coll", new BsonString(collection(random)));
            if (Draw.chance(random, 0.95)) {
                spec.put("pipeline", new BsonArray(pipeline(random, depth - 1)));
            }
            return new BsonDocument("$unionWith", spec);
        }
        BsonDocument facets = new BsonDocument();
        List<List<BsonDocument>> subs = Draw.list(random, 1, 2, r -> pipeline(r, depth - 1));
        for (int i = 0; i < subs.size(); i++) {
            facets.put("f" + i, new BsonArray(subs.get(i)));
        }
        return new BsonDocument("$facet", facets);
    }

    private static BsonDocument lookup(String collection, List<BsonDocument> pipeline, boolean namespaced) {
        BsonValue from = namespaced
                ? new BsonDocument("db", new BsonString("app")).append("coll", new BsonString(collection))
                : new BsonString(collection);
        return new BsonDocument("$lookup", new BsonDocument("from", from)
                .append("pipeline", new BsonArray(pipeline)).append("as", new BsonString("x")));
    }
}
