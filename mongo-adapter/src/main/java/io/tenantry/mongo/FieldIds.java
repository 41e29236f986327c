package io.tenantry.mongo;

import io.tenantry.IsolationViolationException;
import io.tenantry.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDocumentReader;
import org.bson.BsonObjectId;
import org.bson.BsonReader;
import org.bson.BsonString;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.BsonWriter;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.bson.codecs.configuration.CodecRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Tenant-scoped document ids on the FIELD model.
 *
 * <p>A shared collection has one unique {@code _id} index for every tenant on it. Stored as given,
 * a caller-chosen id that another tenant already uses would be refused and an unused one accepted,
 * so a tenant could learn which ids exist elsewhere. Tenantry therefore stores every id together
 * with its tenant, as {@code _id: {<tenant field>: "<tenant>", id: <the caller's id>}}, and shows
 * the caller only its own id:
 *
 * <ul>
 *   <li><b>Writes</b> wrap the id of each inserted or replacing document (generating an
 *       {@code ObjectId} first where the driver would), wrap {@code _id} in {@code $set} and
 *       {@code $setOnInsert}, and give an upsert that does not fix the id in its filter a generated,
 *       wrapped one. Inserted and upserted ids in results are the caller's.
 *   <li><b>Filters</b>: an equality or {@code $in} on {@code _id} compares with wrapped values, so
 *       it still uses the {@code _id} index; every other condition on {@code _id} (ranges,
 *       {@code $type}, {@code $regex}, {@code $exists}, ...) reads the path {@code _id.id}, which
 *       is the caller's value with MongoDB's own comparison rules; {@code _id.x} becomes
 *       {@code _id.id.x}; {@code $expr} reads {@code $_id.id}.
 *   <li><b>Reads</b>: {@code find} and {@code findOneAnd...} results are unwrapped as they are
 *       decoded; aggregation pipelines and change streams unwrap on the server, right after the
 *       tenant's {@code $match}, so every later stage sees the caller's ids.
 * </ul>
 *
 * <p>Sorting by {@code _id} needs no rewriting: within one tenant the wrapped ids compare as the
 * caller's ids do. Immutable and thread-safe.
 */
final class FieldIds {

    /** The id field. */
    static final String ID = "_id";

    /** The name of the caller's id inside a stored id. */
    static final String INNER = "id";

    private static final String INNER_PATH = ID + "." + INNER;
    private static final Set<String> LOGICAL = Set.of("$and", "$or", "$nor");
    private static final Set<String> INDEXED = Set.of("$eq", "$in");
    private static final Set<String> ROOTS = Set.of("$_id", "$$ROOT._id", "$$CURRENT._id");
    private static final BsonDocumentCodec DOCUMENTS = new BsonDocumentCodec();

    private final String field;

    FieldIds(String tenantField) {
        this.field = tenantField;
    }

    /** Returns the stored form of {@code id} for {@code tenant}: {@code {<field>: tenant, id: id}}. */
    BsonDocument wrap(TenantId tenant, BsonValue id) {
        if (id.isArray() || id.isRegularExpression()) {
            throw new IsolationViolationException("An _id cannot be " + (id.isArray() ? "an array" : "a regular"
                    + " expression") + " (MongoDB refuses it); use a string, number, ObjectId or document.");
        }
        return new BsonDocument(field, new BsonString(tenant.value())).append(INNER, id);
    }

    /** Returns a freshly generated id, wrapped: what the server would have generated, made the tenant's. */
    BsonDocument generated(TenantId tenant) {
        return wrap(tenant, new BsonObjectId());
    }

    /**
     * Returns the caller's id inside a stored id, or {@code stored} itself when it is not in the
     * stored form (a document written outside Tenantry, or a value a projection computed).
     */
    BsonValue unwrap(BsonValue stored) {
        if (stored.isDocument()) {
            BsonDocument document = stored.asDocument();
            if (document.size() == 2 && document.getFirstKey().equals(field) && document.get(field).isString()) {
                BsonValue inner = document.get(INNER);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return stored;
    }

    /** Returns {@code document} with its top-level {@code _id} unwrapped, in place; returns the document. */
    BsonDocument unwrapDocument(BsonDocument document) {
        BsonValue id = document.get(ID);
        if (id != null) {
            document.put(ID, unwrap(id));
        }
        return document;
    }

    /** Returns the stored document for a written one: its {@code _id}, when it has one, wrapped; a new document. */
    BsonDocument wrapDocument(TenantId tenant, BsonDocument document) {
        BsonValue id = document.get(ID);
        if (id == null) {
            return document;
        }
        BsonDocument wrapped = new BsonDocument(ID, wrap(tenant, id));
        for (Map.Entry<String, BsonValue> entry : document.entrySet()) {
            if (!entry.getKey().equals(ID)) {
                wrapped.put(entry.getKey(), entry.getValue());
            }
        }
        return wrapped;
    }

    // ---- filters

    /**
     * Returns {@code filter} with every condition on {@code _id} rewritten for stored ids (see the
     * class comment); a new document, the input is not changed. Only top-level keys and the
     * branches of {@code $and}, {@code $or} and {@code $nor} are the document's own fields; keys
     * inside {@code $elemMatch} and other operators are left alone. No two keys can meet: {@code _id}
     * becomes {@code _id} and/or {@code _id.id}, every {@code _id.x} becomes {@code _id.id.x}, and
     * other keys stay as they are.
     */
    BsonDocument filter(TenantId tenant, BsonDocument filter) {
        BsonDocument rewritten = new BsonDocument();
        for (Map.Entry<String, BsonValue> entry : filter.entrySet()) {
            String key = entry.getKey();
            BsonValue value = entry.getValue();
            if (LOGICAL.contains(key) && value.isArray()) {
                BsonArray branches = new BsonArray();
                for (BsonValue branch : value.asArray()) {
                    branches.add(branch.isDocument() ? filter(tenant, branch.asDocument()) : branch);
                }
                rewritten.put(key, branches);
            } else if (key.equals("$expr")) {
                rewritten.put(key, expression(value));
            } else if (key.equals(ID)) {
                idCondition(tenant, value, rewritten);
            } else if (key.startsWith(ID + ".")) {
                rewritten.put(path(key), value);
            } else {
                rewritten.put(key, value);
            }
        }
        return rewritten;
    }

    /** Whether {@code filter} fixes {@code _id} by an equality, at top level or in a top-level {@code $and}. */
    static boolean fixesId(@Nullable BsonDocument filter) {
        if (filter == null) {
            return false;
        }
        for (Map.Entry<String, BsonValue> entry : filter.entrySet()) {
            BsonValue value = entry.getValue();
            if (entry.getKey().equals(ID) && (!isOperators(value) || value.asDocument().containsKey("$eq"))) {
                return true;
            }
            if (entry.getKey().equals("$and") && value.isArray()) {
                for (BsonValue branch : value.asArray()) {
                    if (branch.isDocument() && fixesId(branch.asDocument())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private void idCondition(TenantId tenant, BsonValue condition, BsonDocument rewritten) {
        if (!isOperators(condition)) {
            if (condition.isRegularExpression()) {
                rewritten.put(INNER_PATH, condition);
            } else {
                rewritten.put(ID, wrap(tenant, condition));
            }
            return;
        }
        BsonDocument indexed = new BsonDocument();
        BsonDocument other = new BsonDocument();
        for (Map.Entry<String, BsonValue> operator : condition.asDocument().entrySet()) {
            String name = operator.getKey();
            BsonValue operand = operator.getValue();
            if (INDEXED.contains(name) && wrappable(name, operand)) {
                indexed.put(name, name.equals("$eq") ? wrap(tenant, operand) : wrapAll(tenant, operand.asArray()));
            } else {
                other.put(name, operand);
            }
        }
        if (!indexed.isEmpty()) {
            rewritten.put(ID, indexed);
        }
        if (!other.isEmpty()) {
            rewritten.put(INNER_PATH, other);
        }
    }

    private static boolean wrappable(String operator, BsonValue operand) {
        if (operator.equals("$eq")) {
            return !operand.isRegularExpression() && !operand.isArray();
        }
        if (!operand.isArray()) {
            return false;
        }
        for (BsonValue value : operand.asArray()) {
            if (value.isRegularExpression() || value.isArray()) {
                return false;
            }
        }
        return true;
    }

    private BsonArray wrapAll(TenantId tenant, BsonArray values) {
        BsonArray wrapped = new BsonArray();
        for (BsonValue value : values) {
            wrapped.add(wrap(tenant, value));
        }
        return wrapped;
    }

    /** Whether a filter value is a document of query operators rather than a value to equal. */
    private static boolean isOperators(BsonValue value) {
        return value.isDocument() && !value.asDocument().isEmpty() && value.asDocument().getFirstKey().startsWith("$");
    }

    // ---- paths and expressions

    /**
     * Returns the stored path of a document path: {@code _id} and {@code _id.x} become
     * {@code _id.id} and {@code _id.id.x}; other paths are returned unchanged.
     */
    static String path(String path) {
        if (path.equals(ID)) {
            return INNER_PATH;
        }
        if (path.startsWith(ID + ".")) {
            return INNER_PATH + path.substring(ID.length());
        }
        return path;
    }

    /**
     * Returns an aggregation expression reading stored ids: {@code "$_id"}, {@code "$_id.x"} and
     * the same under {@code $$ROOT} and {@code $$CURRENT} read {@code _id.id}. Literals
     * ({@code $literal}) are left alone. A new value; the input is not changed.
     */
    static BsonValue expression(BsonValue expression) {
        if (expression.isString()) {
            String text = expression.asString().getValue();
            for (String root : ROOTS) {
                if (text.equals(root) || text.startsWith(root + ".")) {
                    return new BsonString(root + "." + INNER + text.substring(root.length()));
                }
            }
            return expression;
        }
        if (expression.isArray()) {
            BsonArray items = new BsonArray();
            for (BsonValue item : expression.asArray()) {
                items.add(expression(item));
            }
            return items;
        }
        if (expression.isDocument()) {
            BsonDocument rewritten = new BsonDocument();
            for (Map.Entry<String, BsonValue> entry : expression.asDocument().entrySet()) {
                rewritten.put(entry.getKey(), entry.getKey().equals("$literal") ? entry.getValue()
                        : expression(entry.getValue()));
            }
            return rewritten;
        }
        return expression;
    }

    /**
     * Returns a sort or projection document with {@code _id.x} keys reading {@code _id.id.x};
     * {@code _id} itself is kept (the whole stored id sorts like the caller's within a tenant, and
     * is unwrapped when read), and projection expressions read stored ids.
     */
    static BsonDocument keys(BsonDocument keys) {
        BsonDocument rewritten = new BsonDocument();
        for (Map.Entry<String, BsonValue> entry : keys.entrySet()) {
            String key = entry.getKey();
            BsonValue value = entry.getValue();
            rewritten.put(key.startsWith(ID + ".") ? path(key) : key, value.isDocument() || value.isString()
                    ? expression(value) : value);
        }
        return rewritten;
    }

    // ---- updates

    /**
     * Returns an operator update for stored ids: {@code $set} and {@code $setOnInsert} of
     * {@code _id} write the wrapped id, and every path below {@code _id} reads {@code _id.id}.
     * Other operators on {@code _id} itself are left for the server to refuse ({@code _id} is
     * immutable). A new document.
     */
    BsonDocument update(TenantId tenant, BsonDocument update) {
        BsonDocument rewritten = new BsonDocument();
        for (Map.Entry<String, BsonValue> operator : update.entrySet()) {
            if (!operator.getValue().isDocument()) {
                rewritten.put(operator.getKey(), operator.getValue());
                continue;
            }
            boolean sets = operator.getKey().equals("$set") || operator.getKey().equals("$setOnInsert");
            BsonDocument fields = new BsonDocument();
            for (Map.Entry<String, BsonValue> entry : operator.getValue().asDocument().entrySet()) {
                String key = entry.getKey();
                if (key.equals(ID) && sets) {
                    fields.put(ID, wrap(tenant, entry.getValue()));
                } else if (key.startsWith(ID + ".")) {
                    fields.put(path(key), entry.getValue());
                } else {
                    fields.put(key, entry.getValue());
                }
            }
            rewritten.put(operator.getKey(), fields);
        }
        return rewritten;
    }

    /** Whether an operator update names {@code _id} or a path below it in any operator. */
    static boolean touchesId(BsonDocument update) {
        for (BsonValue fields : update.values()) {
            if (fields.isDocument()) {
                for (String key : fields.asDocument().keySet()) {
                    if (key.equals(ID) || key.startsWith(ID + ".")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Returns {@code update} with {@code $setOnInsert: {_id: <generated, wrapped>}} added, so that
     * an upsert whose filter does not fix the id inserts a wrapped one rather than the server's.
     */
    BsonDocument withGeneratedId(TenantId tenant, BsonDocument update) {
        BsonDocument rewritten = BsonCopies.deepCopy(update);
        BsonValue existing = rewritten.get("$setOnInsert");
        BsonDocument setOnInsert = existing != null && existing.isDocument() ? existing.asDocument() : new BsonDocument();
        setOnInsert.put(ID, generated(tenant));
        rewritten.put("$setOnInsert", setOnInsert);
        return rewritten;
    }

    /** Returns the stages of an update pipeline with their expressions reading stored ids. */
    static List<BsonDocument> updatePipeline(List<BsonDocument> stages) {
        List<BsonDocument> rewritten = new ArrayList<>(stages.size());
        for (BsonDocument stage : stages) {
            rewritten.add(expression(stage).asDocument());
        }
        return rewritten;
    }

    // ---- pipelines

    /** Returns the stage that unwraps every document's id, put right after the tenant's {@code $match}. */
    static BsonDocument unwrapStage() {
        return new BsonDocument("$addFields", new BsonDocument(ID, new BsonString("$" + INNER_PATH)));
    }

    /**
     * Returns the stage that wraps every document's id again before a {@code $merge} into a shared
     * collection. A document without {@code _id} keeps none, and the server generates one.
     */
    BsonDocument wrapStage(TenantId tenant) {
        BsonDocument wrapped = new BsonDocument(field, new BsonDocument("$literal", new BsonString(tenant.value())))
                .append(INNER, new BsonString("$" + ID));
        return new BsonDocument("$addFields", new BsonDocument(ID, wrapped));
    }

    /**
     * Returns {@code {$set: {name: {$map: ...}}}}, unwrapping the id of each document of an array
     * field that a {@code $graphLookup} filled from a shared collection.
     */
    static BsonDocument unwrapArrayStage(String name) {
        BsonDocument each = new BsonDocument("$mergeObjects", new BsonArray(List.of(new BsonString("$$this"),
                new BsonDocument(ID, new BsonString("$$this." + INNER_PATH)))));
        BsonDocument map = new BsonDocument("input", new BsonString("$" + name)).append("in", each);
        return new BsonDocument("$addFields", new BsonDocument(name, new BsonDocument("$map", map)));
    }

    // ---- decoding

    /**
     * Returns a registry whose codecs unwrap the top-level {@code _id} of each document they
     * decode, and encode as {@code registry}'s do. Nested documents are decoded by
     * {@code registry}'s own codecs, so only the top level is unwrapped.
     */
    CodecRegistry unwrapping(CodecRegistry registry) {
        return new UnwrappingRegistry(registry, this);
    }

    private static final class UnwrappingRegistry implements CodecRegistry {
        private final CodecRegistry registry;
        private final FieldIds ids;

        UnwrappingRegistry(CodecRegistry registry, FieldIds ids) {
            this.registry = registry;
            this.ids = ids;
        }

        @Override
        public <T> Codec<T> get(Class<T> clazz) {
            return new Unwrapping<>(registry.get(clazz), ids);
        }

        @Override
        public <T> Codec<T> get(Class<T> clazz, CodecRegistry outer) {
            return new Unwrapping<>(registry.get(clazz, outer), ids);
        }

        @Override
        public <T> Codec<T> get(Class<T> clazz, List<java.lang.reflect.Type> typeArguments) {
            return new Unwrapping<>(registry.get(clazz, typeArguments), ids);
        }

        @Override
        public <T> Codec<T> get(Class<T> clazz, List<java.lang.reflect.Type> typeArguments, CodecRegistry outer) {
            return new Unwrapping<>(registry.get(clazz, typeArguments, outer), ids);
        }
    }

    private static final class Unwrapping<T> implements Codec<T> {
        private final Codec<T> codec;
        private final FieldIds ids;

        Unwrapping(Codec<T> codec, FieldIds ids) {
            this.codec = codec;
            this.ids = ids;
        }

        @Override
        public T decode(BsonReader reader, DecoderContext context) {
            if (reader.getCurrentBsonType() != null && reader.getCurrentBsonType() != BsonType.DOCUMENT) {
                return codec.decode(reader, context);
            }
            BsonDocument document = ids.unwrapDocument(DOCUMENTS.decode(reader, context));
            return codec.decode(new BsonDocumentReader(document), context);
        }

        @Override
        public void encode(BsonWriter writer, T value, EncoderContext context) {
            codec.encode(writer, value, context);
        }

        @Override
        public Class<T> getEncoderClass() {
            return codec.getEncoderClass();
        }
    }
}
