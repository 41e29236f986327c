package io.tenantry.mongo;

import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import io.tenantry.IsolationModel;
import io.tenantry.LifecycleOperation;
import io.tenantry.LifecycleOperation.Kind;
import io.tenantry.LifecycleOperation.Step;
import io.tenantry.Placement;
import io.tenantry.TenantId;
import io.tenantry.TenantStatus;
import io.tenantry.spi.LifecycleJournal;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LifecycleJournal} kept in a MongoDB collection (by default {@value #DEFAULT_COLLECTION}) of
 * the control-plane database, beside {@link MongoTenantDirectory}: every process that runs
 * {@link io.tenantry.TenantLifecycle} over the same directory should share it, so that a restarted
 * process can finish or undo what a crashed one left, and a second operation on a busy tenant is refused.
 *
 * <p>One document per operation, its id as {@code _id}:
 *
 * <pre>{@code
 * {_id: "5f0c...", kind: "MOVE", tenant: "acme", step: "COPIED",
 *  from: {model: "FIELD", store: "main", namespace: "cardvault"},
 *  to: {model: "DATABASE", store: "dedicated", namespace: "cv_"},   // absent unless a move
 *  targetTier: "enterprise",                                       // absent unless a move by tier
 *  archive: "/backups/acme-20261130",                              // absent unless an export or import
 *  previousStatus: "ACTIVE", startedAt: ISODate(...), updatedAt: ISODate(...), detail: ""}
 * }</pre>
 *
 * <p>{@link #save} is one {@code replaceOne} with upsert on {@code _id}, acknowledged with the database's
 * write concern before it returns (give the database {@code WriteConcern.MAJORITY} on a replica set so
 * that an entry survives a failover). Timestamps are BSON dates, which hold milliseconds. Thread-safe,
 * like the driver's collections it uses.
 */
public final class MongoLifecycleJournal implements LifecycleJournal {

    /** The collection used by {@link #of(MongoDatabase)}. */
    public static final String DEFAULT_COLLECTION = "tenant_operations";

    private static final Bson OLDEST_FIRST = Sorts.ascending("startedAt", "_id");
    private static final List<String> TERMINAL = Arrays.stream(Step.values()).filter(Step::terminal).map(Step::name)
            .toList();

    private final MongoCollection<Document> operations;

    private MongoLifecycleJournal(MongoCollection<Document> operations) {
        this.operations = operations;
    }

    /**
     * Returns the journal kept in collection {@value #DEFAULT_COLLECTION} of {@code controlPlane}.
     *
     * @param controlPlane a control-plane database taken from a {@code MongoClient}, not one from
     *     {@link TenantMongo} (which would route it to each tenant)
     * @return the journal
     * @throws IllegalArgumentException if {@code controlPlane} is a Tenantry tenant handle, or its write
     *     concern is unacknowledged (the journal must be durable when {@code save} returns)
     */
    public static MongoLifecycleJournal of(MongoDatabase controlPlane) {
        return of(controlPlane, DEFAULT_COLLECTION);
    }

    /**
     * Returns the journal kept in collection {@code collection} of {@code controlPlane}.
     *
     * @param controlPlane a control-plane database taken from a {@code MongoClient}
     * @param collection the collection's name
     * @return the journal
     * @throws IllegalArgumentException if {@code controlPlane} is a Tenantry tenant handle, its write
     *     concern is unacknowledged, or the name is invalid
     */
    public static MongoLifecycleJournal of(MongoDatabase controlPlane, String collection) {
        Objects.requireNonNull(controlPlane, "controlPlane");
        if (controlPlane instanceof OwnedDatabase || (Proxy.isProxyClass(controlPlane.getClass())
                && Proxy.getInvocationHandler(controlPlane).getClass().getName().startsWith("io.tenantry."))
                || controlPlane instanceof FieldDatabase) {
            throw new IllegalArgumentException("The lifecycle journal needs a plain control-plane database from a"
                    + " MongoClient (client.getDatabase(\"control\")), not a Tenantry handle, which belongs to one"
                    + " tenant.");
        }
        if (!controlPlane.getWriteConcern().isAcknowledged()) {
            throw new IllegalArgumentException("The lifecycle journal must be durable when save() returns, but database"
                    + " \"" + controlPlane.getName() + "\" has the unacknowledged write concern "
                    + controlPlane.getWriteConcern() + "; pass controlPlane.withWriteConcern(WriteConcern.MAJORITY).");
        }
        String name = TenantMongo.checkLogicalName(collection);
        return new MongoLifecycleJournal(controlPlane.withCodecRegistry(MongoClientSettings.getDefaultCodecRegistry())
                .getCollection(name));
    }

    /** {@inheritDoc} One {@code replaceOne} with upsert on the operation's id. */
    @Override
    public void save(LifecycleOperation operation) {
        Objects.requireNonNull(operation, "operation");
        operations.replaceOne(Filters.eq("_id", operation.id()), toDocument(operation),
                new ReplaceOptions().upsert(true));
    }

    /**
     * {@inheritDoc} Oldest first.
     *
     * @throws IllegalStateException if a stored entry is not in the form this class writes
     */
    @Override
    public List<LifecycleOperation> unfinished() {
        return read(Filters.nin("step", TERMINAL));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if a stored entry is not in the form this class writes
     */
    @Override
    public List<LifecycleOperation> all() {
        return read(new Document());
    }

    private List<LifecycleOperation> read(Bson filter) {
        List<LifecycleOperation> found = new ArrayList<>();
        for (Document document : operations.find(filter).sort(OLDEST_FIRST)) {
            found.add(toOperation(document));
        }
        return List.copyOf(found);
    }

    static Document toDocument(LifecycleOperation op) {
        Document document = new Document("_id", op.id()).append("kind", op.kind().name())
                .append("tenant", op.tenant().value()).append("step", op.step().name())
                .append("from", placement(op.from()));
        if (op.to() != null) {
            document.append("to", placement(op.to()));
        }
        if (op.targetTier() != null) {
            document.append("targetTier", op.targetTier());
        }
        if (op.archive() != null) {
            document.append("archive", op.archive());
        }
        return document.append("previousStatus", op.previousStatus().name())
                .append("startedAt", Date.from(op.startedAt())).append("updatedAt", Date.from(op.updatedAt()))
                .append("detail", op.detail());
    }

    static LifecycleOperation toOperation(Document document) {
        try {
            return new LifecycleOperation(document.getString("_id"), Kind.valueOf(document.getString("kind")),
                    TenantId.of(document.getString("tenant")), Step.valueOf(document.getString("step")),
                    placement(document.get("from", Document.class)), placementOrNull(document.get("to", Document.class)),
                    document.getString("targetTier"), document.getString("archive"),
                    TenantStatus.valueOf(document.getString("previousStatus")),
                    document.getDate("startedAt").toInstant(), document.getDate("updatedAt").toInstant(),
                    document.getString("detail"));
        } catch (RuntimeException e) {
            throw new IllegalStateException("Lifecycle journal entry " + document.get("_id") + " is not in the form"
                    + " MongoLifecycleJournal writes: " + e, e);
        }
    }

    private static Document placement(Placement placement) {
        return new Document("model", placement.model().name()).append("store", placement.store())
                .append("namespace", placement.namespace());
    }

    private static @Nullable Placement placementOrNull(@Nullable Document document) {
        return document == null ? null : placement(document);
    }

    private static Placement placement(Document document) {
        return Placement.of(IsolationModel.valueOf(document.getString("model")), document.getString("store"),
                document.getString("namespace"));
    }

    @Override
    public String toString() {
        return "MongoLifecycleJournal(" + operations.getNamespace() + ")";
    }
}
