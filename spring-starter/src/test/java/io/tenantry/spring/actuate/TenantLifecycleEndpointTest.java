package io.tenantry.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.LifecycleOperation;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycle;
import io.tenantry.spring.jdbc.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The tenant lifecycle over HTTP, on PostgreSQL: the {@code tenants} endpoint's writes are off until the
 * operator turns them on, and then create, move (shared tables to a schema of its own), suspend, resume
 * and delete a tenant, each seen in the routing DataSource and in PostgreSQL itself.
 */
class TenantLifecycleEndpointTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = {"org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
            "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
            "org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration",
            "org.springframework.boot.data.mongodb.autoconfigure.DataMongoAutoConfiguration",
            "org.springframework.boot.data.mongodb.autoconfigure.DataMongoRepositoriesAutoConfiguration"})
    static class Application {

        /** Operations staff sign in with HTTP Basic; what a real deployment puts in front of the actuator. */
        @Bean
        SecurityFilterChain actuator(HttpSecurity http) throws Exception {
            return http.securityMatcher("/actuator/**")
                    .authorizeHttpRequests(requests -> requests.anyRequest().hasRole("OPS"))
                    .httpBasic(Customizer.withDefaults()).csrf(csrf -> csrf.disable()).build();
        }

        @Bean
        UserDetailsService operators() {
            return new InMemoryUserDetailsManager(User.withUsername("ops").password("{noop}secret").roles("OPS")
                    .build(), User.withUsername("viewer").password("{noop}secret").roles("VIEWER").build());
        }
    }

    private static ConfigurableApplicationContext start(String... extra) {
        TestPostgres postgres = TestPostgres.get();
        List<String> properties = new java.util.ArrayList<>(List.of("server.port=0",
                "spring.datasource.url=" + postgres.url(postgres.freshDatabase("lifecycle_cp")),
                "spring.datasource.username=" + TestPostgres.APP_USER,
                "spring.datasource.password=" + TestPostgres.APP_PASSWORD,
                "tenantry.mongodb.enabled=false", "tenantry.directory.source=jdbc",
                "tenantry.routing.tiers.free.model=field", "tenantry.routing.tiers.free.database="
                        + postgres.freshDatabase("lifecycle_shared"),
                "tenantry.routing.tiers.pro.model=schema", "tenantry.routing.tiers.pro.database="
                        + postgres.freshDatabase("lifecycle_schemas"),
                "tenantry.jdbc.migrations=classpath:lifecycle/tenant",
                "tenantry.jdbc.shared-migrations=classpath:lifecycle/shared",
                "management.endpoints.web.exposure.include=tenants",
                // a move waits out the catalogue cache's ttl twice (read-only, then switched over)
                "tenantry.directory.cache.ttl=1s"));
        properties.addAll(List.of(extra));
        SpringApplication application = new SpringApplicationBuilder(Application.class)
                .properties(properties.toArray(String[]::new)).build();
        return application.run();
    }

    private static HttpResponse<String> send(ConfigurableApplicationContext context, String method, String path,
            String body) throws Exception {
        return send(context, "ops", method, path, body);
    }

    private static HttpResponse<String> send(ConfigurableApplicationContext context, String user, String method,
            String path, String body) throws Exception {
        int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json");
        if (user != null) {
            request.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                    (user + ":secret").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("Writes are off by default, as every actuator write is; reads answer")
    void writesAreOffByDefault() throws Exception {
        try (ConfigurableApplicationContext context = start()) {
            assertThat(context.getBean(TenantLifecycle.class)).isNotNull();
            assertThat(send(context, "POST", "/actuator/tenants/acme", "{\"action\":\"create\"}").statusCode())
                    .isBetween(400, 499);
            assertThat(send(context, "DELETE", "/actuator/tenants/acme", null).statusCode()).isBetween(400, 499);
            assertThat(send(context, "GET", "/actuator/tenants", null).statusCode()).isEqualTo(200);
            assertThat(context.getBean(TenantLifecycle.class).operations()).isEmpty();
        }
    }

    @Test
    @DisplayName("An operator creates, moves, suspends, resumes and deletes a tenant over HTTP")
    void theWholeLifecycleOverHttp() throws Exception {
        try (ConfigurableApplicationContext context = start("management.endpoint.tenants.access=unrestricted")) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            assertThat(send(context, null, "POST", "/actuator/tenants/acme", "{\"action\":\"create\"}").statusCode())
                    .as("no credentials").isEqualTo(401);
            assertThat(send(context, "viewer", "POST", "/actuator/tenants/acme", "{\"action\":\"create\"}")
                    .statusCode()).as("not an operator").isEqualTo(403);
            HttpResponse<String> created = send(context, "POST", "/actuator/tenants/acme",
                    "{\"action\":\"create\",\"name\":\"Acme\",\"tier\":\"free\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            assertThat(created.body()).contains("\"status\":\"ACTIVE\"").contains("\"model\":\"FIELD\"");
            send(context, "POST", "/actuator/tenants/bravo", "{\"action\":\"create\",\"tier\":\"free\"}");
            for (String tenant : List.of("acme", "bravo")) {
                TenantContext.runAs(TenantId.of(tenant), () -> {
                    for (int i = 0; i < 25; i++) {
                        jdbc.update("INSERT INTO notes (body) VALUES (?)", tenant + " " + i);
                    }
                });
            }

            String schemas = context.getEnvironment().getProperty("tenantry.routing.tiers.pro.database");
            HttpResponse<String> move = send(context, "POST", "/actuator/tenants/acme",
                    "{\"action\":\"move\",\"model\":\"schema\",\"store\":\"main\",\"database\":\"" + schemas + "\"}");
            assertThat(move.statusCode()).as(move.body()).isEqualTo(200);
            LifecycleOperation moved = (LifecycleOperation) context.getBean(TenantOperations.class)
                    .running(TenantId.of("acme")).orElseThrow().get(60, TimeUnit.SECONDS);
            assertThat(moved.step()).isEqualTo(LifecycleOperation.Step.DONE);
            HttpResponse<String> after = send(context, "GET", "/actuator/tenants/acme", null);
            assertThat(after.body()).contains("\"model\":\"COLLECTION\"").contains("\"pinned\":true")
                    .contains("\"kind\":\"MOVE\"").contains("\"step\":\"DONE\"").contains("\"totalItems\":25");
            assertThat(TenantContext.callAs(TenantId.of("acme"), () -> jdbc.queryForObject(
                    "SELECT count(*) FROM notes", Integer.class))).isEqualTo(25);
            assertThat(TenantContext.callAs(TenantId.of("bravo"), () -> jdbc.queryForObject(
                    "SELECT count(*) FROM notes", Integer.class))).isEqualTo(25);
            String shared = context.getEnvironment().getProperty("tenantry.routing.tiers.free.database");
            JdbcTemplate raw = new JdbcTemplate(TestPostgres.get().admin(shared));
            assertThat(raw.queryForList("SELECT tenant_id, count(*) FROM notes GROUP BY tenant_id"))
                    .containsExactly(Map.of("tenant_id", "bravo", "count", 25L));

            assertThat(send(context, "POST", "/actuator/tenants/acme", "{\"action\":\"suspend\"}").body())
                    .contains("\"status\":\"SUSPENDED\"");
            assertThat(send(context, "POST", "/actuator/tenants/acme", "{\"action\":\"resume\"}").body())
                    .contains("\"status\":\"ACTIVE\"");
            assertThat(send(context, "POST", "/actuator/tenants/acme", "{\"action\":\"explode\"}").statusCode())
                    .isEqualTo(400);

            assertThat(send(context, "DELETE", "/actuator/tenants/acme", null).statusCode()).isEqualTo(200);
            assertThat(send(context, "GET", "/actuator/tenants/acme", null).statusCode()).isEqualTo(404);
            assertThat(new JdbcTemplate(TestPostgres.get().admin(schemas)).queryForList(
                    "SELECT nspname FROM pg_namespace WHERE nspname LIKE '%acme%'", String.class)).isEmpty();
            assertThat(TenantContext.callAs(TenantId.of("bravo"), () -> jdbc.queryForObject(
                    "SELECT count(*) FROM notes", Integer.class))).isEqualTo(25);
        }
    }

    @Test
    @DisplayName("An operator exports a tenant into the archive directory and imports it as another tenant")
    void exportAndImportOverHttp(@org.junit.jupiter.api.io.TempDir java.nio.file.Path archives) throws Exception {
        try (ConfigurableApplicationContext context = start("management.endpoint.tenants.access=unrestricted",
                "tenantry.lifecycle.archive-directory=" + archives)) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            TenantOperations operations = context.getBean(TenantOperations.class);
            send(context, "POST", "/actuator/tenants/acme", "{\"action\":\"create\",\"name\":\"Acme\",\"tier\":\"free\"}");
            TenantContext.runAs(TenantId.of("acme"), () -> {
                for (int i = 0; i < 12; i++) {
                    jdbc.update("INSERT INTO notes (body) VALUES (?)", "line " + i + "\n\"quoted\"");
                }
            });

            for (String bad : List.of("../escape", "a/b", ".hidden", "x.partial-1")) {
                HttpResponse<String> refused = send(context, "POST", "/actuator/tenants/acme",
                        "{\"action\":\"export\",\"archive\":\"" + bad + "\"}");
                assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            }
            HttpResponse<String> exported = send(context, "POST", "/actuator/tenants/acme",
                    "{\"action\":\"export\",\"archive\":\"acme-backup\"}");
            assertThat(exported.statusCode()).as(exported.body()).isEqualTo(200);
            operations.running(TenantId.of("acme")).orElseThrow().get(60, TimeUnit.SECONDS);
            assertThat(archives.resolve("acme-backup").resolve("manifest.json")).exists();
            assertThat(send(context, "GET", "/actuator/tenants/acme", null).body()).contains("\"kind\":\"EXPORT\"")
                    .contains("\"step\":\"DONE\"").contains("acme-backup");
            assertThat(send(context, "POST", "/actuator/tenants/acme",
                    "{\"action\":\"export\",\"archive\":\"acme-backup\"}").statusCode()).as("exists").isEqualTo(400);

            HttpResponse<String> imported = send(context, "POST", "/actuator/tenants/acme-copy",
                    "{\"action\":\"import\",\"archive\":\"acme-backup\",\"tier\":\"pro\"}");
            assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
            assertThat(imported.body()).contains("\"exportedTenant\":\"acme\"").contains("\"totalItems\":12")
                    .contains("postgresql-text-rows/1");
            operations.running(TenantId.of("acme-copy")).orElseThrow().get(60, TimeUnit.SECONDS);
            assertThat(send(context, "GET", "/actuator/tenants/acme-copy", null).body())
                    .contains("\"status\":\"ACTIVE\"").contains("\"tier\":\"pro\"").contains("\"name\":\"Acme\"")
                    .contains("\"model\":\"COLLECTION\"").contains("\"kind\":\"IMPORT\"");
            assertThat(TenantContext.callAs(TenantId.of("acme-copy"), () -> jdbc.queryForList(
                    "SELECT body FROM notes ORDER BY id", String.class))).isEqualTo(TenantContext.callAs(
                    TenantId.of("acme"), () -> jdbc.queryForList("SELECT body FROM notes ORDER BY id", String.class)))
                    .hasSize(12);
            assertThat(send(context, "POST", "/actuator/tenants/nobody",
                    "{\"action\":\"import\",\"archive\":\"missing\"}").statusCode()).isEqualTo(400);
        }
    }

    @Test
    @DisplayName("Without an archive directory, export over HTTP is refused with the property to set")
    void exportNeedsAnArchiveDirectory() throws Exception {
        try (ConfigurableApplicationContext context = start("management.endpoint.tenants.access=unrestricted")) {
            send(context, "POST", "/actuator/tenants/acme", "{\"action\":\"create\",\"tier\":\"free\"}");
            HttpResponse<String> refused = send(context, "POST", "/actuator/tenants/acme", "{\"action\":\"export\"}");
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(context.getBean(TenantLifecycle.class).operations())
                    .noneMatch(op -> op.kind() == LifecycleOperation.Kind.EXPORT);
        }
    }
}
