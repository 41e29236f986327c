package io.tenantry.spring.metering;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.tenantry.Placement;
import io.tenantry.TenantId;
import io.tenantry.TenantMetering;
import io.tenantry.TenantUsage;
import io.tenantry.spi.UsageHistory;
import io.tenantry.spi.UsageMeter;
import io.tenantry.spring.InvalidTenantryConfigurationException;
import io.tenantry.spring.TenantryAutoConfiguration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Which metering beans exist by tenantry.metering.*, and the start-up checks of the properties. */
class TenantryMeteringAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TenantryAutoConfiguration.class,
                    TenantryMeteringAutoConfiguration.class))
            .withPropertyValues("tenantry.directory.tenants[0].id=acme", "tenantry.directory.tenants[1].id=bravo",
                    "tenantry.directory.tenants[2].id=gone", "tenantry.directory.tenants[2].status=deleted",
                    "tenantry.routing.default-placement.model=field",
                    "tenantry.routing.default-placement.database=app",
                    "tenantry.metering.initial-delay=1h");

    /** A meter that counts each tenant's measurements: acme has 1 card at its first, 2 at its second, ... */
    @Configuration(proxyBeanMethods = false)
    static class CountingMeter {
        final AtomicLong calls = new AtomicLong();

        @Bean
        UsageMeter countingMeter() {
            return new UsageMeter() {
                @Override
                public boolean serves(Placement placement) {
                    return true;
                }

                @Override
                public TenantUsage measure(TenantId tenant, Placement placement) {
                    return new TenantUsage(tenant, placement, Map.of("cards",
                            new TenantUsage.Resource(calls.incrementAndGet(), 100)), Instant.now());
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class InMemoryHistory {
        @Bean
        UsageHistory usageHistory() {
            return UsageHistory.inMemory();
        }
    }

    @Test
    @DisplayName("with an adapter's meter: TenantMetering, snapshot, job and gauges; no history for a catalogue in properties")
    void wiresMeteringOverTheMeters() {
        runner.withUserConfiguration(CountingMeter.class).run(context -> {
            assertThat(context).hasSingleBean(TenantMetering.class).hasSingleBean(MeteringSnapshot.class)
                    .hasSingleBean(MeteringJob.class).hasBean("tenantryMeteringGauges")
                    .doesNotHaveBean(UsageHistory.class);
            assertThat(context.getBean(MeteringSnapshot.class).all()).as("initial delay of an hour").isEmpty();
            assertThat(context.getBean(MeteringJob.class).run()).isTrue();
            MeteringSnapshot snapshot = context.getBean(MeteringSnapshot.class);
            assertThat(snapshot.all()).as("deleted tenants are not measured")
                    .containsOnlyKeys(TenantId.of("acme"), TenantId.of("bravo"));
            assertThat(snapshot.usage(TenantId.of("acme")).orElseThrow().placement())
                    .isEqualTo(Placement.field("main", "app"));
            assertThat(snapshot.measuredAt()).isPresent();
            assertThat(context.getBean(MeterBinder.class)).isInstanceOf(MeteringGauges.class);
        });
    }

    @Test
    @DisplayName("without Micrometer, metering works and there are no gauges")
    void withoutMicrometer() {
        runner.withUserConfiguration(CountingMeter.class).withClassLoader(new FilteredClassLoader(MeterBinder.class))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(MeteringJob.class)
                            .doesNotHaveBean("tenantryMeteringGauges");
                    assertThat(context.getBean(MeteringJob.class).run()).isTrue();
                });
    }

    @Test
    @DisplayName("an application's UsageHistory bean keeps every run's measurements, whatever the catalogue")
    void anApplicationsHistoryIsUsed() {
        runner.withUserConfiguration(CountingMeter.class, InMemoryHistory.class).run(context -> {
            MeteringJob job = context.getBean(MeteringJob.class);
            job.run();
            job.run();
            UsageHistory history = context.getBean(UsageHistory.class);
            assertThat(history.find(TenantId.of("acme"), Instant.EPOCH, Instant.now().plusSeconds(1), 10))
                    .extracting(u -> u.items("cards")).hasSize(2).isSorted();
            assertThat(history.find(TenantId.of("bravo"), Instant.EPOCH, Instant.now().plusSeconds(1), 10)).hasSize(2);
        });
        runner.withUserConfiguration(CountingMeter.class, InMemoryHistory.class)
                .withPropertyValues("tenantry.metering.history.enabled=false").run(context -> {
                    context.getBean(MeteringJob.class).run();
                    assertThat(context.getBean(UsageHistory.class).find(TenantId.of("acme"), Instant.EPOCH,
                            Instant.now().plusSeconds(1), 10)).isEmpty();
                });
    }

    @Test
    @DisplayName("off without an adapter's meter, and with tenantry.metering.enabled=false")
    void offWithoutAMeterOrWhenDisabled() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(TenantMetering.class)
                .doesNotHaveBean(MeteringJob.class));
        runner.withUserConfiguration(CountingMeter.class).withPropertyValues("tenantry.metering.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(TenantMetering.class)
                        .doesNotHaveBean(MeteringSnapshot.class));
    }

    @Test
    @DisplayName("a history asked for with no store to keep it in, and malformed settings, stop the start-up with a report")
    void startUpChecks() {
        runner.withUserConfiguration(CountingMeter.class).withPropertyValues("tenantry.metering.history.enabled=true")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(InvalidTenantryConfigurationException.class)
                        .hasMessageContaining("tenantry.metering.history.enabled")
                        .hasMessageContaining("tenantry.directory.source=properties"));
        for (String bad : new String[] {"tenantry.metering.parallelism=0", "tenantry.metering.interval=0s",
            "tenantry.metering.history.retention=-1d", "tenantry.metering.initial-delay=-1s",
            "tenantry.metering.max-tagged-tenants=-1"}) {
            runner.withUserConfiguration(CountingMeter.class).withPropertyValues(bad)
                    .run(context -> assertThat(context).as(bad).getFailure().rootCause()
                            .isInstanceOf(InvalidTenantryConfigurationException.class)
                            .hasMessageContaining(bad.substring(0, bad.indexOf('='))));
        }
    }
}
