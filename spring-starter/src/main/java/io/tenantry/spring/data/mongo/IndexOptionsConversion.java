package io.tenantry.spring.data.mongo;

import com.mongodb.client.model.Collation;
import com.mongodb.client.model.CollationAlternate;
import com.mongodb.client.model.CollationCaseFirst;
import com.mongodb.client.model.CollationMaxVariable;
import com.mongodb.client.model.CollationStrength;
import com.mongodb.client.model.IndexOptions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Turns the index options Spring Data resolves from {@code @Indexed}, {@code @CompoundIndex},
 * {@code @TextIndexed}, {@code @GeoSpatialIndexed} and {@code @WildcardIndexed} (a {@link Document})
 * into the driver's {@link IndexOptions}. An option it does not know is refused rather than dropped,
 * so no index is silently created weaker than declared.
 */
final class IndexOptionsConversion {

    private IndexOptionsConversion() {
    }

    static IndexOptions toIndexOptions(Document options) {
        IndexOptions out = new IndexOptions();
        for (Map.Entry<String, Object> option : options.entrySet()) {
            Object value = option.getValue();
            switch (option.getKey()) {
                case "name": out.name((String) value); break;
                case "unique": out.unique(flag(value)); break;
                case "sparse": out.sparse(flag(value)); break;
                case "hidden": out.hidden(flag(value)); break;
                case "background": break; // ignored by servers since 4.2
                case "expireAfterSeconds": out.expireAfter(number(value).longValue(), TimeUnit.SECONDS); break;
                case "partialFilterExpression": out.partialFilterExpression((Bson) value); break;
                case "collation": out.collation(collation((Document) value)); break;
                case "weights": out.weights((Bson) value); break;
                case "default_language": out.defaultLanguage((String) value); break;
                case "language_override": out.languageOverride((String) value); break;
                case "textIndexVersion": out.textVersion(number(value).intValue()); break;
                case "2dsphereIndexVersion": out.sphereVersion(number(value).intValue()); break;
                case "bits": out.bits(number(value).intValue()); break;
                case "min": out.min(number(value).doubleValue()); break;
                case "max": out.max(number(value).doubleValue()); break;
                case "wildcardProjection": out.wildcardProjection((Bson) value); break;
                default:
                    throw new IllegalStateException("Index option \"" + option.getKey() + "\" (" + options.toJson()
                            + ") cannot be declared through Tenantry's provisioning; declare this index with a"
                            + " TenantMongoBuilderCustomizer instead.");
            }
        }
        return out;
    }

    private static boolean flag(Object value) {
        return Boolean.TRUE.equals(value);
    }

    private static Number number(Object value) {
        return (Number) value;
    }

    private static Collation collation(Document d) {
        Collation.Builder b = Collation.builder().locale(d.getString("locale"));
        if (d.containsKey("caseLevel")) {
            b.caseLevel(d.getBoolean("caseLevel"));
        }
        if (d.containsKey("caseFirst")) {
            b.collationCaseFirst(CollationCaseFirst.fromString(d.getString("caseFirst")));
        }
        if (d.containsKey("strength")) {
            b.collationStrength(CollationStrength.fromInt(number(d.get("strength")).intValue()));
        }
        if (d.containsKey("numericOrdering")) {
            b.numericOrdering(d.getBoolean("numericOrdering"));
        }
        if (d.containsKey("alternate")) {
            b.collationAlternate(CollationAlternate.fromString(d.getString("alternate")));
        }
        if (d.containsKey("maxVariable")) {
            b.collationMaxVariable(CollationMaxVariable.fromString(d.getString("maxVariable")));
        }
        if (d.containsKey("normalization")) {
            b.normalization(d.getBoolean("normalization"));
        }
        if (d.containsKey("backwards")) {
            b.backwards(d.getBoolean("backwards"));
        }
        return b.build();
    }
}
