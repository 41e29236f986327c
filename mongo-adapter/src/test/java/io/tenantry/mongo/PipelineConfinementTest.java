package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoClientSettings;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import io.tenantry.IsolationViolationException;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.bson.BsonDocument;
import org.bson.codecs.configuration.CodecRegistry;
import org.junit.jupiter.api.Test;

class PipelineConfinementTest {

    private static final CodecRegistry REGISTRY = MongoClientSettings.getDefaultCodecRegistry();
    private static final String TENANT_MATCH = "{$match: {tenantId: 'acme'}}";

    private final RecordingScope field = RecordingScope.field();
    private final RecordingScope collection = RecordingScope.collection();

    private static List<BsonDocument> stages(String... json) {
        return Arrays.stream(json).map(BsonDocument::parse).toList();
    }

    private static List<BsonDocument> confine(PipelineScope scope, String... json) {
        return PipelineConfinement.confine(stages(json), scope, REGISTRY);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> refused(PipelineScope scope, String... json) {
        return assertThatThrownBy(() -> confine(scope, json)).isInstanceOf(IsolationViolationException.class);
    }

    // --- the pipeline's own input -----------------------------------------------------------

    @Test
    void fieldPipelineStartsWithTheTenantMatchEvenWhenTheUserForgesAnotherTenant() {
        assertThat(confine(field, "{$match: {tenantId: 'bravo'}}", "{$group: {_id: '$a', n: {$sum: 1}}}"))
                .isEqualTo(stages("{$match: {$and: [{tenantId: 'acme'}, {tenantId: 'bravo'}]}}",
                        "{$group: {_id: '$a', n: {$sum: 1}}}"));
        assertThat(confine(field)).isEqualTo(stages(TENANT_MATCH));
    }

    @Test
    void collectionModelPipelineIsPassedThroughWithoutAMatch() {
        assertThat(confine(collection, "{$match: {a: 1}}", "{$sort: {a: 1}}", "{$collStats: {count: {}}}"))
                .isEqualTo(stages("{$match: {a: 1}}", "{$sort: {a: 1}}", "{$collStats: {count: {}}}"));
    }

    @Test
    void driverBuiltStagesAreRenderedWithTheRegistryAndNeverMutated() {
        List<org.bson.conversions.Bson> pipeline = List.of(Aggregates.match(Filters.eq("a", 1)),
                Aggregates.lookup("users", "userId", "_id", "user"));
        List<BsonDocument> before = pipeline.stream().map(s -> s.toBsonDocument(BsonDocument.class, REGISTRY)).toList();
        List<BsonDocument> confined = PipelineConfinement.confine(pipeline, field, REGISTRY);
        assertThat(confined).isEqualTo(stages("{$match: {$and: [{tenantId: 'acme'}, {a: 1}]}}",
                "{$lookup: {from: 'acme__users', "
                + "localField: 'userId', foreignField: '_id', as: 'user', pipeline: [" + TENANT_MATCH + "]}}"));
        assertThat(pipeline.stream().map(s -> s.toBsonDocument(BsonDocument.class, REGISTRY)).toList())
                .isEqualTo(before);
    }

    @Test
    void textSearchMatchIsMergedWithTheTenantConditionBecauseItMustComeFirst() {
        assertThat(confine(field, "{$match: {$text: {$search: 'mint'}}}", "{$limit: 5}"))
                .isEqualTo(stages("{$match: {$and: [{tenantId: 'acme'}, {$text: {$search: 'mint'}}]}}",
                        "{$limit: 5}"));
    }

    @Test
    void geoNearQueryIsConfinedInPlaceBecauseGeoNearMustComeFirst() {
        assertThat(confine(field, "{$geoNear: {near: [0, 0], distanceField: 'd', query: {tenantId: 'bravo'}}}"))
                .isEqualTo(stages("{$geoNear: {near: [0, 0], distanceField: 'd', "
                        + "query: {$and: [{tenantId: 'acme'}, {tenantId: 'bravo'}]}}}"));
        assertThat(confine(field, "{$geoNear: {near: [0, 0], distanceField: 'd'}}"))
                .isEqualTo(stages("{$geoNear: {near: [0, 0], distanceField: 'd', query: {tenantId: 'acme'}}}"));
    }

    @Test
    void vectorSearchFilterIsConfinedInPlace() {
        assertThat(confine(field, "{$vectorSearch: {index: 'v', path: 'e', queryVector: [1.0], limit: 3, "
                + "filter: {year: {$gt: 2000}}}}"))
                .isEqualTo(stages("{$vectorSearch: {index: 'v', path: 'e', queryVector: [1.0], limit: 3, "
                        + "filter: {$and: [{tenantId: {$eq: 'acme'}}, {year: {$gt: 2000}}]}}}"));
    }

    @Test
    void atlasSearchIsRefusedInTheFieldModelAndAllowedOnOwnCollections() {
        refused(field, "{$search: {text: {query: 'x', path: 'a'}}}")
                .hasMessageStartingWith("$search cannot be confined: Atlas Search runs before any $match");
        refused(field, "{$searchMeta: {}}").hasMessageStartingWith("$searchMeta cannot be confined");
        assertThat(confine(collection, "{$search: {text: {query: 'x', path: 'a'}}}"))
                .isEqualTo(stages("{$search: {text: {query: 'x', path: 'a'}}}"));
    }

    @Test
    void serverWideStagesAreRefusedInEveryModel() {
        for (RecordingScope scope : List.of(field, collection)) {
            refused(scope, "{$currentOp: {allUsers: true}}")
                    .hasMessage("$currentOp lists every client's operations, other tenants' queries included, so "
                            + "Tenantry refuses it in a tenant's pipeline. Run it on an administrative connection "
                            + "outside Tenantry.");
            refused(scope, "{$listSessions: {}}").hasMessageStartingWith("$listSessions lists the sessions");
            refused(scope, "{$planCacheStats: {}}").hasMessageStartingWith("$planCacheStats shows cached query");
        }
    }

    @Test
    void collectionStatisticsAreRefusedOnASharedCollection() {
        refused(field, "{$collStats: {count: {}}}").hasMessage("$collStats reports statistics of the whole shared "
                + "collection, other tenants' documents included; use countDocuments() for this tenant's count. "
                + "The tenant's collections are shared (FIELD model), so Tenantry refuses it; run it on an "
                + "administrative connection.");
        refused(field, "{$indexStats: {}}").hasMessageStartingWith("$indexStats reports index usage");
    }

    @Test
    void unknownStageIsRefusedRatherThanPassedThrough() {
        refused(field, "{$match: {}}", "{$rankFusion: {input: {}}}")
                .hasMessageStartingWith("Unknown aggregation stage '$rankFusion': Tenantry passes only stages it "
                        + "knows how to confine to the tenant, and refuses the rest. Use the supported stages [");
    }

    @Test
    void stageDocumentWithTwoKeysIsRefused() {
        refused(field, "{$match: {a: 1}, $unionWith: 'other'}")
                .hasMessage("A stage of the pipeline must have exactly one key, the stage name, like {$match: {...}}; "
                        + "got keys [$match, $unionWith]. Split it into one document per stage.");
    }

    @Test
    void stageKeyThatIsNotAStageNameIsRefused() {
        refused(field, "{match: {a: 1}}").hasMessageStartingWith("'match' in the pipeline is not a stage name");
    }

    @Test
    void literalDocumentsInACollectionPipelineAreRefused() {
        refused(field, "{$documents: [{tenantId: 'bravo'}]}")
                .hasMessageStartingWith("$documents supplies literal documents, so it may only start the pipeline "
                        + "of a $lookup or $unionWith that names no collection");
    }

    @Test
    void changeStreamStageIsRefusedInFavourOfWatch() {
        refused(collection, "{$changeStream: {}}").hasMessage("$changeStream is refused in aggregate(); use watch() on "
                + "the collection or database, which Tenantry confines to this tenant's changes.");
    }

    // --- reads of other collections ---------------------------------------------------------

    @Test
    void lookupLocalFieldFormGetsATenantPipeline() {
        assertThat(confine(field, "{$lookup: {from: 'users', localField: 'u', foreignField: '_id', as: 'user'}}"))
                .isEqualTo(stages(TENANT_MATCH, "{$lookup: {from: 'acme__users', localField: 'u', foreignField: "
                        + "'_id', as: 'user', pipeline: [" + TENANT_MATCH + "]}}"));
        assertThat(field.requested).containsExactly("users");
    }

    @Test
    void lookupPipelineFormStartsWithTheTenantMatchAndNestedLookupsToo() {
        assertThat(confine(field, "{$lookup: {from: 'orders', let: {id: '$_id'}, as: 'o', pipeline: ["
                + "{$match: {$expr: {$eq: ['$cardId', '$$id']}}},"
                + "{$lookup: {from: 'users', pipeline: [], as: 'u'}}]}}"))
                .isEqualTo(stages(TENANT_MATCH, "{$lookup: {from: 'acme__orders', let: {id: '$_id'}, as: 'o', "
                        + "pipeline: [{$match: {$and: [{tenantId: 'acme'}, {$expr: {$eq: ['$cardId', '$$id']}}]}},"
                        + "{$lookup: {from: 'acme__users', pipeline: [" + TENANT_MATCH + "], as: 'u'}}]}}"));
        assertThat(field.requested).containsExactly("orders", "users");
    }

    @Test
    void lookupIntoAnotherDatabaseIsRefused() {
        refused(field, "{$lookup: {from: {db: 'billing', coll: 'invoices'}, localField: 'a', foreignField: 'b', "
                + "as: 'c'}}").hasMessage("$lookup names database 'billing', but this tenant's pipeline runs in 'app' "
                        + "and Tenantry confines it there. Name the collection alone (\"invoices\") to use this "
                        + "tenant's.");
        assertThat(confine(field, "{$lookup: {from: {db: 'app', coll: 'invoices'}, pipeline: [], as: 'c'}}"))
                .isEqualTo(stages(TENANT_MATCH, "{$lookup: {from: {db: 'app', coll: 'acme__invoices'}, pipeline: ["
                        + TENANT_MATCH + "], as: 'c'}}"));
    }

    @Test
    void lookupOfACollectionTheScopeForbidsIsRefused() {
        RecordingScope scope = RecordingScope.fieldForbidding("tenants");
        refused(scope, "{$lookup: {from: 'tenants', localField: 'a', foreignField: 'b', as: 'c'}}")
                .hasMessage("collection 'tenants' is not tenant data");
    }

    @Test
    void lookupWithoutFromMustReadLiteralDocuments() {
        refused(field, "{$lookup: {pipeline: [{$match: {}}], as: 'x'}}")
                .hasMessageStartingWith("$lookup without 'from' reads no collection, so its pipeline must start with "
                        + "$documents");
        assertThat(confine(field, "{$lookup: {pipeline: [{$documents: [{a: 1}]}, "
                + "{$unionWith: 'cards'}], as: 'x'}}"))
                .isEqualTo(stages(TENANT_MATCH, "{$lookup: {pipeline: [{$documents: [{a: 1}]}, "
                        + "{$unionWith: {coll: 'acme__cards', pipeline: [" + TENANT_MATCH + "]}}], as: 'x'}}"));
    }

    @Test
    void unionWithByNameGetsATenantPipeline() {
        assertThat(confine(field, "{$unionWith: 'archive'}"))
                .isEqualTo(stages(TENANT_MATCH, "{$unionWith: {coll: 'acme__archive', pipeline: [" + TENANT_MATCH
                        + "]}}"));
        assertThat(confine(collection, "{$unionWith: 'archive'}")).isEqualTo(stages("{$unionWith: 'acme__archive'}"));
    }

    @Test
    void unionWithPipelineCannotSkipTheTenantMatch() {
        assertThat(confine(field, "{$unionWith: {coll: 'archive', pipeline: [{$match: {tenantId: 'bravo'}}]}}"))
                .isEqualTo(stages(TENANT_MATCH, "{$unionWith: {coll: 'acme__archive', pipeline: ["
                        + "{$match: {$and: [{tenantId: 'acme'}, {tenantId: 'bravo'}]}}]}}"));
    }

    @Test
    void graphLookupSearchIsRestrictedToTheTenant() {
        assertThat(confine(field, "{$graphLookup: {from: 'people', startWith: '$boss', connectFromField: 'boss', "
                + "connectToField: 'name', as: 'chain', restrictSearchWithMatch: {active: true}}}"))
                .isEqualTo(stages(TENANT_MATCH, "{$graphLookup: {from: 'acme__people', startWith: '$boss', "
                        + "connectFromField: 'boss', connectToField: 'name', as: 'chain', "
                        + "restrictSearchWithMatch: {$and: [{tenantId: 'acme'}, {active: true}]}}}"));
        assertThat(confine(field, "{$graphLookup: {from: 'people', startWith: '$b', connectFromField: 'b', "
                + "connectToField: 'n', as: 'c'}}").get(1).getDocument("$graphLookup")
                .getDocument("restrictSearchWithMatch")).isEqualTo(RecordingScope.condition());
    }

    @Test
    void facetSubPipelinesAreNotFilteredTwiceButTheirLookupsAreConfined() {
        assertThat(confine(field, "{$facet: {n: [{$count: 'n'}], u: [{$lookup: {from: 'users', localField: 'u', "
                + "foreignField: '_id', as: 'u'}}]}}"))
                .isEqualTo(stages(TENANT_MATCH, "{$facet: {n: [{$count: 'n'}], u: [{$lookup: {from: 'acme__users', "
                        + "localField: 'u', foreignField: '_id', as: 'u', pipeline: [" + TENANT_MATCH + "]}}]}}"));
    }

    // --- writes ----------------------------------------------------------------------------

    @Test
    void outIsRefusedBecauseItWouldReplaceASharedCollection() {
        refused(field, "{$match: {}}", "{$out: 'cards'}").hasMessage("$out would replace the shared collection "
                + "'cards' for every tenant; use $merge, which Tenantry confines to this tenant.");
    }

    @Test
    void outOnOwnCollectionsIsMappedAndKeptInThisDatabase() {
        assertThat(confine(collection, "{$out: 'report'}")).isEqualTo(stages("{$out: 'acme__report'}"));
        assertThat(confine(collection, "{$out: {db: 'app', coll: 'report'}}"))
                .isEqualTo(stages("{$out: {db: 'app', coll: 'acme__report'}}"));
        refused(collection, "{$out: {db: 'other', coll: 'report'}}")
                .hasMessageStartingWith("$out names database 'other', but this tenant's pipeline runs in 'app'");
        refused(collection, "{$out: 'report'}", "{$limit: 1}")
                .hasMessage("$out must be the last stage of the pipeline, and cannot appear inside $facet, $lookup "
                        + "or $unionWith; move it to the end.");
    }

    @Test
    void mergeWithDefaultOnIsRewrittenSoItCanOnlyMatchTheTenantsDocuments() {
        assertThat(confine(field, "{$project: {tenantId: 0}}", "{$merge: 'totals'}"))
                .isEqualTo(stages(TENANT_MATCH, "{$project: {tenantId: 0}}", "{$set: {tenantId: 'acme'}}",
                        "{$merge: {into: 'acme__totals', on: ['tenantId', '_id']}}"));
    }

    @Test
    void mergeOnUserKeysIsPrefixedOnceWithTheTenantField() {
        assertThat(confine(field, "{$merge: {into: {db: 'app', coll: 'totals'}, on: ['tenantId', 'day'], "
                + "let: {x: 1}, whenMatched: 'replace', whenNotMatched: 'insert'}}"))
                .isEqualTo(stages(TENANT_MATCH, "{$set: {tenantId: 'acme'}}", "{$merge: {into: {db: 'app', coll: "
                        + "'acme__totals'}, on: ['tenantId', 'day'], let: {x: 1}, whenMatched: 'replace', "
                        + "whenNotMatched: 'insert'}}"));
        assertThat(confine(field, "{$merge: {into: 'totals', on: 'day'}}").get(2))
                .isEqualTo(BsonDocument.parse("{$merge: {into: 'acme__totals', on: ['tenantId', 'day']}}"));
    }

    @Test
    void mergeIntoAnotherDatabaseIsRefused() {
        refused(field, "{$merge: {into: {db: 'other', coll: 'totals'}}}")
                .hasMessageStartingWith("$merge names database 'other', but this tenant's pipeline runs in 'app'");
    }

    @Test
    void mergeWhenMatchedPipelineChangingTheTenantIsRefused() {
        refused(field, "{$merge: {into: 'totals', whenMatched: [{$set: {tenantId: 'bravo'}}]}}")
                .hasMessageStartingWith("$set in the $merge whenMatched pipeline names 'tenantId'");
        refused(field, "{$merge: {into: 'totals', whenMatched: [{$replaceWith: '$$new'}]}}")
                .hasMessageStartingWith("$replaceWith in the $merge whenMatched pipeline replaces the whole document");
        assertThat(confine(field, "{$merge: {into: 't', whenMatched: [{$set: {n: {$add: ['$n', '$$new.n']}}}]}}")
                .get(2)).isEqualTo(BsonDocument.parse("{$merge: {into: 'acme__t', whenMatched: [{$set: {n: {$add: "
                        + "['$n', '$$new.n']}}}], on: ['tenantId', '_id']}}"));
    }

    @Test
    void mergeHiddenInsideAFacetOrBeforeOtherStagesIsRefused() {
        refused(field, "{$facet: {a: [{$merge: 'x'}]}}").hasMessageStartingWith("$merge must be the last stage");
        refused(collection, "{$merge: 'x'}", "{$match: {}}").hasMessageStartingWith("$merge must be the last stage");
        refused(collection, "{$lookup: {from: 'a', pipeline: [{$out: 'x'}], as: 'b'}}")
                .hasMessageStartingWith("$out must be the last stage");
    }

    @Test
    void mergeInCollectionModelOnlyMapsTheTarget() {
        assertThat(confine(collection, "{$merge: 'totals'}")).isEqualTo(stages("{$merge: 'acme__totals'}"));
        assertThat(confine(collection, "{$merge: {into: 'totals', whenMatched: [{$set: {tenantId: 1}}]}}"))
                .isEqualTo(stages("{$merge: {into: 'acme__totals', whenMatched: [{$set: {tenantId: 1}}]}}"));
    }
}
