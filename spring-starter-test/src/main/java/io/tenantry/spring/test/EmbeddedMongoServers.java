package io.tenantry.spring.test;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.DisposableBean;

/** The in-process servers of one application context, by cluster name. Used from one thread at a time. */
final class EmbeddedMongoServers implements DisposableBean {

    private final Map<String, MongoServer> servers = new LinkedHashMap<>();

    /** Starts the server of {@code cluster} on a free loopback port and returns its connection string. */
    String start(String cluster) {
        MongoServer server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
        servers.put(cluster, server);
        return uri(cluster);
    }

    /** Returns the connection string of the server started for {@code cluster}. */
    String uri(String cluster) {
        return "mongodb://127.0.0.1:" + servers.get(cluster).getLocalAddress().getPort();
    }

    /** Stops every server; their data is gone. */
    @Override
    public void destroy() {
        servers.values().forEach(MongoServer::shutdownNow);
        servers.clear();
    }
}
