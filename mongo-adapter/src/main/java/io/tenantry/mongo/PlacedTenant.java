package io.tenantry.mongo;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.tenantry.IsolationModel;
import io.tenantry.IsolationViolationException;
import io.tenantry.Placement;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycleException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.jspecify.annotations.Nullable;

/**
 * One tenant's data at one placement, as the lifecycle's data store handles it: which physical
 * collections hold it and under which logical names, which of their documents are the tenant's, and
 * how a stored document turns into what the tenant sees and back. Works on any placement, not only the
 * one the router gives the tenant now; does no I/O until asked. Immutable and thread-safe.
 *
 * <p><b>What the tenant sees</b> (its <em>view</em> of a document): on the FIELD model the stored
 * {@code _id: {<field>: tenant, id: x}} unwrapped to {@code x} and the tenant field left out; on the
 * other models the document as stored. In both, {@code _id} first and the other fields in stored order.
 * Views of the same data are equal, byte for byte, on every model: digests compare them, and a copy
 * writes the view in the target's stored form.
 *
 * <p>On the FIELD model every collection of the shared database is shared, and a document is the
 * tenant's by its tenant field: a database belongs to one isolation model ({@link DatabaseClaims}), so no
 * collection there is another model's, whatever its name.
 */
final class PlacedTenant {

    /** The server's code for "a collection of that name exists". */
    private static final int NAMESPACE_EXISTS = 48;
    private static final BsonDocumentCodec CODEC = new BsonDocumentCodec();

    final TenantId tenant;
    final Placement placement;
    private final MongoDatabase database;
    private final @Nullable FieldRules rules;
    private final @Nullable OwnedNamespace namespace;

    private PlacedTenant(TenantId tenant, Placement placement, MongoDatabase database, @Nullable FieldRules rules,
            @Nullable OwnedNamespace namespace) {
        this.tenant = tenant;
        this.placement = placement;
        this.database = database;
        this.rules = rules;
        this.namespace = namespace;
    }

    /** Returns {@code tenant} at {@code placement}, whose model is confined by {@code isolation}. */
    static PlacedTenant of(TenantId tenant, Placement placement, MongoSettings settings, MongoIsolation isolation) {
        String name = isolation.databaseName(tenant, placement);
        MongoDatabase database = settings.clusters.client(placement.store()).getDatabase(name)
                .withCodecRegistry(MongoClientSettings.getDefaultCodecRegistry());
        return switch (placement.model()) {
            case FIELD -> new PlacedTenant(tenant, placement, database, new FieldRules(settings.tenantField), null);
            case COLLECTION -> new PlacedTenant(tenant, placement, database, null,
                    ((CollectionIsolation) isolation).namespace(tenant, placement));
            case DATABASE -> new PlacedTenant(tenant, placement, database, null,
                    OwnedNamespace.dedicated(tenant, placement.store(), name));
        };
    }

    /** One logical collection of the tenant: where it is, and which of its documents are the tenant's. */
    record Located(String logical, MongoCollection<RawBsonDocument> physical, BsonDocument filter) {
    }

    /**
     * Returns the tenant's collections that hold data: on the FIELD model the shared collections with at
     * least one of its documents, on the others every collection it owns, empty ones included.
     *
     * @throws TenantLifecycleException if the tenant has a view (views are not moved), or a collection
     *     whose shortened physical name cannot be mapped back to its logical name
     */
    List<Located> collections() {
        List<Located> found = new ArrayList<>();
        for (BsonDocument info : listing()) {
            String physical = info.getString("name").getValue();
            if (physical.startsWith("system.") || (namespace != null && !namespace.owns(physical))) {
                continue;
            }
            boolean view = info.isString("type") && info.getString("type").getValue().equals("view");
            if (rules != null) {
                Located located = new Located(physical, raw(physical), fieldFilter());
                if (!view && located.physical.find(located.filter).limit(1).first() != null) {
                    found.add(located);
                }
                continue;
            }
            String logical = namespace == null ? null : namespace.logical(physical);
            if (view || logical == null) {
                throw new TenantLifecycleException("Tenant \"" + tenant + "\" has " + (view ? "a view" : "a collection")
                        + " \"" + physical + "\" in database \"" + database.getName() + "\" at " + placement
                        + (view ? ", and views are not moved: drop it, move the tenant, then create it again."
                                : " whose shortened name cannot be mapped back to its logical name in this process:"
                                        + " declare the collection in TenantMongo.Builder.collection(...) and retry."));
            }
            found.add(new Located(logical, raw(physical), new BsonDocument()));
        }
        return found;
    }

    /** Lists the database's collections; on the COLLECTION model the server is asked for the tenant's only. */
    private Iterable<BsonDocument> listing() {
        BsonDocument filter = namespace == null ? new BsonDocument()
                : CollectionNameFilter.ownedOnly(new BsonDocument(), namespace);
        return database.listCollections(BsonDocument.class).filter(filter);
    }

    /** Returns the server's {@code collStats} of a located collection (its {@code count} and {@code size}). */
    BsonDocument stats(Located located) {
        return database.runCommand(new BsonDocument("collStats",
                new BsonString(located.physical().getNamespace().getCollectionName())), BsonDocument.class);
    }

    /** Returns the physical collection of logical collection {@code logical} at this placement. */
    MongoCollection<RawBsonDocument> collection(String logical) {
        return raw(physicalName(logical));
    }

    private String physicalName(String logical) {
        return namespace == null ? TenantMongo.checkLogicalName(logical) : namespace.physical(logical);
    }

    private MongoCollection<RawBsonDocument> raw(String physical) {
        return database.getCollection(physical, RawBsonDocument.class);
    }

    /** The tenant's documents in a shared collection: see the class comment. */
    private BsonDocument fieldFilter() {
        return required(rules).condition(tenant);
    }

    /** Returns the tenant's view of a stored document: see the class comment. */
    BsonDocument view(RawBsonDocument stored) {
        if (rules == null) {
            return stored.isEmpty() || stored.getFirstKey().equals(FieldIds.ID) ? stored : idFirst(stored, null);
        }
        return idFirst(stored, rules);
    }

    private static BsonDocument idFirst(BsonDocument stored, @Nullable FieldRules rules) {
        BsonDocument view = new BsonDocument();
        BsonValue id = stored.get(FieldIds.ID);
        if (id != null) {
            view.put(FieldIds.ID, rules == null ? id : rules.ids().unwrap(id));
        }
        for (Map.Entry<String, BsonValue> entry : stored.entrySet()) {
            String key = entry.getKey();
            if (!key.equals(FieldIds.ID) && (rules == null || !key.equals(rules.field()))) {
                view.put(key, entry.getValue());
            }
        }
        return view;
    }

    /**
     * Returns the stored form of a view at this placement, encoded: on the FIELD model with the tenant
     * inside {@code _id} and in the tenant field; as it is otherwise.
     *
     * @throws IsolationViolationException if the view carries the tenant field with another
     *     value, which the FIELD model cannot store
     */
    RawBsonDocument stored(BsonDocument view) {
        BsonDocument stored = rules == null ? view : rules.stamp(tenant, view);
        return stored instanceof RawBsonDocument raw ? raw : new RawBsonDocument(stored, CODEC);
    }

    /** Returns the canonical bytes of a view, which digests hash. */
    static byte[] canonical(BsonDocument view) {
        RawBsonDocument raw = view instanceof RawBsonDocument r ? r : new RawBsonDocument(view, CODEC);
        ByteBuffer buffer = raw.getByteBuffer().asNIO();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /**
     * Returns the indexes of logical collection {@code logical} as the tenant sees them, in the form
     * {@code listIndexes} gives (less {@code v} and {@code ns}): on the FIELD model without the tenant field
     * and without Tenantry's own index. The {@code _id} index is left out.
     */
    List<BsonDocument> indexes(String logical) {
        List<BsonDocument> listed = database.getCollection(physicalName(logical), BsonDocument.class)
                .listIndexes(BsonDocument.class).into(new ArrayList<>());
        List<BsonDocument> seen = rules == null ? listed : FieldIndexes.declared(listed, rules);
        List<BsonDocument> indexes = new ArrayList<>();
        for (BsonDocument index : seen) {
            if (!index.getString("name", new BsonString("")).getValue().equals("_id_")) {
                BsonDocument spec = index.clone();
                spec.remove("v");
                spec.remove("ns");
                indexes.add(spec);
            }
        }
        return indexes;
    }

    /**
     * Creates logical collection {@code logical} with {@code indexes} (as {@link #indexes} gives them), if
     * missing: on the FIELD model with the tenant field first, and Tenantry's own index.
     *
     * @throws IsolationViolationException on the FIELD model, for an index the tenant field
     *     cannot lead (a unique TTL index, a {@code 2d} index)
     */
    void createIndexes(String logical, List<BsonDocument> indexes) {
        String physical = physicalName(logical);
        BsonArray specs = new BsonArray();
        if (rules != null) {
            specs.add(internalIndex(rules));
        }
        for (BsonDocument index : indexes) {
            specs.add(rules == null ? index : fieldIndex(index, rules));
        }
        if (specs.isEmpty()) {
            if (database.listCollectionNames().filter(new BsonDocument("name", new BsonString(physical))).first()
                    != null) {
                return;
            }
            try {
                database.createCollection(physical);
            } catch (MongoCommandException e) {
                if (e.getErrorCode() != NAMESPACE_EXISTS) {
                    throw e;
                }
            }
            return;
        }
        database.runCommand(new BsonDocument("createIndexes", new BsonString(physical)).append("indexes", specs));
    }

    private static BsonDocument internalIndex(FieldRules rules) {
        return new BsonDocument("key", FieldIndexes.internalKeys(rules))
                .append("name", new BsonString(FieldIndexes.INTERNAL_INDEX_NAME))
                .append("unique", BsonBoolean.TRUE);
    }

    private BsonDocument fieldIndex(BsonDocument index, FieldRules rules) {
        boolean ttl = index.containsKey("expireAfterSeconds");
        if (ttl && index.getBoolean("unique", BsonBoolean.FALSE).getValue()) {
            throw new IsolationViolationException("Index " + index.toJson() + " of tenant \"" + tenant
                    + "\" is unique and has expireAfterSeconds, which the FIELD model at " + placement + " cannot"
                    + " keep unique per tenant. Drop it or make it non-unique before moving the tenant there.");
        }
        BsonDocument spec = index.clone();
        spec.put("key", rules.indexKeys(index.getDocument("key"), MongoClientSettings.getDefaultCodecRegistry(), ttl));
        return spec;
    }

    /**
     * Removes the tenant's data here: on the FIELD model its documents from every shared collection
     * (the collections and their indexes stay, they are everyone's); its collections on the COLLECTION
     * model; its database on the DATABASE model.
     */
    void erase() {
        if (placement.model() == IsolationModel.DATABASE) {
            database.drop();
            return;
        }
        for (BsonDocument info : listing()) {
            String physical = info.getString("name").getValue();
            boolean view = info.isString("type") && info.getString("type").getValue().equals("view");
            if (physical.startsWith("system.")) {
                continue;
            }
            if (rules != null) {
                if (!view) {
                    raw(physical).deleteMany(fieldFilter());
                }
            } else if (required(namespace).owns(physical)) {
                raw(physical).drop();
            }
        }
    }

    private static <T> T required(@Nullable T value) {
        if (value == null) {
            throw new IllegalStateException("not available on this model");
        }
        return value;
    }

    @Override
    public String toString() {
        return "tenant " + tenant + " at " + placement;
    }
}
