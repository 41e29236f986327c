package io.tenantry.spring.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.Quota;
import io.tenantry.Tenant;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantQuotas;
import io.tenantry.spi.QuotaLedger;
import io.tenantry.spring.TenantryAutoConfiguration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class TenantryQuotaAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TenantryAutoConfiguration.class,
                    TenantryQuotaAutoConfiguration.class))
            .withPropertyValues("tenantry.directory.tenants[0].id=acme", "tenantry.directory.tenants[0].tier=free",
                    "tenantry.routing.default-placement.model=field",
                    "tenantry.routing.default-placement.database=shared");

    @Test
    void isOffByDefaultSoExistingApplicationsRefuseNothing() {
        runner.withPropertyValues("tenantry.quotas.tiers.free.items.cards=1").run(context -> assertThat(context)
                .hasNotFailed().doesNotHaveBean(TenantQuotas.class).doesNotHaveBean(QuotaLedger.class));
    }

    @Test
    void buildsEachTiersQuotasFromTheProperties() {
        runner.withPropertyValues("tenantry.quotas.enabled=true", "tenantry.quotas.tiers.free.items.cards=100",
                "tenantry.quotas.tiers.free.items[fs.files]=5", "tenantry.quotas.tiers.free.bytes=10MB",
                "tenantry.quotas.tiers.free.counters.users=3").run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(QuotaLedger.class);
                    Tenant acme = context.getBean(TenantDirectory.class).require(io.tenantry.TenantId.of("acme"));
                    assertThat(context.getBean(TenantQuotas.class).quotasOf(acme)).containsOnly(
                            Map.entry("items:cards", Quota.items("cards", 100)),
                            Map.entry("items:fs.files", Quota.items("fs.files", 5)),
                            Map.entry("bytes", Quota.bytes(10L * 1024 * 1024)),
                            Map.entry("counter:users", Quota.counter("users", 3)));
                });
    }

    @Test
    void aNegativeLimitStopsStartUpNamingTheProperty() {
        runner.withPropertyValues("tenantry.quotas.enabled=true", "tenantry.quotas.tiers.free.items.cards=-1")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("tenantry.quotas.tiers.free.items.cards")
                        .hasMessageContaining("zero or more"));
    }

    @Test
    void aStoreBackedLedgerWithoutItsWiringStopsStartUpSayingWhatToAdd() {
        runner.withPropertyValues("tenantry.quotas.enabled=true", "tenantry.quotas.ledger=jdbc")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("tenantry.quotas.ledger").hasMessageContaining("tenantry-jdbc"));
    }

    @Test
    void theApplicationsOwnLedgerIsUsed() {
        QuotaLedger own = QuotaLedger.inMemory();
        runner.withPropertyValues("tenantry.quotas.enabled=true").withBean(QuotaLedger.class, () -> own)
                .run(context -> assertThat(context.getBean(TenantQuotas.class).ledger()).isSameAs(own));
    }
}
