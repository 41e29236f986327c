package io.tenantry.mongo;

import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import io.tenantry.AuditEvent;
import io.tenantry.AuditQuery;
import io.tenantry.TenantId;
import io.tenantry.spi.AuditLog;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AuditLog} kept in a MongoDB collection (by default {@value #DEFAULT_COLLECTION}) of the
 * control-plane database, beside {@link MongoTenantDirectory}. One document per event:
 *
 * <pre>{@code
 * {_id: ObjectId(...), at: ISODate(...), kind: "TENANT_MOVED", tenant: "acme",   // tenant absent: a system scope
 *  detail: "moved from ... to ...", thread: "http-nio-8080-exec-3"}
 * }</pre>
 *
 * <p>{@link #createIndexes()} creates the indexes {@code {tenant: 1, at: -1, _id: -1}} (a tenant's events)
 * and {@code {at: -1, _id: -1}} (all events, and the purge). Times are BSON dates, which hold milliseconds;
 * query bounds are widened to whole milliseconds, and events of the same millisecond are ordered by their
 * {@code _id}, which the driver generates in increasing order within a process.
 *
 * <p>{@link #record} is one {@code insertOne} on the calling thread, acknowledged with the database's write
 * concern before it returns; if it fails (the cluster unreachable for the client's server selection
 * timeout, the client closed), the event is logged at WARN on the logger {@code io.tenantry.audit}, in full,
 * and the call returns normally. {@link #purge} is one {@code deleteMany}. Retention is the caller's: run
 * {@link #purgeOlderThan} on a schedule (the Spring Boot starter does), which works the same on every
 * server; a TTL index would need a second index on {@code at}, and {@code collMod} to change its period.
 *
 * <p>Thread-safe, like the driver's collections it uses.
 */
public final class MongoAuditLog implements AuditLog {

    /** The collection used by {@link #of(MongoDatabase)}. */
    public static final String DEFAULT_COLLECTION = "tenant_audit";

    private static final Logger AUDIT = LoggerFactory.getLogger("io.tenantry.audit");
    private static final Bson NEWEST_FIRST = Sorts.descending("at", "_id");

    private final MongoCollection<Document> events;

    private MongoAuditLog(MongoCollection<Document> events) {
        this.events = events;
    }

    /**
     * Returns the log kept in collection {@value #DEFAULT_COLLECTION} of {@code controlPlane}.
     *
     * @param controlPlane a control-plane database taken from a {@code MongoClient}, not one from
     *     {@link TenantMongo} (which would route it to each tenant)
     * @return the log
     * @throws IllegalArgumentException if {@code controlPlane} is a Tenantry tenant handle, or its write
     *     concern is unacknowledged (the log could not tell which events were not stored)
     */
    public static MongoAuditLog of(MongoDatabase controlPlane) {
        return of(controlPlane, DEFAULT_COLLECTION);
    }

    /**
     * Returns the log kept in collection {@code collection} of {@code controlPlane}.
     *
     * @param controlPlane a control-plane database taken from a {@code MongoClient}
     * @param collection the collection's name
     * @return the log
     * @throws IllegalArgumentException if {@code controlPlane} is a Tenantry tenant handle, its write concern
     *     is unacknowledged, or the name is invalid
     */
    public static MongoAuditLog of(MongoDatabase controlPlane, String collection) {
        Objects.requireNonNull(controlPlane, "controlPlane");
        if (controlPlane instanceof OwnedDatabase || controlPlane instanceof FieldDatabase
                || (Proxy.isProxyClass(controlPlane.getClass())
                        && Proxy.getInvocationHandler(controlPlane).getClass().getName().startsWith("io.tenantry."))) {
            throw new IllegalArgumentException("The audit log needs a plain control-plane database from a MongoClient"
                    + " (client.getDatabase(\"control\")), not a Tenantry handle, which belongs to one tenant: the"
                    + " audit trail belongs to no tenant.");
        }
        if (!controlPlane.getWriteConcern().isAcknowledged()) {
            throw new IllegalArgumentException("The audit log must know whether each event was stored, but database \""
                    + controlPlane.getName() + "\" has the unacknowledged write concern " + controlPlane.getWriteConcern()
                    + "; pass controlPlane.withWriteConcern(WriteConcern.MAJORITY).");
        }
        String name = TenantMongo.checkLogicalName(collection);
        return new MongoAuditLog(controlPlane.withCodecRegistry(MongoClientSettings.getDefaultCodecRegistry())
                .getCollection(name));
    }

    /** Creates the log's two indexes unless they exist; idempotent. */
    public void createIndexes() {
        events.createIndex(Indexes.descending("at", "_id"), new IndexOptions().name("at"));
        events.createIndex(Indexes.compoundIndex(Indexes.ascending("tenant"), Indexes.descending("at", "_id")),
                new IndexOptions().name("tenant_at"));
    }

    /**
     * {@inheritDoc} One {@code insertOne}; a failure is logged at WARN on {@code io.tenantry.audit} with the
     * event, never thrown.
     */
    @Override
    public void record(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        Document document = new Document("at", Date.from(event.at())).append("kind", event.kind().name());
        event.tenant().ifPresent(tenant -> document.append("tenant", tenant.value()));
        document.append("detail", event.detail()).append("thread", event.thread());
        try {
            events.insertOne(document);
        } catch (RuntimeException e) {
            AUDIT.warn("Audit event NOT STORED in collection {} of the control plane: {} The event: {}",
                    events.getNamespace(), e, event);
        }
    }

    /**
     * {@inheritDoc} One query, sorted by {@code at} and {@code _id}, both descending.
     *
     * @throws com.mongodb.MongoException if the cluster cannot be reached or refuses the query
     */
    @Override
    public List<AuditEvent> find(AuditQuery query) {
        Objects.requireNonNull(query, "query");
        List<Bson> conditions = new ArrayList<>();
        query.tenant().ifPresent(tenant -> conditions.add(Filters.eq("tenant", tenant.value())));
        if (!query.kinds().isEmpty()) {
            conditions.add(Filters.in("kind", query.kinds().stream().map(Enum::name).toList()));
        }
        query.from().ifPresent(from -> conditions.add(Filters.gte("at", Date.from(from))));
        query.to().ifPresent(to -> conditions.add(Filters.lt("at", Date.from(ceilingMillis(to)))));
        Bson filter = conditions.isEmpty() ? new Document() : Filters.and(conditions);
        List<AuditEvent> found = new ArrayList<>();
        for (Document document : events.find(filter).sort(NEWEST_FIRST).limit(query.limit())) {
            found.add(toEvent(document));
        }
        return List.copyOf(found);
    }

    private AuditEvent toEvent(Document document) {
        try {
            String tenant = document.getString("tenant");
            return new AuditEvent(AuditEvent.Kind.valueOf(document.getString("kind")),
                    tenant == null ? null : TenantId.of(tenant), document.getString("detail"),
                    document.getString("thread"), document.getDate("at").toInstant());
        } catch (RuntimeException e) {
            throw new IllegalStateException("Document " + document.get("_id") + " of " + events.getNamespace()
                    + " is not an audit event this version of Tenantry reads (" + e + "); a newer version may have"
                    + " written it.", e);
        }
    }

    /**
     * {@inheritDoc} One {@code deleteMany} on {@code at}, which the server runs document by document: an
     * interrupted purge has removed only old events.
     *
     * @throws com.mongodb.MongoException if the cluster cannot be reached or refuses the removal
     */
    @Override
    public long purge(Instant before) {
        Objects.requireNonNull(before, "before");
        return events.deleteMany(Filters.lt("at", Date.from(before))).getDeletedCount();
    }

    private static Instant ceilingMillis(Instant instant) {
        Instant truncated = instant.truncatedTo(ChronoUnit.MILLIS);
        return truncated.equals(instant) ? instant : truncated.plusMillis(1);
    }

    @Override
    public String toString() {
        return "MongoAuditLog(" + events.getNamespace() + ")";
    }
}
