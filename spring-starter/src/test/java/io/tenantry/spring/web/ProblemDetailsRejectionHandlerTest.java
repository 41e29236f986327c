package io.tenantry.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.TenantId;
import io.tenantry.TenantStatus;
import io.tenantry.TenantUnavailableException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class ProblemDetailsRejectionHandlerTest {

    @Test
    void escapesEverythingJsonRequiresInDetailAndInstance() {
        assertThat(ProblemDetailsRejectionHandler.quote("a\"b\\c\nd\te\u0001\u2028"))
                .isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001\\u2028\"");
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUp() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        new ProblemDetailsRejectionHandler(Duration.ofMillis(1500)).reject(new MockHttpServletRequest("POST", "/x"),
                response, new TenantUnavailableException(TenantId.of("acme"), TenantStatus.READ_ONLY, "moving"));
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("2");
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getContentAsString()).isEqualTo("{\"type\":\"urn:tenantry:problem:tenant-read-only\","
                + "\"title\":\"Tenant read-only\",\"status\":503,\"detail\":\"moving\",\"instance\":\"/x\"}");
    }
}
