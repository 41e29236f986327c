package io.tenantry.spring.test.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.ServerAddress;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.spring.test.EmbeddedTenantryMongo;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A user's test of a user's application, with one annotation: the application's {@code application.yml}
 * names MongoDB clusters this machine cannot reach (one through an environment variable that is not
 * set), and the context still starts, on in-process servers, with every tenant confined to its data.
 */
@SpringBootTest
@EmbeddedTenantryMongo
class NotesApplicationTest {

    private static final List<String> TENANTS = List.of("acme", "bravo", "carol", "dave");

    @Autowired
    NoteRepository notes;

    @Autowired
    MongoClient bootClient;

    @Value("${tenantry.mongodb.clusters.main}")
    String main;

    @Value("${tenantry.mongodb.clusters.dedicated}")
    String dedicated;

    @Value("${spring.mongodb.uri}")
    String bootUri;

    @Test
    void eachClusterIsAnInProcessServerOfItsOwn() {
        assertThat(main).startsWith("mongodb://127.0.0.1:");
        assertThat(dedicated).startsWith("mongodb://127.0.0.1:").isNotEqualTo(main);
    }

    @Test
    void eachTenantSeesOnlyItsOwnNotesOnEveryModelAndTheDataIsWhereItsPlacementSays() {
        Map<String, String> ids = new LinkedHashMap<>();
        for (String tenant : TENANTS) {
            ids.put(tenant, as(tenant, () -> notes.save(new Note("note of " + tenant)).getId()));
        }
        for (String tenant : TENANTS) {
            assertThat(as(tenant, () -> notes.findAll().stream().map(Note::getText).toList()))
                    .as("notes seen by %s", tenant).containsExactly("note of " + tenant);
            for (String other : TENANTS) {
                if (!other.equals(tenant)) {
                    assertThat(as(tenant, () -> notes.findById(ids.get(other)))).as("%s reading %s's note", tenant, other)
                            .isEmpty();
                }
            }
        }

        try (MongoClient mainServer = MongoClients.create(main); MongoClient dedicatedServer = MongoClients.create(dedicated)) {
            assertThat(mainServer.getDatabase("notes").getCollection("notes").distinct("tenantId", String.class)
                    .into(new ArrayList<>())).containsExactlyInAnyOrder("carol", "dave");
            assertThat(mainServer.getDatabase("notes_premium").listCollectionNames().into(new ArrayList<>()))
                    .anyMatch(name -> name.startsWith("bravo"));
            assertThat(dedicatedServer.getDatabase("notes_acme").getCollection("notes")
                    .countDocuments(Filters.eq("text", "note of acme"))).isEqualTo(1);
            assertThat(dedicatedServer.listDatabaseNames().into(new ArrayList<>())).doesNotContain("notes", "notes_premium");
        }
    }

    @Test
    void springBootsOwnClientGoesToTheMainServerAndKeepsItsDatabase() {
        URI server = URI.create(main);
        assertThat(bootClient.getClusterDescription().getClusterSettings().getHosts())
                .containsExactly(new ServerAddress(server.getHost(), server.getPort()));
        assertThat(bootUri).isEqualTo(main + "/notes_app");
    }

    private static <T> T as(String tenant, Supplier<T> work) {
        return TenantContext.callAs(TenantId.of(tenant), work::get);
    }
}
