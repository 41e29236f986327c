package io.tenantry.spring.cache.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.spring.EmbeddedMongo;
import io.tenantry.spring.cache.app.CardStatsApplication.CardStats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cache.CacheManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * End to end, over HTTP: a {@code @Cacheable} method that counts the current tenant's cards, called
 * for two tenants that share one collection (the field model), returns each tenant its own count from
 * its own cache entry; a cache named in {@code tenantry.caching.shared-caches} serves both one entry.
 */
@SpringBootTest(classes = CardStatsApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "tenantry.resolution.chain=header",
            "tenantry.directory.tenants[0].id=acme",
            "tenantry.directory.tenants[1].id=bravo",
            "tenantry.routing.default-placement.model=field",
            "tenantry.routing.default-placement.database=cache_vault",
            "tenantry.mongodb.tenant-field=tenantId",
            "tenantry.caching.shared-caches=exchangeRates"
        })
class CacheableIsolationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId BRAVO = TenantId.of("bravo");

    @DynamicPropertySource
    static void cluster(DynamicPropertyRegistry registry) {
        registry.add("tenantry.mongodb.clusters.main", EmbeddedMongo.main()::uri);
    }

    @LocalServerPort
    int port;

    @Autowired
    CardStats stats;

    @Autowired
    CacheManager caches;

    @BeforeEach
    void threeCardsForAcmeOneForBravoAndEmptyCaches() {
        caches.getCacheNames().forEach(name -> caches.getCache(name).clear());
        TenantContext.runAs(ACME, () -> {
            stats.deleteCards();
            stats.addCard("black lotus");
            stats.addCard("mox pearl");
            stats.addCard("time walk");
        });
        TenantContext.runAs(BRAVO, () -> {
            stats.deleteCards();
            stats.addCard("llanowar elves");
        });
    }

    @Test
    void aCachedCountCalledByTwoTenantsReturnsEachItsOwnValue() throws Exception {
        int before = stats.countings();
        assertThat(statsOf("acme").get("cards").asLong()).isEqualTo(3);
        assertThat(statsOf("bravo").get("cards").asLong()).as("bravo's own count, not acme's cached one")
                .isEqualTo(1);

        TenantContext.runAs(ACME, () -> stats.addCard("ancestral recall"));
        assertThat(statsOf("acme").get("cards").asLong()).as("served from acme's cache entry").isEqualTo(3);
        assertThat(statsOf("bravo").get("cards").asLong()).isEqualTo(1);
        assertThat(stats.countings() - before).as("counted once per tenant").isEqualTo(2);

        assertThat(TenantContext.callAs(BRAVO, stats::cardCount)).as("called directly, outside a request")
                .isEqualTo(1);
    }

    @Test
    void aSharedCacheServesEveryTenantTheSameEntry() throws Exception {
        String acme = statsOf("acme").get("rates").asString();
        assertThat(acme).endsWith("(first asked by acme)");
        assertThat(statsOf("bravo").get("rates").asString()).isEqualTo(acme);
    }

    private JsonNode statsOf(String tenant) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/stats")).header("X-Tenant-Id", tenant).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
