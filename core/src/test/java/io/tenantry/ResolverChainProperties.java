package io.tenantry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.Resolution.Outcome;
import io.tenantry.TenantResolutionException.Reason;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ResolverChainProperties {

    static final TenantResolver HEADER = TenantResolver.header("X-Tenant-Id");
    static final TenantResolver CLAIM = TenantResolver.claim("tenant_id");
    static final TenantResolver DEFAULT = TenantResolver.fixed(TenantId.of("shared"));

    /** The chains that must all treat header and claim alike, whatever the order and with or without a default. */
    static final List<TenantResolver> CHAINS = List.of(TenantResolver.chain(HEADER, CLAIM),
            TenantResolver.chain(CLAIM, HEADER), TenantResolver.chain(DEFAULT, HEADER, CLAIM),
            TenantResolver.chain(HEADER, DEFAULT, CLAIM));

    record Pair(String header, String claim) {
        TenantRequest request() {
            return TenantRequest.builder().header("X-Tenant-Id", header).claim("tenant_id", claim).build();
        }
    }

    @Test
    void a_header_and_a_claim_naming_different_tenants_are_always_a_conflict() {
        Property.forAll(1_000, List.of(new Pair("a", "b"), new Pair("acme", "acme-1"), new Pair("a_b", "a-b")),
                ResolverChainProperties::distinctPair, pair -> {
                    for (TenantResolver chain : CHAINS) {
                        Resolution resolution = chain.resolve(pair.request());
                        assertThat(resolution.outcome()).isEqualTo(Outcome.REJECTED);
                        assertThat(resolution.failure()).contains(Reason.CONFLICT);
                        assertThatThrownBy(resolution::orThrow).isInstanceOfSatisfying(
                                TenantResolutionException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CONFLICT));
                    }
                });
    }

    @Test
    void a_header_and_a_claim_naming_the_same_tenant_resolve_to_it() {
        Property.forAll(1_000, Gens::validId, id -> {
            Pair pair = new Pair(id, id);
            for (TenantResolver chain : CHAINS) {
                assertThat(chain.resolve(pair.request()).orThrow()).isEqualTo(TenantId.of(id));
            }
        });
    }

    static Pair distinctPair(SplittableRandom random) {
        String header = Gens.validId(random);
        String claim = random.nextInt(4) == 0 && header.length() > 1
                ? header.substring(0, header.length() - 1) + (header.endsWith("a") ? "b" : "a")
                : Gens.validId(random);
        return header.equals(claim) || !TenantId.isValid(claim) ? distinctPair(random) : new Pair(header, claim);
    }
}
