package io.tenantry.spring.mongo.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import io.tenantry.mongo.TenantMongo;
import io.tenantry.spring.EmbeddedMongo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's minimal {@code application.yml} (clusters from {@code tenantry.mongodb.clusters},
 * nothing under {@code spring.mongodb.*}): Spring Boot creates no MongoClient of its own, and the
 * health endpoint reports Tenantry's clusters, UP.
 */
@SpringBootTest(classes = MinimalApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "tenantry.resolution.chain=header,claim",
            "tenantry.directory.tenants[0].id=acme", "tenantry.directory.tenants[0].name=Acme Corp",
            "tenantry.directory.tenants[0].tier=enterprise",
            "tenantry.directory.tenants[1].id=bravo", "tenantry.directory.tenants[1].tier=premium",
            "tenantry.directory.tenants[2].id=carol", "tenantry.directory.tenants[2].tier=free",
            "tenantry.routing.tiers.free.model=field", "tenantry.routing.tiers.free.store=main",
            "tenantry.routing.tiers.free.database=minimal_vault",
            "tenantry.routing.tiers.premium.model=collection", "tenantry.routing.tiers.premium.store=main",
            "tenantry.routing.tiers.premium.database=minimal_premium",
            "tenantry.routing.tiers.enterprise.model=database", "tenantry.routing.tiers.enterprise.store=dedicated",
            "tenantry.routing.tiers.enterprise.prefix=minimal_",
            "tenantry.mongodb.tenant-field=tenantId",
            "management.endpoint.health.show-details=always"
        })
class MinimalConfigurationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void clusters(DynamicPropertyRegistry registry) {
        registry.add("tenantry.mongodb.clusters.main", EmbeddedMongo.main()::uri);
        registry.add("tenantry.mongodb.clusters.dedicated", EmbeddedMongo.dedicated()::uri);
    }

    @LocalServerPort
    int port;

    @Autowired
    ConfigurableApplicationContext context;

    @Test
    void springBootCreatesNoMongoClientOfItsOwn() {
        assertThat(context.getBeansOfType(MongoClient.class)).isEmpty();
        assertThat(context.getBean(TenantMongo.class).clusterNames()).containsExactly("main", "dedicated");
        assertThat(ConditionEvaluationReport.get(context.getBeanFactory()).getConditionAndOutcomesBySource()
                .get("org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration"))
                .as("the condition report says why")
                .anySatisfy(outcome -> assertThat(outcome.getOutcome().getMessage())
                        .contains("tenantry.mongodb.clusters [main, dedicated]"));
    }

    @Test
    void healthIsUpAndReportsTenantrysClustersNotALocalhostClient() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode health = JsonMapper.builder().build().readTree(response.body());
        assertThat(health.get("status").asString()).isEqualTo("UP");
        JsonNode components = health.get("components");
        assertThat(components.has("mongo")).as("Spring Boot's MongoDB health indicator").isFalse();
        JsonNode clusters = components.get("tenantryMongo").get("components");
        assertThat(clusters.propertyNames()).containsExactlyInAnyOrder("main", "dedicated");
        assertThat(clusters.get("main").get("status").asString()).isEqualTo("UP");
        assertThat(clusters.get("dedicated").get("status").asString()).isEqualTo("UP");
    }
}
