package io.tenantry.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import io.tenantry.Placement;
import io.tenantry.RoutingException;
import io.tenantry.Tenant;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantRouter;
import io.tenantry.mongo.TenantMongo;
import io.tenantry.spring.EmbeddedMongo;
import io.tenantry.spring.TenantryAutoConfiguration;
import io.tenantry.spring.actuate.TenantsEndpoint.PhysicalNames;
import io.tenantry.spring.actuate.TenantsEndpoint.PlacementDescriptor;
import io.tenantry.spring.jdbc.TenantryJdbcAutoConfiguration;
import io.tenantry.spring.jdbc.TestPostgres;
import io.tenantry.spring.mongo.TenantryMongoAutoConfiguration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The {@code tenants} endpoint shows where each tenant's data physically is, on whichever adapter serves
 * its store: PostgreSQL alone (without the MongoDB adapter on the class path), or both at once.
 */
class TenantsEndpointPlacementsTest {

    private static TestPostgres postgres;
    private static String control;
    private static String shared;

    @BeforeAll
    static void databases() {
        postgres = TestPostgres.get();
        control = postgres.freshDatabase("endpoint_control");
        shared = postgres.freshDatabase("endpoint_shared");
    }

    private final String prefix = TestPostgres.get().freshPrefix();

    private final ApplicationContextRunner jdbc = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TenantryAutoConfiguration.class,
                    TenantryJdbcAutoConfiguration.class, EndpointAutoConfiguration.class,
                    TenantryEndpointAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=tenants",
                    "spring.datasource.url=" + TestPostgres.get().url(control),
                    "spring.datasource.username=" + TestPostgres.APP_USER,
                    "spring.datasource.password=" + TestPostgres.APP_PASSWORD,
                    "tenantry.jdbc.provision-on-startup=false",
                    "tenantry.directory.tenants[0].id=acme", "tenantry.directory.tenants[0].tier=pro",
                    "tenantry.directory.tenants[1].id=bravo", "tenantry.directory.tenants[1].tier=free",
                    "tenantry.directory.tenants[2].id=carol", "tenantry.directory.tenants[2].tier=enterprise",
                    "tenantry.routing.tiers.free.model=field", "tenantry.routing.tiers.free.database=" + shared,
                    "tenantry.routing.tiers.pro.model=schema", "tenantry.routing.tiers.pro.database=" + shared,
                    "tenantry.routing.tiers.enterprise.model=database", "tenantry.routing.tiers.enterprise.prefix=" + prefix);

    @Test
    void withOnlyThePostgresAdapterEachTenantShowsItsDatabaseAndSchema() {
        jdbc.withClassLoader(new FilteredClassLoader(TenantMongo.class, MongoClient.class)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeanNamesForType(AdapterPlacements.class)).containsExactly("tenantryJdbcPlacements");
            TenantsEndpoint endpoint = context.getBean(TenantsEndpoint.class);

            assertThat(placement(endpoint, "acme")).isEqualTo(new PlacementDescriptor("COLLECTION", "main", shared,
                    new PhysicalNames("jdbc", shared, "tenant_acme", null)));
            assertThat(placement(endpoint, "bravo")).isEqualTo(new PlacementDescriptor("FIELD", "main", shared,
                    new PhysicalNames("jdbc", shared, "public", null)));
            assertThat(placement(endpoint, "carol")).isEqualTo(new PlacementDescriptor("DATABASE", "main", prefix,
                    new PhysicalNames("jdbc", prefix + "carol", null, null)));
            assertThat(endpoint.tenants().tenants()).extracting(TenantsEndpoint.TenantDescriptor::routingError)
                    .containsOnlyNulls();
        });
    }

    @Test
    void withBothAdaptersEachTenantIsNamedByTheAdapterOfItsStore() {
        jdbc.withConfiguration(AutoConfigurations.of(TenantryMongoAutoConfiguration.class))
                .withPropertyValues("tenantry.mongodb.clusters.docs=" + EmbeddedMongo.main().uri(),
                        "tenantry.mongodb.tenant-field=tenantId", "tenantry.mongodb.provision-on-startup=false",
                        "tenantry.directory.tenants[3].id=dora", "tenantry.directory.tenants[3].tier=docs",
                        "tenantry.directory.tenants[4].id=dave", "tenantry.directory.tenants[4].tier=docs-free",
                        "tenantry.directory.tenants[5].id=duke", "tenantry.directory.tenants[5].tier=docs-own",
                        "tenantry.routing.tiers.docs.model=collection", "tenantry.routing.tiers.docs.store=docs",
                        "tenantry.routing.tiers.docs.database=notes",
                        "tenantry.routing.tiers.docs-free.model=field", "tenantry.routing.tiers.docs-free.store=docs",
                        "tenantry.routing.tiers.docs-free.database=notes_shared",
                        "tenantry.routing.tiers.docs-own.model=database", "tenantry.routing.tiers.docs-own.store=docs",
                        "tenantry.routing.tiers.docs-own.prefix=n_")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    TenantsEndpoint endpoint = context.getBean(TenantsEndpoint.class);

                    assertThat(placement(endpoint, "dora").physical())
                            .isEqualTo(new PhysicalNames("mongodb", "notes", null, null));
                    assertThat(placement(endpoint, "dave").physical())
                            .isEqualTo(new PhysicalNames("mongodb", "notes_shared", null, "tenantId"));
                    assertThat(placement(endpoint, "duke").physical())
                            .isEqualTo(new PhysicalNames("mongodb", "n_duke", null, null));
                    assertThat(placement(endpoint, "acme").physical())
                            .isEqualTo(new PhysicalNames("jdbc", shared, "tenant_acme", null));
                    assertThat(placement(endpoint, "carol").physical())
                            .isEqualTo(new PhysicalNames("jdbc", prefix + "carol", null, null));
                });
    }

    @Test
    void aStoreNoAdapterServesHasNoPhysicalNamesAndAnAdapterFailureIsReported() {
        TenantDirectory directory = TenantDirectory.inMemory(Tenant.builder("acme").tier("a").build(),
                Tenant.builder("bravo").tier("b").build());
        TenantRouter router = TenantRouter.builder().tier("a", Placement.schema("main", "app"))
                .tier("b", Placement.schema("elsewhere", "app")).build();
        AdapterPlacements failing = new AdapterPlacements() {
            @Override
            public boolean serves(String store) {
                return store.equals("main");
            }

            @Override
            public PhysicalNames names(TenantId tenant, Placement placement) {
                throw new RoutingException("No JDBC store is named \"main\" here");
            }
        };
        TenantsEndpoint endpoint = new TenantsEndpoint(directory, router, List.of(failing));

        TenantsEndpoint.TenantDescriptor acme = endpoint.tenant("acme");
        assertThat(acme.placement()).isEqualTo(new PlacementDescriptor("COLLECTION", "main", "app", null));
        assertThat(acme.routingError()).contains("No JDBC store");
        assertThat(placement(endpoint, "bravo")).isEqualTo(new PlacementDescriptor("COLLECTION", "elsewhere", "app",
                null));
    }

    private static PlacementDescriptor placement(TenantsEndpoint endpoint, String id) {
        TenantsEndpoint.TenantDescriptor tenant = endpoint.tenant(id);
        assertThat(tenant).as(id).isNotNull();
        assertThat(tenant.routingError()).as(id).isNull();
        return tenant.placement();
    }
}
