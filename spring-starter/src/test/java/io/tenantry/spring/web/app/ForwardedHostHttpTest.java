package io.tenantry.spring.web.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Subdomain resolution behind a reverse proxy: the tenant comes from the host the servlet request
 * reports, which is the {@code Host} header unless Spring Boot's forwarded-header handling
 * ({@code server.forward-headers-strategy}) replaced it with {@code X-Forwarded-Host}.
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
            "tenantry.resolution.chain=subdomain,claim",
            "tenantry.resolution.base-domain=cards.test",
            "tenantry.directory.tenants[0].id=acme",
            "tenantry.directory.tenants[1].id=bravo"
        })
class ForwardedHostHttpTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Tomcat's RemoteIpValve: forwarded headers count when the peer is an internal proxy (here loopback). */
    @Nested
    @TestPropertySource(properties = "server.forward-headers-strategy=native")
    class Native {

        @LocalServerPort
        int port;

        @Test
        void theForwardedHostOfATrustedProxyNamesTheTenant() throws Exception {
            HttpResponse<String> response = send(port, "proxy.internal:" + port, "acme.cards.test", null);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).get("tenant").asString()).isEqualTo("acme");
        }

        @Test
        void aForwardedHostThatDisagreesWithTheTokenIsRefused() throws Exception {
            HttpResponse<String> response = send(port, "proxy.internal:" + port, "acme.cards.test", "tenant.bravo");
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(JSON.readTree(response.body()).get("type").asString()).endsWith("tenant-conflict");
        }
    }

    /** Spring Boot's default off cloud platforms: X-Forwarded-Host is ignored, the Host header counts. */
    @Nested
    @TestPropertySource(properties = "server.forward-headers-strategy=none")
    class None {

        @LocalServerPort
        int port;

        @Test
        void theForwardedHostIsIgnoredAndTheHostHeaderNamesTheTenant() throws Exception {
            HttpResponse<String> response = send(port, "bravo.cards.test:" + port, "acme.cards.test", null);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).get("tenant").asString()).isEqualTo("bravo");
        }

        @Test
        void aProxyThatRewritesTheHostLeavesTheRequestWithoutATenant() throws Exception {
            HttpResponse<String> response = send(port, "app.internal:" + port, "acme.cards.test", null);
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("type").asString()).endsWith("tenant-missing");
        }
    }

    private static HttpResponse<String> send(int port, String host, String forwardedHost, String token)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/whoami"))
                .header("Host", host).header("X-Forwarded-Host", forwardedHost);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
