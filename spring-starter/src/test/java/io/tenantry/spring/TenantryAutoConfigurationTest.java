package io.tenantry.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.CachingTenantDirectory;
import io.tenantry.Placement;
import io.tenantry.Resolution;
import io.tenantry.Tenant;
import io.tenantry.TenantAdmission;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantRequest;
import io.tenantry.TenantResolutionException;
import io.tenantry.TenantResolver;
import io.tenantry.TenantRouter;
import io.tenantry.TenantStatus;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class TenantryAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TenantryAutoConfiguration.class));

    @Test
    void wiresResolverDirectoryRouterAndAdmissionFromProperties() {
        runner.withPropertyValues(
                "tenantry.directory.tenants[0].id=acme", "tenantry.directory.tenants[0].tier=enterprise",
                "tenantry.directory.tenants[0].name=Acme Corp", "tenantry.directory.tenants[0].region=eu",
                "tenantry.directory.tenants[1].id=bravo", "tenantry.directory.tenants[1].status=suspended",
                "tenantry.routing.tiers.enterprise.model=database", "tenantry.routing.tiers.enterprise.prefix=t_",
                "tenantry.routing.regions.eu.model=database", "tenantry.routing.regions.eu.store=eu",
                "tenantry.routing.regions.eu.prefix=eu_",
                "tenantry.routing.default-placement.model=field",
                "tenantry.routing.default-placement.database=shared")
                .run(context -> {
                    assertThat(context).hasSingleBean(TenantResolver.class).hasSingleBean(TenantAdmission.class);
                    TenantDirectory directory = context.getBean(TenantDirectory.class);
                    assertThat(directory).isInstanceOf(CachingTenantDirectory.class);
                    Tenant acme = directory.require(TenantId.of("acme"));
                    assertThat(acme.name()).isEqualTo("Acme Corp");
                    assertThat(acme.region()).contains("eu");
                    assertThat(directory.require(TenantId.of("bravo")).status()).isEqualTo(TenantStatus.SUSPENDED);
                    TenantRouter router = context.getBean(TenantRouter.class);
                    assertThat(router.route(acme)).isEqualTo(Placement.database("eu", "eu_"));
                    assertThat(router.route(directory.require(TenantId.of("bravo"))))
                            .isEqualTo(Placement.field("main", "shared"));
                });
    }

    @Test
    void defaultChainReadsTheHeaderAndTheClaimAndRefusesDisagreement() {
        runner.run(context -> {
            TenantResolver resolver = context.getBean(TenantResolver.class);
            assertThat(resolver.resolve(TenantRequest.builder().header("X-Tenant-Id", "acme").build()).tenant())
                    .contains(TenantId.of("acme"));
            assertThat(resolver.resolve(TenantRequest.builder().claim("tenant_id", "acme").build()).tenant())
                    .contains(TenantId.of("acme"));
            Resolution forged = resolver.resolve(TenantRequest.builder().header("X-Tenant-Id", "bravo")
                    .claim("tenant_id", "acme").build());
            assertThat(forged.failure()).contains(TenantResolutionException.Reason.CONFLICT);
        });
    }

    @Test
    void chainOfSubdomainAndPathWithRenamedSourcesAndDefaultTenant() {
        runner.withPropertyValues("tenantry.resolution.chain=subdomain,path", "tenantry.resolution.base-domain=cards.example",
                "tenantry.resolution.path-prefix=/t", "tenantry.resolution.default-tenant=acme",
                "tenantry.directory.tenants[0].id=acme")
                .run(context -> {
                    TenantResolver resolver = context.getBean(TenantResolver.class);
                    assertThat(resolver.resolve(TenantRequest.builder().host("bravo.cards.example:8080").build())
                            .tenant()).contains(TenantId.of("bravo"));
                    assertThat(resolver.resolve(TenantRequest.builder().path("/t/carol/cards").build()).tenant())
                            .contains(TenantId.of("carol"));
                    assertThat(resolver.resolve(TenantRequest.builder().header("X-Tenant-Id", "dave").build())
                            .tenant()).contains(TenantId.of("acme"));
                });
    }

    @Test
    void cacheCanBeTurnedOff() {
        runner.withPropertyValues("tenantry.directory.cache.enabled=false")
                .run(context -> assertThat(context.getBean(TenantDirectory.class))
                        .isNotInstanceOf(CachingTenantDirectory.class));
    }

    @Test
    void backsOffForTheApplicationsOwnBeans() {
        runner.withUserConfiguration(OwnBeans.class).run(context -> {
            assertThat(context.getBean(TenantResolver.class)).isSameAs(OwnBeans.RESOLVER);
            assertThat(context.getBean(TenantDirectory.class)).isSameAs(OwnBeans.DIRECTORY);
            assertThat(context.getBean(TenantRouter.class)).isSameAs(OwnBeans.ROUTER);
            assertThat(context.getBean(TenantAdmission.class)).isSameAs(OwnBeans.ADMISSION);
        });
    }

    @Test
    void noPropertiesDirectoryWhenTheSourceIsMongodbAndTheAdapterIsMissing() {
        runner.withClassLoader(new FilteredClassLoader("io.tenantry.mongo"))
                .withPropertyValues("tenantry.directory.source=mongodb").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(InvalidTenantryConfigurationException.class)
                    .hasMessageContaining("tenantry.directory.source").hasMessageContaining("io.tenantry:tenantry-mongo");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        static final TenantResolver RESOLVER = TenantResolver.header("X-Org");
        static final TenantDirectory DIRECTORY = TenantDirectory.inMemory();
        static final TenantRouter ROUTER = tenant -> Placement.field("main", "db");
        static final TenantAdmission ADMISSION = TenantAdmission.of(RESOLVER, DIRECTORY);

        @Bean
        TenantResolver ownResolver() {
            return RESOLVER;
        }

        @Bean
        TenantDirectory ownDirectory() {
            return DIRECTORY;
        }

        @Bean
        TenantRouter ownRouter() {
            return ROUTER;
        }

        @Bean
        TenantAdmission ownAdmission() {
            return ADMISSION;
        }
    }
}
