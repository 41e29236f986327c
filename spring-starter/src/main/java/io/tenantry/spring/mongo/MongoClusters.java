package io.tenantry.spring.mongo;

import com.mongodb.client.MongoClient;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The MongoDB clients Tenantry routes to, by cluster name: one client (one connection pool) per
 * cluster. Closing it closes the clients it created, never one it was handed (such as the
 * application's own {@code MongoClient} bean). Thread-safe.
 */
public final class MongoClusters implements AutoCloseable {

    private final Map<String, MongoClient> clients;
    private final Set<String> owned;

    /**
     * Creates the set of clusters.
     *
     * @param clients the clients by cluster name
     * @param owned the names whose clients this object created and must close
     */
    public MongoClusters(Map<String, MongoClient> clients, Set<String> owned) {
        this.clients = Collections.unmodifiableMap(new LinkedHashMap<>(clients));
        this.owned = Set.copyOf(owned);
    }

    /** Returns the clients by cluster name, in configuration order. */
    public Map<String, MongoClient> clients() {
        return clients;
    }

    @Override
    public void close() {
        clients.forEach((name, client) -> {
            if (owned.contains(name)) {
                client.close();
            }
        });
    }
}
