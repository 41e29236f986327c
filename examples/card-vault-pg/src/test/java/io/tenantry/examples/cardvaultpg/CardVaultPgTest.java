package io.tenantry.examples.cardvaultpg;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
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
 * The Card Vault on PostgreSQL as its users meet it: over real HTTP, started as shipped with no
 * configuration, so on the PostgreSQL it starts for itself, with its six demo tenants (two on shared
 * tables, two in a schema each, two in a database each). Every resolution form, the ways one tenant might
 * try to reach another's cards, and tenants created over the admin API and used at once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CardVaultPgTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Value("${cardvault.security.jwt-secret}")
    String jwtSecret;

    /** Set by the application's embedded PostgreSQL, since the test configures none. */
    @Value("${spring.datasource.url}")
    String controlPlaneUrl;

    /** Each model with two of its tenants: the one acting, and the one it must never reach. */
    static Stream<Arguments> models() {
        return Stream.of(Arguments.of("shared tables", "acme", "bravo"),
                Arguments.of("schema per tenant", "globex", "initech"),
                Arguments.of("database per tenant", "umbrella", "wayne"),
                Arguments.of("shared tables -> schema", "bravo", "globex"),
                Arguments.of("database -> shared tables", "wayne", "acme"));
    }

    @Test
    void theDemoTenantsLiveTwoOnEachModel() throws Exception {
        assertVault("acme", "starter", "shared tables", "cardvault", "public");
        assertVault("bravo", "professional", "shared tables", "cardvault", "public");
        assertVault("globex", "enterprise", "schema per tenant", "cardvault_enterprise", "tenant_globex");
        assertVault("initech", "enterprise", "schema per tenant", "cardvault_enterprise", "tenant_initech");
        assertVault("umbrella", "enterprise", "database per tenant", "vault_umbrella", null);
        assertVault("wayne", "enterprise", "database per tenant", "vault_wayne", null);
    }

    @Test
    void theDemoVaultsAreSeededEachWithItsOwnCards() throws Exception {
        assertThat(titles("acme")).contains("1952 Topps Mickey Mantle #311", "1989 Upper Deck Ken Griffey Jr. #1")
                .doesNotContain("1986 Fleer Michael Jordan #57");
        assertThat(titles("bravo")).contains("1986 Fleer Michael Jordan #57").doesNotContain("1952 Topps Mickey Mantle #311");
        assertThat(titles("globex")).contains("2003 Upper Deck LeBron James #1")
                .doesNotContain("1979 O-Pee-Chee Wayne Gretzky #18");
        assertThat(titles("initech")).contains("1979 O-Pee-Chee Wayne Gretzky #18")
                .doesNotContain("2003 Upper Deck LeBron James #1");
        assertThat(titles("umbrella")).contains("2000 Playoff Contenders Tom Brady #144")
                .doesNotContain("1909 T206 Honus Wagner");
        assertThat(titles("wayne")).contains("1909 T206 Honus Wagner").doesNotContain("2000 Playoff Contenders Tom Brady #144");
        assertThat(get("acme", "/api/players").json.findValuesAsString("name"))
                .contains("Ken Griffey Jr.", "Mickey Mantle").doesNotContain("Michael Jordan");
    }

    @ParameterizedTest(name = "{0}: {1} and {2}")
    @MethodSource("models")
    void createListFetchUpdateAndDeleteStayInTheCallersVault(String model, String a, String b) throws Exception {
        Response created = post(a, "/api/cards", "{\"title\":\"1993 SP Derek Jeter #279\",\"year\":1993}");
        assertThat(created.status).isEqualTo(201);
        String id = created.json.get("id").asString();
        assertThat(created.location).isEqualTo("http://localhost:" + port + "/api/cards/" + id);

        assertThat(ids(get(a, "/api/cards"))).contains(id);
        assertThat(ids(get(a, "/api/cards?year=1993"))).contains(id);
        assertThat(ids(get(b, "/api/cards"))).doesNotContain(id);
        assertThat(get(a, "/api/cards/" + id).json.get("title").asString()).isEqualTo("1993 SP Derek Jeter #279");

        assertNotFound(get(b, "/api/cards/" + id), "There is no card " + id + " in this vault.");
        assertNotFound(put(b, "/api/cards/" + id, "{\"title\":\"Stolen\"}"), "There is no card");
        assertNotFound(delete(b, "/api/cards/" + id), "There is no card");
        assertThat(get(a, "/api/cards/" + id).json.get("title").asString()).isEqualTo("1993 SP Derek Jeter #279");

        Response updated = put(a, "/api/cards/" + id, "{\"title\":\"1993 SP Derek Jeter #279\",\"year\":1993,"
                + "\"condition\":\"PSA 9\"}");
        assertThat(updated.status).isEqualTo(200);
        assertThat(get(a, "/api/cards/" + id).json.get("condition").asString()).isEqualTo("PSA 9");

        assertThat(delete(a, "/api/cards/" + id).status).isEqualTo(204);
        assertNotFound(get(a, "/api/cards/" + id), "There is no card");
    }

    @ParameterizedTest(name = "{0}: {1} and {2}")
    @MethodSource("models")
    void aTenantIdForgedInTheBodyIsIgnoredAndTheCardIsStoredForTheCaller(String model, String a, String b)
            throws Exception {
        Response created = post(a, "/api/cards", "{\"title\":\"Forged " + a + "\",\"tenant_id\":\"" + b + "\","
                + "\"tenantId\":\"" + b + "\"}");
        assertThat(created.status).isEqualTo(201);
        assertThat(created.json.has("tenant_id")).isFalse();
        String id = created.json.get("id").asString();
        assertThat(get(a, "/api/cards/" + id).status).isEqualTo(200);
        assertNotFound(get(b, "/api/cards/" + id), "There is no card");

        JsonNode vault = get(a, "/api/vault").json;
        String database = vault.get("database").asString();
        String byId = "SELECT title FROM %s WHERE id = CAST(? AS uuid)";
        switch (vault.get("isolation").asString()) {
            case "shared tables" -> assertThat(superuserQuery(database,
                    "SELECT tenant_id FROM cards WHERE id = CAST(? AS uuid)", id))
                    .as("the shared row carries the caller's tenant, set by Tenantry").containsExactly(a);
            case "schema per tenant" -> assertThat(superuserQuery(database, byId.formatted("tenant_" + a + ".cards"), id))
                    .as("in the caller's schema").containsExactly("Forged " + a);
            default -> assertThat(superuserQuery(database, byId.formatted("cards"), id))
                    .as("in the caller's database").containsExactly("Forged " + a);
        }
    }

    @ParameterizedTest(name = "{0}: {1} and {2}")
    @MethodSource("models")
    void aCardCannotPointAtAnotherVaultsPlayer(String model, String a, String b) throws Exception {
        String theirs = post(b, "/api/players", "{\"name\":\"Borrowed " + UUID.randomUUID() + "\"}").json.get("id").asString();
        String mine = post(a, "/api/players", "{\"name\":\"Own " + UUID.randomUUID() + "\"}").json.get("id").asString();

        Response borrowing = post(a, "/api/cards", "{\"title\":\"Borrowed\",\"playerId\":\"" + theirs + "\"}");
        assertThat(borrowing.status).isEqualTo(400);
        assertThat(borrowing.json.get("detail").asString()).isEqualTo("This vault has no such player or manufacturer.");
        assertThat(post(a, "/api/cards", "{\"title\":\"Own\",\"playerId\":\"" + mine + "\"}").status).isEqualTo(201);
    }

    @Test
    void namesAreUniqueWithinAVaultOnly() throws Exception {
        for (String tenant : List.of("acme", "bravo", "globex", "initech", "umbrella", "wayne")) {
            assertThat(post(tenant, "/api/manufacturers", "{\"name\":\"Panini\"}").status).as(tenant).isEqualTo(201);
        }
        Response twice = post("acme", "/api/manufacturers", "{\"name\":\"Panini\"}");
        assertThat(twice.status).isEqualTo(409);
        assertThat(twice.json.get("detail").asString()).isEqualTo("This vault already has one with that name.");
    }

    @Test
    void theTenantComesFromTheSubdomainThePathTheHeaderOrTheToken() throws Exception {
        assertThat(send("GET", "/api/vault", null, "Host", "acme.localhost:" + port).json.get("tenant").asString())
                .isEqualTo("acme");
        assertThat(send("GET", "/t/globex/api/vault", null).json.get("tenant").asString()).isEqualTo("globex");
        assertThat(send("GET", "/api/vault", null, "X-Tenant-Id", "umbrella").json.get("tenant").asString())
                .isEqualTo("umbrella");
        assertThat(send("GET", "/api/vault", null, "Authorization", "Bearer " + token("bravo", null)).json
                .get("tenant").asString()).isEqualTo("bravo");

        String viaPath = send("POST", "/t/initech/api/cards", "{\"title\":\"By path\"}").json.get("id").asString();
        assertThat(ids(send("GET", "/api/cards", null, "Host", "initech.localhost:" + port))).contains(viaPath);
        assertThat(ids(get("initech", "/api/cards"))).contains(viaPath);
        assertThat(ids(send("GET", "/t/globex/api/cards", null))).doesNotContain(viaPath);

        assertThat(send("GET", "/t/acme/api/vault", null, "Host", "acme.localhost:" + port, "X-Tenant-Id", "acme",
                "Authorization", "Bearer " + token("acme", null)).json.get("tenant").asString())
                .as("every source naming the same tenant").isEqualTo("acme");
    }

    @Test
    void sourcesThatNameDifferentTenantsAreRefusedAndNothingIsWritten() throws Exception {
        List<String> before = ids(get("bravo", "/api/cards"));
        String acmeToken = "Bearer " + token("acme", null);
        List<Response> refused = List.of(
                send("POST", "/api/cards", "{\"title\":\"Planted\"}", "Authorization", acmeToken, "X-Tenant-Id", "bravo"),
                send("POST", "/t/bravo/api/cards", "{\"title\":\"Planted\"}", "Authorization", acmeToken),
                send("POST", "/api/cards", "{\"title\":\"Planted\"}", "Authorization", acmeToken,
                        "Host", "bravo.localhost:" + port));
        for (Response response : refused) {
            assertProblem(response, 403, "tenant-conflict");
            assertThat(response.json.get("detail").asString()).contains("\"bravo\"").contains("\"acme\"");
        }
        // without a token, the answer does not tell which of the named tenants exist
        assertProblem(send("POST", "/t/acme/api/cards", "{\"title\":\"Planted\"}", "X-Tenant-Id", "bravo"), 403,
                "tenant-refused");
        assertProblem(send("POST", "/api/cards", "{\"title\":\"Planted\"}", "Host", "acme.localhost:" + port,
                "X-Tenant-Id", "bravo"), 403, "tenant-refused");
        assertProblem(send("POST", "/t/bravo/api/cards", "{\"title\":\"Planted\"}", "Host", "acme.localhost:" + port),
                403, "tenant-refused");

        assertThat(ids(get("bravo", "/api/cards"))).isEqualTo(before);
        assertThat(titles("acme")).doesNotContain("Planted");
        assertThat(send("GET", "/api/cards", null, "Authorization", acmeToken + "x").status).as("a tampered token")
                .isEqualTo(401);
    }

    @Test
    void requestsThatNameNoKnownTenantAreRefused() throws Exception {
        assertProblem(send("GET", "/api/cards", null), 400, "tenant-missing");
        assertProblem(get("Acme", "/api/cards"), 400, "tenant-malformed");
        assertProblem(get("lumon", "/api/cards"), 403, "tenant-refused");
        assertProblem(send("GET", "/api/cards", null, "Authorization", "Bearer " + token("lumon", null)), 404,
                "tenant-unknown");
    }

    @Test
    void theAdminApiNeedsAnAdminToken() throws Exception {
        assertThat(send("GET", "/admin/tenants", null).status).isEqualTo(401);
        assertThat(send("GET", "/admin/tenants", null, "Authorization", "Bearer " + token("acme", null)).status)
                .isEqualTo(403);
        assertThat(send("POST", "/admin/tenants", "{\"id\":\"sneaky\",\"tier\":\"enterprise\"}",
                "Authorization", "Bearer " + token("acme", null)).status).isEqualTo(403);
        assertThat(admin("GET", "/admin/tenants/sneaky", null).status).isEqualTo(404);
    }

    @Test
    void theAdminListsTheTenantsTableWithItsDesignNotesColumns() throws Exception {
        Response tenants = admin("GET", "/admin/tenants", null);
        assertThat(tenants.status).isEqualTo(200);
        assertThat(tenants.json.findValuesAsString("id")).contains("acme", "bravo", "globex", "initech", "umbrella", "wayne");
        JsonNode acme = admin("GET", "/admin/tenants/acme", null).json;
        assertThat(acme.get("slug").asString()).isEqualTo("acme");
        assertThat(acme.get("subscriptionTier").asString()).isEqualTo("starter");
        assertThat(acme.get("maxUsers").asInt()).isEqualTo(3);
        assertThat(acme.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(superuserQuery(EmbeddedPostgresServer.CONTROL_PLANE,
                "SELECT slug || ' ' || subscription_tier || ' ' || max_users || ' ' || status FROM tenants WHERE id = ?",
                "umbrella")).containsExactly("umbrella enterprise 1000 ACTIVE");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("newTenants")
    void aTenantCreatedOverTheApiIsReadyWhenTheAnswerComes(String id, String body, String isolation, String database)
            throws Exception {
        Response created = admin("POST", "/admin/tenants", body);
        assertThat(created.status).isEqualTo(201);
        assertThat(created.json.get("id").asString()).isEqualTo(id);
        assertThat(created.json.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(created.json.get("isolation").asString()).isEqualTo(isolation);
        assertThat(created.json.get("database").asString()).isEqualTo(database);
        assertThat(admin("GET", "/admin/tenants", null).json.findValuesAsString("id")).contains(id);

        assertThat(get(id, "/api/cards").json).isEmpty();
        String card = post(id, "/api/cards", "{\"title\":\"First card of " + id + "\"}").json.get("id").asString();
        assertThat(send("GET", "/t/" + id + "/api/cards/" + card, null).json.get("title").asString())
                .isEqualTo("First card of " + id);
        assertThat(send("GET", "/api/cards", null, "Authorization", "Bearer " + token(id, null)).json).hasSize(1);
        assertNotFound(get("acme", "/api/cards/" + card), "There is no card");
        assertNotFound(get(id, "/api/cards/" + ids(get("acme", "/api/cards")).get(0)), "There is no card");

        assertThat(admin("POST", "/admin/tenants", body).status).as("the same id again").isEqualTo(409);
    }

    static Stream<Arguments> newTenants() {
        return Stream.of(
                Arguments.of("hooli", "{\"id\":\"hooli\",\"name\":\"Hooli\",\"tier\":\"professional\"}",
                        "shared tables", "cardvault"),
                Arguments.of("massive", "{\"id\":\"massive\",\"name\":\"Massive Dynamic\",\"tier\":\"enterprise\"}",
                        "schema per tenant", "cardvault_enterprise"),
                Arguments.of("stark", "{\"id\":\"stark\",\"name\":\"Stark Industries\",\"tier\":\"enterprise\","
                        + "\"dedicatedDatabase\":true}", "database per tenant", "vault_stark"));
    }

    @Test
    void aNewTenantRequestIsCheckedBeforeAnythingIsStored() throws Exception {
        assertThat(admin("POST", "/admin/tenants", "{\"id\":\"Not Valid\",\"tier\":\"starter\"}").status).isEqualTo(400);
        assertThat(admin("POST", "/admin/tenants", "{\"id\":\"gold\",\"tier\":\"gold\"}").status).isEqualTo(400);
        assertThat(admin("POST", "/admin/tenants", "{\"id\":\"tiny\",\"tier\":\"starter\",\"dedicatedDatabase\":true}")
                .status).isEqualTo(400);
        assertThat(admin("GET", "/admin/tenants", null).json.findValuesAsString("id")).doesNotContain("gold", "tiny");
    }

    @Test
    void aVaultHasAsManyUsersAsItsPlanAllows() throws Exception {
        assertThat(admin("POST", "/admin/tenants", "{\"id\":\"pied-piper\",\"tier\":\"starter\",\"maxUsers\":2}").status)
                .isEqualTo(201);
        assertThat(post("pied-piper", "/api/users", "{\"email\":\"richard@piedpiper.com\"}").status).isEqualTo(201);
        assertThat(post("pied-piper", "/api/users", "{\"email\":\"richard@piedpiper.com\"}").status)
                .as("the same e-mail twice").isEqualTo(409);
        assertThat(post("acme", "/api/users", "{\"email\":\"richard@piedpiper.com\"}").status)
                .as("the same e-mail in another vault").isEqualTo(201);
        assertThat(post("pied-piper", "/api/users", "{\"email\":\"dinesh@piedpiper.com\"}").status).isEqualTo(201);
        Response third = post("pied-piper", "/api/users", "{\"email\":\"gilfoyle@piedpiper.com\"}");
        assertThat(third.status).isEqualTo(403);
        assertThat(third.json.get("detail").asString()).contains("allows 2 users");
        assertThat(get("pied-piper", "/api/users").json.findValuesAsString("email"))
                .containsExactly("dinesh@piedpiper.com", "richard@piedpiper.com");
    }

    private void assertVault(String tenant, String tier, String isolation, String database, String schema)
            throws Exception {
        JsonNode vault = get(tenant, "/api/vault").json;
        assertThat(vault.get("tenant").asString()).isEqualTo(tenant);
        assertThat(vault.get("tier").asString()).isEqualTo(tier);
        assertThat(vault.get("isolation").asString()).isEqualTo(isolation);
        assertThat(vault.get("database").asString()).isEqualTo(database);
        assertThat(vault.has("schema") ? vault.get("schema").asString() : null).isEqualTo(schema);
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

    private List<String> titles(String tenant) throws Exception {
        return get(tenant, "/api/cards").json.findValuesAsString("title");
    }

    private static List<String> ids(Response list) {
        List<String> ids = new ArrayList<>();
        list.json.forEach(card -> ids.add(card.get("id").asString()));
        return ids;
    }

    /**
     * Runs {@code sql} on {@code database} of the embedded server as its superuser, who is not subject to
     * row-level security and sees every tenant's rows: the view of someone checking where data landed.
     */
    private List<String> superuserQuery(String database, String sql, String parameter) throws SQLException {
        String url = controlPlaneUrl.substring(0, controlPlaneUrl.lastIndexOf('/') + 1) + database;
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            List<String> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }

    /** An HS256 token whose {@code tenant_id} claim names {@code tenant} (if any), with {@code scope} (if any). */
    private String token(String tenant, String scope) throws JOSEException {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("collector")
                .expirationTime(Date.from(Instant.now().plusSeconds(600)));
        if (tenant != null) {
            claims.claim("tenant_id", tenant);
        }
        if (scope != null) {
            claims.claim("scope", scope);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        jwt.sign(new MACSigner(jwtSecret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private Response admin(String method, String path, String json) throws Exception {
        return send(method, path, json, "Authorization", "Bearer " + token(null, "tenants:admin"));
    }

    private Response get(String tenant, String path) throws Exception {
        return send("GET", path, null, "X-Tenant-Id", tenant);
    }

    private Response post(String tenant, String path, String json) throws Exception {
        return send("POST", path, json, "X-Tenant-Id", tenant);
    }

    private Response put(String tenant, String path, String json) throws Exception {
        return send("PUT", path, json, "X-Tenant-Id", tenant);
    }

    private Response delete(String tenant, String path) throws Exception {
        return send("DELETE", path, null, "X-Tenant-Id", tenant);
    }

    /** Sends a request with {@code headers} given as name, value, name, value... */
    private Response send(String method, String path, String json, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.headers().firstValue("Location").orElse(null),
                response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body()));
    }

    private record Response(int status, String contentType, String location, JsonNode json) {
    }
}
