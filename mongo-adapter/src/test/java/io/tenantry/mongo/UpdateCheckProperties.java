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
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.codecs.configuration.CodecRegistry;

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

    private final FieldRules rules = new FieldRules("tenantId");

    @Property(tries = 1000)
    void updateIsRefusedExactlyWhenItTouchesTheTenantField(@ForAll("updates") BsonDocument update) {
        BsonDocument before = update.clone();
        if (touchesTenantField(update)) {
            assertThatThrownBy(() -> rules.checkUpdate(update, REGISTRY))
                    .isInstanceOf(IsolationViolationException.class).hasMessageContaining("tenantId");
        } else {
            assertThat(rules.checkUpdate(update, REGISTRY)).isEqualTo(before).isNotSameAs(update);
        }
        assertThat(update).isEqualTo(before);
    }

    @Property(tries = 300)
    void replacementKeysAndUnknownOperatorsAreAlwaysRefused(@ForAll("updates") BsonDocument update,
            @ForAll("strayKeys") String key) {
        BsonDocument tampered = update.clone();
        tampered.put(key, new BsonDocument("name", new BsonInt32(1)));
        assertThatThrownBy(() -> rules.checkUpdate(tampered, REGISTRY)).isInstanceOf(IsolationViolationException.class);
    }

    @Property(tries = 1000)
    void updatePipelineIsRefusedExactlyWhenItTouchesTheTenantField(@ForAll("updatePipelines") List<BsonDocument> stages) {
        List<BsonDocument> before = stages.stream().map(BsonDocument::clone).toList();
        boolean touches = stages.stream().anyMatch(UpdateCheckProperties::stageTouchesTenantField);
        if (touches) {
            assertThatThrownBy(() -> rules.checkUpdatePipeline(stages, REGISTRY))
                    .isInstanceOf(IsolationViolationException.class).hasMessageContaining("tenantId");
        } else {
            assertThat(rules.checkUpdatePipeline(stages, REGISTRY)).isEqualTo(before);
        }
        assertThat(stages).isEqualTo(before);
    }

    @Property(tries = 300)
    void documentReplacingStagesAreAlwaysRefusedInUpdatePipelines(@ForAll("updatePipelines") List<BsonDocument> stages,
            @ForAll("replacingStages") BsonDocument replacing, @ForAll int position) {
        List<BsonDocument> tampered = new ArrayList<>(stages);
        tampered.add(Math.floorMod(position, stages.size() + 1), replacing);
        assertThatThrownBy(() -> rules.checkUpdatePipeline(tampered, REGISTRY))
                .isInstanceOf(IsolationViolationException.class);
    }

    @Provide
    Arbitrary<BsonDocument> updates() {
        Arbitrary<String> path = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, Arbitraries.of(SAFE_PATHS)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(TENANT_PATHS)));
        Arbitrary<Map.Entry<String, BsonValue>> entry = Combinators.combine(Arbitraries.of(OPERATORS),
                Combinators.combine(path, path).as((p, q) -> Map.entry(p, q)).list().ofMinSize(1).ofMaxSize(3))
                .as((operator, pairs) -> {
                    BsonDocument arguments = new BsonDocument();
                    for (Map.Entry<String, String> pair : pairs) {
                        arguments.put(pair.getKey(), operator.equals("$rename")
                                ? new BsonString(pair.getValue()) : new BsonInt32(1));
                    }
                    return Map.entry(operator, arguments);
                });
        return entry.list().ofMinSize(1).ofMaxSize(4).map(entries -> {
            BsonDocument update = new BsonDocument();
            entries.forEach(e -> update.put(e.getKey(), e.getValue()));
            return update;
        });
    }

    @Provide
    Arbitrary<String> strayKeys() {
        return Arbitraries.of("name", "tenantId", "$pushAll", "$isolated", "$where", "$foo", "a.b");
    }

    @Provide
    Arbitrary<List<BsonDocument>> updatePipelines() {
        Arbitrary<String> path = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, Arbitraries.of(SAFE_PATHS)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(List.of("tenantId", "tenantId.x", "tenantId.y.z"))))
                .filter(p -> !p.contains("$"));
        Arbitrary<BsonDocument> set = Combinators.combine(Arbitraries.of("$set", "$addFields"),
                path.list().ofMinSize(1).ofMaxSize(3)).as((name, paths) -> {
                    BsonDocument fields = new BsonDocument();
                    paths.forEach(p -> fields.put(p, new BsonString("$other")));
                    return new BsonDocument(name, fields);
                });
        Arbitrary<BsonDocument> unsetOne = path.map(p -> new BsonDocument("$unset", new BsonString(p)));
        Arbitrary<BsonDocument> unsetMany = path.list().ofMinSize(1).ofMaxSize(3).map(paths -> new BsonDocument(
                "$unset", new BsonArray(paths.stream().<BsonValue>map(BsonString::new).toList())));
        return Arbitraries.oneOf(set, unsetOne, unsetMany).list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<BsonDocument> replacingStages() {
        return Arbitraries.of("{$project: {name: 1}}", "{$project: {tenantId: 0}}", "{$replaceRoot: {newRoot: '$a'}}",
                "{$replaceWith: '$$ROOT'}", "{$match: {}}", "{$set: {a: 1}, $unset: 'b'}")
                .map(BsonDocument::parse);
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
