package io.tenantry.mongo;

import java.util.Map;
import java.util.regex.Pattern;
import org.bson.BsonDocument;
import org.bson.BsonRegularExpression;
import org.bson.BsonValue;
import org.jspecify.annotations.Nullable;

/**
 * The small query language of {@link ListBackedIterables}: top-level field equality, {@code $eq},
 * {@code $in} and regular expressions. Anything else is refused with
 * {@link UnsupportedOperationException}, never ignored, so a listing is never wider than asked.
 */
final class ListFilter {

    private ListFilter() {
    }

    /** Tells whether {@code entry} matches {@code filter}. */
    static boolean matches(BsonDocument entry, BsonDocument filter) {
        for (Map.Entry<String, BsonValue> condition : filter.entrySet()) {
            String key = condition.getKey();
            if (key.startsWith("$")) {
                throw unsupported(filter);
            }
            BsonValue actual = entry.get(key);
            BsonValue expected = condition.getValue();
            if (expected.isDocument() && !expected.asDocument().isEmpty()
                    && expected.asDocument().getFirstKey().startsWith("$")) {
                if (!matchesOperators(actual, expected.asDocument(), filter)) {
                    return false;
                }
            } else if (expected.isRegularExpression()) {
                if (actual == null || !actual.isString() || !matches(expected.asRegularExpression(), actual)) {
                    return false;
                }
            } else if (!expected.equals(actual)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(BsonRegularExpression regex, BsonValue actual) {
        int flags = 0;
        for (char option : regex.getOptions().toCharArray()) {
            flags |= switch (option) {
                case 'i' -> Pattern.CASE_INSENSITIVE;
                case 'm' -> Pattern.MULTILINE;
                case 's' -> Pattern.DOTALL;
                case 'x' -> Pattern.COMMENTS;
                default -> throw new UnsupportedOperationException("Regular expression option '" + option
                        + "' is not supported here; use i, m, s or x.");
            };
        }
        return Pattern.compile(regex.getPattern(), flags).matcher(actual.asString().getValue()).find();
    }

    private static boolean matchesOperators(@Nullable BsonValue actual, BsonDocument operators, BsonDocument filter) {
        for (Map.Entry<String, BsonValue> operator : operators.entrySet()) {
            switch (operator.getKey()) {
                case "$eq":
                    if (!operator.getValue().equals(actual)) {
                        return false;
                    }
                    break;
                case "$in":
                    if (!operator.getValue().isArray() || !operator.getValue().asArray().contains(actual)) {
                        return false;
                    }
                    break;
                default:
                    throw unsupported(filter);
            }
        }
        return true;
    }

    private static UnsupportedOperationException unsupported(BsonDocument filter) {
        return new UnsupportedOperationException("Filter " + filter.toJson() + " is not supported here: Tenantry"
                + " lists these entries from memory and filters them by equality of top-level fields only ($eq, $in"
                + " and regular expressions included), for example {name: \"cards\"}. Filter the results in your code instead.");
    }
}
