package io.tenantry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TenantUnavailableExceptionTest {

    static Tenant tenant(TenantStatus status) {
        return Tenant.builder("acme").status(status).build();
    }

    @Test
    void an_active_tenant_may_read_and_write() {
        assertThatCode(() -> TenantUnavailableException.check(tenant(TenantStatus.ACTIVE), false))
                .doesNotThrowAnyException();
        assertThatCode(() -> TenantUnavailableException.check(tenant(TenantStatus.ACTIVE), true))
                .doesNotThrowAnyException();
    }

    @Test
    void a_read_only_tenant_may_read_but_not_write() {
        assertThatCode(() -> TenantUnavailableException.check(tenant(TenantStatus.READ_ONLY), false))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> TenantUnavailableException.check(tenant(TenantStatus.READ_ONLY), true))
                .isInstanceOf(TenantUnavailableException.class)
                .hasMessage("Tenant \"acme\" is read-only (it is being moved or backed up); retry the write later.");
    }

    @ParameterizedTest
    @CsvSource({
            "SUSPENDED, false, is suspended", "SUSPENDED, true, is suspended",
            "DELETED, false, is deleted", "DELETED, true, is deleted"})
    void a_suspended_or_deleted_tenant_may_do_nothing(TenantStatus status, boolean write, String says) {
        assertThatThrownBy(() -> TenantUnavailableException.check(tenant(status), write))
                .isInstanceOfSatisfying(TenantUnavailableException.class, e -> {
                    assertThat(e.tenantId()).isEqualTo(TenantId.of("acme"));
                    assertThat(e.status()).isEqualTo(status);
                })
                .isInstanceOf(TenantryException.class)
                .hasMessageContaining("Tenant \"acme\" " + says);
    }
}
