package io.tenantry.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tenantry.Tenant;
import io.tenantry.TenantId;
import io.tenantry.TenantResolutionException;
import io.tenantry.TenantStatus;
import io.tenantry.TenantUnavailableException;
import io.tenantry.UnknownTenantException;
import io.tenantry.spring.EmbeddedMongo;
import io.tenantry.spring.TenantryAutoConfiguration;
import io.tenantry.spring.mongo.TenantryMongoAutoConfiguration;
import io.tenantry.spring.web.TenantRequestListener;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.mock.web.MockHttpServletRequest;

class TenantryActuatorAutoConfigurationTest {

    private final ApplicationContextRunner endpoint = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TenantryAutoConfiguration.class, EndpointAutoConfiguration.class,
                    TenantryEndpointAutoConfiguration.class))
            .withPropertyValues("tenantry.directory.tenants[0].id=acme");

    private final ApplicationContextRunner health = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TenantryAutoConfiguration.class,
                    TenantryMongoAutoConfiguration.class, TenantryHealthAutoConfiguration.class))
            .withPropertyValues("tenantry.mongodb.clusters.main=" + EmbeddedMongo.main().uri(),
                    "tenantry.mongodb.clusters.dedicated=" + EmbeddedMongo.dedicated().uri());

    private final WebApplicationContextRunner metrics = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TenantryMetricsAutoConfiguration.class));

    @Test
    void tenantsEndpointIsThereWhenExposedOrAccessible() {
        endpoint.withPropertyValues("management.endpoints.web.exposure.include=tenants").run(context -> {
            TenantsEndpoint tenants = context.getBean(TenantsEndpoint.class);
            assertThat(tenants.tenants().tenants()).extracting(TenantsEndpoint.TenantDescriptor::id).containsExactly("acme");
            assertThat(tenants.tenant("acme").routingError()).contains("No placement");
            assertThat(tenants.tenant("Not-An-Id")).isNull();
        });
        endpoint.run(context -> assertThat(context).doesNotHaveBean(TenantsEndpoint.class));
        endpoint.withPropertyValues("management.endpoints.web.exposure.include=tenants",
                "management.endpoints.web.exposure.exclude=tenants")
                .run(context -> assertThat(context).doesNotHaveBean(TenantsEndpoint.class));
        endpoint.withClassLoader(new FilteredClassLoader(org.springframework.boot.actuate.endpoint.annotation.Endpoint.class))
                .withPropertyValues("management.endpoints.web.exposure.include=tenants")
                .run(context -> assertThat(context).doesNotHaveBean(TenantsEndpoint.class));
    }

    @Test
    void healthPingsEveryClusterAndCanBeTurnedOff() {
        health.run(context -> {
            CompositeHealthContributor clusters = context.getBean("tenantryMongoHealthContributor",
                    CompositeHealthContributor.class);
            assertThat(((HealthIndicator) clusters.getContributor("main")).health().getStatus()).isEqualTo(Status.UP);
            assertThat(((HealthIndicator) clusters.getContributor("dedicated")).health().getStatus())
                    .isEqualTo(Status.UP);
        });
        health.withPropertyValues("management.health.tenantry.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("tenantryMongoHealthContributor"));
        health.withPropertyValues("tenantry.mongodb.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("tenantryMongoHealthContributor"));
    }

    @Test
    void requestMetricsNeedAMeterRegistryAndCanBeTurnedOff() {
        metrics.run(context -> assertThat(context).doesNotHaveBean(TenantRequestListener.class));
        metrics.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> assertThat(context).hasSingleBean(TenantRequestListener.class));
        metrics.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("tenantry.metrics.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(TenantRequestListener.class));
        metrics.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(context -> assertThat(context).doesNotHaveBean(TenantRequestListener.class));
    }

    @Test
    void tenantTagsAreBoundedAndUnknownIdsNeverTakeASlot() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TenantRequestMetrics requests = new TenantRequestMetrics(registry, 2);
        MockHttpServletRequest request = new MockHttpServletRequest();
        for (String id : new String[] {"acme", "bravo", "carol", "acme", "dave"}) {
            requests.admitted(request, Tenant.builder(id).build());
        }
        requests.refused(request, new UnknownTenantException(TenantId.of("made-up")));
        requests.refused(request, new TenantResolutionException(TenantResolutionException.Reason.CONFLICT, "x"));
        requests.refused(request, new TenantUnavailableException(TenantId.of("bravo"), TenantStatus.READ_ONLY, "x"));

        assertThat(registry.get("tenantry.requests").tag("tenant", "acme").counter().count()).isEqualTo(2);
        assertThat(registry.get("tenantry.requests").tag("tenant", "bravo").tag("outcome", "admitted").counter()
                .count()).isEqualTo(1);
        assertThat(registry.get("tenantry.requests").tag("tenant", "bravo").tag("outcome", "read-only").counter()
                .count()).isEqualTo(1);
        assertThat(registry.get("tenantry.requests").tag("tenant", "other").counter().count()).isEqualTo(2);
        assertThat(registry.get("tenantry.requests").tag("tenant", "none").tag("outcome", "unknown").counter()
                .count()).isEqualTo(1);
        assertThat(registry.get("tenantry.requests").tag("outcome", "conflict").counter().count()).isEqualTo(1);
        assertThat(registry.find("tenantry.requests").tag("tenant", "made-up").counters()).isEmpty();
        assertThat(registry.get("tenantry.requests").counters()).extracting(c -> c.getId().getTag("tenant"))
                .containsOnly("acme", "bravo", "other", "none");
    }
}
