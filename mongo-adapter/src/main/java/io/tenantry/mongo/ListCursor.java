package io.tenantry.mongo;

import com.mongodb.ServerAddress;
import com.mongodb.ServerCursor;
import com.mongodb.client.MongoCursor;
import java.util.List;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * A cursor over results Tenantry has already read whole (listings it filtered or renamed): closing it
 * releases nothing on a server, and there is no server cursor behind it. Not thread-safe.
 */
final class ListCursor<R> implements MongoCursor<R> {
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
