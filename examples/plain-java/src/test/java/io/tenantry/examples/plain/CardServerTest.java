package io.tenantry.examples.plain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The plain-Java card server over real HTTP, started on a free port: every operation on every
 * model, and the ways one tenant might try to reach another's cards.
 */
class CardServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static CardServer server;

    @BeforeAll
    static void start() throws IOException {
        server = new CardServer(0);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Each tier with two of its tenants: the one acting, and the one it must never reach. */
    static Stream<Arguments> tiers() {
        return Stream.of(Arguments.of("free", "pallet-town", "cerulean"), Arguments.of("premium", "saffron", "celadon"),
                Arguments.of("enterprise", "indigo", "viridian"));
    }

    @ParameterizedTest(name = "{0}: {1} and {2}")
    @MethodSource("tiers")
    void createListFetchUpdateAndDeleteStayInTheCallersVault(String tier, String a, String b) throws Exception {
        Response created = call("POST", "/cards", a, "{\"name\": \"Zapdos " + tier + "\", \"set\": \"Base Set\"}");
        assertThat(created.status).isEqualTo(201);
        String id = created.json.getString("id");
        assertThat(created.json.getString("name")).isEqualTo("Zapdos " + tier);

        assertThat(ids(call("GET", "/cards", a, null))).contains(id);
        assertThat(ids(call("GET", "/cards", b, null))).doesNotContain(id);
        assertThat(call("GET", "/cards/" + id, a, null).json.getString("set")).isEqualTo("Base Set");

        Response theirs = call("GET", "/cards/" + id, b, null);
        assertThat(theirs.status).isEqualTo(404);
        assertThat(theirs.json.getString("error")).isEqualTo("No card " + id + " in this vault.");
        assertThat(call("PUT", "/cards/" + id, b, "{\"name\": \"Stolen\"}").status).isEqualTo(404);
        assertThat(call("DELETE", "/cards/" + id, b, null).status).isEqualTo(404);
        assertThat(call("GET", "/cards/" + id, a, null).json.getString("name")).isEqualTo("Zapdos " + tier);

        Response updated = call("PUT", "/cards/" + id, a, "{\"name\": \"Zapdos " + tier + "\", \"condition\": \"Played\"}");
        assertThat(updated.status).isEqualTo(200);
        assertThat(updated.json.getString("id")).isEqualTo(id);
        assertThat(updated.json.getString("condition")).isEqualTo("Played");
        assertThat(updated.json.containsKey("set")).as("PUT replaces the card").isFalse();

        assertThat(call("DELETE", "/cards/" + id, a, null).status).isEqualTo(204);
        assertThat(call("GET", "/cards/" + id, a, null).status).isEqualTo(404);
        assertThat(ids(call("GET", "/cards", a, null))).doesNotContain(id);
    }

    @ParameterizedTest(name = "{0}: {1} and {2}")
    @MethodSource("tiers")
    void aBodyNamingAnotherTenantNeverPutsACardInItsVault(String tier, String a, String b) throws Exception {
        Response forged = call("POST", "/cards", a, "{\"name\": \"Moltres " + tier + "\", \"tenantId\": \"" + b + "\"}");

        if (tier.equals("free")) {
            assertThat(forged.status).as("on the shared model the tenant field is Tenantry's").isEqualTo(403);
            assertThat(forged.json.getString("error")).contains("tenantId = '" + b + "'")
                    .contains("cannot be written for another tenant");
            assertThat(names(a)).doesNotContain("Moltres " + tier);
        } else {
            assertThat(forged.status).as("elsewhere tenantId is just a field of the caller's own card").isEqualTo(201);
            String id = forged.json.getString("id");
            assertThat(call("GET", "/cards/" + id, a, null).status).isEqualTo(200);
            assertThat(call("GET", "/cards/" + id, b, null).status).isEqualTo(404);
        }
        assertThat(names(b)).doesNotContain("Moltres " + tier);
    }

    @Test
    void onTheSharedModelEachStoredCardCarriesItsTenantAndAnUpdateCannotChangeIt() throws Exception {
        Response created = call("POST", "/cards", "cerulean", "{\"name\": \"Staryu\"}");
        assertThat(created.json.getString("tenantId")).isEqualTo("cerulean");
        String id = created.json.getString("id");

        Response moved = call("PUT", "/cards/" + id, "cerulean", "{\"name\": \"Staryu\", \"tenantId\": \"pallet-town\"}");
        assertThat(moved.status).isEqualTo(403);
        assertThat(call("GET", "/cards/" + id, "cerulean", null).json.getString("tenantId")).isEqualTo("cerulean");
        assertThat(call("GET", "/cards/" + id, "pallet-town", null).status).isEqualTo(404);
    }

    @Test
    void requestsThatNameNoKnownTenantAreRefused() throws Exception {
        assertThat(call("GET", "/cards", null, null).status).isEqualTo(400);
        assertThat(call("GET", "/cards", "Pallet-Town", null).status).isEqualTo(400);
        Response unknown = call("GET", "/cards", "lavender", null);
        assertThat(unknown.status).isEqualTo(404);
        assertThat(unknown.json.getString("error")).contains("\"lavender\"");
        assertThat(call("POST", "/cards", "saffron", "{\"name\":").status).as("malformed JSON").isEqualTo(400);
    }

    private static List<String> ids(Response list) {
        return list.cards().stream().map(card -> card.getString("id")).toList();
    }

    private static List<String> names(String tenant) throws Exception {
        return call("GET", "/cards", tenant, null).cards().stream().map(card -> card.getString("name")).toList();
    }

    private static Response call(String method, String path, String tenant, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (tenant != null) {
            request.header("X-Tenant-Id", tenant);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        return new Response(response.statusCode(), body.isEmpty() ? new Document()
                : Document.parse(body.startsWith("[") ? "{\"cards\": " + body + "}" : body));
    }

    private record Response(int status, Document json) {
        List<Document> cards() {
            return json.getList("cards", Document.class);
        }
    }
}
