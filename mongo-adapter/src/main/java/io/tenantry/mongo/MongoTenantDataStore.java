package io.tenantry.mongo;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.InsertManyOptions;
import io.tenantry.IsolationModel;
import io.tenantry.Placement;
import io.tenantry.TenantArchive;
import io.tenantry.TenantDigest;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycleException;
import io.tenantry.TenantUsage;
import io.tenantry.spi.TenantDataStore;
import io.tenantry.spi.UsageMeter;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bson.BsonDocument;
import org.bson.BsonInvalidOperationException;
import org.bson.RawBsonDocument;
import org.bson.json.JsonMode;
import org.bson.json.JsonParseException;
import org.bson.json.JsonWriterSettings;

/**
 * The MongoDB adapter's {@link TenantDataStore}: provisions, copies, measures and erases one tenant's
 * data at any placement on the configured clusters, whichever placement the router gives the tenant now.
 * Stored forms differ by model ({@link PlacedTenant}); a copy reads each document in the source's stored
 * form, turns it into what the tenant sees, and writes that in the target's stored form, so that
 * {@code _id}s, field order and BSON types survive every move.
 *
 * <p>Copies stream: each collection is read through one cursor and written in unordered
 * {@code insertMany} batches of at most {@code batchSize} documents and {@value #MAX_BATCH_BYTES} bytes,
 * so memory holds one batch, whatever the tenant's size. After its documents, each collection gets the
 * indexes the tenant sees at the source (the tenant field first on the FIELD model). Thread-safe and
 * stateless; every method is idempotent as {@link TenantDataStore} requires.
 *
 * <p>Archives ({@value #ARCHIVE_FORMAT}): each document as the tenant sees it, in MongoDB Extended JSON
 * v2, canonical mode, one per line, read back with the driver's JSON reader; BSON types, field order and
 * {@code _id}s survive, so an import's digest equals the export's. Each collection's indexes travel in
 * the manifest, as the tenant sees them.
 *
 * <p>Metering ({@link UsageMeter}): on COLLECTION and DATABASE, each of the tenant's collections'
 * {@code collStats} ({@code count}, and {@code size}: its documents' BSON bytes); on FIELD, one pass over
 * the tenant's documents in each shared collection through the tenant field's index, counting them and
 * their BSON bytes as stored.
 *
 * <p>Every method works only where a database belongs to one isolation model: it refuses, with a
 * {@link io.tenantry.RoutingException}, a placement whose database another model uses (or that is another
 * tenant's own database), as routing does ({@link DatabaseClaims}); on the FIELD model also when a tenant
 * that the directory places on the COLLECTION model has collections in the FIELD placement's database.
 * Nothing is read or changed then.
 */
final class MongoTenantDataStore implements TenantDataStore, UsageMeter {

    /** The most bytes of documents held for one {@code insertMany}. */
    static final int MAX_BATCH_BYTES = 8 * 1024 * 1024;

    /** The data format of this adapter's archives. */
    static final String ARCHIVE_FORMAT = "mongodb-extended-json-lines/1";

    private static final JsonWriterSettings EXTENDED = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED)
            .build();

    private final Routing routing;
    private final MongoSettings settings;
    private final int batchSize;

    MongoTenantDataStore(Routing routing, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
        this.routing = routing;
        this.settings = routing.settings;
        this.batchSize = batchSize;
    }

    @Override
    public boolean serves(Placement placement) {
        return settings.clusters.names().contains(placement.store());
    }

    /**
     * {@inheritDoc}
     *
     * @throws io.tenantry.RoutingException if the placement's database belongs to another isolation model
     */
    @Override
    public void provision(TenantId tenant, Placement placement) {
        Objects.requireNonNull(tenant, "tenant");
        routing.admit(tenant, Objects.requireNonNull(placement, "placement")).isolation.ensure(tenant, placement);
    }

    /**
     * {@inheritDoc} Provisions {@code to} first, since the lifecycle erases a target (which drops the
     * tenant's own collections or database, and so their indexes) before it copies.
     *
     * @throws io.tenantry.IsolationViolationException if a document or index cannot be stored on the
     *     target's model (a document carrying the FIELD model's tenant field with another value, a unique
     *     TTL index moving to FIELD); nothing of the source is changed
     * @throws io.tenantry.TenantLifecycleException if the tenant has a view at {@code from}
     */
    @Override
    public void copy(TenantId tenant, Placement from, Placement to, CopyProgress progress) {
        Objects.requireNonNull(progress, "progress");
        PlacedTenant source = placed(tenant, from);
        PlacedTenant target = placed(tenant, to);
        provision(tenant, to);
        for (PlacedTenant.Located located : source.collections()) {
            copyDocuments(source, target, located, progress);
            target.createIndexes(located.logical(), source.indexes(located.logical()));
        }
    }

    private void copyDocuments(PlacedTenant source, PlacedTenant target, PlacedTenant.Located located,
            CopyProgress progress) {
        Batches batches = new Batches(target.collection(located.logical()), located.logical(), progress);
        try (MongoCursor<RawBsonDocument> cursor = located.physical().find(located.filter())
                .batchSize(Math.min(batchSize, 10_000)).cursor()) {
            while (cursor.hasNext()) {
                batches.add(target.stored(source.view(cursor.next())));
            }
        }
        batches.flush();
    }

    /** Unordered {@code insertMany} batches of at most {@code batchSize} documents and {@link #MAX_BATCH_BYTES}. */
    private final class Batches {
        private final MongoCollection<RawBsonDocument> into;
        private final String logical;
        private final CopyProgress progress;
        private final InsertManyOptions unordered = new InsertManyOptions().ordered(false);
        private final List<RawBsonDocument> batch = new ArrayList<>(Math.min(batchSize, 1024));
        private long bytes;

        Batches(MongoCollection<RawBsonDocument> into, String logical, CopyProgress progress) {
            this.into = into;
            this.logical = logical;
            this.progress = progress;
        }

        void add(RawBsonDocument stored) {
            batch.add(stored);
            bytes += stored.getByteBuffer().remaining();
            if (batch.size() >= batchSize || bytes >= MAX_BATCH_BYTES) {
                flush();
            }
        }

        void flush() {
            if (!batch.isEmpty()) {
                into.insertMany(batch, unordered);
                progress.copied(logical, batch.size(), bytes);
                batch.clear();
                bytes = 0;
            }
        }
    }

    @Override
    public String archiveFormat() {
        return ARCHIVE_FORMAT;
    }

    /**
     * {@inheritDoc} Per logical collection, each document as the tenant sees it; the collection's indexes
     * (as {@code listIndexes} gives them, less the {@code _id} index) go with it.
     *
     * @throws TenantLifecycleException if the tenant has a view at {@code placement}
     */
    @Override
    public void export(TenantId tenant, Placement placement, ArchiveWriter archive) {
        Objects.requireNonNull(archive, "archive");
        PlacedTenant placed = placed(tenant, placement);
        for (PlacedTenant.Located located : placed.collections()) {
            List<String> indexes = placed.indexes(located.logical()).stream().map(index -> index.toJson(EXTENDED))
                    .toList();
            ResourceWriter out = archive.resource(located.logical(), List.of(), indexes);
            try (MongoCursor<RawBsonDocument> cursor = located.physical().find(located.filter())
                    .batchSize(Math.min(batchSize, 10_000)).cursor()) {
                while (cursor.hasNext()) {
                    BsonDocument view = placed.view(cursor.next());
                    out.item(view.toJson(EXTENDED), PlacedTenant.canonical(view));
                }
            }
        }
    }

    /**
     * {@inheritDoc} Each collection's documents in unordered {@code insertMany} batches, as a copy writes
     * them, then its indexes. A failure leaves what was written, which {@link #erase} removes.
     *
     * @throws TenantLifecycleException naming the collection and line, for a line that is not a document
     *     in Extended JSON
     * @throws io.tenantry.IsolationViolationException if a document or index cannot be stored on the
     *     placement's model, as for {@link #copy}
     */
    @Override
    public void importArchive(TenantId tenant, Placement placement, ArchiveReader archive, CopyProgress progress) {
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(progress, "progress");
        PlacedTenant target = placed(tenant, placement);
        provision(tenant, placement);
        for (TenantArchive.Resource resource : archive.resources()) {
            String logical = TenantMongo.checkLogicalName(resource.name());
            Batches batches = new Batches(target.collection(logical), logical, progress);
            long line = 0;
            try (ResourceReader in = archive.open(resource)) {
                for (String text = in.next(); text != null; text = in.next()) {
                    line++;
                    batches.add(target.stored(parse(text, resource, line)));
                }
            }
            batches.flush();
            List<BsonDocument> indexes = new ArrayList<>();
            for (String index : resource.indexes()) {
                indexes.add(parse(index, resource, 0));
            }
            target.createIndexes(logical, indexes);
        }
    }

    private static BsonDocument parse(String json, TenantArchive.Resource resource, long line) {
        try {
            return BsonDocument.parse(json);
        } catch (JsonParseException | BsonInvalidOperationException e) {
            throw new TenantLifecycleException("Line " + line + " of " + resource.file() + " (collection \""
                    + resource.name() + "\") is not a document in MongoDB Extended JSON: " + e.getMessage()
                    + (line == 0 ? " (an index of the manifest)" : ""), e);
        }
    }

    /**
     * {@inheritDoc} Per logical collection, over the tenant's view of each document ({@link PlacedTenant}),
     * so that the same data gives the same digest on every model and cluster.
     *
     * @throws io.tenantry.TenantLifecycleException if the tenant has a view at {@code placement}
     */
    @Override
    public TenantDigest digest(TenantId tenant, Placement placement) {
        PlacedTenant placed = placed(tenant, placement);
        TenantDigest.Builder digest = TenantDigest.builder();
        for (PlacedTenant.Located located : placed.collections()) {
            try (MongoCursor<RawBsonDocument> cursor = located.physical().find(located.filter())
                    .batchSize(Math.min(batchSize, 10_000)).cursor()) {
                while (cursor.hasNext()) {
                    BsonDocument view = placed.view(cursor.next());
                    digest.add(located.logical(), PlacedTenant.canonical(view));
                }
            }
        }
        return digest.build();
    }

    /** {@inheritDoc} See the class description for what is counted on each model. */
    @Override
    public TenantUsage measure(TenantId tenant, Placement placement) {
        PlacedTenant placed = placed(tenant, placement);
        Map<String, TenantUsage.Resource> resources = new TreeMap<>();
        for (PlacedTenant.Located located : placed.collections()) {
            if (placement.model() == IsolationModel.FIELD) {
                long count = 0;
                long bytes = 0;
                try (MongoCursor<RawBsonDocument> cursor = located.physical().find(located.filter())
                        .batchSize(Math.min(batchSize, 10_000)).cursor()) {
                    while (cursor.hasNext()) {
                        count++;
                        bytes += cursor.next().getByteBuffer().remaining();
                    }
                }
                resources.put(located.logical(), new TenantUsage.Resource(count, bytes));
            } else {
                BsonDocument stats = placed.stats(located);
                resources.put(located.logical(), new TenantUsage.Resource(number(stats, "count"),
                        number(stats, "size")));
            }
        }
        return new TenantUsage(tenant, placement, resources, Instant.now());
    }

    private static long number(BsonDocument stats, String key) {
        return stats.isNumber(key) ? stats.getNumber(key).longValue() : 0;
    }

    /**
     * {@inheritDoc} FIELD: the tenant's documents are deleted from every shared collection; COLLECTION: its
     * collections are dropped; DATABASE: its database is dropped.
     */
    @Override
    public void erase(TenantId tenant, Placement placement) {
        placed(tenant, placement).erase();
    }

    /**
     * Returns {@code tenant} at {@code placement}, once the placement's database is known to belong to its
     * model alone: admitted by the claims, and, on the FIELD model, holding no collection of a tenant that
     * the directory places on the COLLECTION model in the same database ({@link Routing#checkNeighbours}).
     *
     * @throws io.tenantry.RoutingException if the database belongs to another model too
     */
    private PlacedTenant placed(TenantId tenant, Placement placement) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(placement, "placement");
        MongoIsolation isolation = routing.admit(tenant, placement).isolation;
        if (placement.model() == IsolationModel.FIELD) {
            routing.checkNeighbours(tenant, placement,
                    settings.clusters.client(placement.store()).getDatabase(placement.namespace()).listCollectionNames());
        }
        return PlacedTenant.of(tenant, placement, settings, isolation);
    }

    @Override
    public String toString() {
        return "MongoTenantDataStore" + settings.clusters.names();
    }
}
