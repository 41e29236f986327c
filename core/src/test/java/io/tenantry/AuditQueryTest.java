package io.tenantry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.AuditEvent.Kind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AuditQueryTest {

    private static final Instant T0 = Instant.parse("2024-03-05T10:00:00Z");
    private static final TenantId ACME = TenantId.of("acme");

    private static AuditEvent event(Kind kind, TenantId tenant, Instant at) {
        return new AuditEvent(kind, tenant, "", "t", at);
    }

    @Test
    @DisplayName("all() matches every event, newest 100; each narrowing returns a new query")
    void allAndNarrowing() {
        AuditQuery all = AuditQuery.all();
        assertThat(all.limit()).isEqualTo(AuditQuery.DEFAULT_LIMIT).isEqualTo(100);
        assertThat(all.tenant()).isEmpty();
        assertThat(all.kinds()).isEmpty();
        assertThat(all.from()).isEmpty();
        assertThat(all.to()).isEmpty();
        assertThat(all.matches(event(Kind.SYSTEM_SCOPE_OPENED, null, T0))).isTrue();

        AuditQuery narrowed = all.tenant(ACME).kinds(Kind.TENANT_MOVED, Kind.TENANT_CREATED).from(T0).to(T0.plusSeconds(1))
                .limit(5);
        assertThat(all).isEqualTo(AuditQuery.all());
        assertThat(narrowed.kinds()).containsExactly(Kind.TENANT_CREATED, Kind.TENANT_MOVED);
        assertThat(narrowed).isEqualTo(AuditQuery.all().limit(5).to(T0.plusSeconds(1)).from(T0)
                .kinds(List.of(Kind.TENANT_CREATED, Kind.TENANT_MOVED)).tenant(ACME));
        assertThat(narrowed.toString()).contains("acme", "TENANT_MOVED", "limit=5");
    }

    @Test
    @DisplayName("matches: the tenant's events only (no system event), the kinds, from inclusive, to exclusive")
    void matches() {
        AuditQuery query = AuditQuery.all().tenant(ACME).kinds(Kind.TENANT_CREATED).from(T0).to(T0.plusSeconds(1));
        assertThat(query.matches(event(Kind.TENANT_CREATED, ACME, T0))).isTrue();
        assertThat(query.matches(event(Kind.TENANT_CREATED, ACME, T0.plusSeconds(1).minusNanos(1)))).isTrue();
        assertThat(query.matches(event(Kind.TENANT_CREATED, ACME, T0.plusSeconds(1)))).isFalse();
        assertThat(query.matches(event(Kind.TENANT_CREATED, ACME, T0.minusNanos(1)))).isFalse();
        assertThat(query.matches(event(Kind.TENANT_CREATED, TenantId.of("acme1"), T0))).isFalse();
        assertThat(query.matches(event(Kind.TENANT_CREATED, null, T0))).isFalse();
        assertThat(query.matches(event(Kind.TENANT_DELETED, ACME, T0))).isFalse();
    }

    @Test
    @DisplayName("a limit is 1 to 10,000, and a kinds filter names at least one kind")
    void bounds() {
        assertThat(AuditQuery.all().limit(1).limit()).isEqualTo(1);
        assertThat(AuditQuery.all().limit(AuditQuery.MAX_LIMIT).limit()).isEqualTo(10_000);
        assertThatThrownBy(() -> AuditQuery.all().limit(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 to 10000");
        assertThatThrownBy(() -> AuditQuery.all().limit(10_001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditQuery.all().kinds(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one kind");
        assertThatThrownBy(() -> AuditQuery.all().tenant(null)).isInstanceOf(NullPointerException.class);
    }
}
