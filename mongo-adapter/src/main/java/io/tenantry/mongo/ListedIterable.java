package io.tenantry.mongo;

import com.mongodb.Function;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoIterable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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
}
