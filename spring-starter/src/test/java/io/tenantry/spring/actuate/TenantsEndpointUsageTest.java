package io.tenantry.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantRouter;
import io.tenantry.TenantUsage;
import io.tenantry.spi.UsageHistory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

/** The usage history read operation of the tenants endpoint, its answers and refusals. */
class TenantsEndpointUsageTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

    private final TenantDirectory directory = TenantDirectory.inMemory(Tenant.builder(ACME).build());
    private final TenantRouter router = TenantRouter.builder().otherwise(Placement.field("main", "app")).build();

    private static UsageHistory historyOfThree() {
        UsageHistory history = UsageHistory.inMemory();
        for (int i = 0; i < 3; i++) {
            history.record(new TenantUsage(ACME, Placement.field("main", "app"),
                    Map.of("cards", new TenantUsage.Resource(i, 100L * i)), T0.plusSeconds(i)));
        }
        return history;
    }

    @Test
    @DisplayName("lists the latest measurements of a window, oldest first, with each table's part")
    void listsTheWindow() {
        TenantsEndpoint endpoint = new TenantsEndpoint(directory, router, List.of(), null, null, historyOfThree(), null);
        TenantsEndpoint.UsageHistoryDescriptor all = endpoint.usage("acme", "usage", null, null, null);
        assertThat(all.measurements()).extracting(TenantsEndpoint.UsageDescriptor::items).containsExactly(0L, 1L, 2L);
        assertThat(all.measurements().get(2)).isEqualTo(new TenantsEndpoint.UsageDescriptor(2, 200,
                T0.plusSeconds(2).toString(), "field(main, app)",
                Map.of("cards", new TenantsEndpoint.ResourceUsage(2, 200))));
        assertThat(endpoint.usage("acme", "usage", T0.plusSeconds(1).toString(), null, 1).measurements())
                .extracting(TenantsEndpoint.UsageDescriptor::items).containsExactly(2L);
        assertThat(endpoint.usage("acme", "usage", null, T0.plusSeconds(2).toString(), null).measurements())
                .extracting(TenantsEndpoint.UsageDescriptor::items).containsExactly(0L, 1L);
    }

    @Test
    @DisplayName("404 for another segment, a malformed id or an unknown tenant; 400 for a bad query or no history")
    void refusals() {
        TenantsEndpoint endpoint = new TenantsEndpoint(directory, router, List.of(), null, null, historyOfThree(), null);
        assertThat(endpoint.usage("acme", "sizes", null, null, null)).isNull();
        assertThat(endpoint.usage("Not An Id", "usage", null, null, null)).isNull();
        assertThat(endpoint.usage("bravo", "usage", null, null, null)).isNull();
        for (Runnable bad : List.<Runnable>of(() -> endpoint.usage("acme", "usage", null, null, 0),
                () -> endpoint.usage("acme", "usage", null, null, UsageHistory.MAX_LIMIT + 1),
                () -> endpoint.usage("acme", "usage", "yesterday", null, null),
                () -> endpoint.usage("acme", "usage", T0.toString(), T0.minusSeconds(1).toString(), null))) {
            assertThatThrownBy(bad::run).isInstanceOf(InvalidEndpointRequestException.class);
        }
        TenantsEndpoint withoutHistory = new TenantsEndpoint(directory, router, List.of(), null, null, null, null);
        assertThatThrownBy(() -> withoutHistory.usage("acme", "usage", null, null, null))
                .isInstanceOf(InvalidEndpointRequestException.class).hasMessageContaining("no usage history");
        assertThat(withoutHistory.tenant("acme").usage()).as("no metering, no usage").isNull();
    }
}
