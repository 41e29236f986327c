package io.tenantry.mongo;

import com.mongodb.client.MongoClient;
import io.tenantry.RoutingException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The named clusters: one {@link MongoClient} (one connection pool) each, never one per tenant. */
final class Clusters {

    private final Map<String, MongoClient> clients;

    Clusters(Map<String, MongoClient> clients) {
        if (clients.isEmpty()) {
            throw new IllegalStateException("No MongoDB cluster configured: add .cluster(\"main\", mongoClient) to the"
                    + " TenantMongo builder.");
        }
        this.clients = new LinkedHashMap<>(clients);
    }

    /**
     * Returns the client of {@code store}.
     *
     * @throws RoutingException if no cluster has that name
     */
    MongoClient client(String store) {
        MongoClient client = clients.get(store);
        if (client == null) {
            throw new RoutingException("The placement names cluster \"" + store + "\", which is not configured; add"
                    + " .cluster(\"" + store + "\", client) to the TenantMongo builder or fix the routing rule."
                    + " Configured clusters: " + clients.keySet() + ".");
        }
        return client;
    }

    Set<String> names() {
        return clients.keySet();
    }

    MongoClient first() {
        return clients.values().iterator().next();
    }
}
