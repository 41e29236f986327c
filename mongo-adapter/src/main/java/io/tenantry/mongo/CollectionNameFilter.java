package io.tenantry.mongo;

import io.tenantry.IsolationViolationException;
import java.util.Map;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonRegularExpression;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * Maps a {@code listCollections} filter written with logical collection names to one with the
 * tenant's physical names, for the COLLECTION model's shared database.
 *
 * <p>Conditions on {@code name} and {@code options.viewOn} are mapped when they compare with
 * strings ({@code "cards"}, {@code $eq}, {@code $ne}, {@code $in}, {@code $nin}, {@code $exists});
 * anything else on those fields (a regular expression, {@code $gt}, ...) and {@code $expr} or
 * {@code $where} are refused, because they would silently match the wrong names. Other fields
 * ({@code type}, {@code options.capped}, ...) pass through. Whatever the filter, the server is
 * asked only for the tenant's own names ({@link #ownedOnly}), so a filter can never reach another
 * tenant's collections; the mapping only keeps the answers right.
 */
final class CollectionNameFilter {

    private static final Set<String> NAME_FIELDS = Set.of("name", "options.viewOn");
    private static final Set<String> LOGICAL = Set.of("$and", "$or", "$nor");
    private static final Set<String> REFUSED = Set.of("$expr", "$where", "$function", "$accumulator");

    private CollectionNameFilter() {
    }

    /**
     * Returns {@code filter} with logical names replaced by physical ones.
     *
     * @throws IsolationViolationException if a condition on names cannot be mapped
     */
    static BsonDocument toPhysical(BsonDocument filter, OwnedNamespace namespace) {
        BsonDocument mapped = new BsonDocument();
        for (Map.Entry<String, BsonValue> entry : filter.entrySet()) {
            String key = entry.getKey();
            BsonValue value = entry.getValue();
            if (REFUSED.contains(key)) {
                throw refuse(key + " in a listCollections filter");
            } else if (LOGICAL.contains(key) && value.isArray()) {
                BsonArray clauses = new BsonArray();
                for (BsonValue clause : value.asArray()) {
                    clauses.add(clause.isDocument() ? toPhysical(clause.asDocument(), namespace) : clause);
                }
                mapped.put(key, clauses);
            } else if (NAME_FIELDS.contains(key)) {
                mapped.put(key, condition(key, value, namespace));
            } else if (key.equals("options") && value.isDocument() && value.asDocument().containsKey("viewOn")) {
                BsonDocument options = value.asDocument().clone();
                options.put("viewOn", name(options.get("viewOn"), namespace));
                mapped.put(key, options);
            } else {
                mapped.put(key, value);
            }
        }
        return mapped;
    }

    /** Returns {@code physicalFilter} narrowed to the collections the tenant owns. */
    static BsonDocument ownedOnly(BsonDocument physicalFilter, OwnedNamespace namespace) {
        String pattern = namespace.ownedPattern();
        if (pattern == null) {
            return physicalFilter;
        }
        BsonDocument owned = new BsonDocument("name", new BsonRegularExpression(pattern));
        return physicalFilter.isEmpty() ? owned
                : new BsonDocument("$and", new BsonArray(java.util.List.of(owned, physicalFilter)));
    }

    private static BsonValue condition(String field, BsonValue value, OwnedNamespace namespace) {
        if (value.isString()) {
            return name(value, namespace);
        }
        if (value.isRegularExpression()) {
            throw refuse("a regular expression on " + field);
        }
        if (!value.isDocument() || value.asDocument().isEmpty() || !value.asDocument().getFirstKey().startsWith("$")) {
            return value;
        }
        BsonDocument mapped = new BsonDocument();
        for (Map.Entry<String, BsonValue> operator : value.asDocument().entrySet()) {
            switch (operator.getKey()) {
                case "$eq":
                case "$ne":
                    mapped.put(operator.getKey(), name(operator.getValue(), namespace));
                    break;
                case "$in":
                case "$nin":
                    BsonArray names = new BsonArray();
                    if (operator.getValue().isArray()) {
                        for (BsonValue name : operator.getValue().asArray()) {
                            if (name.isRegularExpression()) {
                                throw refuse("a regular expression on " + field);
                            }
                            names.add(name(name, namespace));
                        }
                    }
                    mapped.put(operator.getKey(), operator.getValue().isArray() ? names : operator.getValue());
                    break;
                case "$exists":
                case "$type":
                    mapped.put(operator.getKey(), operator.getValue());
                    break;
                default:
                    throw refuse(operator.getKey() + " on " + field);
            }
        }
        return mapped;
    }

    /** Maps one compared value; a string that is no valid logical name stays as it is, matching nothing owned. */
    private static BsonValue name(BsonValue value, OwnedNamespace namespace) {
        if (!value.isString()) {
            return value;
        }
        try {
            return new BsonString(namespace.physical(value.asString().getValue()));
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    private static IsolationViolationException refuse(String what) {
        return new IsolationViolationException("Tenantry cannot map " + what + " to the tenant's physical collection"
                + " names. Filter names with plain strings, $eq, $ne, $in or $nin, or list all names and filter them"
                + " in the application.");
    }
}
