package io.tenantry.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.TenantId;
import io.tenantry.TenantResolutionException;
import io.tenantry.TenantStatus;
import io.tenantry.TenantUnavailableException;
import io.tenantry.TenantryException;
import io.tenantry.UnknownTenantException;
import io.tenantry.spring.web.TenantryWebProperties.ConcealTenants;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class ProblemDetailsRejectionHandlerTest {

    private static final RequestAuthentication NOBODY = request -> false;
    private static final RequestAuthentication EVERYBODY = request -> true;

    private static final TenantryException UNKNOWN = new UnknownTenantException(TenantId.of("nobody"));
    private static final TenantryException SUSPENDED = new TenantUnavailableException(TenantId.of("frozen"),
            TenantStatus.SUSPENDED, "Tenant \"frozen\" is suspended; reactivate it in the TenantDirectory.");
    private static final TenantryException DELETED = new TenantUnavailableException(TenantId.of("gone"),
            TenantStatus.DELETED, "Tenant \"gone\" is deleted.");
    private static final TenantryException CONFLICT = new TenantResolutionException(
            TenantResolutionException.Reason.CONFLICT, "claim tenant_id names \"acme\", header names \"bravo\".");
    private static final TenantryException READ_ONLY = new TenantUnavailableException(TenantId.of("moving"),
            TenantStatus.READ_ONLY, "Tenant \"moving\" is read-only (it is being moved or backed up).");

    @Test
    void escapesEverythingJsonRequiresInDetailAndInstance() {
        assertThat(ProblemDetailsRejectionHandler.quote("a\"b\\c\nd\te\u0001\u2028"))
                .isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001\\u2028\"");
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUp() throws Exception {
        MockHttpServletResponse response = reject(handler(Duration.ofMillis(1500), ConcealTenants.NEVER, NOBODY),
                "POST", new TenantUnavailableException(TenantId.of("acme"), TenantStatus.READ_ONLY, "moving"));
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("2");
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getContentAsString()).isEqualTo("{\"type\":\"urn:tenantry:problem:tenant-read-only\","
                + "\"title\":\"Tenant read-only\",\"status\":503,\"detail\":\"moving\",\"instance\":\"/x\"}");
    }

    @Test
    void anUnauthenticatedCallerGetsOneAnswerForUnknownSuspendedDeletedAndConflictingTenants() throws Exception {
        TenantRejectionHandler handler = handler(Duration.ofSeconds(30), ConcealTenants.UNAUTHENTICATED, NOBODY);
        Answer unknown = Answer.of(reject(handler, "GET", UNKNOWN));
        for (TenantryException failure : List.of(SUSPENDED, DELETED, CONFLICT)) {
            assertThat(Answer.of(reject(handler, "GET", failure))).as(failure.getMessage()).isEqualTo(unknown);
        }
        assertThat(unknown.status).isEqualTo(403);
        assertThat(unknown.body).isEqualTo("{\"type\":\"urn:tenantry:problem:tenant-refused\","
                + "\"title\":\"Tenant refused\",\"status\":403,\"detail\":\"The tenant named by this request does not"
                + " exist or is not available to this caller.\",\"instance\":\"/x\"}");
    }

    @Test
    void anAuthenticatedCallerGetsTheDetailUnlessTenantsAreAlwaysConcealed() throws Exception {
        TenantRejectionHandler detailed = handler(Duration.ofSeconds(30), ConcealTenants.UNAUTHENTICATED, EVERYBODY);
        assertThat(reject(detailed, "GET", UNKNOWN).getStatus()).isEqualTo(404);
        assertThat(reject(detailed, "GET", SUSPENDED).getContentAsString()).contains("tenant-unavailable")
                .contains("suspended");
        assertThat(reject(detailed, "GET", CONFLICT).getContentAsString()).contains("tenant-conflict");

        TenantRejectionHandler always = handler(Duration.ofSeconds(30), ConcealTenants.ALWAYS, EVERYBODY);
        assertThat(Answer.of(reject(always, "GET", SUSPENDED))).isEqualTo(Answer.of(reject(always, "GET", UNKNOWN)));
        assertThat(reject(always, "GET", UNKNOWN).getStatus()).isEqualTo(403);

        TenantRejectionHandler never = handler(Duration.ofSeconds(30), ConcealTenants.NEVER, NOBODY);
        assertThat(reject(never, "GET", UNKNOWN).getStatus()).isEqualTo(404);
        assertThat(reject(never, "GET", UNKNOWN).getContentAsString()).contains("\\\"nobody\\\"");
    }

    @Test
    void aConcealedWriteForAReadOnlyTenantKeeps503AndRetryAfterButNotTheDetail() throws Exception {
        MockHttpServletResponse response = reject(handler(Duration.ofSeconds(30), ConcealTenants.ALWAYS, NOBODY),
                "POST", READ_ONLY);
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("30");
        assertThat(response.getContentAsString()).contains("tenant-read-only").doesNotContain("moving")
                .contains("retry after the time in Retry-After");
    }

    @Test
    void missingAndMalformedTenantsKeepTheirDetailForEveryCaller() throws Exception {
        TenantRejectionHandler handler = handler(Duration.ofSeconds(30), ConcealTenants.ALWAYS, NOBODY);
        MockHttpServletResponse missing = reject(handler, "GET", new TenantResolutionException(
                TenantResolutionException.Reason.MISSING, "No tenant found in header X-Tenant-Id."));
        assertThat(missing.getStatus()).isEqualTo(400);
        assertThat(missing.getContentAsString()).contains("tenant-missing").contains("No tenant found");
        MockHttpServletResponse malformed = reject(handler, "GET", new TenantResolutionException(
                TenantResolutionException.Reason.MALFORMED, "header X-Tenant-Id is not a tenant id."));
        assertThat(malformed.getStatus()).isEqualTo(400);
        assertThat(malformed.getContentAsString()).contains("tenant-malformed");
    }

    private static TenantRejectionHandler handler(Duration retryAfter, ConcealTenants conceal,
            RequestAuthentication authentication) {
        return new ProblemDetailsRejectionHandler(retryAfter, conceal, authentication);
    }

    private static MockHttpServletResponse reject(TenantRejectionHandler handler, String method,
            TenantryException failure) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        handler.reject(new MockHttpServletRequest(method, "/x"), response, failure);
        return response;
    }

    /** Everything a caller sees of an answer. */
    private record Answer(int status, Map<String, List<String>> headers, String body) {

        static Answer of(MockHttpServletResponse response) throws Exception {
            Map<String, List<String>> headers = new TreeMap<>();
            response.getHeaderNames().forEach(name -> headers.put(name, response.getHeaders(name)));
            return new Answer(response.getStatus(), headers, response.getContentAsString());
        }
    }
}
