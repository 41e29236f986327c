package io.tenantry.spring.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.TenantLifecycle;
import io.tenantry.TenantUsage;
import io.tenantry.mongo.TenantMongo;
import io.tenantry.spi.UsageHistory;
import io.tenantry.spring.EmbeddedMongo;
import io.tenantry.spring.NoSqlDatabase;
import io.tenantry.spring.metering.MeteringSnapshot;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}), over a
 * Spring Boot application on MongoDB with Spring Security: an operator signs in, reads the tenant list, the
 * usage chart and the audit trail, suspends a tenant (whose requests are then refused) and changes another's
 * tier, watching the move to its end. Screenshots go to {@code target/dashboard-screenshots}.
 */
class DashboardBrowserTest {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");
    private static final String XSS_NAME = "<img src=x onerror=\"window.__xss=1\">";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ConfigurableApplicationContext context;
    private static ChromeDriver browser;
    private static Path profile;
    private static String base;

    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = NoSqlDatabase.DATA_SOURCE)
    static class Application {

        /** The application's own chain: its API is open, its tenants told apart by the X-Tenant-Id header. */
        @Bean
        SecurityFilterChain application(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                    .csrf(csrf -> csrf.disable()).build();
        }

        @Bean
        UserDetailsService users() {
            return new InMemoryUserDetailsManager(
                    User.withUsername("operator").password("{noop}secret").roles("TENANTRY_ADMIN").build(),
                    User.withUsername("viewer").password("{noop}secret").roles("VIEWER").build());
        }

        @Bean
        Cards cards(TenantMongo mongo) {
            return new Cards(mongo);
        }
    }

    /** The application's own endpoint, confined to the request's tenant. */
    @RestController
    static class Cards {
        private final TenantMongo mongo;

        Cards(TenantMongo mongo) {
            this.mongo = mongo;
        }

        @GetMapping("/cards")
        long count() {
            return mongo.collection("cards").countDocuments();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        assertThat(new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute())
                .as("This test drives a real Chromium: install Debian's packages with"
                        + " `apt-get install -y chromium chromium-driver` (.ci/run does it), which provide "
                        + CHROMIUM + " and " + CHROMEDRIVER + ".")
                .isTrue();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        context = new SpringApplicationBuilder(Application.class).properties(
                "server.port=0",
                "tenantry.mongodb.clusters.main=" + EmbeddedMongo.main().uri(),
                "tenantry.mongodb.tenant-field=tenantId",
                "tenantry.directory.source=mongodb",
                "tenantry.directory.mongodb.database=dashboard_admin_" + suffix,
                "tenantry.directory.cache.enabled=false",
                "tenantry.routing.tiers.free.model=field",
                "tenantry.routing.tiers.free.database=dashboard_shared_" + suffix,
                "tenantry.routing.tiers.pro.model=collection",
                "tenantry.routing.tiers.pro.database=dashboard_pro_" + suffix,
                "tenantry.audit.store=mongodb",
                "tenantry.metering.initial-delay=0s",
                "tenantry.metering.interval=1s",
                "tenantry.dashboard.enabled=true",
                "tenantry.quotas.enabled=true",
                "tenantry.quotas.tiers.free.items.cards=36",
                "logging.level.org.apache.catalina.core.ContainerBase=off").run();
        base = "http://localhost:" + context.getEnvironment().getProperty("local.server.port");

        TenantLifecycle lifecycle = context.getBean(TenantLifecycle.class);
        lifecycle.create(Tenant.builder("acme").name("Acme Corp").tier("free").build());
        lifecycle.create(Tenant.builder("bravo").name("Bravo Ltd").tier("free").build());
        lifecycle.create(Tenant.builder("evil").name(XSS_NAME).tier("free").build());
        TenantMongo mongo = context.getBean(TenantMongo.class);
        for (Map.Entry<String, Integer> tenant : Map.of("acme", 30, "bravo", 12).entrySet()) {
            TenantContext.runAs(TenantId.of(tenant.getKey()), () -> {
                for (int i = 0; i < tenant.getValue(); i++) {
                    mongo.collection("cards").insertOne(new Document("name", "card " + i));
                }
            });
        }
        UsageHistory history = context.getBean(UsageHistory.class);
        Instant now = Instant.now();
        for (int hour = 8; hour >= 1; hour--) {
            long items = 30 - 3L * hour;
            history.record(new TenantUsage(TenantId.of("acme"), Placement.field("main", "app"),
                    Map.of("cards", new TenantUsage.Resource(items, items * 120)), now.minus(Duration.ofHours(hour))));
        }
        MeteringSnapshot snapshot = context.getBean(MeteringSnapshot.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> snapshot.usage(TenantId.of("acme"))
                .map(usage -> usage.totalItems() == 30).orElse(false));

        profile = Files.createTempDirectory("dashboard-chromium");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1360,1000",
                "--user-data-dir=" + profile);
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (context != null) {
            context.close();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    @DisplayName("an operator signs in, reads the list and a tenant's usage chart, suspends it, and its requests are refused")
    void operatorSuspendsATenant() throws Exception {
        for (int i = 0; i < 7; i++) {
            assertThat(get("/cards", "acme", null).body()).isEqualTo("30");
        }
        signIn();
        WebElement acme = waitFor(By.cssSelector("#tenants tr[data-tenant='acme']"));
        assertThat(acme.findElement(By.cssSelector(".status-cell")).getText()).isEqualTo("ACTIVE");
        assertThat(acme.getText()).contains("Acme Corp", "free", "field · main", "30 items", "7 /min");
        assertThat(browser.findElement(By.cssSelector("#tenants tr[data-tenant='bravo']")).getText())
                .contains("12 items");

        WebElement evil = browser.findElement(By.cssSelector("#tenants tr[data-tenant='evil'] a.tenant-link"));
        assertThat(evil.getText()).as("a name is shown as text, never parsed as markup").isEqualTo(XSS_NAME);
        assertThat(browser.findElements(By.cssSelector("#main img"))).isEmpty();
        assertThat(browser.executeScript("return window.__xss === undefined")).isEqualTo(true);
        screenshot("tenants");

        acme.findElement(By.cssSelector("a.tenant-link")).click();
        waitFor(By.id("tenant-name"));
        assertThat(browser.findElement(By.id("tenant-name")).getText()).isEqualTo("Acme Corp");
        List<WebElement> points = browser.findElements(By.cssSelector("#history svg circle.point"));
        assertThat(points.size()).as("eight recorded hours and the metering's own measurements").isGreaterThanOrEqualTo(2 * 9);
        String line = browser.findElement(By.cssSelector("#history svg polyline")).getDomAttribute("points");
        assertThat(line.split(" ")).hasSizeGreaterThanOrEqualTo(9);
        screenshot("tenant");

        browser.findElement(By.id("suspend")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("tenant-status"),
                "SUSPENDED"));
        assertThat(browser.findElement(By.id("audit")).getText()).contains("tenant status changed");
        HttpResponse<String> refused = get("/cards", "acme", null);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(get("/cards", "bravo", null).body()).isEqualTo("12");
        screenshot("tenant-suspended");

        browser.findElement(By.id("resume")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("tenant-status"),
                "ACTIVE"));
        assertThat(get("/cards", "acme", null).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("an operator changes a tenant's tier and watches the move to its end")
    void operatorChangesATier() throws Exception {
        signIn();
        browser.get(base + "/tenantry/#/tenants/bravo");
        waitFor(By.id("tier")).sendKeys("pro");
        browser.findElement(By.cssSelector("#actions form button[type='submit']")).click();
        // the page shows the tenant's creation, DONE, until the move starts
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(ExpectedConditions.and(
                ExpectedConditions.textToBePresentInElementLocated(By.id("operation"), "Latest operation: move"),
                ExpectedConditions.textToBe(By.id("operation-step"), "DONE")));
        assertThat(browser.findElement(By.cssSelector(".facts")).getText()).contains("tier pro", "collection · main");
        assertThat(get("/cards", "bravo", null).body()).isEqualTo("12");
        screenshot("tenant-moved");
    }

    @Test
    @DisplayName("quotas are drawn as bars that warn from 80 % and alert from 100 %")
    void quotas() throws Exception {
        signIn();
        WebElement counted = waitFor(By.cssSelector("#tenants tr[data-tenant='acme'] .quotas"));
        assertThat(counted.findElement(By.cssSelector(".quota-warn[data-quota='items:cards']")).getText())
                .as("30 cards inserted through TenantMongo under the free tier's quota of 36")
                .contains("30 / 36 (83 %)");
        // The other levels and kinds, on made-up figures added to the page's own fetch of the tenant list.
        Map<String, Object> added = browser.executeCdpCommand(
                "Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                        const fetched = window.fetch;
                        window.fetch = async (url, options) => {
                          const response = await fetched(url, options);
                          if (!String(url).endsWith('api/tenants')) return response;
                          const body = await response.json();
                          body.tenants.filter(t => t.id === 'acme').forEach(t => t.quotas = [
                            {quota: 'items:cards', limit: 100, usage: 85},
                            {quota: 'bytes', limit: 1048576, usage: 2097152},
                            {quota: 'counter:seats', limit: 0, usage: 0},
                            {quota: 'items:orders', limit: 10, usage: null},
                            {quota: 'users', usage: 3}]);
                          body.tenants.filter(t => t.id === 'bravo').forEach(t => t.quotas = []);
                          return new Response(JSON.stringify(body), {status: 200,
                            headers: {'Content-Type': 'application/json'}});
                        };
                        """));
        try {
            browser.navigate().refresh();
            WebElement acme = waitFor(By.cssSelector("#tenants tr[data-tenant='acme'] .quotas"));
            assertThat(acme.findElement(By.cssSelector(".quota-warn[data-quota='items:cards']")).getText())
                    .contains("85 / 100 (85 %)");
            assertThat(acme.findElement(By.cssSelector(".quota-alert[data-quota='bytes']")).getText())
                    .contains("2.0 MiB / 1.0 MiB (200 %)");
            assertThat(acme.findElement(By.cssSelector(".quota-unlimited[data-quota='users']")).getText())
                    .contains("3 / unlimited");
            assertThat(acme.findElement(By.cssSelector(".quota-alert[data-quota='counter:seats']")).getText())
                    .as("a limit of 0 is reached at once").contains("0 / 0 (100 %)");
            assertThat(acme.findElement(By.cssSelector(".quota-ok[data-quota='items:orders']")).getText())
                    .contains("not counted yet / 10");
            assertThat(browser.findElements(By.cssSelector("#tenants tr[data-tenant='bravo'] .quotas")))
                    .as("no quotas, no bars").isEmpty();
            screenshot("tenants-quotas");
        } finally {
            browser.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument",
                    Map.of("identifier", added.get("identifier")));
        }
    }

    @Test
    @DisplayName("without the role, without signing in, or without the CSRF token, the dashboard refuses")
    void refusals() throws Exception {
        assertThat(get("/tenantry/", null, "viewer").statusCode()).isEqualTo(403);
        assertThat(get("/tenantry/api/tenants", null, "viewer").statusCode()).isEqualTo(403);
        assertThat(get("/tenantry/api/tenants/acme", null, "viewer").statusCode()).isEqualTo(403);
        assertThat(post("/tenantry/api/tenants/acme", "viewer").statusCode()).isEqualTo(403);
        assertThat(get("/tenantry/api/tenants", null, null).statusCode()).isEqualTo(401);
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/tenantry/"))
                .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to).endsWith("/tenantry/login"));
        assertThat(get("/tenantry/api/tenants", null, "operator").statusCode()).isEqualTo(200);
        assertThat(post("/tenantry/api/tenants/acme", "operator").statusCode()).as("no CSRF token").isEqualTo(403);
        assertThat(context.getBean(io.tenantry.TenantDirectory.class).require(TenantId.of("acme")).status().name())
                .isEqualTo("ACTIVE");
    }

    private static void signIn() {
        browser.get(base + "/tenantry/login");
        waitFor(By.id("username")).sendKeys("operator");
        browser.findElement(By.id("password")).sendKeys("secret");
        browser.findElement(By.id("sign-in")).click();
        waitFor(By.cssSelector("#tenants tbody tr"));
    }

    private static WebElement waitFor(By locator) {
        return new WebDriverWait(browser, Duration.ofSeconds(15))
                .until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    private static void screenshot(String name) throws Exception {
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    private static HttpResponse<String> get(String path, String tenant, String user) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
        if (tenant != null) {
            request.header("X-Tenant-Id", tenant);
        }
        if (user != null) {
            request.header("Authorization", basic(user));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String user) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", basic(user))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"suspend\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":secret").getBytes(StandardCharsets.UTF_8));
    }
}
