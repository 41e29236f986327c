package io.tenantry.mongo;

import com.mongodb.client.ListCollectionNamesIterable;
import com.mongodb.client.ListCollectionsIterable;
import com.mongodb.client.ListIndexesIterable;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoIterable;
import com.mongodb.client.cursor.TimeoutMode;
import io.tenantry.TenantId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.bson.BsonDocument;
import org.bson.BsonDocumentReader;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.conversions.Bson;
import org.jspecify.annotations.Nullable;

/**
 * Listings that a model has already read and rewritten (indexes without the tenant field, a
 * tenant's collections under their logical names), served from memory through the driver's
 * iterable interfaces.
 *
 * <p>They are still bound to their tenant: every executing method ({@code iterator}, {@code first},
 * {@code into}, ...) first checks with {@link ScopedIterables#requireBound} that the same tenant
 * is bound. Options that only tune a server cursor ({@code batchSize}, {@code maxTime},
 * {@code comment}, ...) do nothing and return the iterable. {@code filter(...)} on the collection
 * listings keeps the entries whose top-level fields equal the filter's values ({@code $eq} and
 * {@code $in} and regular expressions are understood too), and refuses other filters.
 */
final class ListBackedIterables {

    private ListBackedIterables() {
    }

    /** Returns a listing of {@code indexes} (as the server lists them), each decoded into {@code resultClass}. */
    static <T> ListIndexesIterable<T> listIndexes(TenantId tenant, List<BsonDocument> indexes, Class<T> resultClass,
            CodecRegistry registry) {
        return new Indexes<>(tenant, List.copyOf(indexes), decoder(resultClass, registry));
    }

    /** Returns a listing of collection {@code names}; a filter sees each name as {@code {name: ...}}. */
    static ListCollectionNamesIterable listCollectionNames(TenantId tenant, List<String> names) {
        List<BsonDocument> entries = new ArrayList<>(names.size());
        for (String name : names) {
            entries.add(new BsonDocument("name", new BsonString(name)));
        }
        return new Names(tenant, entries);
    }

    /** Returns a listing of {@code collections} (as the server lists them), each decoded into {@code resultClass}. */
    static <T> ListCollectionsIterable<T> listCollections(TenantId tenant, List<BsonDocument> collections,
            Class<T> resultClass, CodecRegistry registry) {
        return new Collections<>(tenant, List.copyOf(collections), decoder(resultClass, registry));
    }

    private static <T> Function<BsonDocument, T> decoder(Class<T> resultClass, CodecRegistry registry) {
        Objects.requireNonNull(resultClass, "resultClass");
        return document -> registry.get(resultClass).decode(new BsonDocumentReader(document),
                DecoderContext.builder().build());
    }

    /** The shared part: entries, a filter over them, the conversion to results, and the tenant check. */
    private abstract static class Listing<T> implements MongoIterable<T> {
        final TenantId tenant;
        private final List<BsonDocument> entries;
        private final Function<BsonDocument, T> convert;
        private @Nullable BsonDocument filter;

        Listing(TenantId tenant, List<BsonDocument> entries, Function<BsonDocument, T> convert) {
            this.tenant = Objects.requireNonNull(tenant, "tenant");
            this.entries = entries;
            this.convert = convert;
        }

        abstract String what();

        final void filterBy(@Nullable Bson filter) {
            this.filter = filter == null ? null : filter.toBsonDocument();
        }

        /** The results, read after checking the tenant. */
        final List<T> results() {
            ScopedIterables.requireBound(tenant, what());
            List<T> results = new ArrayList<>();
            for (BsonDocument entry : entries) {
                if (filter == null || ListFilter.matches(entry, filter)) {
                    results.add(convert.apply(entry));
                }
            }
            return results;
        }

        @Override
        public MongoCursor<T> iterator() {
            return new ListCursor<>(results());
        }

        @Override
        public MongoCursor<T> cursor() {
            return iterator();
        }

        @Override
        public @Nullable T first() {
            List<T> results = results();
            return results.isEmpty() ? null : results.get(0);
        }

        @Override
        public <U> MongoIterable<U> map(com.mongodb.Function<T, U> mapper) {
            Objects.requireNonNull(mapper, "mapper");
            Listing<T> source = this;
            return new Mapped<>(() -> {
                List<U> mapped = new ArrayList<>();
                for (T result : source.results()) {
                    mapped.add(mapper.apply(result));
                }
                return mapped;
            });
        }

        @Override
        public <A extends Collection<? super T>> A into(A target) {
            target.addAll(results());
            return target;
        }
    }

    private static final class Indexes<T> extends Listing<T> implements ListIndexesIterable<T> {
        Indexes(TenantId tenant, List<BsonDocument> entries, Function<BsonDocument, T> convert) {
            super(tenant, entries, convert);
        }

        @Override
        String what() {
            return "ListIndexesIterable";
        }

        @Override
        public ListIndexesIterable<T> maxTime(long maxTime, TimeUnit timeUnit) {
            return this;
        }

        @Override
        public ListIndexesIterable<T> batchSize(int batchSize) {
            return this;
        }

        @Override
        public ListIndexesIterable<T> comment(@Nullable String comment) {
            return this;
        }

        @Override
        public ListIndexesIterable<T> comment(@Nullable BsonValue comment) {
            return this;
        }

        @Override
        public ListIndexesIterable<T> timeoutMode(TimeoutMode timeoutMode) {
            return this;
        }
    }

    private static final class Collections<T> extends Listing<T> implements ListCollectionsIterable<T> {
        Collections(TenantId tenant, List<BsonDocument> entries, Function<BsonDocument, T> convert) {
            super(tenant, entries, convert);
        }

        @Override
        String what() {
            return "ListCollectionsIterable";
        }

        @Override
        public ListCollectionsIterable<T> filter(@Nullable Bson filter) {
            filterBy(filter);
            return this;
        }

        @Override
        public ListCollectionsIterable<T> maxTime(long maxTime, TimeUnit timeUnit) {
            return this;
        }

        @Override
        public ListCollectionsIterable<T> batchSize(int batchSize) {
            return this;
        }

        @Override
        public ListCollectionsIterable<T> comment(@Nullable String comment) {
            return this;
        }

        @Override
        public ListCollectionsIterable<T> comment(@Nullable BsonValue comment) {
            return this;
        }

        @Override
        public ListCollectionsIterable<T> timeoutMode(TimeoutMode timeoutMode) {
            return this;
        }
    }

    private static final class Names extends Listing<String> implements ListCollectionNamesIterable {
        Names(TenantId tenant, List<BsonDocument> entries) {
            super(tenant, entries, entry -> entry.getString("name").getValue());
        }

        @Override
        String what() {
            return "ListCollectionNamesIterable";
        }

        @Override
        public ListCollectionNamesIterable filter(@Nullable Bson filter) {
            filterBy(filter);
            return this;
        }

        @Override
        public ListCollectionNamesIterable maxTime(long maxTime, TimeUnit timeUnit) {
            return this;
        }

        @Override
        public ListCollectionNamesIterable batchSize(int batchSize) {
            return this;
        }

        @Override
        public ListCollectionNamesIterable comment(@Nullable String comment) {
            return this;
        }

        @Override
        public ListCollectionNamesIterable comment(@Nullable BsonValue comment) {
            return this;
        }

        @Override
        public ListCollectionNamesIterable authorizedCollections(boolean authorizedCollections) {
            return this;
        }
    }

    /** A mapped listing: maps on execution, after the same tenant check. */
    private static final class Mapped<U> implements MongoIterable<U> {
        private final Supplier<List<U>> results;

        Mapped(Supplier<List<U>> results) {
            this.results = results;
        }

        @Override
        public MongoCursor<U> iterator() {
            return new ListCursor<>(results.get());
        }

        @Override
        public MongoCursor<U> cursor() {
            return iterator();
        }

        @Override
        public @Nullable U first() {
            List<U> all = results.get();
            return all.isEmpty() ? null : all.get(0);
        }

        @Override
        public <V> MongoIterable<V> map(com.mongodb.Function<U, V> mapper) {
            Objects.requireNonNull(mapper, "mapper");
            return new Mapped<>(() -> {
                List<V> mapped = new ArrayList<>();
                for (U result : results.get()) {
                    mapped.add(mapper.apply(result));
                }
                return mapped;
            });
        }

        @Override
        public <A extends Collection<? super U>> A into(A target) {
            target.addAll(results.get());
            return target;
        }

        @Override
        public MongoIterable<U> batchSize(int batchSize) {
            return this;
        }
    }
}
