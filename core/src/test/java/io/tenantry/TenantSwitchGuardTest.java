package io.tenantry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.spi.TenantSwitchGuard;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // scopes in try-with-resources are opened for their effect
class TenantSwitchGuardTest {

    static final TenantId ACME = TenantId.of("acme");
    static final TenantId BRAVO = TenantId.of("bravo");

    private final List<String> seen = new ArrayList<>();
    private TenantSwitchGuard.Registration registration;

    @AfterEach
    void remove_the_guard() {
        if (registration != null) {
            registration.close();
        }
        assertThat(TenantContext.find()).isEmpty();
    }

    private void recording(boolean refuse) {
        registration = TenantContext.addSwitchGuard((bound, next, reason) -> {
            seen.add(bound + "->" + (next != null ? next : "system:" + reason));
            if (refuse) {
                throw new IsolationViolationException("refused " + bound + " -> " + next);
            }
        });
    }

    @Test
    void a_guard_sees_every_switch_away_from_a_bound_tenant_and_nothing_else() {
        recording(false);
        try (TenantScope outer = TenantContext.open(ACME)) {
            TenantContext.runAs(ACME, () -> { });                      // same tenant: not a switch
            TenantContext.runAs(BRAVO, () -> { });                     // a switch
            TenantContext.callAs(BRAVO, () -> 1);                      // a switch
            try (TenantScope system = TenantContext.openSystem("report")) {
                TenantContext.runAs(BRAVO, () -> { });                 // nothing bound under a system scope
            }
        }
        TenantContext.runAs(BRAVO, () -> { });                         // nothing bound before
        assertThat(seen).containsExactly("acme->bravo", "acme->bravo", "acme->system:report");
    }

    @Test
    void a_refusing_guard_leaves_the_bound_tenant_in_place() {
        recording(true);
        TenantContext.runAs(ACME, () -> {
            assertThatThrownBy(() -> TenantContext.runAs(BRAVO, () -> { }))
                    .isInstanceOf(IsolationViolationException.class).hasMessage("refused acme -> bravo");
            assertThatThrownBy(() -> TenantContext.openSystem("report"))
                    .isInstanceOf(IsolationViolationException.class);
            assertThat(TenantContext.current()).isEqualTo(ACME);
            assertThat(TenantContext.isSystem()).isFalse();
        });
    }

    @Test
    void a_closed_registration_is_no_longer_consulted() {
        recording(true);
        registration.close();
        registration.close();
        TenantContext.runAs(ACME, () -> TenantContext.runAs(BRAVO, () -> assertThat(TenantContext.current())
                .isEqualTo(BRAVO)));
        assertThat(seen).isEmpty();
    }
}
