package io.tenantry.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import io.tenantry.Tenant;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycleException;
import io.tenantry.UnknownTenantException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bson.Document;

/**
 * A {@link TenantDirectory} kept in a MongoDB collection (by default {@value #DEFAULT_COLLECTION})
 * of a control-plane database, such as an {@code admin}-like database of the application's own.
 *
 * <p>One document per tenant, with the tenant id as {@code _id}, so ids are unique by the server's
 * own primary key; every field of {@link Tenant} is stored, the pinned placement, region,
 * attributes and timestamps included (timestamps to the millisecond, which is what BSON dates
 * hold). {@link #update(Tenant)} is a single conditional write on {@code {_id, version}} that sets
 * the next version, so of two writers that read the same version exactly one wins, across
 * processes. Wrap it in {@link TenantDirectory#caching} to keep the per-call routing off the
 * network.
 *
 * <p>Thread-safe, like the driver's collections it uses.
 */
public final class MongoTenantDirectory implements TenantDirectory {

    /** The collection used by {@link #of(MongoDatabase)}. */
    public static final String DEFAULT_COLLECTION = "tenants";

    private final MongoCollection<Document> tenants;

    private MongoTenantDirectory(MongoCollection<Document> tenants) {
        this.tenants = tenants;
    }

    /**
     * Returns the directory kept in collection {@value #DEFAULT_COLLECTION} of {@code database}.
     *
     * @param database a control-plane database taken from a {@code MongoClient}, not one from
     *     {@link TenantMongo} (which would route it to each tenant)
     * @return the directory
     * @throws IllegalArgumentException if {@code database} is a Tenantry tenant handle
     */
    public static MongoTenantDirectory of(MongoDatabase database) {
        return of(database, DEFAULT_COLLECTION);
    }

    /**
     * Returns the directory kept in collection {@code collection} of {@code database}.
     *
     * @param database a control-plane database taken from a {@code MongoClient}
     * @param collection the collection's name
     * @return the directory
     * @throws IllegalArgumentException if {@code database} is a Tenantry tenant handle or the name is invalid
     */
    public static MongoTenantDirectory of(MongoDatabase database, String collection) {
        Objects.requireNonNull(database, "database");
        if (database instanceof OwnedDatabase || (Proxy.isProxyClass(database.getClass())
                && Proxy.getInvocationHandler(database).getClass().getName().startsWith("io.tenantry."))) {
            throw new IllegalArgumentException("The tenant directory needs a plain control-plane database from a"
                    + " MongoClient (client.getDatabase(\"control\")), not a Tenantry handle, which belongs to one"
                    + " tenant.");
        }
        String name = TenantMongo.checkLogicalName(collection);
        return new MongoTenantDirectory(database.withCodecRegistry(MongoClientSettings.getDefaultCodecRegistry())
                .getCollection(name));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the stored document is not in the form this class writes
     */
    @Override
    public Optional<Tenant> find(TenantId id) {
        Objects.requireNonNull(id, "id");
        Document document = tenants.find(Filters.eq(TenantDocuments.ID, id.value())).first();
        return Optional.ofNullable(document).map(TenantDocuments::toTenant);
    }

    /** {@inheritDoc} One query, sorted by {@code _id} on the server. */
    @Override
    public List<Tenant> list() {
        List<Tenant> all = new ArrayList<>();
        for (Document document : tenants.find().sort(Sorts.ascending(TenantDocuments.ID))) {
            all.add(TenantDocuments.toTenant(document));
        }
        return List.copyOf(all);
    }

    /**
     * {@inheritDoc} The stored tenant has version 1 and both timestamps set to now.
     *
     * @throws TenantLifecycleException if a tenant with the same id exists (the insert hit the
     *     {@code _id} key), also when another process registered it a moment earlier
     */
    @Override
    public Tenant register(Tenant tenant) {
        Objects.requireNonNull(tenant, "tenant");
        Instant now = TenantDocuments.stored(Instant.now());
        Tenant stored = tenant.toBuilder().version(1).createdAt(now).updatedAt(now).build();
        try {
            tenants.insertOne(TenantDocuments.toDocument(stored));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                throw new TenantLifecycleException("Tenant \"" + tenant.id() + "\" is already registered; use"
                        + " update(...) to change it.");
            }
            throw e;
        }
        return stored;
    }

    /**
     * {@inheritDoc} One atomic {@code findOneAndUpdate} on {@code {_id, version}}; {@code createdAt}
     * keeps its stored value and {@code updatedAt} becomes now.
     *
     * @throws UnknownTenantException if there is no such tenant
     * @throws TenantLifecycleException if the stored version is not {@code tenant.version()}
     */
    @Override
    public Tenant update(Tenant tenant) {
        Objects.requireNonNull(tenant, "tenant");
        Instant now = TenantDocuments.stored(Instant.now());
        Document set = TenantDocuments.fields(tenant.toBuilder().updatedAt(now).build());
        set.put(TenantDocuments.VERSION, tenant.version() + 1);
        Document after = tenants.findOneAndUpdate(
                Filters.and(Filters.eq(TenantDocuments.ID, tenant.id().value()),
                        Filters.eq(TenantDocuments.VERSION, tenant.version())),
                new Document("$set", set), new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        if (after != null) {
            return TenantDocuments.toTenant(after);
        }
        Tenant current = find(tenant.id()).orElseThrow(() -> new UnknownTenantException(tenant.id()));
        throw new TenantLifecycleException("Tenant \"" + tenant.id() + "\" was changed by someone else (stored version "
                + current.version() + ", given " + tenant.version() + "); read it again and reapply the change.");
    }

    /**
     * {@inheritDoc} One {@code deleteOne} by {@code _id}; removing an absent tenant does nothing.
     */
    @Override
    public void remove(TenantId id) {
        Objects.requireNonNull(id, "id");
        tenants.deleteOne(Filters.eq(TenantDocuments.ID, id.value()));
    }

    @Override
    public String toString() {
        return "MongoTenantDirectory(" + tenants.getNamespace() + ")";
    }
}
