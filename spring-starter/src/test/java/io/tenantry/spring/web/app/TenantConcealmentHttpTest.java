package io.tenantry.spring.web.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * With the default {@code tenantry.web.conceal-tenants=unauthenticated}, over real HTTP behind Spring
 * Security: a caller without a token cannot tell an unknown tenant from a suspended, deleted or
 * conflicting one, and the operator finds the reason in the log; a caller with a token gets the
 * detailed answers.
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
            "tenantry.resolution.chain=header,claim",
            "tenantry.directory.tenants[0].id=acme",
            "tenantry.directory.tenants[1].id=frozen",
            "tenantry.directory.tenants[1].status=suspended",
            "tenantry.directory.tenants[2].id=gone",
            "tenantry.directory.tenants[2].status=deleted",
            "tenantry.directory.tenants[3].id=moving",
            "tenantry.directory.tenants[3].status=read-only",
            "tenantry.routing.default-placement.model=field",
            "tenantry.routing.default-placement.database=shared",
            "logging.level.org.apache.catalina.core.ContainerBase=off"
        })
@ExtendWith(OutputCaptureExtension.class)
class TenantConcealmentHttpTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Test
    void anUnauthenticatedCallerCannotTellAnUnknownTenantFromOneItMayNotUse() throws Exception {
        Answer unknown = answer(get("/whoami").header("X-Tenant-Id", "nobody"));
        assertThat(answer(get("/whoami").header("X-Tenant-Id", "frozen"))).as("suspended").isEqualTo(unknown);
        assertThat(answer(get("/whoami").header("X-Tenant-Id", "gone"))).as("deleted").isEqualTo(unknown);
        assertThat(answer(get("/whoami").header("X-Tenant-Id", "frozen").header("X-Tenant-Id", "nobody")))
                .as("named twice").isEqualTo(unknown);

        assertThat(unknown.status()).isEqualTo(403);
        assertThat(unknown.headers()).containsEntry("content-type", List.of("application/problem+json;charset=UTF-8"))
                .doesNotContainKey("retry-after");
        JsonNode problem = JSON.readTree(unknown.body());
        assertThat(problem.get("type").asString()).isEqualTo("urn:tenantry:problem:tenant-refused");
        assertThat(problem.get("detail").asString())
                .isEqualTo("The tenant named by this request does not exist or is not available to this caller.");
        assertThat(unknown.body()).doesNotContain("nobody", "TenantDirectory", "register", "suspended", "Unknown");
        assertThat(send(get("/whoami").header("X-Tenant-Id", "acme")).statusCode()).as("an active tenant")
                .isEqualTo(200);
    }

    @Test
    void theOperatorFindsTheReasonInTheLog(CapturedOutput output) throws Exception {
        send(get("/whoami").header("X-Tenant-Id", "frozen"));
        send(get("/whoami").header("X-Tenant-Id", "nobody"));
        assertThat(output).contains("Refused GET /whoami for tenant \"frozen\" (tenant-unavailable) with the concealed"
                + " answer 403 tenant-refused: Tenant \"frozen\" is suspended; reactivate it in the TenantDirectory")
                .contains("Refused GET /whoami for tenant \"nobody\" (tenant-unknown) with the concealed answer 403"
                        + " tenant-refused: Unknown tenant \"nobody\"");
    }

    @Test
    void anAuthenticatedCallerGetsTheDetailedAnswer() throws Exception {
        HttpResponse<String> suspended = send(get("/whoami").header("Authorization", "Bearer tenant.frozen"));
        assertThat(suspended.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(suspended.body()).get("type").asString()).endsWith("tenant-unavailable");
        assertThat(JSON.readTree(suspended.body()).get("detail").asString()).contains("suspended");
        HttpResponse<String> unknown = send(get("/whoami").header("Authorization", "Bearer tenant.nobody"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("type").asString()).endsWith("tenant-unknown");
    }

    @Test
    void aWriteForAReadOnlyTenantStillAsksForARetryButDoesNotSayWhy() throws Exception {
        HttpResponse<String> write = send(post("/cards").header("X-Tenant-Id", "moving"));
        assertThat(write.statusCode()).isEqualTo(503);
        assertThat(write.headers().firstValue("Retry-After")).contains("30");
        JsonNode problem = JSON.readTree(write.body());
        assertThat(problem.get("type").asString()).endsWith("tenant-read-only");
        assertThat(problem.get("detail").asString()).doesNotContain("moving").contains("retry");
    }

    @Test
    void aRequestThatNamesNoTenantStillSaysSo() throws Exception {
        HttpResponse<String> missing = send(get("/whoami"));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(missing.body()).get("type").asString()).endsWith("tenant-missing");
    }

    /** Everything a caller sees of an answer but its Date header. */
    private record Answer(int status, Map<String, List<String>> headers, String body) {
    }

    private Answer answer(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = send(request);
        Map<String, List<String>> headers = new TreeMap<>(response.headers().map());
        headers.remove("date");
        return new Answer(response.statusCode(), headers, response.body());
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
}
