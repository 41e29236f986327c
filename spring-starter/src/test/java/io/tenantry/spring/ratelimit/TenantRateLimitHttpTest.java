package io.tenantry.spring.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.tenantry.spring.web.app.WebTestApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rate limits over real HTTP, in the web test application (Spring Security in front, the tenant filter,
 * Micrometer), on a bucket clock that moves only when a test moves it. Each test has tenants of its own.
 */
@SpringBootTest(classes = {WebTestApplication.class, TenantRateLimitHttpTest.ManualClock.class},
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
            "tenantry.directory.tenants[2].tier=pro",
            "tenantry.directory.tenants[3].id=delta",
            "tenantry.directory.tenants[3].tier=free",
            "tenantry.directory.tenants[4].id=echo",
            "tenantry.directory.tenants[4].tier=free",
            "tenantry.directory.tenants[5].id=trial-co",
            "tenantry.directory.tenants[5].tier=trial",
            "tenantry.routing.default-placement.model=field",
            "tenantry.routing.default-placement.database=shared",
            "tenantry.web.excluded-paths=/public/**",
            "tenantry.rate-limits.enabled=true",
            "tenantry.rate-limits.tiers.free.requests=5",
            "tenantry.rate-limits.tiers.free.period=1m",
            "tenantry.rate-limits.tiers.pro.requests=100",
            "tenantry.rate-limits.default-limit.requests=2",
            "management.endpoints.web.exposure.include=health",
            "logging.level.org.apache.catalina.core.ContainerBase=off"
        })
class TenantRateLimitHttpTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Test
    void aBurstAboveTheLimitGets429sWithRetryAfterWhileAnotherTenantOfTheSameTierIsUnaffected() throws Exception {
        List<HttpResponse<String>> burst = burst("acme", 20);
        assertThat(burst).filteredOn(response -> response.statusCode() == 200).hasSize(5);
        List<HttpResponse<String>> refused = burst.stream().filter(response -> response.statusCode() != 200).toList();
        assertThat(refused).hasSize(15).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(429);
            assertThat(response.headers().firstValue("Retry-After")).as("a token every 60/5 s").contains("12");
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.get("type").asString()).isEqualTo("urn:tenantry:problem:tenant-rate-limited");
            assertThat(problem.get("title").asString()).isEqualTo("Too many requests");
            assertThat(problem.get("status").asInt()).isEqualTo(429);
            assertThat(problem.get("detail").asString())
                    .isEqualTo("Tenant acme may make 5 requests per 1m; retry in 12 s.");
            assertThat(problem.get("instance").asString()).isEqualTo("/whoami");
        });

        for (int i = 0; i < 5; i++) {
            assertThat(whoami("bravo").statusCode()).as("bravo, same tier, request %d", i).isEqualTo(200);
        }
        assertThat(whoami("acme").statusCode()).isEqualTo(429);
    }

    @Test
    void aTierWithAHigherLimitIsNotRefused() throws Exception {
        assertThat(burst("corp", 30)).extracting(HttpResponse::statusCode).containsOnly(200);
    }

    @Test
    void afterThePeriodTheTenantIsAdmittedAgain() throws Exception {
        assertThat(sequence("delta", 6)).containsExactly(200, 200, 200, 200, 200, 429);
        ManualClock.TIME.advance(Duration.ofSeconds(12));
        assertThat(sequence("delta", 2)).as("a twelfth of the period: one token").containsExactly(200, 429);
        ManualClock.TIME.advance(Duration.ofMinutes(1));
        assertThat(sequence("delta", 6)).as("a whole period: a full bucket").containsExactly(200, 200, 200, 200, 200,
                429);
    }

    @Test
    void excludedPathsAreNeverLimited() throws Exception {
        assertThat(sequence("echo", 6)).endsWith(429);
        for (int i = 0; i < 10; i++) {
            assertThat(send(get("/public/bound").header("X-Tenant-Id", "echo")).statusCode()).isEqualTo(200);
            assertThat(send(get("/actuator/health").header("X-Tenant-Id", "echo")).statusCode()).isEqualTo(200);
        }
        assertThat(whoami("echo").statusCode()).isEqualTo(429);
    }

    @Test
    void refusalsAreCountedByTierNeverByTenant() throws Exception {
        assertThat(sequence("trial-co", 5)).as("unlisted tier: the default limit").containsExactly(200, 200, 429, 429,
                429);
        assertThat(meters.get("tenantry.rate_limit.refused").tag("tier", "other").counter().count()).isEqualTo(3);
        assertThat(meters.find("tenantry.rate_limit.refused").counters()).allSatisfy(counter -> assertThat(
                counter.getId().getTags()).extracting("key").containsExactly("tier"));
    }

    /** Sends {@code requests} requests of {@code tenant} at once and returns the answers. */
    private List<HttpResponse<String>> burst(String tenant, int requests) {
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            sent.add(HTTP.sendAsync(get("/whoami").header("X-Tenant-Id", tenant).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        return sent.stream().map(CompletableFuture::join).toList();
    }

    /** Sends {@code requests} requests of {@code tenant} one after another and returns their statuses. */
    private List<Integer> sequence(String tenant, int requests) throws IOException, InterruptedException {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            statuses.add(whoami(tenant).statusCode());
        }
        return statuses;
    }

    private HttpResponse<String> whoami(String tenant) throws IOException, InterruptedException {
        return send(get("/whoami").header("X-Tenant-Id", tenant));
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The starter's limiter, built from the same properties, on a clock that moves only when a test moves it. */
    @TestConfiguration(proxyBeanMethods = false)
    static class ManualClock {

        static final ManualTime TIME = new ManualTime();

        @Bean
        TenantRateLimiter tenantRateLimiter(TenantryRateLimitProperties properties) {
            return TenantryRateLimitAutoConfiguration.limiter(properties, TIME);
        }
    }
}
