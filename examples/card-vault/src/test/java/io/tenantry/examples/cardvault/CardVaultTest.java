package io.tenantry.examples.cardvault;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tenantry.spring.test.EmbeddedTenantryMongo;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Card Vault as its users meet it: over real HTTP, with the configuration it ships with (six seeded
 * tenants, two per tier, on two clusters), every operation on every model, and the ways one tenant might
 * try to reach another's cards.
 *
 * <p>The application is configured as in production, with a MongoDB of its own ({@code cardvault.mongodb.uri},
 * here a host that does not resolve, which also keeps the demo's own in-memory servers off), and
 * {@link EmbeddedTenantryMongo} puts an in-process server in place of each of its two clusters.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "cardvault.mongodb.uri=mongodb://mongodb.invalid:27017")
@EmbeddedTenantryMongo
class CardVaultTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Value("${cardvault.security.jwt-secret}")
    String jwtSecret;

    @Value("${tenantry.mongodb.clusters.main}")
    String mainCluster;

    @Value("${tenantry.mongodb.clusters.dedicated}")
    String dedicatedCluster;

    /** Each tier with two of its tenants: the one acting, and the one it must never reach. */
    static Stream<Arguments> tiers() {
        return Stream.of(Arguments.of("free", "pallet-town", "cerulean"), Arguments.of("premium", "saffron", "celadon"),
                Arguments.of("enterprise", "indigo", "viridian"));
    }

    @Test
    void eachTierLivesOnItsOwnModelAndCluster() throws Exception {
        assertVault("pallet-town", "free", "FIELD", "main", "cardvault");
        assertVault("cerulean", "free", "FIELD", "main", "cardvault");
        assertVault("saffron", "premium", "COLLECTION", "main", "cardvault_premium");
        assertVault("celadon", "premium", "COLLECTION", "main", "cardvault_premium");
        assertVault("indigo", "enterprise", "DATABASE", "dedicated", "cv_indigo");
        assertVault("viridian", "enterprise", "DATABASE", "dedicated", "cv_viridian");
    }

    @Test
    void theDemoVaultsAreSeededEachWithItsOwnCards() throws Exception {
        assertThat(names("pallet-town")).contains("Bulbasaur", "Charizard", "Squirtle").doesNotContain("Starmie");
        assertThat(names("cerulean")).contains("Psyduck", "Starmie").doesNotContain("Charizard");
        assertThat(names("saffron")).contains("Alakazam", "Mr. Mime").doesNotContain("Venusaur");
        assertThat(names("indigo")).contains("Dragonite", "Gengar", "Mewtwo").doesNotContain("Nidoking");
        JsonNode favourites = call("GET", "/api/binders", "cerulean", null, null).json.get(0);
        assertThat(favourites.get("name").asString()).isEqualTo("Favourites");
        assertThat(call("GET", "/api/cards/" + favourites.get("cardIds").get(0).asString(), "cerulean", null, null)
                .json.get("name").asString()).isEqualTo("Starmie");
    }

    @ParameterizedTest(name = "{0}: {1} and {2}")
    @MethodSource("tiers")
    void createListFetchUpdateAndDeleteStayInTheCallersVault(String tier, String a, String b) throws Exception {
        Response created = call("POST", "/api/cards", a, null,
                "{\"name\":\"Zapdos " + tier + "\",\"set\":\"Base Set\",\"number\":\"16/102\",\"rarity\":\"Holo Rare\"}");
        assertThat(created.status).isEqualTo(201);
        String id = created.json.get("id").asString();
        assertThat(created.location).isEqualTo("http://localhost:" + port + "/api/cards/" + id);
        assertThat(created.json.get("name").asString()).isEqualTo("Zapdos " + tier);

        assertThat(ids(call("GET", "/api/cards", a, null, null))).contains(id);
        assertThat(ids(call("GET", "/api/cards?rarity=Holo%20Rare", a, null, null))).contains(id);
        assertThat(ids(call("GET", "/api/cards", b, null, null))).doesNotContain(id);
        assertThat(call("GET", "/api/cards/" + id, a, null, null).json.get("number").asString()).isEqualTo("16/102");

        Response theirs = call("GET", "/api/cards/" + id, b, null, null);
        assertNotFound(theirs, "There is no card " + id + " in this vault.");
        assertNotFound(call("PUT", "/api/cards/" + id, b, null, "{\"name\":\"Stolen\"}"), "There is no card");
        assertNotFound(call("DELETE", "/api/cards/" + id, b, null, null), "There is no card");
        assertThat(call("GET", "/api/cards/" + id, a, null, null).json.get("name").asString())
                .isEqualTo("Zapdos " + tier);

        Response updated = call("PUT", "/api/cards/" + id, a, null,
                "{\"name\":\"Zapdos " + tier + "\",\"set\":\"Base Set\",\"number\":\"16/102\",\"condition\":\"Played\"}");
        assertThat(updated.status).isEqualTo(200);
        assertThat(updated.json.get("id").asString()).isEqualTo(id);
        assertThat(call("GET", "/api/cards/" + id, a, null, null).json.get("condition").asString()).isEqualTo("Played");

        assertThat(call("DELETE", "/api/cards/" + id, a, null, null).status).isEqualTo(204);
        assertNotFound(call("GET", "/api/cards/" + id, a, null, null), "There is no card");
    }

    @ParameterizedTest(name = "{0}: {1} and {2}")
    @MethodSource("tiers")
    void aTokenNamesTheTenantAndAHeaderNamingAnotherTenantIsRefused(String tier, String a, String b) throws Exception {
        String token = token(a);
        assertThat(call("GET", "/api/vault", null, token, null).json.get("tenant").asString()).isEqualTo(a);
        assertThat(call("GET", "/api/vault", a, token, null).json.get("tenant").asString()).isEqualTo(a);
        List<String> before = ids(call("GET", "/api/cards", b, null, null));

        for (Response forged : List.of(call("GET", "/api/cards", b, token, null),
                call("POST", "/api/cards", b, token, "{\"name\":\"Planted\"}"))) {
            assertThat(forged.status).isEqualTo(403);
            assertThat(forged.contentType).startsWith("application/problem+json");
            assertThat(forged.json.get("type").asString()).isEqualTo("urn:tenantry:problem:tenant-conflict");
            assertThat(forged.json.get("title").asString()).isEqualTo("Conflicting tenants");
            assertThat(forged.json.get("detail").asString()).contains("\"" + b + "\"").contains("\"" + a + "\"");
        }
        assertThat(ids(call("GET", "/api/cards", b, null, null))).isEqualTo(before);
        assertThat(names(a)).doesNotContain("Planted");
        assertThat(call("GET", "/api/cards", null, token + "x", null).status).as("a tampered token").isEqualTo(401);
    }

    @ParameterizedTest(name = "{0}: {1} and {2}")
    @MethodSource("tiers")
    void aTenantFieldForgedInTheBodyIsIgnoredAndTheCardIsStoredForTheCaller(String tier, String a, String b)
            throws Exception {
        Response created = call("POST", "/api/cards", a, null,
                "{\"name\":\"Moltres " + tier + "\",\"tenantId\":\"" + b + "\",\"tenant_id\":\"" + b + "\"}");
        assertThat(created.status).isEqualTo(201);
        assertThat(created.json.has("tenantId")).isFalse();
        String id = created.json.get("id").asString();
        assertThat(call("GET", "/api/cards/" + id, a, null, null).status).isEqualTo(200);
        assertNotFound(call("GET", "/api/cards/" + id, b, null, null), "There is no card");
        assertThat(ids(call("GET", "/api/cards", b, null, null))).doesNotContain(id);

        try (MongoClient main = MongoClients.create(mainCluster); MongoClient dedicated = MongoClients.create(dedicatedCluster)) {
            switch (tier) {
                case "free" -> assertThat(stored(main.getDatabase("cardvault"), "cards", id))
                        .as("the shared document carries the caller's tenant, stamped by Tenantry")
                        .containsEntry("tenantId", a).containsEntry("name", "Moltres free");
                case "premium" -> assertThat(collectionsHolding(main.getDatabase("cardvault_premium"), id))
                        .containsExactly(a + ".cards");
                default -> {
                    assertThat(stored(dedicated.getDatabase("cv_" + a), "cards", id)).doesNotContainKey("tenantId");
                    assertThat(stored(dedicated.getDatabase("cv_" + b), "cards", id)).isNull();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1} and {2}")
    @MethodSource("tiers")
    void aBinderHoldsOnlyCardsOfItsOwnVaultAndItsNameIsUniqueOnlyWithinTheVault(String tier, String a, String b)
            throws Exception {
        String mine = call("POST", "/api/cards", a, null, "{\"name\":\"Chansey\"}").json.get("id").asString();
        String theirs = call("POST", "/api/cards", b, null, "{\"name\":\"Clefairy\"}").json.get("id").asString();

        Response binder = call("POST", "/api/binders", a, null, "{\"name\":\"Holos\",\"cardIds\":[\"" + mine + "\"]}");
        assertThat(binder.status).isEqualTo(201);
        String binderId = binder.json.get("id").asString();
        Response borrowing = call("POST", "/api/binders", a, null,
                "{\"name\":\"Borrowed\",\"cardIds\":[\"" + mine + "\",\"" + theirs + "\"]}");
        assertThat(borrowing.status).isEqualTo(400);
        assertThat(borrowing.json.get("detail").asString()).isEqualTo("There is no card " + theirs + " in this vault.");

        assertThat(call("POST", "/api/binders", b, null, "{\"name\":\"Holos\",\"cardIds\":[]}").status).isEqualTo(201);
        Response twice = call("POST", "/api/binders", a, null, "{\"name\":\"Holos\",\"cardIds\":[]}");
        assertThat(twice.status).isEqualTo(409);
        assertThat(twice.json.get("detail").asString()).isEqualTo("This vault already has a binder with that name.");

        assertThat(call("GET", "/api/binders/" + binderId, a, null, null).json.get("cardIds").get(0).asString())
                .isEqualTo(mine);
        assertNotFound(call("GET", "/api/binders/" + binderId, b, null, null), "There is no binder");
        assertNotFound(call("PUT", "/api/binders/" + binderId, b, null, "{\"name\":\"Mine now\",\"cardIds\":[]}"),
                "There is no binder");
        assertThat(call("PUT", "/api/binders/" + binderId, a, null, "{\"name\":\"Holos\",\"cardIds\":[]}").status)
                .isEqualTo(200);
        assertThat(call("GET", "/api/binders", a, null, null).json.findValuesAsString("name")).contains("Holos");
        assertThat(call("DELETE", "/api/binders/" + binderId, b, null, null).status).isEqualTo(404);
        assertThat(call("DELETE", "/api/binders/" + binderId, a, null, null).status).isEqualTo(204);
    }

    @Test
    void requestsThatNameNoKnownTenantAreRefusedWithProblemDetails() throws Exception {
        assertProblem(call("GET", "/api/cards", null, null, null), 400, "tenant-missing");
        assertProblem(call("GET", "/api/cards", "Pallet-Town", null, null), 400, "tenant-malformed");
        // An anonymous caller cannot tell an unknown tenant from one it may not use (tenantry.web.conceal-tenants);
        // a caller with a valid token gets the operator's answer.
        assertProblem(call("GET", "/api/cards", "lavender", null, null), 403, "tenant-refused");
        assertProblem(call("GET", "/api/cards", null, token("lavender"), null), 404, "tenant-unknown");
    }

    private void assertVault(String tenant, String tier, String model, String cluster, String database) throws Exception {
        JsonNode vault = call("GET", "/api/vault", tenant, null, null).json;
        assertThat(vault.get("tenant").asString()).isEqualTo(tenant);
        assertThat(vault.get("tier").asString()).isEqualTo(tier);
        assertThat(vault.get("model").asString()).isEqualTo(model);
        assertThat(vault.get("cluster").asString()).isEqualTo(cluster);
        assertThat(vault.get("database").asString()).isEqualTo(database);
    }

    private static void assertNotFound(Response response, String detail) {
        assertThat(response.status).isEqualTo(404);
        assertThat(response.contentType).startsWith("application/problem+json");
        assertThat(response.json.get("detail").asString()).startsWith(detail);
    }

    private static void assertProblem(Response response, int status, String type) {
        assertThat(response.status).isEqualTo(status);
        assertThat(response.contentType).startsWith("application/problem+json");
        assertThat(response.json.get("type").asString()).isEqualTo("urn:tenantry:problem:" + type);
    }

    private List<String> names(String tenant) throws Exception {
        return call("GET", "/api/cards", tenant, null, null).json.findValuesAsString("name");
    }

    private static List<String> ids(Response list) {
        List<String> ids = new ArrayList<>();
        list.json.forEach(card -> ids.add(card.get("id").asString()));
        return ids;
    }

    /** The stored document of id {@code id}: on the FIELD model ids are stored with their tenant, as {@code _id.id}. */
    private static Document stored(MongoDatabase database, String collection, String id) {
        ObjectId objectId = new ObjectId(id);
        return database.getCollection(collection).find(Filters.or(Filters.eq("_id", objectId),
                Filters.eq("_id.id", objectId))).first();
    }

    private static List<String> collectionsHolding(MongoDatabase database, String id) {
        List<String> holding = new ArrayList<>();
        for (String name : database.listCollectionNames()) {
            if (stored(database, name, id) != null) {
                holding.add(name);
            }
        }
        return holding;
    }

    /** An HS256 token whose {@code tenant_id} claim names {@code tenant}, signed with the demo secret. */
    private String token(String tenant) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject("ash")
                .claim("tenant_id", tenant).expirationTime(Date.from(Instant.now().plusSeconds(600))).build());
        jwt.sign(new MACSigner(jwtSecret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private Response call(String method, String path, String tenantHeader, String token, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (tenantHeader != null) {
            request.header("X-Tenant-Id", tenantHeader);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.headers().firstValue("Location").orElse(null),
                response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body()));
    }

    private record Response(int status, String contentType, String location, JsonNode json) {
    }
}
