package io.tenantry.spring.web.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.task.AsyncTaskExecutor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tenant filter over real HTTP, in a Spring Boot application with Spring Security's OAuth 2.0
 * resource server in front: each resolution source, each refusal, excluded paths, propagation to
 * {@code @Async} work and metrics.
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.autoconfigure.exclude="
                    + "org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration,"
                    + "org.springframework.boot.data.mongodb.autoconfigure.DataMongoAutoConfiguration,"
                    + "org.springframework.boot.data.mongodb.autoconfigure.DataMongoRepositoriesAutoConfiguration,"
                    + "org.springframework.boot.mongodb.autoconfigure.health.MongoHealthContributorAutoConfiguration,"
                    + "org.springframework.boot.mongodb.autoconfigure.metrics.MongoMetricsAutoConfiguration",
            "tenantry.mongodb.enabled=false",
            "tenantry.resolution.chain=header,subdomain,path,claim",
            "tenantry.resolution.base-domain=cards.test",
            "tenantry.resolution.path-prefix=/t",
            "tenantry.directory.tenants[0].id=acme",
            "tenantry.directory.tenants[0].tier=enterprise",
            "tenantry.directory.tenants[1].id=bravo",
            "tenantry.directory.tenants[2].id=frozen",
            "tenantry.directory.tenants[2].status=suspended",
            "tenantry.directory.tenants[3].id=gone",
            "tenantry.directory.tenants[3].status=deleted",
            "tenantry.directory.tenants[4].id=moving",
            "tenantry.directory.tenants[4].status=read-only",
            "tenantry.routing.tiers.enterprise.model=database",
            "tenantry.routing.tiers.enterprise.prefix=t_",
            "tenantry.routing.default-placement.model=field",
            "tenantry.routing.default-placement.database=shared",
            // adds to the default excluded paths: the actuator stays reachable without a tenant
            "tenantry.web.excluded-paths=/public/**",
            // every caller gets the detailed answers (TenantConcealmentHttpTest covers the default)
            "tenantry.web.conceal-tenants=never",
            "management.endpoints.web.exposure.include=health,tenants",
            "spring.task.execution.pool.core-size=1",
            "logging.level.org.apache.catalina.core.ContainerBase=off"
        })
class TenantFilterHttpTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Autowired
    @Qualifier("applicationTaskExecutor")
    AsyncTaskExecutor applicationTaskExecutor;

    @Test
    void headerNamesTheTenantAndBindsItAndTheMdcForTheRequest() throws Exception {
        JsonNode body = ok(get("/whoami").header("X-Tenant-Id", "acme"));
        assertThat(body.get("tenant").asString()).isEqualTo("acme");
        assertThat(body.get("mdc").asString()).isEqualTo("acme");
    }

    @Test
    void subdomainOfTheHostNamesTheTenant() throws Exception {
        assertThat(ok(get("/whoami").header("Host", "bravo.cards.test:" + port)).get("tenant").asString())
                .isEqualTo("bravo");
    }

    @Test
    void pathSegmentNamesTheTenant() throws Exception {
        assertThat(ok(get("/t/acme/whoami")).get("tenant").asString()).isEqualTo("acme");
    }

    @Test
    void tokenClaimNamesTheTenantAndMayAgreeWithTheHeader() throws Exception {
        assertThat(ok(get("/whoami").header("Authorization", "Bearer tenant.bravo")).get("tenant").asString())
                .isEqualTo("bravo");
        assertThat(ok(get("/whoami").header("Authorization", "Bearer tenant.bravo").header("X-Tenant-Id", "bravo"))
                .get("tenant").asString()).isEqualTo("bravo");
    }

    @Test
    void missingTenantIs400ProblemDetails() throws Exception {
        HttpResponse<String> response = send(get("/whoami").header("Authorization", "Bearer no-tenant"));
        JsonNode problem = problem(response, 400);
        assertThat(problem.get("type").asString()).isEqualTo("urn:tenantry:problem:tenant-missing");
        assertThat(problem.get("title").asString()).isEqualTo("Tenant missing");
        assertThat(problem.get("detail").asString()).contains("No tenant found");
        assertThat(problem.get("instance").asString()).isEqualTo("/whoami");
    }

    @Test
    void malformedTenantIs400() throws Exception {
        JsonNode problem = problem(send(get("/whoami").header("X-Tenant-Id", "ACME")), 400);
        assertThat(problem.get("type").asString()).endsWith("tenant-malformed");
        assertThat(problem.get("detail").asString()).contains("header X-Tenant-Id").contains("did you mean \"acme\"");
    }

    @Test
    void unknownTenantIs404() throws Exception {
        JsonNode problem = problem(send(get("/whoami").header("X-Tenant-Id", "nobody")), 404);
        assertThat(problem.get("type").asString()).endsWith("tenant-unknown");
        assertThat(problem.get("detail").asString()).contains("\"nobody\"");
    }

    @Test
    void suspendedAndDeletedTenantsAre403() throws Exception {
        JsonNode suspended = problem(send(get("/whoami").header("X-Tenant-Id", "frozen")), 403);
        assertThat(suspended.get("type").asString()).endsWith("tenant-unavailable");
        assertThat(suspended.get("detail").asString()).contains("suspended");
        assertThat(problem(send(get("/whoami").header("X-Tenant-Id", "gone")), 403).get("detail").asString())
                .contains("deleted");
    }

    @Test
    void writeForAReadOnlyTenantIs503WithRetryAfterWhileItsReadsGoThrough() throws Exception {
        HttpResponse<String> write = send(post("/cards").header("X-Tenant-Id", "moving"));
        JsonNode problem = problem(write, 503);
        assertThat(problem.get("type").asString()).endsWith("tenant-read-only");
        assertThat(write.headers().firstValue("Retry-After")).contains("30");
        assertThat(ok(get("/whoami").header("X-Tenant-Id", "moving")).get("tenant").asString()).isEqualTo("moving");
        assertThat(ok(post("/cards").header("X-Tenant-Id", "acme")).get("created").asString()).isEqualTo("acme");
    }

    @Test
    void headerOrSubdomainNamingAnotherTenantThanTheTokenIs403() throws Exception {
        JsonNode forgedHeader = problem(send(get("/whoami").header("Authorization", "Bearer tenant.acme")
                .header("X-Tenant-Id", "bravo")), 403);
        assertThat(forgedHeader.get("type").asString()).endsWith("tenant-conflict");
        assertThat(forgedHeader.get("detail").asString()).contains("claim tenant_id").contains("header X-Tenant-Id");
        JsonNode forgedHost = problem(send(get("/whoami").header("Authorization", "Bearer tenant.acme")
                .header("Host", "bravo.cards.test:" + port)), 403);
        assertThat(forgedHost.get("type").asString()).endsWith("tenant-conflict");
    }

    @Test
    void aTenantHeaderSentTwiceIs403WhicheverComesFirst() throws Exception {
        JsonNode twice = problem(send(get("/whoami").header("X-Tenant-Id", "acme").header("X-Tenant-Id", "bravo")), 403);
        assertThat(twice.get("type").asString()).endsWith("tenant-conflict");
        assertThat(twice.get("detail").asString()).contains("header X-Tenant-Id was sent 2 times");
        assertThat(send(get("/whoami").header("X-Tenant-Id", "acme").header("X-Tenant-Id", "acme")).statusCode())
                .isEqualTo(403);
    }

    @Test
    void invalidTokenIsRefusedBySpringSecurityBeforeTenantResolution() throws Exception {
        assertThat(send(get("/whoami").header("Authorization", "Bearer forged").header("X-Tenant-Id", "acme"))
                .statusCode()).isEqualTo(401);
    }

    @Test
    void excludedPathsNeedNoTenantAndTheTenantsEndpointListsTheCatalogue() throws Exception {
        assertThat(send(get("/actuator/health")).statusCode()).isEqualTo(200);
        JsonNode tenants = ok(get("/actuator/tenants")).get("tenants");
        assertThat(tenants).hasSize(5);
        JsonNode acme = tenants.get(0);
        assertThat(acme.get("id").asString()).isEqualTo("acme");
        assertThat(acme.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(acme.get("tier").asString()).isEqualTo("enterprise");
        assertThat(acme.get("placement").get("model").asString()).isEqualTo("DATABASE");
        assertThat(acme.get("placement").get("namespace").asString()).isEqualTo("t_");
        assertThat(tenants.get(2).get("status").asString()).isEqualTo("SUSPENDED");
        assertThat(ok(get("/actuator/tenants/moving")).get("status").asString()).isEqualTo("READ_ONLY");
        assertThat(send(get("/actuator/tenants/nobody")).statusCode()).isEqualTo(404);
    }

    @Test
    void aRequestThreadCarriesNoTenantAfterItsRequestEndedEvenWhenItFailed() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(send(get("/boom").header("X-Tenant-Id", i % 2 == 0 ? "acme" : "bravo")).statusCode())
                    .isEqualTo(500);
            ok(get("/whoami").header("X-Tenant-Id", "bravo"));
            assertThat(ok(get("/public/bound")).get("tenant").asString()).isEqualTo("none");
        }
    }

    @Test
    void asyncWorkRunsUnderTheRequestsTenantAndThePooledThreadKeepsNoTenant() throws Exception {
        JsonNode acme = ok(get("/async").header("X-Tenant-Id", "acme"));
        assertThat(acme.get("tenant").asString()).isEqualTo("acme");
        JsonNode bravo = ok(get("/async").header("Authorization", "Bearer tenant.bravo"));
        assertThat(bravo.get("tenant").asString()).isEqualTo("bravo");
        assertThat(bravo.get("thread").asString()).as("one pooled thread").isEqualTo(acme.get("thread").asString());

        Set<String> seen = new HashSet<>();
        Future<String> afterwards = applicationTaskExecutor.submit(() -> {
            seen.add(Thread.currentThread().getName());
            return TenantContext.find().map(TenantId::value).orElse("none");
        });
        assertThat(afterwards.get()).isEqualTo("none");
        assertThat(seen).containsExactly(acme.get("thread").asString());
    }

    @Test
    void requestsAreCountedPerTenantWithOutcome() throws Exception {
        ok(get("/whoami").header("X-Tenant-Id", "bravo"));
        send(get("/whoami").header("X-Tenant-Id", "nobody"));
        send(get("/whoami").header("X-Tenant-Id", "frozen"));
        assertThat(meters.get("tenantry.requests").tag("tenant", "bravo").tag("outcome", "admitted").counter()
                .count()).isGreaterThanOrEqualTo(1);
        assertThat(meters.get("tenantry.requests").tag("tenant", "none").tag("outcome", "unknown").counter()
                .count()).isGreaterThanOrEqualTo(1);
        assertThat(meters.get("tenantry.requests").tag("tenant", "frozen").tag("outcome", "suspended").counter()
                .count()).isGreaterThanOrEqualTo(1);
        assertThat(meters.find("tenantry.requests").tag("tenant", "nobody").counters()).isEmpty();
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
    }

    private HttpRequest.Builder post(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = send(request);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static JsonNode problem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("instance").asString()).startsWith("/");
        return problem;
    }
}
