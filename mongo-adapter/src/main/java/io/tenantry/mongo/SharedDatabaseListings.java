package io.tenantry.mongo;

import com.mongodb.client.ClientSession;
import com.mongodb.client.ListCollectionNamesIterable;
import com.mongodb.client.ListCollectionsIterable;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.cursor.TimeoutMode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.BsonDocumentReader;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.codecs.DecoderContext;
import org.bson.conversions.Bson;
import org.jspecify.annotations.Nullable;

/**
 * The COLLECTION model's {@code listCollectionNames()} and {@code listCollections()}: the server
 * is asked only for the tenant's physical collections (a name prefix, ANDed with the caller's
 * filter after {@link CollectionNameFilter} mapped its names), and the results are renamed back to
 * logical names. A physical name that cannot be mapped back (a shortened name Tenantry has not
 * seen) is left out. Configured like the driver's iterables, executed on each iteration.
 */
final class SharedDatabaseListings {

    private SharedDatabaseListings() {
    }

    /** Returns the tenant's collection names, logical. */
    static ListCollectionNamesIterable names(MongoDatabase database, @Nullable ClientSession session,
            OwnedNamespace namespace) {
        return new Names(database, session, namespace);
    }

    /** Returns the tenant's collections, with {@code name} and {@code options.viewOn} logical. */
    static <R> ListCollectionsIterable<R> collections(MongoDatabase database, @Nullable ClientSession session,
            OwnedNamespace namespace, Class<R> resultClass) {
        return new Infos<>(database, session, namespace, resultClass);
    }

    /**
     * Returns a {@code listCollections} result with {@code name} and {@code options.viewOn} logical, or
     * null if the collection is not one the tenant owns under a name Tenantry can map back.
     */
    static @Nullable BsonDocument toLogical(BsonDocument info, OwnedNamespace namespace) {
        BsonValue name = info.get("name");
        String logical = name != null && name.isString() ? namespace.logical(name.asString().getValue()) : null;
        if (logical == null) {
            return null;
        }
        BsonDocument renamed = info.clone();
        renamed.put("name", new BsonString(logical));
        BsonValue options = renamed.get("options");
        if (options != null && options.isDocument() && options.asDocument().isString("viewOn")) {
            String viewOn = namespace.logical(options.asDocument().getString("viewOn").getValue());
            if (viewOn != null) {
                options.asDocument().put("viewOn", new BsonString(viewOn));
            }
        }
        return renamed;
    }

    /** The options both listings share, applied to the driver's listing on each execution. */
    private abstract static class Listing<R> extends ListedIterable<R> {
        final MongoDatabase database;
        final @Nullable ClientSession session;
        final OwnedNamespace namespace;
        BsonDocument filter = new BsonDocument();
        @Nullable Integer batchSize;
        long maxTimeMillis;
        @Nullable BsonValue comment;

        Listing(MongoDatabase database, @Nullable ClientSession session, OwnedNamespace namespace) {
            this.database = database;
            this.session = session;
            this.namespace = namespace;
        }

        void setFilter(@Nullable Bson requested) {
            filter = requested == null ? new BsonDocument()
                    : CollectionNameFilter.toPhysical(requested.toBsonDocument(BsonDocument.class,
                            database.getCodecRegistry()), namespace);
        }

        BsonDocument serverFilter() {
            return CollectionNameFilter.ownedOnly(filter, namespace);
        }
    }

    private static final class Names extends Listing<String> implements ListCollectionNamesIterable {
        private @Nullable Boolean authorizedCollections;

        Names(MongoDatabase database, @Nullable ClientSession session, OwnedNamespace namespace) {
            super(database, session, namespace);
        }

        @Override
        List<String> load() {
            ListCollectionNamesIterable listing = session == null ? database.listCollectionNames()
                    : database.listCollectionNames(session);
            listing.filter(serverFilter()).maxTime(maxTimeMillis, TimeUnit.MILLISECONDS);
            if (batchSize != null) {
                listing.batchSize(batchSize);
            }
            if (comment != null) {
                listing.comment(comment);
            }
            if (authorizedCollections != null) {
                listing.authorizedCollections(authorizedCollections);
            }
            List<String> names = new ArrayList<>();
            for (String physical : listing) {
                String logical = namespace.logical(physical);
                if (logical != null) {
                    names.add(logical);
                }
            }
            return names;
        }

        @Override
        public ListCollectionNamesIterable filter(@Nullable Bson filter) {
            setFilter(filter);
            return this;
        }

        @Override
        public ListCollectionNamesIterable maxTime(long maxTime, TimeUnit timeUnit) {
            maxTimeMillis = timeUnit.toMillis(maxTime);
            return this;
        }

        @Override
        public ListCollectionNamesIterable batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        @Override
        public ListCollectionNamesIterable comment(@Nullable String comment) {
            this.comment = comment == null ? null : new BsonString(comment);
            return this;
        }

        @Override
        public ListCollectionNamesIterable comment(@Nullable BsonValue comment) {
            this.comment = comment;
            return this;
        }

        @Override
        public ListCollectionNamesIterable authorizedCollections(boolean authorizedCollections) {
            this.authorizedCollections = authorizedCollections;
            return this;
        }
    }

    private static final class Infos<R> extends Listing<R> implements ListCollectionsIterable<R> {
        private final Class<R> resultClass;
        private @Nullable TimeoutMode timeoutMode;

        Infos(MongoDatabase database, @Nullable ClientSession session, OwnedNamespace namespace,
                Class<R> resultClass) {
            super(database, session, namespace);
            this.resultClass = resultClass;
        }

        @Override
        List<R> load() {
            ListCollectionsIterable<BsonDocument> listing = session == null
                    ? database.listCollections(BsonDocument.class)
                    : database.listCollections(session, BsonDocument.class);
            listing.filter(serverFilter()).maxTime(maxTimeMillis, TimeUnit.MILLISECONDS);
            if (batchSize != null) {
                listing.batchSize(batchSize);
            }
            if (comment != null) {
                listing.comment(comment);
            }
            if (timeoutMode != null) {
                listing.timeoutMode(timeoutMode);
            }
            List<R> results = new ArrayList<>();
            for (BsonDocument info : listing) {
                BsonDocument logical = toLogical(info, namespace);
                if (logical != null) {
                    results.add(database.getCodecRegistry().get(resultClass)
                            .decode(new BsonDocumentReader(logical), DecoderContext.builder().build()));
                }
            }
            return results;
        }

        @Override
        public ListCollectionsIterable<R> filter(@Nullable Bson filter) {
            setFilter(filter);
            return this;
        }

        @Override
        public ListCollectionsIterable<R> maxTime(long maxTime, TimeUnit timeUnit) {
            maxTimeMillis = timeUnit.toMillis(maxTime);
            return this;
        }

        @Override
        public ListCollectionsIterable<R> batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        @Override
        public ListCollectionsIterable<R> comment(@Nullable String comment) {
            this.comment = comment == null ? null : new BsonString(comment);
            return this;
        }

        @Override
        public ListCollectionsIterable<R> comment(@Nullable BsonValue comment) {
            this.comment = comment;
            return this;
        }

        @Override
        public ListCollectionsIterable<R> timeoutMode(TimeoutMode timeoutMode) {
            this.timeoutMode = timeoutMode;
            return this;
        }
    }
}
