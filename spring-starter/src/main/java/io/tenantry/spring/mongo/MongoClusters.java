package io.tenantry.spring.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import io.tenantry.spring.InvalidTenantryConfigurationException;
import io.tenantry.spring.TenantryProperties;
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

    /**
     * Returns the catalogue's administration database ({@code tenantry.directory.mongodb.*}), where Tenantry keeps
     * its control-plane collections whatever the catalogue's source, through the cluster's plain client.
     *
     * @param what what is kept there, for the error, e.g. "the audit trail"
     * @throws InvalidTenantryConfigurationException if no cluster has the configured name
     */
    MongoDatabase controlPlane(TenantryProperties properties, String what) {
        TenantryProperties.MongoDirectory settings = properties.getDirectory().getMongodb();
        MongoClient client = clients.get(settings.getCluster());
        if (client == null) {
            throw new InvalidTenantryConfigurationException("tenantry.directory.mongodb.cluster", settings.getCluster(),
                    what + " is kept on this cluster, and there is no such cluster; configured: " + clients.keySet()
                            + ".",
                    "Name one of them, or add tenantry.mongodb.clusters." + settings.getCluster() + "=...");
        }
        return client.getDatabase(settings.getDatabase());
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
