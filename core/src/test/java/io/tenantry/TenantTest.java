package io.tenantry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantTest {

    @Test
    void a_new_tenant_is_active_in_the_default_tier_and_named_by_its_id() {
        Tenant tenant = Tenant.builder("acme").build();

        assertThat(tenant.id()).isEqualTo(TenantId.of("acme"));
        assertThat(tenant.name()).isEqualTo("acme");
        assertThat(tenant.status()).isEqualTo(TenantStatus.ACTIVE);
        assertThat(tenant.tier()).isEqualTo(Tenant.DEFAULT_TIER);
        assertThat(tenant.placement()).isEmpty();
        assertThat(tenant.region()).isEmpty();
        assertThat(tenant.attributes()).isEmpty();
        assertThat(tenant.version()).isZero();
        assertThat(tenant.updatedAt()).isEqualTo(tenant.createdAt());
    }

    @Test
    void the_builder_validates_the_id_and_the_tier() {
        assertThatIllegalArgumentException().isThrownBy(() -> Tenant.builder("Acme"));
        assertThatIllegalArgumentException().isThrownBy(() -> Tenant.builder("acme").tier(" "));
    }

    @Test
    void to_builder_copies_every_value_and_leaves_the_original_unchanged() {
        Placement pinned = Placement.database("vip", "vip_");
        Instant created = Instant.parse("2026-01-01T00:00:00Z");
        Tenant original = Tenant.builder("acme").name("Acme Cards").status(TenantStatus.READ_ONLY).tier("enterprise")
                .placement(pinned).region("eu").attribute("plan", "annual").createdAt(created)
                .updatedAt(created.plusSeconds(60)).version(7).build();

        Tenant copy = original.toBuilder().build();
        Tenant changed = original.toBuilder().tier("free").placement(null).region(null).attribute("seats", "5")
                .build();

        assertThat(copy).isEqualTo(original).hasSameHashCodeAs(original);
        assertThat(copy.name()).isEqualTo("Acme Cards");
        assertThat(copy.placement()).contains(pinned);
        assertThat(copy.createdAt()).isEqualTo(created);
        assertThat(copy.updatedAt()).isEqualTo(created.plusSeconds(60));
        assertThat(copy.version()).isEqualTo(7);
        assertThat(changed.tier()).isEqualTo("free");
        assertThat(changed.placement()).isEmpty();
        assertThat(changed.region()).isEmpty();
        assertThat(changed.attributes()).containsOnly(Map.entry("plan", "annual"), Map.entry("seats", "5"));
        assertThat(original.tier()).isEqualTo("enterprise");
        assertThat(original.attributes()).containsOnly(Map.entry("plan", "annual"));
        assertThat(changed).isNotEqualTo(original);
    }

    @Test
    void attributes_are_an_unmodifiable_copy() {
        Map<String, String> given = new HashMap<>(Map.of("plan", "annual"));
        Tenant tenant = Tenant.builder("acme").attributes(given).build();

        given.put("plan", "monthly");

        assertThat(tenant.attributes()).containsOnly(Map.entry("plan", "annual"));
        assertThatThrownBy(() -> tenant.attributes().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void tenants_differing_in_status_or_version_are_not_equal() {
        Tenant tenant = Tenant.builder("acme").build();

        assertThat(tenant.toBuilder().status(TenantStatus.SUSPENDED).build()).isNotEqualTo(tenant);
        assertThat(tenant.toBuilder().version(1).build()).isNotEqualTo(tenant);
    }
}
