package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoClientSettings;
import io.tenantry.TenantId;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.codecs.configuration.CodecRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Whatever filter a user writes (forged tenant values, {@code $or} with an empty clause,
 * {@code $ne}, {@code $nor}, {@code $expr}), the FIELD model's filter is the tenant condition
 * ANDed with the unchanged original, and never matches another tenant's document.
 */
class FieldFilterProperties {

    private static final CodecRegistry REGISTRY = MongoClientSettings.getDefaultCodecRegistry();
    private static final List<String> FIELDS = List.of("tenantId", "a", "b");
    private static final List<String> TENANTS = List.of("acme", "bravo", "other");

    private final FieldRules rules = new FieldRules("tenantId");

    @Property(tries = 1000)
    void confinedFilterIsTheTenantConditionAndTheUnchangedOriginal(@ForAll("anyFilter") BsonDocument filter,
            @ForAll("tenant") String tenant) {
        BsonDocument before = filter.clone();

        BsonDocument confined = rules.filter(TenantId.of(tenant), filter, REGISTRY);

        BsonDocument condition = new BsonDocument("tenantId", new BsonString(tenant));
        if (filter.isEmpty()) {
            assertThat(confined).isEqualTo(condition);
        } else {
            assertThat(confined.keySet()).containsExactly("$and");
            assertThat(confined.getArray("$and")).containsExactly(condition, before);
        }
        assertThat(filter).isEqualTo(before);
    }

    @Property(tries = 2000)
    void confinedFilterMatchesExactlyTheTenantsOwnMatchingDocuments(@ForAll("evaluableFilter") BsonDocument filter,
            @ForAll("tenant") String tenant, @ForAll("document") BsonDocument document) {
        BsonDocument confined = rules.filter(TenantId.of(tenant), filter, REGISTRY);

        boolean own = new BsonString(tenant).equals(document.get("tenantId"));
        assertThat(matches(confined, document)).isEqualTo(own && matches(filter, document));
    }

    @Provide
    Arbitrary<String> tenant() {
        return Arbitraries.of(TENANTS);
    }

    @Provide
    Arbitrary<BsonDocument> document() {
        Arbitrary<@Nullable BsonValue> tenant = Arbitraries.of("acme", "bravo", "other", "").map(
                t -> t.isEmpty() ? null : new BsonString(t));
        Arbitrary<@Nullable BsonValue> value = value().injectNull(0.2);
        return Combinators.combine(tenant, value, value).as((t, a, b) -> {
            BsonDocument document = new BsonDocument();
            putIfPresent(document, "tenantId", t);
            putIfPresent(document, "a", a);
            putIfPresent(document, "b", b);
            return document;
        });
    }

    private static void putIfPresent(BsonDocument document, String key, @Nullable BsonValue value) {
        if (value != null) {
            document.put(key, value);
        }
    }

    /** Filters of the subset {@link #matches} evaluates: equality, $ne, $in, $and, $or, empty. */
    @Provide
    Arbitrary<BsonDocument> evaluableFilter() {
        return filters(3, false);
    }

    /** Filters of the whole query language's shape, including operators this test cannot evaluate. */
    @Provide
    Arbitrary<BsonDocument> anyFilter() {
        return filters(3, true);
    }

    private static Arbitrary<BsonValue> value() {
        return Arbitraries.oneOf(Arbitraries.of(TENANTS).map(BsonString::new),
                Arbitraries.of("x", "y").map(BsonString::new), Arbitraries.integers().between(0, 2).map(BsonInt32::new));
    }

    private static Arbitrary<BsonDocument> filters(int depth, boolean anyOperator) {
        Arbitrary<String> field = Arbitraries.of(FIELDS);
        Arbitrary<BsonDocument> equality = Combinators.combine(field, value())
                .as((f, v) -> new BsonDocument(f, v));
        Arbitrary<BsonDocument> notEqual = Combinators.combine(field, value())
                .as((f, v) -> new BsonDocument(f, new BsonDocument("$ne", v)));
        Arbitrary<BsonDocument> in = Combinators.combine(field, value().list().ofMaxSize(3))
                .as((f, vs) -> new BsonDocument(f, new BsonDocument("$in", new BsonArray(vs))));
        Arbitrary<BsonDocument> empty = Arbitraries.create(BsonDocument::new);
        Arbitrary<BsonDocument> leaf = anyOperator
                ? Arbitraries.oneOf(equality, notEqual, in, empty, otherOperators(field))
                : Arbitraries.oneOf(equality, notEqual, in, empty);
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<BsonDocument> sub = filters(depth - 1, anyOperator);
        List<String> combinators = anyOperator ? List.of("$and", "$or", "$nor") : List.of("$and", "$or");
        Arbitrary<BsonDocument> combined = Combinators.combine(Arbitraries.of(combinators),
                sub.list().ofMinSize(1).ofMaxSize(3))
                .as((op, clauses) -> new BsonDocument(op, new BsonArray(List.copyOf(clauses))));
        Arbitrary<BsonDocument> conjunction = Combinators.combine(leaf, combined).as(FieldFilterProperties::merge);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, leaf), net.jqwik.api.Tuple.of(3, combined),
                net.jqwik.api.Tuple.of(2, conjunction));
    }

    private static Arbitrary<BsonDocument> otherOperators(Arbitrary<String> field) {
        Arbitrary<BsonDocument> not = Combinators.combine(field, value())
                .as((f, v) -> new BsonDocument(f, new BsonDocument("$not", new BsonDocument("$eq", v))));
        Arbitrary<BsonDocument> exists = Combinators.combine(field, Arbitraries.of(true, false))
                .as((f, b) -> new BsonDocument(f, new BsonDocument("$exists", BsonBoolean.valueOf(b))));
        Arbitrary<BsonDocument> expr = Combinators.combine(field, value()).as((f, v) -> new BsonDocument("$expr",
                new BsonDocument("$ne", new BsonArray(List.of(new BsonString("$" + f), v)))));
        Arbitrary<BsonDocument> where = Arbitraries.of("this.tenantId != 'acme'", "true")
                .map(js -> new BsonDocument("$where", new BsonString(js)));
        return Arbitraries.oneOf(not, exists, expr, where);
    }

    private static BsonDocument merge(BsonDocument first, BsonDocument second) {
        BsonDocument merged = first.clone();
        merged.putAll(second);
        return merged;
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
