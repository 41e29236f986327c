package io.tenantry.spring.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.QuotaExceededException;
import io.tenantry.TenantContext;
import io.tenantry.TenantQuotas;
import io.tenantry.spring.web.app.WebTestApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Quotas over real HTTP, in the web test application: an application counter past its tier's quota is answered
 * 403 with a problem detail naming the quota, also when a data layer wrapped the refusal; other tenants go on;
 * the tenants endpoint shows each tenant's quotas with its usage.
 */
@SpringBootTest(classes = {WebTestApplication.class, TenantQuotaHttpTest.Counters.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.autoconfigure.exclude="
                    + "org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration,"
                    + "org.springframework.boot.data.mongodb.autoconfigure.DataMongoAutoConfiguration,"
                    + "org.springframework.boot.data.mongodb.autoconfigure.DataMongoRepositoriesAutoConfiguration,"
                    + "org.springframework.boot.mongodb.autoconfigure.health.MongoHealthContributorAutoConfiguration,"
                    + "org.springframework.boot.mongodb.autoconfigure.metrics.MongoMetricsAutoConfiguration",
            "tenantry.mongodb.enabled=false",
            "tenantry.directory.tenants[0].id=acme",
            "tenantry.directory.tenants[0].tier=free",
            "tenantry.directory.tenants[1].id=bravo",
            "tenantry.directory.tenants[1].tier=free",
            "tenantry.directory.tenants[2].id=corp",
            "tenantry.directory.tenants[2].tier=enterprise",
            "tenantry.routing.default-placement.model=field",
            "tenantry.routing.default-placement.database=shared",
            "tenantry.quotas.enabled=true",
            "tenantry.quotas.tiers.free.counters.users=3",
            "tenantry.quotas.tiers.free.items.cards=100",
            "management.endpoints.web.exposure.include=health,tenants",
            "logging.level.org.apache.catalina.core.ContainerBase=off"
        })
class TenantQuotaHttpTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    TenantQuotas quotas;

    @Test
    void aCounterPastItsQuotaIsRefusedWith403AndAProblemDetailWhileOtherTenantsGoOn() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(post("/users", "acme").statusCode()).isEqualTo(201);
        }
        HttpResponse<String> refused = post("/users", "acme");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(refused.body());
        assertThat(problem.get("type").asString()).isEqualTo("urn:tenantry:problem:quota-exceeded");
        assertThat(problem.get("status").asInt()).isEqualTo(403);
        assertThat(problem.get("quota").asString()).isEqualTo("counter:users");
        assertThat(problem.get("limit").asLong()).isEqualTo(3);
        assertThat(problem.get("usage").asLong()).isEqualTo(3);
        assertThat(problem.get("detail").asString()).contains("Tenant acme is at its quota counter:users");
        assertThat(problem.get("instance").asString()).isEqualTo("/users");

        assertThat(post("/users", "bravo").statusCode()).isEqualTo(201);
        for (int i = 0; i < 10; i++) {
            assertThat(post("/users", "corp").statusCode()).as("enterprise has no quota").isEqualTo(201);
        }
    }

    @Test
    void aRefusalWrappedByADataLayerIsFoundInTheCauses() throws Exception {
        quotas.acquire(io.tenantry.TenantId.of("bravo"), "users", 0);
        for (int i = 0; i < 5; i++) {
            post("/wrapped-users", "bravo");
        }
        HttpResponse<String> refused = post("/wrapped-users", "bravo");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(refused.body()).get("quota").asString()).isEqualTo("counter:users");
        assertThat(post("/boom", "bravo").statusCode()).as("other failures are not quota refusals").isEqualTo(500);
    }

    @Test
    void theTenantsEndpointShowsEachTenantsQuotasWithTheirUsage() throws Exception {
        quotas.acquire(io.tenantry.TenantId.of("acme"), "users", 0);
        JsonNode tenants = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/actuator/tenants"))
                .build(), HttpResponse.BodyHandlers.ofString()).body()).get("tenants");
        JsonNode acme = null;
        JsonNode corp = null;
        for (JsonNode tenant : tenants) {
            if (tenant.get("id").asString().equals("acme")) {
                acme = tenant;
            } else if (tenant.get("id").asString().equals("corp")) {
                corp = tenant;
            }
        }
        assertThat(acme).isNotNull();
        assertThat(acme.get("quotas")).hasSize(2);
        assertThat(acme.get("quotas").get(0).get("quota").asString()).isEqualTo("counter:users");
        assertThat(acme.get("quotas").get(0).get("limit").asLong()).isEqualTo(3);
        assertThat(acme.get("quotas").get(0).get("usage").isNumber()).isTrue();
        assertThat(acme.get("quotas").get(1).get("quota").asString()).isEqualTo("items:cards");
        assertThat(acme.get("quotas").get(1).get("usage").isNull()).as("nothing counted yet").isTrue();
        assertThat(corp.get("quotas")).isEmpty();
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private HttpResponse<String> post(String path, String tenant) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).header("X-Tenant-Id", tenant)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A controller that counts users against the tenant's quota, directly and behind a data layer's wrapping. */
    @TestConfiguration(proxyBeanMethods = false)
    @Import(Counters.UserController.class)
    static class Counters {

        @RestController
        static class UserController {
            private final TenantQuotas quotas;

            UserController(TenantQuotas quotas) {
                this.quotas = quotas;
            }

            @PostMapping("/users")
            org.springframework.http.ResponseEntity<Void> addUser() {
                quotas.acquire(TenantContext.current(), "users", 1);
                return org.springframework.http.ResponseEntity.status(201).build();
            }

            @PostMapping("/wrapped-users")
            org.springframework.http.ResponseEntity<Void> addUserBehindADataLayer() {
                try {
                    quotas.acquire(TenantContext.current(), "users", 1);
                } catch (QuotaExceededException e) {
                    throw new IllegalStateException("could not store the user", new RuntimeException("translated", e));
                }
                return org.springframework.http.ResponseEntity.status(201).build();
            }

            @PostMapping("/boom")
            void boom() {
                throw new IllegalStateException("boom");
            }
        }
    }
}
