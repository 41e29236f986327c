package io.tenantry.mongo;

import com.mongodb.Function;
import com.mongodb.ServerAddress;
import com.mongodb.ServerCursor;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoIterable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * A {@link MongoIterable} whose results are computed as a whole, on each execution, by
 * {@link #load()}: for listings that Tenantry has to filter and rename after reading them from the
 * server (the COLLECTION model's collection names), which are small. Not thread-safe while being
 * configured, like the driver's iterables.
 *
 * @param <R> the result type
 */
abstract class ListedIterable<R> implements MongoIterable<R> {

    /** Reads the results from the server and returns them, renamed and filtered. */
    abstract List<R> load();

    @Override
    public MongoCursor<R> iterator() {
        return new ListCursor<>(load());
    }

    @Override
    public MongoCursor<R> cursor() {
        return iterator();
    }

    @Override
    public @Nullable R first() {
        List<R> results = load();
        return results.isEmpty() ? null : results.get(0);
    }

    @Override
    public <U> MongoIterable<U> map(Function<R, U> mapper) {
        ListedIterable<R> source = this;
        return new ListedIterable<U>() {
            @Override
            List<U> load() {
                List<U> mapped = new ArrayList<>();
                for (R result : source.load()) {
                    mapped.add(mapper.apply(result));
                }
                return mapped;
            }

            @Override
            public MongoIterable<U> batchSize(int batchSize) {
                source.batchSize(batchSize);
                return this;
            }
        };
    }

    @Override
    public <A extends Collection<? super R>> A into(A target) {
        target.addAll(load());
        return target;
    }

    /** A cursor over results already read; closing it releases nothing on the server. */
    private static final class ListCursor<R> implements MongoCursor<R> {
        private final List<R> results;
        private int next;

        ListCursor(List<R> results) {
            this.results = results;
        }

        @Override
        public void close() {
            next = results.size();
        }

        @Override
        public boolean hasNext() {
            return next < results.size();
        }

        @Override
        public R next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return results.get(next++);
        }

        @Override
        public int available() {
            return results.size() - next;
        }

        @Override
        public @Nullable R tryNext() {
            return hasNext() ? results.get(next++) : null;
        }

        @Override
        public @Nullable ServerCursor getServerCursor() {
            return null;
        }

        @Override
        public ServerAddress getServerAddress() {
            throw new UnsupportedOperationException("A listing Tenantry filtered has been read whole; it has no cursor"
                    + " on a server any more.");
        }
    }
}
