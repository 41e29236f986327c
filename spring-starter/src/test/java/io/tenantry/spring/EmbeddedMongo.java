package io.tenantry.spring;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;

/**
 * In-process MongoDB wire-protocol servers for the tests, on loopback ports, started once per test
 * JVM and stopped when it exits: {@link #main()} and {@link #dedicated()} play two clusters.
 */
public final class EmbeddedMongo {

    private static final EmbeddedMongo MAIN = new EmbeddedMongo();
    private static final EmbeddedMongo DEDICATED = new EmbeddedMongo();

    private final MongoServer server = new MongoServer(new MemoryBackend());
    private final String uri;

    private EmbeddedMongo() {
        server.bind("127.0.0.1", 0);
        InetSocketAddress address = server.getLocalAddress();
        this.uri = "mongodb://127.0.0.1:" + address.getPort();
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
    }

    /** Returns the first server. */
    public static EmbeddedMongo main() {
        return MAIN;
    }

    /** Returns the second server. */
    public static EmbeddedMongo dedicated() {
        return DEDICATED;
    }

    /** Returns the connection string of this server. */
    public String uri() {
        return uri;
    }
}
