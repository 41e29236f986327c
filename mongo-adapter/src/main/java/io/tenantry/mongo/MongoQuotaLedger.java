package io.tenantry.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import io.tenantry.StoreUnavailableException;
import io.tenantry.TenantId;
import io.tenantry.spi.QuotaLedger;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.jspecify.annotations.Nullable;

/**
 * The {@link QuotaLedger} kept in a MongoDB collection (by default {@value #DEFAULT_COLLECTION}) of the
 * control-plane database, beside {@link MongoTenantDirectory}, so that every instance of an application checks
 * quotas against the same counts. One document per tenant and quota key:
 *
 * <pre>{@code
 * {_id: {tenant: "acme", key: "items:cards"}, tenant: "acme", key: "items:cards", count: NumberLong(42)}
 * }</pre>
 *
 * <p>The {@code _id} makes the pair unique by the server's own index, so that concurrent
 * {@linkplain #initialise initialisations} keep one count whether or not {@link #createIndexes()} ran; that
 * method adds the unique index {@code {tenant: 1, key: 1}}, which {@link #counts} and {@link #forget} use.
 *
 * <p>Every change is one atomic, conditional single-document update, so that the ledger is exact under any
 * number of concurrent callers in any number of processes: {@link #tryAdd} is one {@code findOneAndUpdate}
 * with the filter {@code count <= limit - amount} and {@code $inc}; {@link #initialise} one upsert with
 * {@code $setOnInsert}; {@link #compareAndSet} one {@code updateOne} on {@code count == expected}. A negative
 * {@link #add} that stops at zero is two conditional updates ({@code $inc} where {@code count >= -delta}, else
 * {@code $set: 0} where {@code count < -delta}), each deciding on the count it changes, and retried from the
 * first if a concurrent change made neither match; no update pipeline is needed.
 *
 * <p>Thread-safe, like the driver's collections it uses. Every method throws {@link StoreUnavailableException}
 * when the control-plane cluster cannot be reached.
 */
public final class MongoQuotaLedger implements QuotaLedger {

    /** The collection used by {@link #of(MongoDatabase)}. */
    public static final String DEFAULT_COLLECTION = "tenant_quota_usage";

    private static final FindOneAndUpdateOptions AFTER = new FindOneAndUpdateOptions()
            .returnDocument(ReturnDocument.AFTER);
    private static final FindOneAndUpdateOptions UPSERT_AFTER = new FindOneAndUpdateOptions().upsert(true)
            .returnDocument(ReturnDocument.AFTER);

    private final MongoCollection<Document> counts;

    private MongoQuotaLedger(MongoCollection<Document> counts) {
        this.counts = counts;
    }

    /**
     * Returns the ledger kept in collection {@value #DEFAULT_COLLECTION} of {@code controlPlane}.
     *
     * @param controlPlane a control-plane database taken from a {@code MongoClient}, not one from
     *     {@link TenantMongo} (which would route it to each tenant)
     * @return the ledger
     * @throws IllegalArgumentException if {@code controlPlane} is a Tenantry tenant handle, or its write
     *     concern is unacknowledged (a reservation must be counted before the write it allows)
     */
    public static MongoQuotaLedger of(MongoDatabase controlPlane) {
        return of(controlPlane, DEFAULT_COLLECTION);
    }

    /**
     * Returns the ledger kept in collection {@code collection} of {@code controlPlane}.
     *
     * @param controlPlane a control-plane database taken from a {@code MongoClient}
     * @param collection the collection's name
     * @return the ledger
     * @throws IllegalArgumentException if {@code controlPlane} is a Tenantry tenant handle, its write concern
     *     is unacknowledged, or the name is invalid
     */
    public static MongoQuotaLedger of(MongoDatabase controlPlane, String collection) {
        return new MongoQuotaLedger(ControlPlaneCollections.open(controlPlane, collection, "The quota ledger",
                "count a reservation before the write it allows"));
    }

    /** Creates the unique index {@code {tenant: 1, key: 1}} unless it exists; idempotent. */
    public void createIndexes() {
        run("create its index", () -> counts.createIndex(Indexes.ascending("tenant", "key"),
                new IndexOptions().name("tenant_key").unique(true)));
    }

    /** {@inheritDoc} One {@code find} by {@code _id}. */
    @Override
    public OptionalLong get(TenantId tenant, String key) {
        Document found = run("read a count of tenant " + tenant, () -> counts.find(id(tenant, key)).first());
        return found == null ? OptionalLong.empty() : OptionalLong.of(count(found));
    }

    /** {@inheritDoc} One {@code find} on {@code tenant}. */
    @Override
    public Map<String, Long> counts(TenantId tenant) {
        Objects.requireNonNull(tenant, "tenant");
        Map<String, Long> byKey = new TreeMap<>();
        run("read the counts of tenant " + tenant, () -> {
            for (Document document : counts.find(Filters.eq("tenant", tenant.value()))) {
                byKey.put(document.getString("key"), count(document));
            }
            return byKey;
        });
        return Collections.unmodifiableMap(byKey);
    }

    /** {@inheritDoc} One {@code findOneAndUpdate} with upsert and {@code $setOnInsert}. */
    @Override
    public long initialise(TenantId tenant, String key, long value) {
        requireNotNegative(value);
        Bson insert = Updates.combine(Updates.setOnInsert("tenant", tenant.value()), Updates.setOnInsert("key", key),
                Updates.setOnInsert("count", value));
        return run("start a count of tenant " + tenant, () -> {
            try {
                return count(Objects.requireNonNull(counts.findOneAndUpdate(id(tenant, key), insert, UPSERT_AFTER)));
            } catch (MongoWriteException e) {
                // Two upserts of one _id raced: the one that lost finds the count the winner started.
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                return count(Objects.requireNonNull(counts.find(id(tenant, key)).first()));
            }
        });
    }

    /** {@inheritDoc} One {@code findOneAndUpdate} with {@code count <= limit - amount} and {@code $inc}. */
    @Override
    public OptionalLong tryAdd(TenantId tenant, String key, long amount, long limit) {
        requireNotNegative(amount);
        Document added = run("reserve under a quota of tenant " + tenant, () -> counts.findOneAndUpdate(
                Filters.and(id(tenant, key), Filters.lte("count", limit - amount)), Updates.inc("count", amount),
                AFTER));
        if (added != null) {
            return OptionalLong.of(count(added));
        }
        if (get(tenant, key).isEmpty()) {
            throw new IllegalStateException("No count of " + key + " for tenant " + tenant
                    + " was initialised; initialise it from the store first.");
        }
        return OptionalLong.empty();
    }

    /** {@inheritDoc} One {@code findOneAndUpdate}; two conditional ones (rarely more) when it stops at zero. */
    @Override
    public OptionalLong add(TenantId tenant, String key, long delta) {
        Bson id = id(tenant, key);
        if (delta >= 0) {
            Document added = run("add to a count of tenant " + tenant, () -> counts.findOneAndUpdate(id,
                    Updates.inc("count", delta), AFTER));
            return added == null ? OptionalLong.empty() : OptionalLong.of(count(added));
        }
        long taken = delta == Long.MIN_VALUE ? Long.MAX_VALUE : -delta;
        while (true) {
            Document lowered = run("take from a count of tenant " + tenant, () -> counts.findOneAndUpdate(
                    Filters.and(id, Filters.gte("count", taken)), Updates.inc("count", -taken), AFTER));
            if (lowered != null) {
                return OptionalLong.of(count(lowered));
            }
            Document zeroed = run("take from a count of tenant " + tenant, () -> counts.findOneAndUpdate(
                    Filters.and(id, Filters.lt("count", taken)), Updates.set("count", 0L), AFTER));
            if (zeroed != null) {
                return OptionalLong.of(0);
            }
            if (get(tenant, key).isEmpty()) {
                return OptionalLong.empty();
            }
            // The count rose past -delta between the two updates; decide again on the count it holds now.
        }
    }

    /** {@inheritDoc} One {@code updateOne} on {@code count == expected}. */
    @Override
    public boolean compareAndSet(TenantId tenant, String key, long expected, long value) {
        requireNotNegative(value);
        return run("replace a count of tenant " + tenant, () -> counts.updateOne(
                Filters.and(id(tenant, key), Filters.eq("count", expected)), Updates.set("count", value))
                .getMatchedCount() == 1);
    }

    /** {@inheritDoc} One {@code deleteMany} on {@code tenant}. */
    @Override
    public void forget(TenantId tenant) {
        Objects.requireNonNull(tenant, "tenant");
        run("forget the counts of tenant " + tenant, () -> counts.deleteMany(Filters.eq("tenant", tenant.value())));
    }

    private static Bson id(TenantId tenant, String key) {
        return Filters.eq("_id", new Document("tenant", Objects.requireNonNull(tenant, "tenant").value())
                .append("key", Objects.requireNonNull(key, "key")));
    }

    /** Reads a count written as a 64-bit integer, or as any number by a hand-made document. */
    private static long count(Document document) {
        return ((Number) Objects.requireNonNull(document.get("count"), "count")).longValue();
    }

    private static void requireNotNegative(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("must not be negative, was " + value);
        }
    }

    private <T> @Nullable T run(String action, Supplier<@Nullable T> call) {
        try {
            return call.get();
        } catch (MongoTimeoutException | MongoSocketException e) {
            throw new StoreUnavailableException("control-plane", "The quota ledger could not " + action + ": the"
                    + " control-plane cluster is unreachable (" + e.getMessage() + ").", e);
        }
    }

    @Override
    public String toString() {
        return "MongoQuotaLedger(" + counts.getNamespace() + ")";
    }
}
