package io.tenantry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.Resolution.Outcome;
import io.tenantry.TenantResolutionException.Reason;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResolversTest {

    static final TenantId ACME = TenantId.of("acme");

    static TenantRequest.Builder request() {
        return TenantRequest.builder();
    }

    static void assertResolved(Resolution resolution, String tenant, String source) {
        assertThat(resolution.outcome()).isEqualTo(Outcome.RESOLVED);
        assertThat(resolution.tenant()).contains(TenantId.of(tenant));
        assertThat(resolution.source()).isEqualTo(source);
        assertThat(resolution.orThrow()).isEqualTo(TenantId.of(tenant));
    }

    static void assertNotApplicable(Resolution resolution) {
        assertThat(resolution.outcome()).isEqualTo(Outcome.NOT_APPLICABLE);
        assertThat(resolution.tenant()).isEmpty();
        assertThatThrownBy(resolution::orThrow).isInstanceOfSatisfying(TenantResolutionException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.MISSING));
    }

    static void assertMalformed(Resolution resolution, String messagePart) {
        assertThat(resolution.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(resolution.failure()).contains(Reason.MALFORMED);
        assertThat(resolution.tenant()).isEmpty();
        assertThatThrownBy(resolution::orThrow).isInstanceOfSatisfying(TenantResolutionException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED)).hasMessageContaining(messagePart);
    }

    @Nested
    class Header {

        private final TenantResolver resolver = TenantResolver.header("X-Tenant-Id");

        @Test
        void reads_the_tenant_from_the_header_whatever_the_case_of_its_name() {
            assertResolved(resolver.resolve(request().header("x-tenant-id", "acme").build()), "acme",
                    "header X-Tenant-Id");
            assertResolved(resolver.resolve(request().header("X-TENANT-ID", "acme").build()), "acme",
                    "header X-Tenant-Id");
        }

        @Test
        void is_not_applicable_without_the_header() {
            assertNotApplicable(resolver.resolve(request().header("X-Other", "acme").build()));
        }

        @Test
        void rejects_a_malformed_value_instead_of_folding_or_trimming_it() {
            assertMalformed(resolver.resolve(request().header("X-Tenant-Id", "ACME").build()), "upper case");
            assertMalformed(resolver.resolve(request().header("X-Tenant-Id", " acme").build()), "U+0020");
            assertMalformed(resolver.resolve(request().header("X-Tenant-Id", "").build()), "empty");
            assertMalformed(resolver.resolve(request().header("X-Tenant-Id", "../admin").build()), "'.'");
        }

        @Test
        void refuses_a_header_sent_twice_as_a_conflict_whatever_the_values() {
            for (String second : new String[] {"bravo", "acme"}) {
                assertThatThrownBy(() -> resolver.resolve(request().header("X-Tenant-Id", "acme")
                        .header("x-tenant-id", second).build()))
                        .isInstanceOfSatisfying(TenantResolutionException.class,
                                e -> assertThat(e.reason()).isEqualTo(TenantResolutionException.Reason.CONFLICT))
                        .hasMessageContaining("header X-Tenant-Id was sent 2 times");
            }
        }

        @Test
        void needs_a_header_name() {
            assertThatIllegalArgumentException().isThrownBy(() -> TenantResolver.header(" "));
        }
    }

    @Nested
    class Subdomain {

        private final TenantResolver resolver = TenantResolver.subdomain("cards.example.com");

        @ParameterizedTest
        @ValueSource(strings = {"acme.cards.example.com", "acme.cards.example.com:8443", "ACME.Cards.Example.COM",
                "acme.cards.example.com.", "acme.cards.example.com.:443"})
        void reads_the_first_label_ignoring_port_case_and_a_trailing_dot(String host) {
            assertResolved(resolver.resolve(request().host(host).build()), "acme", "subdomain of cards.example.com");
        }

        @ParameterizedTest
        @ValueSource(strings = {"cards.example.com", "cards.example.com:8080", "cards.example.com.",
                "evilcards.example.com", "acme.other.example.com", "example.com", "[::1]:8080", "localhost"})
        void is_not_applicable_for_the_base_domain_itself_and_other_hosts(String host) {
            assertNotApplicable(resolver.resolve(request().host(host).build()));
        }

        @Test
        void is_not_applicable_without_a_host() {
            assertNotApplicable(resolver.resolve(request().build()));
        }

        @Test
        void rejects_nested_labels() {
            Resolution resolution = resolver.resolve(request().host("a.acme.cards.example.com").build());

            assertThat(resolution.outcome()).isEqualTo(Outcome.REJECTED);
            assertThat(resolution.failure()).contains(Reason.MALFORMED);
            assertThat(resolution.reason()).contains("more than one label");
        }

        @Test
        void rejects_a_label_that_is_not_a_tenant_id() {
            assertMalformed(resolver.resolve(request().host("admin.cards.example.com").build()), "reserved");
            assertMalformed(resolver.resolve(request().host("-acme.cards.example.com").build()), "start and end");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", ".cards.example.com", "cards.example.com.", "cards.example.com:443"})
        void refuses_a_base_domain_with_dots_at_the_ends_or_a_port(String base) {
            assertThatIllegalArgumentException().isThrownBy(() -> TenantResolver.subdomain(base));
        }

        @Test
        void compares_the_base_domain_case_insensitively() {
            assertResolved(TenantResolver.subdomain("Cards.Example.com").resolve(request().host("acme.cards.example.com")
                    .build()), "acme", "subdomain of cards.example.com");
        }
    }

    @Nested
    class PathSegment {

        @ParameterizedTest
        @ValueSource(strings = {"/t", "t", "/t/"})
        void reads_the_segment_after_the_prefix_however_the_prefix_is_written(String prefix) {
            TenantResolver resolver = TenantResolver.pathSegment(prefix);

            assertResolved(resolver.resolve(request().path("/t/acme/cards/7").build()), "acme",
                    "path segment after /t");
            assertResolved(resolver.resolve(request().path("/t/acme").build()), "acme", "path segment after /t");
            assertResolved(resolver.resolve(request().path("/t/acme?page=2").build()), "acme",
                    "path segment after /t");
        }

        @ParameterizedTest
        @ValueSource(strings = {"/", "/t", "/t/", "/tx/acme", "/other/t/acme", "/t//acme"})
        void is_not_applicable_outside_the_prefix_or_without_a_segment(String path) {
            assertNotApplicable(TenantResolver.pathSegment("/t").resolve(request().path(path).build()));
        }

        @Test
        void with_the_root_prefix_reads_the_first_segment() {
            TenantResolver resolver = TenantResolver.pathSegment("/");

            assertResolved(resolver.resolve(request().path("/acme/cards").build()), "acme", "path segment after /");
            assertNotApplicable(resolver.resolve(request().path("/").build()));
        }

        @Test
        void rejects_a_segment_that_is_not_a_tenant_id() {
            TenantResolver resolver = TenantResolver.pathSegment("/t");

            assertMalformed(resolver.resolve(request().path("/t/Acme/cards").build()), "upper case");
            assertMalformed(resolver.resolve(request().path("/t/acme;jsessionid=1").build()), "';'");
            assertMalformed(resolver.resolve(request().path("/t/%2e%2e").build()), "'%'");
        }
    }

    @Nested
    class Claim {

        private final TenantResolver resolver = TenantResolver.claim("tenant_id");

        @Test
        void reads_the_tenant_from_the_claim() {
            assertResolved(resolver.resolve(request().claim("tenant_id", "acme").build()), "acme", "claim tenant_id");
        }

        @Test
        void is_not_applicable_without_the_claim_and_claim_names_are_exact() {
            assertNotApplicable(resolver.resolve(request().build()));
            assertNotApplicable(resolver.resolve(request().claim("TENANT_ID", "acme").build()));
        }

        @Test
        void rejects_a_malformed_claim() {
            assertMalformed(resolver.resolve(request().claim("tenant_id", "acme/../bravo").build()), "'/'");
        }

        @Test
        void needs_a_claim_name() {
            assertThatIllegalArgumentException().isThrownBy(() -> TenantResolver.claim(""));
        }
    }

    @Nested
    class Fixed {

        @Test
        void always_names_its_tenant() {
            assertResolved(TenantResolver.fixed(ACME).resolve(request().build()), "acme", "default tenant");
        }
    }

    @Nested
    class Chain {

        private final TenantResolver header = TenantResolver.header("X-Tenant-Id");
        private final TenantResolver claim = TenantResolver.claim("tenant_id");
        private final TenantResolver path = TenantResolver.pathSegment("/t");

        @Test
        void resolves_when_the_sources_that_answer_agree_and_names_the_first_of_them() {
            TenantResolver chain = TenantResolver.chain(header, path, claim);

            assertResolved(chain.resolve(request().path("/t/acme").claim("tenant_id", "acme").build()), "acme",
                    "path segment after /t");
            assertResolved(chain.resolve(request().header("X-Tenant-Id", "acme").path("/t/acme")
                    .claim("tenant_id", "acme").build()), "acme", "header X-Tenant-Id");
        }

        @Test
        void rejects_disagreeing_sources_as_a_conflict_naming_both() {
            Resolution resolution = TenantResolver.chain(header, claim)
                    .resolve(request().header("X-Tenant-Id", "bravo").claim("tenant_id", "acme").build());

            assertThat(resolution.outcome()).isEqualTo(Outcome.REJECTED);
            assertThat(resolution.failure()).contains(Reason.CONFLICT);
            assertThat(resolution.tenant()).isEmpty();
            assertThat(resolution.source()).isEqualTo("header X-Tenant-Id and claim tenant_id");
            assertThatThrownBy(resolution::orThrow).isInstanceOfSatisfying(TenantResolutionException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.CONFLICT))
                    .hasMessageContaining("\"bravo\"").hasMessageContaining("\"acme\"");
        }

        @Test
        void a_rejected_source_rejects_the_chain_whether_it_comes_before_or_after_a_resolved_one() {
            TenantRequest request = request().header("X-Tenant-Id", "ACME").claim("tenant_id", "acme").build();

            assertMalformed(TenantResolver.chain(header, claim).resolve(request), "upper case");
            assertMalformed(TenantResolver.chain(claim, header).resolve(request), "upper case");
            assertMalformed(TenantResolver.chain(claim, header, TenantResolver.fixed(ACME)).resolve(request),
                    "upper case");
        }

        @Test
        void a_fixed_tenant_is_only_a_default_wherever_it_stands_in_the_chain() {
            TenantResolver chain = TenantResolver.chain(TenantResolver.fixed(TenantId.of("shared")), header);

            assertResolved(chain.resolve(request().header("X-Tenant-Id", "acme").build()), "acme",
                    "header X-Tenant-Id");
            assertResolved(chain.resolve(request().build()), "shared", "default tenant");
        }

        @Test
        void is_not_applicable_when_no_source_answers_and_there_is_no_default() {
            assertNotApplicable(TenantResolver.chain(header, claim, path).resolve(request().path("/x").build()));
        }

        @Test
        void needs_at_least_one_resolver_and_no_nulls() {
            assertThatIllegalArgumentException().isThrownBy(TenantResolver::chain);
            assertThatIllegalArgumentException().isThrownBy(() -> TenantResolver.chain(List.of()));
            assertThatNullPointerException().isThrownBy(() -> TenantResolver.chain(header, null));
        }

        @Test
        void a_custom_resolver_takes_part_like_the_built_in_ones() {
            TenantResolver fromQuery = req -> req.path().contains("?tenant=bravo")
                    ? Resolution.resolved(TenantId.of("bravo"), "query parameter tenant") : Resolution.notApplicable();

            Resolution resolution = TenantResolver.chain(header, fromQuery)
                    .resolve(request().header("X-Tenant-Id", "acme").path("/cards?tenant=bravo").build());

            assertThat(resolution.failure()).contains(Reason.CONFLICT);
        }
    }
}
