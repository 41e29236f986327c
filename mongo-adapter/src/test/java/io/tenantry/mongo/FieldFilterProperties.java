package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoClientSettings;
import io.tenantry.TenantId;
import io.tenantry.tck.Trials;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.codecs.configuration.CodecRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Whatever filter a user writes (forged tenant values, {@code $or} with an empty clause,
 * {@code $ne}, {@code $nor}, {@code $expr}), the FIELD model's filter is the tenant condition
 * ANDed with the unchanged original, and never matches another tenant's document.
 */
class FieldFilterProperties {

    private static final CodecRegistry REGISTRY = MongoClientSettings.getDefaultCodecRegistry();
    private static final List<String> FIELDS = List.of("tenantId", "a", "b");
    private static final List<String> TENANTS = List.of("acme", "bravo", "other");

    /** Checked before the generated filters: forged tenants, empty and always-true clauses, negations. */
    private static final List<String> EDGE_EVALUABLE_FILTERS = List.of("{}", "{tenantId: 'bravo'}",
            "{tenantId: 'acme'}", "{$or: [{}]}", "{$or: [{tenantId: 'bravo'}, {}]}", "{$and: [{}]}",
            "{tenantId: {$ne: 'acme'}}", "{tenantId: {$in: []}}", "{tenantId: {$in: ['acme', 'bravo', 'other']}}",
            "{a: {$in: []}}", "{a: {$ne: 'x'}}", "{tenantId: 'other', $or: [{a: 'acme'}, {b: 0}]}");

    /** The same, with operators the reference matcher cannot evaluate. */
    private static final List<String> EDGE_FILTERS = concat(EDGE_EVALUABLE_FILTERS, List.of(
            "{$nor: [{tenantId: 'acme'}]}", "{$nor: [{}]}", "{tenantId: {$exists: false}}",
            "{tenantId: {$not: {$eq: 'acme'}}}", "{$expr: {$ne: ['$tenantId', 'acme']}}",
            "{$where: \"this.tenantId != 'acme'\"}", "{$where: 'true'}"));

    /** Checked against every edge-case filter: documents with and without a tenant field. */
    private static final List<String> EDGE_DOCUMENTS = List.of("{}", "{a: 'acme'}", "{tenantId: 'acme'}",
            "{tenantId: 'bravo', a: 'x'}", "{tenantId: 'other', a: 'acme', b: 0}", "{a: 'x', b: 2}");

    private final FieldRules rules = new FieldRules("tenantId");

    /** A user's filter and the tenant bound when it runs. */
    record Confinement(BsonDocument filter, String tenant) {
    }

    /** A user's filter, the tenant bound when it runs, and a stored document it may match. */
    record Sample(BsonDocument filter, String tenant, BsonDocument document) {
    }

    @Test
    void confinedFilterIsTheTenantConditionAndTheUnchangedOriginal() {
        for (String filter : EDGE_FILTERS) {
            TENANTS.forEach(tenant -> checkShape(BsonDocument.parse(filter), tenant));
        }
        Trials.forAll("the confined filter is the tenant condition and the unchanged original", 1000,
                random -> new Confinement(filter(random, 3, true), Draw.oneOf(random, TENANTS)),
                confinement -> checkShape(confinement.filter(), confinement.tenant()));
    }

    @Test
    void confinedFilterMatchesExactlyTheTenantsOwnMatchingDocuments() {
        for (String filter : EDGE_EVALUABLE_FILTERS) {
            for (String document : EDGE_DOCUMENTS) {
                TENANTS.forEach(tenant -> checkMatches(
                        new Sample(BsonDocument.parse(filter), tenant, BsonDocument.parse(document))));
            }
        }
        Trials.forAll("the confined filter matches exactly the tenant's own matching documents", 2000,
                random -> new Sample(filter(random, 3, false), Draw.oneOf(random, TENANTS), document(random)),
                this::checkMatches);
    }

    private void checkShape(BsonDocument filter, String tenant) {
        BsonDocument before = filter.clone();

        BsonDocument confined = rules.filter(TenantId.of(tenant), filter, REGISTRY);

        BsonDocument condition = new BsonDocument("tenantId", new BsonString(tenant));
        if (filter.isEmpty()) {
            assertThat(confined).as("%s confined for %s", before, tenant).isEqualTo(condition);
        } else {
            assertThat(confined.keySet()).as("%s confined for %s", before, tenant).containsExactly("$and");
            assertThat(confined.getArray("$and")).as("%s confined for %s", before, tenant)
                    .containsExactly(condition, before);
        }
        assertThat(filter).as("the caller's filter").isEqualTo(before);
    }

    private void checkMatches(Sample sample) {
        BsonDocument confined = rules.filter(TenantId.of(sample.tenant()), sample.filter(), REGISTRY);

        boolean own = new BsonString(sample.tenant()).equals(sample.document().get("tenantId"));
        assertThat(matches(confined, sample.document())).as("%s", sample)
                .isEqualTo(own && matches(sample.filter(), sample.document()));
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }

    // --- generators -----------------------------------------------------------------------------

    /** A document without a tenant field one time in four, and without each other field one time in five. */
    private static BsonDocument document(SplittableRandom random) {
        BsonDocument document = new BsonDocument();
        String tenant = Draw.oneOf(random, List.of("acme", "bravo", "other", ""));
        if (!tenant.isEmpty()) {
            document.put("tenantId", new BsonString(tenant));
        }
        for (String field : List.of("a", "b")) {
            if (!Draw.chance(random, 0.2)) {
                document.put(field, value(random));
            }
        }
        return document;
    }

    /** A tenant name, one of two other strings, or a small number; each kind equally likely. */
    private static BsonValue value(SplittableRandom random) {
        return switch (random.nextInt(3)) {
            case 0 -> new BsonString(Draw.oneOf(random, TENANTS));
            case 1 -> new BsonString(Draw.oneOf(random, List.of("x", "y")));
            default -> new BsonInt32(Draw.between(random, 0, 2));
        };
    }

    /**
     * A filter nested up to {@code depth} combinators deep. With {@code anyOperator} it also uses
     * {@code $nor} and operators {@link #matches} cannot evaluate ({@code $not}, {@code $exists},
     * {@code $expr}, {@code $where}); without, only equality, {@code $ne}, {@code $in}, {@code $and},
     * {@code $or} and the empty filter.
     */
    private static BsonDocument filter(SplittableRandom random, int depth, boolean anyOperator) {
        if (depth == 0) {
            return leaf(random, anyOperator);
        }
        int roll = random.nextInt(8);
        if (roll < 3) {
            return leaf(random, anyOperator);
        }
        BsonDocument combined = combined(random, depth, anyOperator);
        if (roll < 6) {
            return combined;
        }
        BsonDocument conjunction = leaf(random, anyOperator).clone();
        conjunction.putAll(combined);
        return conjunction;
    }

    private static BsonDocument combined(SplittableRandom random, int depth, boolean anyOperator) {
        String operator = Draw.oneOf(random, anyOperator ? List.of("$and", "$or", "$nor") : List.of("$and", "$or"));
        List<BsonDocument> clauses = Draw.list(random, 1, 3, r -> filter(r, depth - 1, anyOperator));
        return new BsonDocument(operator, new BsonArray(clauses));
    }

    private static BsonDocument leaf(SplittableRandom random, boolean anyOperator) {
        String field = Draw.oneOf(random, FIELDS);
        return switch (random.nextInt(anyOperator ? 5 : 4)) {
            case 0 -> new BsonDocument(field, value(random));
            case 1 -> new BsonDocument(field, new BsonDocument("$ne", value(random)));
            case 2 -> new BsonDocument(field, new BsonDocument("$in", new BsonArray(
                    Draw.list(random, 0, 3, FieldFilterProperties::value))));
            case 3 -> new BsonDocument();
            default -> otherOperator(random, field);
        };
    }

    private static BsonDocument otherOperator(SplittableRandom random, String field) {
        return switch (random.nextInt(4)) {
            case 0 -> new BsonDocument(field, new BsonDocument("$not", new BsonDocument("$eq", value(random))));
            case 1 -> new BsonDocument(field, new BsonDocument("$exists", BsonBoolean.valueOf(random.nextBoolean())));
            case 2 -> new BsonDocument("$expr", new BsonDocument("$ne",
                    new BsonArray(List.of(new BsonString("$" + field), value(random)))));
            default -> new BsonDocument("$where",
                    new BsonString(Draw.oneOf(random, List.of("this.tenantId != 'acme'", "true"))));
        };
    }

    /** A tiny reference matcher for equality, $ne, $in, $and, $or and the empty filter. */
    static boolean matches(BsonDocument filter, BsonDocument document) {
        for (Map.Entry<String, BsonValue> clause : filter.entrySet()) {
            String key = clause.getKey();
            BsonValue argument = clause.getValue();
            boolean matched;
            switch (key) {
                case "$and":
                    matched = argument.asArray().stream().allMatch(c -> matches(c.asDocument(), document));
                    break;
                case "$or":
                    matched = argument.asArray().stream().anyMatch(c -> matches(c.asDocument(), document));
                    break;
                default:
                    matched = fieldMatches(document.get(key), argument);
            }
            if (!matched) {
                return false;
            }
        }
        return true;
    }

    private static boolean fieldMatches(@Nullable BsonValue actual, BsonValue condition) {
        if (condition.isDocument() && !condition.asDocument().isEmpty()
                && condition.asDocument().getFirstKey().startsWith("$")) {
            for (Map.Entry<String, BsonValue> operator : condition.asDocument().entrySet()) {
                boolean matched;
                switch (operator.getKey()) {
                    case "$ne":
                        matched = !operator.getValue().equals(actual);
                        break;
                    case "$in":
                        matched = operator.getValue().asArray().contains(actual);
                        break;
                    default:
                        throw new IllegalArgumentException("not evaluable: " + operator.getKey());
                }
                if (!matched) {
                    return false;
                }
            }
            return true;
        }
        return condition.equals(actual);
    }
}
