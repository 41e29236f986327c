package io.tenantry.mongo;

import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import io.tenantry.IsolationViolationException;
import io.tenantry.IsolationViolationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonNumber;
import org.bson.BsonValue;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.conversions.Bson;

/**
 * Indexes on the FIELD model. A shared collection's indexes carry the tenant field as their first
 * key, so a unique index is unique per tenant and every (always tenant-filtered) query can use it;
 * users still see, and name, their indexes as they declared them.
 */
final class FieldIndexes {

    /**
     * The name of Tenantry's own unique {@code {field: 1, _id: 1}} index, which serves the tenant's
     * lookups by id; hidden from listings.
     */
    static final String INTERNAL_INDEX_NAME = "tenantry_tenant_id";

    private FieldIndexes() {
    }

    /** Returns the keys of Tenantry's own index: {@code {field: 1, _id: 1}}. */
    static BsonDocument internalKeys(FieldRules rules) {
        return new BsonDocument(rules.field(), new BsonInt32(1)).append("_id", new BsonInt32(1));
    }

    /** Returns Tenantry's own index. */
    static IndexModel internal(FieldRules rules) {
        return new IndexModel(internalKeys(rules), new IndexOptions().unique(true).name(INTERNAL_INDEX_NAME));
    }

    /**
     * Returns the index to create for a declared one: keys tenant-prefixed by
     * {@link FieldRules#indexKeys}, named by the options' name or else by the name the driver would
     * give the <em>declared</em> keys, so that it lists, and can be told apart, as declared. The
     * caller's options are not changed.
     *
     * @throws IsolationViolationException for a unique TTL index: MongoDB requires TTL indexes to
     *     have a single field, so it cannot be prefixed, and would be unique across tenants
     */
    static IndexModel physical(Bson keys, IndexOptions options, FieldRules rules, CodecRegistry registry) {
        BsonDocument declared = keys.toBsonDocument(BsonDocument.class, registry);
        boolean ttl = options.getExpireAfter(TimeUnit.SECONDS) != null;
        if (ttl && options.isUnique()) {
            throw new IsolationViolationException("Index " + declared.toJson() + " is unique and has expireAfter: a TTL"
                    + " index must have a single field, so Tenantry cannot put the tenant field '" + rules.field()
                    + "' first, and its values would be unique across all tenants of the shared collection. Declare"
                    + " the TTL index without unique(true), and the unique index separately.");
        }
        BsonDocument physical = rules.indexKeys(declared, registry, ttl);
        String name = options.getName() != null ? options.getName() : defaultName(declared);
        return new IndexModel(physical, copy(options).name(name));
    }

    /** Returns {@link #physical(Bson, IndexOptions, FieldRules, CodecRegistry)} for each of {@code declared}. */
    static List<IndexModel> physical(List<IndexModel> declared, FieldRules rules, CodecRegistry registry) {
        List<IndexModel> physical = new ArrayList<>(declared.size());
        for (IndexModel model : declared) {
            physical.add(physical(model.getKeys(), model.getOptions(), rules, registry));
        }
        return physical;
    }

    /**
     * Returns a listing of a shared collection's indexes as the tenant declared them: Tenantry's own
     * index left out, and each index's keys without the leading tenant field.
     */
    static List<BsonDocument> declared(List<BsonDocument> listed, FieldRules rules) {
        BsonDocument internalKeys = internalKeys(rules);
        List<BsonDocument> declared = new ArrayList<>(listed.size());
        for (BsonDocument index : listed) {
            BsonValue name = index.get("name");
            BsonValue key = index.get("key");
            boolean internal = name != null && name.isString()
                    && name.asString().getValue().equals(INTERNAL_INDEX_NAME)
                    && internalKeys.equals(key);
            if (internal) {
                continue;
            }
            BsonDocument shown = new BsonDocument();
            for (Map.Entry<String, BsonValue> entry : index.entrySet()) {
                boolean keys = entry.getKey().equals("key") && entry.getValue().isDocument();
                shown.put(entry.getKey(), keys ? rules.declaredKeys(entry.getValue().asDocument()) : entry.getValue());
            }
            declared.add(shown);
        }
        return declared;
    }

    /** Returns the driver's default name of an index on {@code keys}: {@code {sku: 1, at: -1}} is {@code sku_1_at_-1}. */
    static String defaultName(BsonDocument keys) {
        StringBuilder name = new StringBuilder();
        for (Map.Entry<String, BsonValue> key : keys.entrySet()) {
            if (name.length() > 0) {
                name.append('_');
            }
            name.append(key.getKey()).append('_');
            BsonValue value = key.getValue();
            if (value instanceof BsonNumber) {
                name.append(((BsonNumber) value).intValue());
            } else if (value.isString()) {
                name.append(value.asString().getValue().replace(' ', '_'));
            }
        }
        return name.toString();
    }

    /** Returns a copy of {@code options}: {@link IndexOptions} is mutable and belongs to the caller. */
    static IndexOptions copy(IndexOptions options) {
        IndexOptions copy = new IndexOptions()
                .background(options.isBackground())
                .unique(options.isUnique())
                .name(options.getName())
                .sparse(options.isSparse())
                .version(options.getVersion())
                .weights(options.getWeights())
                .defaultLanguage(options.getDefaultLanguage())
                .languageOverride(options.getLanguageOverride())
                .textVersion(options.getTextVersion())
                .sphereVersion(options.getSphereVersion())
                .bits(options.getBits())
                .min(options.getMin())
                .max(options.getMax())
                .storageEngine(options.getStorageEngine())
                .partialFilterExpression(options.getPartialFilterExpression())
                .collation(options.getCollation())
                .wildcardProjection(options.getWildcardProjection())
                .hidden(options.isHidden());
        Long expireAfter = options.getExpireAfter(TimeUnit.SECONDS);
        if (expireAfter != null) {
            copy.expireAfter(expireAfter, TimeUnit.SECONDS);
        }
        return copy;
    }
}
