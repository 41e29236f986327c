package io.tenantry.mongo;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import io.tenantry.IsolationModel;
import io.tenantry.Placement;
import io.tenantry.StoreUnavailableException;
import io.tenantry.TenantId;
import io.tenantry.TenantUsage;
import io.tenantry.spi.UsageHistory;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The {@link UsageHistory} kept in a MongoDB collection (by default {@value #DEFAULT_COLLECTION}) of the
 * control-plane database, beside {@link MongoTenantDirectory}. One document per tenant per measurement, the
 * totals beside each collection's part:
 *
 * <pre>{@code
 * {_id: ObjectId(...), tenant: "acme", measuredAt: ISODate(...),
 *  placement: {model: "FIELD", store: "main", namespace: "app"},
 *  items: 4, bytes: 24576,
 *  resources: [{name: "cards", items: 3, bytes: 16384}, {name: "decks", items: 1, bytes: 8192}]}
 * }</pre>
 *
 * <p>Resources are an array rather than fields named after the collections, whose names may hold dots.
 * {@link #createIndexes()} creates {@code {tenant: 1, measuredAt: 1}} (for {@link #find}) and
 * {@code {measuredAt: 1}} (for the purge, one {@code deleteMany}). Times are BSON dates, which hold
 * milliseconds; measurements of the same millisecond are ordered by {@code _id}, which the driver generates
 * in increasing order within a process. {@link #record} is one {@code insertOne}, acknowledged with the
 * database's write concern before it returns.
 *
 * <p>Thread-safe, like the driver's collections it uses.
 */
public final class MongoUsageHistory implements UsageHistory {

    /** The collection used by {@link #of(MongoDatabase)}. */
    public static final String DEFAULT_COLLECTION = "tenant_usage_history";

    private static final Bson LATEST_FIRST = Sorts.descending("measuredAt", "_id");

    private final MongoCollection<Document> measurements;

    private MongoUsageHistory(MongoCollection<Document> measurements) {
        this.measurements = measurements;
    }

    /**
     * Returns the history kept in collection {@value #DEFAULT_COLLECTION} of {@code controlPlane}.
     *
     * @param controlPlane a control-plane database taken from a {@code MongoClient}, not one from
     *     {@link TenantMongo} (which would route it to each tenant)
     * @return the history
     * @throws IllegalArgumentException if {@code controlPlane} is a Tenantry tenant handle, or its write
     *     concern is unacknowledged
     */
    public static MongoUsageHistory of(MongoDatabase controlPlane) {
        return of(controlPlane, DEFAULT_COLLECTION);
    }

    /**
     * Returns the history kept in collection {@code collection} of {@code controlPlane}.
     *
     * @param controlPlane a control-plane database taken from a {@code MongoClient}
     * @param collection the collection's name
     * @return the history
     * @throws IllegalArgumentException if {@code controlPlane} is a Tenantry tenant handle, its write concern
     *     is unacknowledged, or the name is invalid
     */
    public static MongoUsageHistory of(MongoDatabase controlPlane, String collection) {
        Objects.requireNonNull(controlPlane, "controlPlane");
        if (controlPlane instanceof OwnedDatabase || controlPlane instanceof FieldDatabase
                || (Proxy.isProxyClass(controlPlane.getClass())
                        && Proxy.getInvocationHandler(controlPlane).getClass().getName().startsWith("io.tenantry."))) {
            throw new IllegalArgumentException("The usage history needs a plain control-plane database from a"
                    + " MongoClient (client.getDatabase(\"control\")), not a Tenantry handle, which belongs to one"
                    + " tenant.");
        }
        if (!controlPlane.getWriteConcern().isAcknowledged()) {
            throw new IllegalArgumentException("The usage history must be stored when record() returns, but"
                    + " database \"" + controlPlane.getName() + "\" has the unacknowledged write concern "
                    + controlPlane.getWriteConcern() + "; pass controlPlane.withWriteConcern(WriteConcern.MAJORITY).");
        }
        String name = TenantMongo.checkLogicalName(collection);
        return new MongoUsageHistory(controlPlane.withCodecRegistry(MongoClientSettings.getDefaultCodecRegistry())
                .getCollection(name));
    }

    /**
     * Creates the history's two indexes unless they exist; idempotent.
     *
     * @throws StoreUnavailableException if the cluster cannot be reached
     */
    public void createIndexes() {
        run("create the indexes", () -> {
            measurements.createIndex(Indexes.ascending("tenant", "measuredAt"),
                    new IndexOptions().name("tenant_measuredAt"));
            return measurements.createIndex(Indexes.ascending("measuredAt"), new IndexOptions().name("measuredAt"));
        });
    }

    /** {@inheritDoc} One {@code insertOne}. */
    @Override
    public void record(TenantUsage usage) {
        Objects.requireNonNull(usage, "usage");
        List<Document> resources = new ArrayList<>();
        usage.resources().forEach((name, resource) -> resources.add(new Document("name", name)
                .append("items", resource.items()).append("bytes", resource.bytes())));
        Placement placement = usage.placement();
        Document document = new Document("tenant", usage.tenant().value())
                .append("measuredAt", Date.from(usage.measuredAt()))
                .append("placement", new Document("model", placement.model().name()).append("store", placement.store())
                        .append("namespace", placement.namespace()))
                .append("items", usage.totalItems()).append("bytes", usage.totalBytes()).append("resources", resources);
        run("record the usage of tenant " + usage.tenant(), () -> measurements.insertOne(document));
    }

    /** {@inheritDoc} One query on the index of {@code {tenant: 1, measuredAt: 1}}. */
    @Override
    public List<TenantUsage> find(TenantId tenant, Instant from, Instant to, int limit) {
        Objects.requireNonNull(tenant, "tenant");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("The window ends (" + to + ") before it starts (" + from + ").");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        Bson filter = Filters.and(Filters.eq("tenant", tenant.value()),
                Filters.gte("measuredAt", Date.from(from.truncatedTo(ChronoUnit.MILLIS))),
                Filters.lt("measuredAt", Date.from(ceilingMillis(to))));
        List<Document> latestFirst = run("read the usage of tenant " + tenant,
                () -> measurements.find(filter).sort(LATEST_FIRST).limit(limit).into(new ArrayList<>()));
        Collections.reverse(latestFirst);
        return latestFirst.stream().map(document -> toUsage(tenant, document)).toList();
    }

    private TenantUsage toUsage(TenantId tenant, Document document) {
        try {
            Document placement = document.get("placement", Document.class);
            Map<String, TenantUsage.Resource> resources = new LinkedHashMap<>();
            for (Document resource : document.getList("resources", Document.class)) {
                resources.put(Objects.requireNonNull(resource.getString("name"), "name"),
                        new TenantUsage.Resource(number(resource, "items"), number(resource, "bytes")));
            }
            return new TenantUsage(tenant, Placement.of(IsolationModel.valueOf(placement.getString("model")),
                    placement.getString("store"), placement.getString("namespace")), resources,
                    document.getDate("measuredAt").toInstant());
        } catch (RuntimeException e) {
            throw new IllegalStateException("Document " + document.get("_id") + " of " + measurements.getNamespace()
                    + " is not a measurement this version of Tenantry reads (" + e + "); a newer version may have"
                    + " written it.", e);
        }
    }

    /** Reads a count written as a 64-bit integer, or as any number by a hand-made document. */
    private static long number(Document document, String field) {
        return ((Number) Objects.requireNonNull(document.get(field), field)).longValue();
    }

    /** {@inheritDoc} One {@code deleteMany} on {@code measuredAt}, which the server runs document by document. */
    @Override
    public long purge(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        long removed = run("purge the measurements before " + cutoff,
                () -> measurements.deleteMany(Filters.lt("measuredAt", Date.from(cutoff))).getDeletedCount());
        return (int) Math.min(Integer.MAX_VALUE, removed);
    }

    private <T> T run(String action, Supplier<T> call) {
        try {
            return call.get();
        } catch (MongoTimeoutException | MongoSocketException e) {
            throw new StoreUnavailableException("control-plane", "The usage history could not " + action + ": the"
                    + " control-plane cluster is unreachable (" + e.getMessage() + ").", e);
        }
    }

    private static Instant ceilingMillis(Instant instant) {
        Instant truncated = instant.truncatedTo(ChronoUnit.MILLIS);
        return truncated.equals(instant) ? instant : truncated.plusMillis(1);
    }

    @Override
    public String toString() {
        return "MongoUsageHistory(" + measurements.getNamespace() + ")";
    }
}
