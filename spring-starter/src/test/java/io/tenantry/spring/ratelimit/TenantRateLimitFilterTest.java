package io.tenantry.spring.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.Tenant;
import io.tenantry.spring.ratelimit.TenantRateLimiter.Refusal;
import io.tenantry.spring.web.TenantFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TenantRateLimitFilterTest {

    private final ManualTime time = new ManualTime();
    private final List<Refusal> told = new ArrayList<>();
    private final TenantRateLimitFilter filter = new TenantRateLimitFilter(new TenantRateLimiter(
            Map.of("free", new RateLimit(1, Duration.ofSeconds(90))), Set.of(), null, 100, time), told::add);

    @Test
    void aRequestAboveTheLimitGets429WithRetryAfterAndAProblemDetailAndGoesNoFurther() throws Exception {
        Tenant acme = Tenant.builder("acme").tier("free").build();
        MockFilterChain first = new MockFilterChain();
        assertThat(send(acme, "/cards", first).getStatus()).isEqualTo(200);
        assertThat(first.getRequest()).as("passed on").isNotNull();

        time.advance(Duration.ofSeconds(10));
        MockFilterChain second = new MockFilterChain();
        MockHttpServletResponse refused = send(acme, "/cards", second);
        assertThat(second.getRequest()).as("not passed on").isNull();
        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("80");
        assertThat(refused.getContentType()).startsWith("application/problem+json");
        JsonNode problem = JsonMapper.builder().build().readTree(refused.getContentAsString());
        assertThat(problem.get("type").asString()).isEqualTo("urn:tenantry:problem:tenant-rate-limited");
        assertThat(problem.get("title").asString()).isEqualTo("Too many requests");
        assertThat(problem.get("status").asInt()).isEqualTo(429);
        assertThat(problem.get("detail").asString()).isEqualTo("Tenant acme may make 1 request per 90s; retry in 80 s.");
        assertThat(problem.get("instance").asString()).isEqualTo("/cards");
        assertThat(told).singleElement().satisfies(refusal -> assertThat(refusal.tier()).isEqualTo("free"));
    }

    @Test
    void theProblemDetailStaysValidJsonWhateverThePath() throws Exception {
        Tenant acme = Tenant.builder("acme").tier("free").build();
        send(acme, "/a", new MockFilterChain());
        String path = "/odd\"\\\u0001\u2028";
        JsonNode problem = JsonMapper.builder().build().readTree(send(acme, path, new MockFilterChain())
                .getContentAsString());
        assertThat(problem.get("instance").asString()).isEqualTo(path);
    }

    @Test
    void requestsWithoutATenantAreNeverLimited() throws Exception {
        for (int i = 0; i < 5; i++) {
            MockFilterChain chain = new MockFilterChain();
            MockHttpServletResponse response = new MockHttpServletResponse();
            filter.doFilter(new MockHttpServletRequest("GET", "/actuator/health"), response, chain);
            assertThat(chain.getRequest()).isNotNull();
            assertThat(response.getStatus()).isEqualTo(200);
        }
        assertThat(told).isEmpty();
    }

    private MockHttpServletResponse send(Tenant tenant, String path, MockFilterChain chain) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        request.setAttribute(TenantFilter.TENANT_ATTRIBUTE, tenant);
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, chain);
        return response;
    }
}
