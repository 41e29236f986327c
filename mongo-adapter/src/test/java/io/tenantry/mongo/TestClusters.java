package io.tenantry.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Named MongoDB clusters for tests: by default one in-process wire-protocol server per name
 * (mongo-java-server, memory backend, over a real socket); when {@code TENANTRY_MONGODB_URI} names
 * a real MongoDB, every name gets a client to it instead (the clusters then share one server, and
 * tests keep apart by database names). That server must be disposable: every start drops its
 * databases, so that each suite begins from nothing, as it does on a fresh in-process server.
 */
final class TestClusters implements AutoCloseable {

    /** The environment variable that switches the suites to a real MongoDB. */
    static final String URI_VARIABLE = "TENANTRY_MONGODB_URI";

    private final List<MongoServer> servers = new ArrayList<>();
    private final Map<String, MongoClient> clients = new LinkedHashMap<>();
    private final Map<String, String> uris = new LinkedHashMap<>();

    /** Starts clusters named {@code names}. */
    static TestClusters start(String... names) {
        return start(settings -> { }, names);
    }

    /** Starts clusters named {@code names}, each client configured further by {@code settings}. */
    static TestClusters start(Consumer<MongoClientSettings.Builder> settings, String... names) {
        TestClusters clusters = new TestClusters();
        String real = System.getenv(URI_VARIABLE);
        for (String name : names) {
            String uri;
            if (real != null && !real.isBlank()) {
                uri = real;
            } else {
                MongoServer server = new MongoServer(new MemoryBackend());
                InetSocketAddress address = server.bind();
                clusters.servers.add(server);
                uri = "mongodb://127.0.0.1:" + address.getPort();
            }
            MongoClientSettings.Builder builder = MongoClientSettings.builder()
                    .applyConnectionString(new ConnectionString(uri))
                    .applyToClusterSettings(c -> c.serverSelectionTimeout(5, TimeUnit.SECONDS));
            settings.accept(builder);
            clusters.uris.put(name, uri);
            clusters.clients.put(name, MongoClients.create(builder.build()));
        }
        if (real != null && !real.isBlank()) {
            clusters.dropAll();
        }
        return clusters;
    }

    /** Whether the suites run against a real MongoDB. */
    static boolean real() {
        String real = System.getenv(URI_VARIABLE);
        return real != null && !real.isBlank();
    }

    MongoClient client(String name) {
        return clients.get(name);
    }

    String uri(String name) {
        return uris.get(name);
    }

    Map<String, MongoClient> clients() {
        return clients;
    }

    /** Adds every cluster to {@code builder}. */
    TenantMongo.Builder addTo(TenantMongo.Builder builder) {
        clients.forEach(builder::cluster);
        return builder;
    }

    /** Drops every database except the server's own, on every cluster. */
    void dropAll() {
        for (MongoClient client : clients.values()) {
            for (String db : client.listDatabaseNames()) {
                if (!db.equals("admin") && !db.equals("local") && !db.equals("config")) {
                    client.getDatabase(db).drop();
                }
            }
        }
    }

    @Override
    public void close() {
        clients.values().forEach(MongoClient::close);
        servers.forEach(MongoServer::shutdownNow);
    }
}
