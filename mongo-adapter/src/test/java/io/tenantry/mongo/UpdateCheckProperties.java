package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.mongodb.MongoClientSettings;
import io.tenantry.IsolationViolationException;
import io.tenantry.tck.Trials;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.codecs.configuration.CodecRegistry;
import org.junit.jupiter.api.Test;

/**
 * Any update that touches the tenant field (any operator, dotted and positional paths below it,
 * either side of {@code $rename}, any update-pipeline stage) is refused; any other update passes
 * unchanged, and the caller's document is never mutated.
 */
class UpdateCheckProperties {

    private static final CodecRegistry REGISTRY = MongoClientSettings.getDefaultCodecRegistry();
    private static final List<String> OPERATORS = List.of("$set", "$unset", "$rename", "$inc", "$mul", "$min", "$max",
            "$currentDate", "$setOnInsert", "$push", "$addToSet", "$pull", "$pullAll", "$pop", "$bit");
    private static final List<String> SAFE_PATHS = List.of("name", "a.b", "tenant", "tenantIdx", "tenantid",
            "x.tenantId", "tags.$", "items.$[i].qty", "meta.tenantId.y", "_id");
    private static final List<String> TENANT_PATHS = List.of("tenantId", "tenantId.x", "tenantId.$", "tenantId.$[]",
            "tenantId.$[e].y", "tenantId.0");

    private static final List<String> STRAY_KEYS = List.of("name", "tenantId", "$pushAll", "$isolated", "$where",
            "$foo", "a.b");
    private static final List<String> REPLACING_STAGES = List.of("{$project: {name: 1}}", "{$project: {tenantId: 0}}",
            "{$replaceRoot: {newRoot: '$a'}}", "{$replaceWith: '$$ROOT'}", "{$match: {}}",
            "{$set: {a: 1}, $unset: 'b'}");

    /** Checked before the generated updates: each side of a rename, paths below the field, look-alikes. */
    private static final List<String> EDGE_UPDATES = List.of("{$set: {tenantId: 1}}", "{$rename: {name: 'tenantId'}}",
            "{$rename: {tenantId: 'name'}}", "{$rename: {'a.b': 'tenantId.x'}}", "{$unset: {'tenantId.$[]': 1}}",
            "{$setOnInsert: {'tenantId.0': 1}}", "{$set: {name: 1}, $inc: {'tenantId.$[e].y': 1}}",
            "{$set: {tenantIdx: 1, tenantid: 1, tenant: 1, 'x.tenantId': 1, 'meta.tenantId.y': 1}}",
            "{$rename: {tenant: 'tenantIdx'}}", "{$push: {'tags.$': 1}, $currentDate: {'items.$[i].qty': 1}}");

    private final FieldRules rules = new FieldRules("tenantId");

    /** An update with a key that is neither an update operator nor allowed at the top level. */
    record Tampered(BsonDocument update, String strayKey) {
    }

    /** An update pipeline with a document-replacing stage inserted at {@code position}. */
    record Replacing(List<BsonDocument> stages, BsonDocument replacing, int position) {
    }

    /** One path of one operator: a generated update is a list of these, so that a failing one shrinks. */
    record Clause(String operator, String path, BsonValue argument) {

        @Override
        public String toString() {
            return new BsonDocument(operator, new BsonDocument(path, argument)).toJson();
        }
    }

    @Test
    void updateIsRefusedExactlyWhenItTouchesTheTenantField() {
        EDGE_UPDATES.forEach(update -> checkUpdate(BsonDocument.parse(update)));
        Trials.forAllLists("an update is refused exactly when it touches the tenant field", 1000,
                random -> clauses(update(random)), clauses -> checkUpdate(update(clauses)));
    }

    private void checkUpdate(BsonDocument update) {
        BsonDocument before = update.clone();
        if (touchesTenantField(update)) {
            assertThat(catchThrowable(() -> rules.checkUpdate(update, REGISTRY))).as("refusal of %s", before)
                    .isInstanceOf(IsolationViolationException.class).hasMessageContaining("tenantId");
        } else {
            assertThat(rules.checkUpdate(update, REGISTRY)).as("%s", before).isEqualTo(before).isNotSameAs(update);
        }
        assertThat(update).as("the caller's update").isEqualTo(before);
    }

    @Test
    void replacementKeysAndUnknownOperatorsAreAlwaysRefused() {
        Trials.forAll("replacement keys and unknown operators are always refused", 300,
                random -> new Tampered(update(random), Draw.oneOf(random, STRAY_KEYS)), tampered -> {
                    BsonDocument update = tampered.update().clone();
                    update.put(tampered.strayKey(), new BsonDocument("name", new BsonInt32(1)));
                    assertThatThrownBy(() -> rules.checkUpdate(update, REGISTRY))
                            .isInstanceOf(IsolationViolationException.class);
                });
    }

    @Test
    void updatePipelineIsRefusedExactlyWhenItTouchesTheTenantField() {
        Trials.forAllLists("an update pipeline is refused exactly when it touches the tenant field", 1000,
                UpdateCheckProperties::updatePipeline, stages -> {
                    List<BsonDocument> before = stages.stream().map(BsonDocument::clone).toList();
                    boolean touches = stages.stream().anyMatch(UpdateCheckProperties::stageTouchesTenantField);
                    if (touches) {
                        assertThatThrownBy(() -> rules.checkUpdatePipeline(stages, REGISTRY))
                                .isInstanceOf(IsolationViolationException.class).hasMessageContaining("tenantId");
                    } else {
                        assertThat(rules.checkUpdatePipeline(stages, REGISTRY)).isEqualTo(before);
                    }
                    assertThat(stages).isEqualTo(before);
                });
    }

    @Test
    void documentReplacingStagesAreAlwaysRefusedInUpdatePipelines() {
        Trials.forAll("document-replacing stages are always refused in update pipelines", 300, random -> {
            List<BsonDocument> stages = updatePipeline(random);
            return new Replacing(stages, BsonDocument.parse(Draw.oneOf(random, REPLACING_STAGES)),
                    Draw.between(random, 0, stages.size()));
        }, replacing -> {
            List<BsonDocument> tampered = new ArrayList<>(replacing.stages());
            tampered.add(replacing.position(), replacing.replacing());
            assertThatThrownBy(() -> rules.checkUpdatePipeline(tampered, REGISTRY))
                    .isInstanceOf(IsolationViolationException.class);
        });
    }

    /** One to four operators, each with one to three paths; one path in five is the tenant field's. */
    private static BsonDocument update(SplittableRandom random) {
        BsonDocument update = new BsonDocument();
        for (int i = Draw.between(random, 1, 4); i > 0; i--) {
            String operator = Draw.oneOf(random, OPERATORS);
            BsonDocument arguments = new BsonDocument();
            for (int j = Draw.between(random, 1, 3); j > 0; j--) {
                String path = updatePath(random);
                String target = updatePath(random);
                arguments.put(path, operator.equals("$rename") ? new BsonString(target) : new BsonInt32(1));
            }
            update.put(operator, arguments);
        }
        return update;
    }

    private static List<Clause> clauses(BsonDocument update) {
        List<Clause> clauses = new ArrayList<>();
        update.forEach((operator, arguments) -> arguments.asDocument().forEach(
                (path, argument) -> clauses.add(new Clause(operator, path, argument))));
        return clauses;
    }

    private static BsonDocument update(List<Clause> clauses) {
        BsonDocument update = new BsonDocument();
        for (Clause clause : clauses) {
            BsonValue arguments = update.computeIfAbsent(clause.operator(), operator -> new BsonDocument());
            arguments.asDocument().put(clause.path(), clause.argument());
        }
        return update;
    }

    private static String updatePath(SplittableRandom random) {
        return Draw.oneOf(random, random.nextInt(5) < 4 ? SAFE_PATHS : TENANT_PATHS);
    }

    /** One to four {@code $set}, {@code $addFields} or {@code $unset} stages over paths without {@code $}. */
    private static List<BsonDocument> updatePipeline(SplittableRandom random) {
        return Draw.list(random, 1, 4, r -> switch (r.nextInt(3)) {
            case 0 -> {
                BsonDocument fields = new BsonDocument();
                Draw.list(r, 1, 3, UpdateCheckProperties::pipelinePath)
                        .forEach(p -> fields.put(p, new BsonString("$other")));
                yield new BsonDocument(Draw.oneOf(r, List.of("$set", "$addFields")), fields);
            }
            case 1 -> new BsonDocument("$unset", new BsonString(pipelinePath(r)));
            default -> new BsonDocument("$unset", new BsonArray(
                    Draw.list(r, 1, 3, UpdateCheckProperties::pipelinePath).stream().<BsonValue>map(BsonString::new)
                            .toList()));
        });
    }

    /** A path without {@code $}: five in six from the safe paths (redrawn if positional), else the tenant's. */
    private static String pipelinePath(SplittableRandom random) {
        while (true) {
            String path = random.nextInt(6) < 5 ? Draw.oneOf(random, SAFE_PATHS)
                    : Draw.oneOf(random, List.of("tenantId", "tenantId.x", "tenantId.y.z"));
            if (!path.contains("$")) {
                return path;
            }
        }
    }

    private static boolean touchesTenantField(BsonDocument update) {
        for (Map.Entry<String, BsonValue> operator : update.entrySet()) {
            for (Map.Entry<String, BsonValue> argument : operator.getValue().asDocument().entrySet()) {
                if (isTenantPath(argument.getKey())
                        || (argument.getValue().isString() && isTenantPath(argument.getValue().asString().getValue()))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean stageTouchesTenantField(BsonDocument stage) {
        BsonValue spec = stage.values().iterator().next();
        if (spec.isDocument()) {
            return spec.asDocument().keySet().stream().anyMatch(UpdateCheckProperties::isTenantPath);
        }
        List<BsonValue> paths = spec.isArray() ? spec.asArray().getValues() : List.of(spec);
        return paths.stream().anyMatch(p -> isTenantPath(p.asString().getValue()));
    }

    private static boolean isTenantPath(String path) {
        return path.equals("tenantId") || path.startsWith("tenantId.");
    }
}
