package io.tenantry.examples.cardvault;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Lets the demo run with nothing installed: when {@code cardvault.mongodb.uri} is not set, starts two
 * in-process MongoDB wire-protocol servers (mongo-java-server, in memory) on free loopback ports,
 * before any MongoDB client exists, and hands their addresses to {@code application.yml} as
 * {@code cardvault.mongodb.uri} (cluster "main") and {@code cardvault.mongodb.dedicated-uri}
 * (cluster "dedicated"). They stop when the application context closes, or when the application
 * fails to start (their threads would otherwise keep the JVM alive); their data goes with them.
 *
 * <p>With {@code cardvault.mongodb.uri} set, nothing is started and both clusters are that MongoDB
 * (unless {@code cardvault.mongodb.dedicated-uri} names a second one).
 */
public class EmbeddedMongoServers implements EnvironmentPostProcessor, Ordered {

    static final String URI = "cardvault.mongodb.uri";
    static final String DEDICATED_URI = "cardvault.mongodb.dedicated-uri";

    private final Log log;

    public EmbeddedMongoServers(DeferredLogFactory logs) {
        this.log = logs.getLog(EmbeddedMongoServers.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty(URI)) {
            return;
        }
        Servers servers = new Servers();
        Map<String, Object> uris = new LinkedHashMap<>();
        uris.put(URI, servers.start());
        if (!environment.containsProperty(DEDICATED_URI)) {
            uris.put(DEDICATED_URI, servers.start());
        }
        environment.getPropertySources().addLast(new MapPropertySource("cardvault-embedded-mongodb", uris));
        application.addListeners(servers);
        log.info("No " + URI + " set: started in-memory MongoDB servers " + uris.values()
                + " (their data is lost on exit; set " + URI + " to use a real MongoDB)");
    }

    /** After application.yml and the other property sources are loaded, so that their URIs count. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** The started servers; they shut down when the context closes or the start-up fails. */
    static final class Servers implements ApplicationListener<ApplicationEvent> {

        private final List<MongoServer> started = new ArrayList<>();

        String start() {
            MongoServer server = new MongoServer(new MemoryBackend());
            server.bind("127.0.0.1", 0);
            started.add(server);
            return "mongodb://127.0.0.1:" + server.getLocalAddress().getPort();
        }

        @Override
        public void onApplicationEvent(ApplicationEvent event) {
            if (event instanceof ContextClosedEvent || event instanceof ApplicationFailedEvent) {
                started.forEach(MongoServer::shutdownNow);
                started.clear();
            }
        }
    }
}
