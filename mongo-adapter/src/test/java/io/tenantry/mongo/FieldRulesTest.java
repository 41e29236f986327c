package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoClientSettings;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import io.tenantry.IsolationViolationException;
import io.tenantry.TenantId;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.Test;

class FieldRulesTest {

    private static final CodecRegistry REGISTRY = MongoClientSettings.getDefaultCodecRegistry();
    private static final TenantId ACME = TenantId.of("acme");
    private final FieldRules rules = new FieldRules("tenantId");

    private static BsonDocument bson(String json) {
        return BsonDocument.parse(json);
    }

    private static List<BsonDocument> stages(String... json) {
        return java.util.Arrays.stream(json).map(BsonDocument::parse).toList();
    }

    // --- field name -------------------------------------------------------------------------

    @Test
    void tenantFieldNameMustBeAPlainTopLevelField() {
        assertThat(new FieldRules("user_id").field()).isEqualTo("user_id");
        for (String bad : List.of("", "$tenant", "tenant.id", "_id", "ten\0ant")) {
            assertThatThrownBy(() -> new FieldRules(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tenant");
        }
    }

    // --- filters ----------------------------------------------------------------------------

    @Test
    void missingOrEmptyFilterBecomesTheTenantCondition() {
        assertThat(rules.filter(ACME, null, REGISTRY)).isEqualTo(bson("{tenantId: 'acme'}"));
        assertThat(rules.filter(ACME, new BsonDocument(), REGISTRY)).isEqualTo(bson("{tenantId: 'acme'}"));
    }

    @Test
    void forgedTenantInFilterIsAndedNotReplaced() {
        assertThat(rules.filter(ACME, Filters.eq("tenantId", "bravo"), REGISTRY))
                .isEqualTo(bson("{$and: [{tenantId: 'acme'}, {tenantId: 'bravo'}]}"));
    }

    @Test
    void orWithAnEmptyClauseCannotWidenTheFilter() {
        assertThat(rules.filter(ACME, bson("{$or: [{tenantId: 'b'}, {}]}"), REGISTRY))
                .isEqualTo(bson("{$and: [{tenantId: 'acme'}, {$or: [{tenantId: 'b'}, {}]}]}"));
    }

    @Test
    void notEqualToOwnTenantCannotReachOtherTenants() {
        assertThat(rules.filter(ACME, bson("{tenantId: {$ne: 'acme'}}"), REGISTRY))
                .isEqualTo(bson("{$and: [{tenantId: 'acme'}, {tenantId: {$ne: 'acme'}}]}"));
    }

    @Test
    void textSearchFilterKeepsItsTextClause() {
        assertThat(rules.filter(ACME, Filters.text("mint"), REGISTRY))
                .isEqualTo(bson("{$and: [{tenantId: 'acme'}, {$text: {$search: 'mint'}}]}"));
    }

    // --- stamping ---------------------------------------------------------------------------

    @Test
    void documentWithoutTenantIsStampedRightAfterId() {
        BsonDocument document = bson("{name: 'x', _id: 1}");
        assertThat(rules.stamp(ACME, document)).isEqualTo(bson("{_id: {tenantId: 'acme', id: 1}, tenantId: 'acme', name: 'x'}"));
        assertThat(rules.stamp(ACME, document).getFirstKey()).isEqualTo("_id");
        assertThat(document).isEqualTo(bson("{name: 'x', _id: 1}"));
        assertThat(rules.stamp(ACME, bson("{name: 'x'}")).getFirstKey()).isEqualTo("tenantId");
    }

    @Test
    void documentAlreadyCarryingItsOwnTenantIsAccepted() {
        assertThat(rules.stamp(ACME, bson("{tenantId: 'acme', name: 'x'}")))
                .isEqualTo(bson("{tenantId: 'acme', name: 'x'}"));
    }

    @Test
    void immutableRawDocumentIsStampedIntoACopy() {
        RawBsonDocument raw = RawBsonDocument.parse("{_id: 7, name: 'x'}");
        assertThat(rules.stamp(ACME, raw)).isEqualTo(bson("{_id: {tenantId: 'acme', id: 7}, tenantId: 'acme', name: 'x'}"));
    }

    @Test
    void insertForgingAnotherTenantIsRefused() {
        assertThatThrownBy(() -> rules.stamp(ACME, bson("{name: 'x', tenantId: 'bravo'}")))
                .isInstanceOf(IsolationViolationException.class)
                .hasMessage("The document carries tenantId = 'bravo', but it is being written for tenant 'acme'. "
                        + "A document cannot be written for another tenant; remove 'tenantId' from it (Tenantry "
                        + "sets it) or switch to the tenant it belongs to.");
    }

    @Test
    void insertWithTenantAsArrayMatchingSeveralTenantsIsRefused() {
        assertThatThrownBy(() -> rules.stamp(ACME, bson("{tenantId: ['acme', 'bravo']}")))
                .isInstanceOf(IsolationViolationException.class)
                .hasMessageContaining("tenantId = a value of BSON type ARRAY");
    }

    @Test
    void insertWithTenantAsOperatorDocumentIsRefused() {
        assertThatThrownBy(() -> rules.stamp(ACME, bson("{tenantId: {$ne: 'x'}}")))
                .isInstanceOf(IsolationViolationException.class)
                .hasMessageContaining("tenantId = a value of BSON type DOCUMENT");
    }

    @Test
    void insertWithNullTenantIsRefused() {
        assertThatThrownBy(() -> rules.stamp(ACME, bson("{tenantId: null}")))
                .isInstanceOf(IsolationViolationException.class)
                .hasMessageContaining("tenantId = a value of BSON type NULL");
    }

    // --- update documents -------------------------------------------------------------------

    @Test
    void updateLeavingTheTenantFieldAloneIsReturnedUnchanged() {
        Bson update = Updates.combine(Updates.set("name", "x"), Updates.inc("count", 1),
                Updates.set("tenantIdx", 1), Updates.set("meta.tenantId", "bravo"), Updates.rename("a", "b"));
        assertThat(rules.checkUpdate(update, REGISTRY)).isEqualTo(bson(
                "{$set: {name: 'x', tenantIdx: 1, 'meta.tenantId': 'bravo'}, $inc: {count: 1}, $rename: {a: 'b'}}"));
    }

    @Test
    void settingTheTenantFieldIsRefused() {
        assertThatThrownBy(() -> rules.checkUpdate(Updates.set("tenantId", "bravo"), REGISTRY))
                .isInstanceOf(IsolationViolationException.class)
                .hasMessage("$set names 'tenantId', which is the tenant field 'tenantId': an update could move the "
                        + "document to another tenant or orphan it. Tenantry sets 'tenantId' itself; remove it "
                        + "from the update.");
    }

    @Test
    void unsettingTheTenantFieldIsRefused() {
        assertThatThrownBy(() -> rules.checkUpdate(Updates.unset("tenantId"), REGISTRY))
                .isInstanceOf(IsolationViolationException.class).hasMessageStartingWith("$unset names 'tenantId'");
    }

    @Test
    void renamingTheTenantFieldAwayIsRefused() {
        assertThatThrownBy(() -> rules.checkUpdate(Updates.rename("tenantId", "old"), REGISTRY))
                .isInstanceOf(IsolationViolationException.class).hasMessageStartingWith("$rename names 'tenantId'");
    }

    @Test
    void renamingAnotherFieldOntoTheTenantFieldIsRefused() {
        assertThatThrownBy(() -> rules.checkUpdate(Updates.rename("owner", "tenantId"), REGISTRY))
                .isInstanceOf(IsolationViolationException.class)
                .hasMessageStartingWith("$rename names 'tenantId' (as the new name), which is the tenant field");
    }

    @Test
    void dottedPathUnderTheTenantFieldIsRefused() {
        assertThatThrownBy(() -> rules.checkUpdate(bson("{$set: {'tenantId.x': 1}}"), REGISTRY))
                .isInstanceOf(IsolationViolationException.class)
                .hasMessageStartingWith("$set names 'tenantId.x', which lies under the tenant field 'tenantId'");
    }

    @Test
    void positionalPathUnderTheTenantFieldIsRefused() {
        assertThatThrownBy(() -> rules.checkUpdate(bson("{$push: {'tenantId.$[]': 'bravo'}}"), REGISTRY))
                .isInstanceOf(IsolationViolationException.class).hasMessageStartingWith("$push names 'tenantId.$[]'");
    }

    @Test
    void setOnInsertOfTheTenantFieldIsRefused() {
        assertThatThrownBy(() -> rules.checkUpdate(Updates.setOnInsert("tenantId", "bravo"), REGISTRY))
                .isInstanceOf(IsolationViolationException.class).hasMessageStartingWith("$setOnInsert names 'tenantId'");
    }

    @Test
    void replacementStyleUpdateIsRefused() {
        assertThatThrownBy(() -> rules.checkUpdate(bson("{name: 'x'}"), REGISTRY))
                .isInstanceOf(IsolationViolationException.class)
                .hasMessage("Update key 'name' is not an update operator: a replacement-style update would replace "
                        + "the document and could drop its tenant field 'tenantId'. Use replaceOne (Tenantry stamps "
                        + "the replacement with the tenant), or put the fields in {$set: {...}}.");
    }

    @Test
    void unknownUpdateOperatorIsRefused() {
        assertThatThrownBy(() -> rules.checkUpdate(bson("{$pushAll: {tags: ['a']}}"), REGISTRY))
                .isInstanceOf(IsolationViolationException.class)
                .hasMessageStartingWith("Unknown update operator '$pushAll': Tenantry only passes update operators");
    }

    @Test
    void operatorWithoutAPathDocumentIsRefused() {
        assertThatThrownBy(() -> rules.checkUpdate(bson("{$set: 'tenantId'}"), REGISTRY))
                .isInstanceOf(IsolationViolationException.class)
                .hasMessageStartingWith("Update operator $set must be given a document of field paths");
    }

    // --- update pipelines -------------------------------------------------------------------

    @Test
    void updatePipelineLeavingTheTenantFieldAloneIsReturnedUnchanged() {
        List<BsonDocument> pipeline = stages("{$set: {name: 'x', 'meta.tenantId': 1}}",
                "{$addFields: {n: {$add: ['$n', 1]}}}", "{$unset: ['a', 'tenantIdOld']}", "{$unset: 'b'}");
        assertThat(rules.checkUpdatePipeline(pipeline, REGISTRY)).isEqualTo(pipeline);
    }

    @Test
    void updatePipelineReplaceWithIsRefused() {
        assertThatThrownBy(() -> rules.checkUpdatePipeline(stages("{$replaceWith: {name: 'x'}}"), REGISTRY))
                .isInstanceOf(IsolationViolationException.class)
                .hasMessage("$replaceWith in the update pipeline replaces the whole document and could drop or change "
                        + "the tenant field 'tenantId'. Use $set/$unset on individual fields, or replaceOne, which "
                        + "Tenantry stamps with the tenant.");
    }

    @Test
    void updatePipelineReplaceRootIsRefused() {
        assertThatThrownBy(() -> rules.checkUpdatePipeline(stages("{$replaceRoot: {newRoot: '$sub'}}"), REGISTRY))
                .isInstanceOf(IsolationViolationException.class).hasMessageStartingWith("$replaceRoot in the update");
    }

    @Test
    void updatePipelineProjectIsRefused() {
        assertThatThrownBy(() -> rules.checkUpdatePipeline(stages("{$project: {name: 1}}"), REGISTRY))
                .isInstanceOf(IsolationViolationException.class)
                .hasMessage("$project in the update pipeline could drop the tenant field 'tenantId' from the "
                        + "document. Use $unset to remove fields and $set to change them.");
    }

    @Test
    void updatePipelineSettingTheTenantFieldIsRefused() {
        assertThatThrownBy(() -> rules.checkUpdatePipeline(stages("{$set: {tenantId: 'bravo'}}"), REGISTRY))
                .isInstanceOf(IsolationViolationException.class)
                .hasMessageStartingWith("$set in the update pipeline names 'tenantId', which is the tenant field");
    }

    @Test
    void updatePipelineAddFieldsUnderTheTenantFieldIsRefused() {
        assertThatThrownBy(() -> rules.checkUpdatePipeline(stages("{$addFields: {'tenantId.x': 1}}"), REGISTRY))
                .isInstanceOf(IsolationViolationException.class)
                .hasMessageStartingWith("$addFields in the update pipeline names 'tenantId.x', which lies under");
    }

    @Test
    void updatePipelineUnsetArrayNamingTheTenantFieldIsRefused() {
        assertThatThrownBy(() -> rules.checkUpdatePipeline(stages("{$unset: ['a', 'tenantId']}"), REGISTRY))
                .isInstanceOf(IsolationViolationException.class)
                .hasMessageStartingWith("$unset in the update pipeline names 'tenantId'");
    }

    @Test
    void updatePipelineWithAReadStageIsRefused() {
        assertThatThrownBy(() -> rules.checkUpdatePipeline(stages("{$lookup: {from: 'x', as: 'y'}}"), REGISTRY))
                .isInstanceOf(IsolationViolationException.class)
                .hasMessage("Stage '$lookup' is not allowed in the update pipeline; Tenantry accepts $set, "
                        + "$addFields and $unset there.");
    }

    @Test
    void updatePipelineStageWithTwoKeysIsRefused() {
        assertThatThrownBy(() -> rules.checkUpdatePipeline(stages("{$set: {a: 1}, $unset: 'tenantId'}"), REGISTRY))
                .isInstanceOf(IsolationViolationException.class)
                .hasMessageStartingWith("A stage of the update pipeline must have exactly one key");
    }

    // --- indexes ----------------------------------------------------------------------------

    @Test
    void uniqueIndexIsPrefixedWithTheTenantFieldSoValuesAreUniquePerTenant() {
        assertThat(rules.indexKeys(Indexes.ascending("email"), REGISTRY, false))
                .isEqualTo(bson("{tenantId: 1, email: 1}"));
        assertThat(rules.indexKeys(Indexes.compoundIndex(Indexes.descending("a"), Indexes.text("body")), REGISTRY,
                false)).isEqualTo(bson("{tenantId: 1, a: -1, body: 'text'}"));
    }

    @Test
    void indexAlreadyLedByTheTenantFieldIsKept() {
        assertThat(rules.indexKeys(bson("{tenantId: 1, name: 1}"), REGISTRY, false))
                .isEqualTo(bson("{tenantId: 1, name: 1}"));
    }

    @Test
    void indexNamingTheTenantFieldOtherThanFirstIsRefused() {
        assertThatThrownBy(() -> rules.indexKeys(bson("{name: 1, tenantId: 1}"), REGISTRY, false))
                .isInstanceOf(IsolationViolationException.class)
                .hasMessage("Index keys {\"name\": 1, \"tenantId\": 1} name the tenant field 'tenantId' other than "
                        + "as the first key. Tenantry puts 'tenantId' first in every index itself; remove it from the "
                        + "declared keys.");
        assertThatThrownBy(() -> rules.indexKeys(bson("{'tenantId.x': 1}"), REGISTRY, false))
                .isInstanceOf(IsolationViolationException.class);
    }

    @Test
    void ttlAndWildcardIndexesKeepTheirDeclaredKeys() {
        assertThat(rules.indexKeys(bson("{expiresAt: 1}"), REGISTRY, true)).isEqualTo(bson("{expiresAt: 1}"));
        assertThat(rules.indexKeys(bson("{'$**': 1}"), REGISTRY, false)).isEqualTo(bson("{'$**': 1}"));
        assertThat(rules.indexKeys(bson("{'$**': 'text'}"), REGISTRY, false))
                .isEqualTo(bson("{tenantId: 1, '$**': 'text'}"));
    }

    @Test
    void twoDIndexThatCannotBePrefixedIsRefused() {
        assertThatThrownBy(() -> rules.indexKeys(bson("{loc: '2d'}"), REGISTRY, false))
                .isInstanceOf(IsolationViolationException.class).hasMessageContaining("declare a '2dsphere' index");
    }

    @Test
    void emptyIndexKeysAreACallerMistake() {
        assertThatThrownBy(() -> rules.indexKeys(new BsonDocument(), REGISTRY, false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listedIndexesShowTheDeclaredKeys() {
        assertThat(rules.declaredKeys(bson("{tenantId: 1, email: 1}"))).isEqualTo(bson("{email: 1}"));
        assertThat(rules.declaredKeys(bson("{tenantId: 1}"))).isEqualTo(bson("{tenantId: 1}"));
        assertThat(rules.declaredKeys(bson("{expiresAt: 1}"))).isEqualTo(bson("{expiresAt: 1}"));
        BsonDocument physical = rules.indexKeys(bson("{a: 1, b: -1}"), REGISTRY, false);
        assertThat(rules.declaredKeys(physical)).isEqualTo(bson("{a: 1, b: -1}"));
    }
}
