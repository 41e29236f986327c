package io.tenantry.mongo;

import io.tenantry.IsolationViolationException;
import io.tenantry.TenantId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.conversions.Bson;
import org.jspecify.annotations.Nullable;

/**
 * The FIELD model's rewriting rules for one tenant field name (for example {@code tenantId}): every
 * filter is narrowed to the tenant, every written document carries the tenant, no update can change
 * or remove the field, and every index is prefixed with it so unique values are unique per tenant.
 *
 * <p>Pure BSON in, BSON out: no server I/O, and inputs are never mutated (results are fresh
 * documents). Immutable and thread-safe.
 */
final class FieldRules {

    private final String field;
    private final FieldIds ids;

    /**
     * @param tenantField the top-level field that holds the tenant id in every shared document
     * @throws IllegalArgumentException if the name is empty, starts with '$', contains '.' or a NUL
     *     character, or is {@code _id}
     */
    FieldRules(String tenantField) {
        Objects.requireNonNull(tenantField, "tenant field must not be null");
        if (tenantField.isEmpty()) {
            throw new IllegalArgumentException("The tenant field name must not be empty; use a name like 'tenantId'.");
        }
        if (tenantField.startsWith("$")) {
            throw new IllegalArgumentException("The tenant field name '" + tenantField
                    + "' must not start with '$' (MongoDB reads that as an operator); use a name like 'tenantId'.");
        }
        if (tenantField.indexOf('.') >= 0 || tenantField.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("The tenant field name '" + tenantField.replace("\0", "\\0")
                    + "' must be a top-level field: no '.' and no NUL character; use a name like 'tenantId'.");
        }
        if (tenantField.equals("_id")) {
            throw new IllegalArgumentException("The tenant field cannot be '_id': documents need their own ids. "
                    + "Use a separate field like 'tenantId'.");
        }
        this.field = tenantField;
        this.ids = new FieldIds(tenantField);
    }

    /** Returns how ids are stored with their tenant: see {@link FieldIds}. */
    FieldIds ids() {
        return ids;
    }

    /** Returns the tenant field name. */
    String field() {
        return field;
    }

    /** Returns the condition {@code {field: "tenant"}}, a new document on each call. */
    BsonDocument condition(TenantId tenant) {
        return new BsonDocument(field, new BsonString(tenant.value()));
    }

    /**
     * Returns {@code {$and: [{field: tenant}, filter]}}, or just {@code {field: tenant}} when
     * {@code filter} is null or empty. Because the tenant condition is a conjunct of its own, nothing
     * in the user's filter (a forged {@code {field: "other"}}, an {@code $or}, an {@code $expr})
     * can widen it. Conditions on {@code _id} are rewritten for ids stored with their tenant
     * ({@link FieldIds#filter}).
     */
    BsonDocument filter(TenantId tenant, @Nullable Bson filter, CodecRegistry registry) {
        BsonDocument condition = condition(tenant);
        if (filter == null) {
            return condition;
        }
        BsonDocument user = BsonCopies.document(filter, registry);
        if (user.isEmpty()) {
            return condition;
        }
        return new BsonDocument("$and", new BsonArray(List.of(condition, ids.filter(tenant, user))));
    }

    /**
     * Returns a copy of {@code document} for an insert or replacement, with the tenant field set to
     * {@code tenant}: after {@code _id} when the document has one, else first. The {@code _id} is
     * stored with the tenant ({@link FieldIds#wrap}). The copy is a new
     * top-level document whose nested values are shared with {@code document}; neither is mutated
     * here.
     *
     * @throws IsolationViolationException if the document already carries a tenant field that is
     *     not the string {@code tenant} (another tenant, a null, a sub-document, an array, ...)
     */
    BsonDocument stamp(TenantId tenant, BsonDocument document) {
        Objects.requireNonNull(document, "document must not be null");
        BsonValue carried = document.get(field);
        if (carried != null && !(carried.isString() && carried.asString().getValue().equals(tenant.value()))) {
            throw new IsolationViolationException("The document carries " + field + " = " + describe(carried)
                    + ", but it is being written for tenant '" + tenant.value() + "'. A document cannot be written "
                    + "for another tenant; remove '" + field + "' from it (Tenantry sets it) or switch to the "
                    + "tenant it belongs to.");
        }
        BsonDocument stamped = new BsonDocument();
        BsonValue id = document.get("_id");
        if (id != null) {
            stamped.put("_id", ids.wrap(tenant, id));
        }
        stamped.put(field, new BsonString(tenant.value()));
        for (Map.Entry<String, BsonValue> entry : document.entrySet()) {
            if (!entry.getKey().equals("_id") && !entry.getKey().equals(field)) {
                stamped.put(entry.getKey(), entry.getValue());
            }
        }
        return stamped;
    }

    /**
     * Checks an operator-style update and returns it as a new document.
     *
     * @throws IsolationViolationException if any operator (including both sides of {@code $rename})
     *     names the tenant field or a path below it, if a key is not an update operator
     *     (replacement-style), or if an operator is unknown
     */
    BsonDocument checkUpdate(Bson update, CodecRegistry registry) {
        BsonDocument document = BsonCopies.document(update, registry);
        UpdateChecks.checkOperators(field, document);
        return document;
    }

    /**
     * Checks an update pipeline and returns its stages as new documents.
     *
     * @throws IsolationViolationException if a stage is {@code $project}, {@code $replaceRoot} or
     *     {@code $replaceWith}, a {@code $set}/{@code $addFields}/{@code $unset} touches the tenant
     *     field, or a stage is not allowed in an update pipeline
     */
    List<BsonDocument> checkUpdatePipeline(List<? extends Bson> pipeline, CodecRegistry registry) {
        List<BsonDocument> stages = BsonCopies.documents(pipeline, registry);
        UpdateChecks.checkPipeline(field, stages, "update pipeline");
        return stages;
    }

    /**
     * Returns the physical index keys: the tenant field first, then the declared keys, so that a
     * unique index is unique per tenant and every query (which always has the tenant condition) can
     * use the index. Keys are returned unchanged when the tenant field already leads, for a TTL
     * index (MongoDB requires those to be single-field), and for a wildcard index ({@code $**} keys
     * cannot be unique, and a compound wildcard index needs a projection this method cannot add).
     * A TTL index is therefore shared by all tenants: it must not be declared unique.
     *
     * @param ttl whether the index has {@code expireAfterSeconds}
     * @throws IllegalArgumentException if {@code keys} is empty
     * @throws IsolationViolationException if the field (or a path below it) appears other than as
     *     the first key, or the index is a {@code 2d} index, whose location must come first
     */
    BsonDocument indexKeys(Bson keys, CodecRegistry registry, boolean ttl) {
        BsonDocument declared = BsonCopies.document(keys, registry);
        if (declared.isEmpty()) {
            throw new IllegalArgumentException("Index keys must not be empty; declare at least one field.");
        }
        boolean first = true;
        boolean leads = false;
        boolean wildcard = false;
        for (Map.Entry<String, BsonValue> key : declared.entrySet()) {
            String path = key.getKey();
            if (first && path.equals(field)) {
                leads = true;
            } else if (UpdateChecks.touches(field, path)) {
                throw new IsolationViolationException("Index keys " + declared.toJson() + " name the tenant field '"
                        + path + "' other than as the first key. Tenantry puts '" + field + "' first in every index "
                        + "itself; remove it from the declared keys.");
            }
            if (key.getValue().isString() && key.getValue().asString().getValue().equals("2d")) {
                throw new IsolationViolationException("A '2d' index needs its location field first, so it cannot be "
                        + "prefixed with the tenant field '" + field + "'; declare a '2dsphere' index instead.");
            }
            wildcard |= (path.equals("$**") || path.endsWith(".$**"))
                    && !(key.getValue().isString() && key.getValue().asString().getValue().equals("text"));
            first = false;
        }
        if (leads || ttl || wildcard) {
            return declared;
        }
        BsonDocument physical = new BsonDocument(field, new BsonInt32(1));
        physical.putAll(declared);
        return physical;
    }

    /**
     * Returns the keys a user declared for an index whose physical keys are {@code physicalKeys}:
     * without the leading tenant field, unless that field is the only key. An index declared with
     * the tenant field already first therefore lists without it.
     */
    BsonDocument declaredKeys(BsonDocument physicalKeys) {
        BsonDocument declared = BsonCopies.deepCopy(physicalKeys);
        if (declared.size() > 1 && declared.getFirstKey().equals(field)) {
            declared.remove(field);
        }
        return declared;
    }

    private static String describe(BsonValue value) {
        if (value.isString()) {
            String text = value.asString().getValue();
            return "'" + (text.length() > 80 ? text.substring(0, 80) + "..." : text) + "'";
        }
        return "a value of BSON type " + value.getBsonType();
    }

    @Override
    public String toString() {
        return "FieldRules[" + field + "]";
    }
}
