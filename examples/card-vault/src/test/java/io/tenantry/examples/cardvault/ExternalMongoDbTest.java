package io.tenantry.examples.cardvault;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.tenantry.mongo.TenantMongo;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One property points the application at a MongoDB it did not start (here another in-process
 * server standing in for a real one): both clusters use it, the seeded data lands in it, and the
 * application starts no MongoDB of its own.
 */
@SpringBootTest(properties = "cardvault.mongodb.uri=${test.external-mongodb.uri}")
class ExternalMongoDbTest {

    private static final MongoServer EXTERNAL = new MongoServer(new MemoryBackend());
    private static final String URI;

    static {
        EXTERNAL.bind("127.0.0.1", 0);
        URI = "mongodb://127.0.0.1:" + EXTERNAL.getLocalAddress().getPort();
    }

    /**
     * Dynamic properties arrive after the environment is prepared, too late for the application to see
     * that a URI is set; the inlined property above is seen in time, and resolves to this one.
     */
    @DynamicPropertySource
    static void mongodb(DynamicPropertyRegistry registry) {
        registry.add("test.external-mongodb.uri", () -> URI);
    }

    @AfterAll
    static void stop() {
        EXTERNAL.shutdownNow();
    }

    @Autowired
    AbstractApplicationContext context;

    @Autowired
    TenantMongo mongo;

    @Test
    void bothClustersAreTheConfiguredMongoDbAndNoEmbeddedServerIsStarted() {
        assertThat(context.getApplicationListeners()).noneMatch(EmbeddedMongoServers.Servers.class::isInstance);
        assertThat(mongo.cluster("main").getClusterDescription().getClusterSettings().getHosts())
                .isEqualTo(mongo.cluster("dedicated").getClusterDescription().getClusterSettings().getHosts());
        try (MongoClient client = MongoClients.create(URI)) {
            assertThat(client.listDatabaseNames().into(new ArrayList<>()))
                    .contains("cardvault", "cardvault_premium", "cv_indigo", "cv_viridian");
            assertThat(client.getDatabase("cv_indigo").getCollection("cards").countDocuments()).isEqualTo(3);
        }
    }
}
