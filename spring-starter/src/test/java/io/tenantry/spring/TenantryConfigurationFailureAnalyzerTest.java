package io.tenantry.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.spring.mongo.TenantryMongoAutoConfiguration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class TenantryConfigurationFailureAnalyzerTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TenantryAutoConfiguration.class,
                    TenantryMongoAutoConfiguration.class))
            .withPropertyValues("tenantry.mongodb.clusters.main=" + EmbeddedMongo.main().uri(),
                    "tenantry.mongodb.tenant-field=tenantId");

    @Test
    void tierNamingAnUnknownClusterSaysWhichClusterToAdd() {
        FailureAnalysis analysis = analyze("tenantry.routing.tiers.enterprise.model=database",
                "tenantry.routing.tiers.enterprise.store=dedicated", "tenantry.routing.tiers.enterprise.prefix=t_");
        assertThat(analysis.getDescription()).contains("Property: tenantry.routing.tiers.enterprise.store")
                .contains("Value: \"dedicated\"").contains("no adapter has a store named \"dedicated\"")
                .contains("MongoDB clusters [main]");
        assertThat(analysis.getAction()).contains("tenantry.mongodb.clusters.dedicated=");
    }

    @Test
    void fieldModelWithoutTenantFieldAsksForTheField() {
        FailureAnalysis analysis = analysisOf(new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TenantryAutoConfiguration.class,
                        TenantryMongoAutoConfiguration.class))
                .withPropertyValues("tenantry.mongodb.clusters.main=" + EmbeddedMongo.main().uri(),
                        "tenantry.routing.tiers.free.model=field", "tenantry.routing.tiers.free.database=shared"));
        assertThat(analysis.getDescription()).contains("Property: tenantry.mongodb.tenant-field")
                .contains("Value: (not set)").contains("field model");
        assertThat(analysis.getAction()).contains("Set tenantry.mongodb.tenant-field").contains("user_id");
    }

    @Test
    void aTenantWhoseTierHasNoRuleNamesTheTiersPropertyAndHowToPinIt() {
        FailureAnalysis analysis = analyze("tenantry.directory.tenants[0].id=acme",
                "tenantry.directory.tenants[0].tier=gold");
        assertThat(analysis.getDescription()).contains("Property: tenantry.routing.tiers.gold")
                .contains("tenant \"acme\" of tier \"gold\" has no placement");
        assertThat(analysis.getAction()).contains("tenantry.routing.tiers.gold.model=")
                .contains("tenantry.routing.default-placement").contains("tenantry.directory.tenants[n].placement");
    }

    @Test
    void aPinnedPlacementPlacesATenantThatNoRuleMatches() {
        runner.withPropertyValues("tenantry.directory.tenants[0].id=acme", "tenantry.directory.tenants[0].tier=gold",
                "tenantry.directory.tenants[0].placement.model=database",
                "tenantry.directory.tenants[0].placement.prefix=pin_")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(io.tenantry.TenantRouter.class)
                            .route(context.getBean(io.tenantry.TenantDirectory.class).require(
                                    io.tenantry.TenantId.of("acme"))))
                            .isEqualTo(io.tenantry.Placement.database("main", "pin_"));
                });
    }

    @Test
    void malformedDefaultTenantQuotesTheRules() {
        FailureAnalysis analysis = analyze("tenantry.resolution.default-tenant=Acme");
        assertThat(analysis.getDescription()).contains("Property: tenantry.resolution.default-tenant")
                .contains("Value: \"Acme\"").contains("did you mean \"acme\"");
        assertThat(analysis.getAction()).contains("id of a tenant in the catalogue");
    }

    @Test
    void defaultTenantMissingFromTheCatalogueSaysToListIt() {
        FailureAnalysis analysis = analyze("tenantry.resolution.default-tenant=acme",
                "tenantry.directory.tenants[0].id=bravo");
        assertThat(analysis.getDescription()).contains("not in the catalogue");
        assertThat(analysis.getAction()).contains("Add a tenant with id \"acme\" to tenantry.directory.tenants");
    }

    @Test
    void placementWithoutModelOrDatabaseNamesTheMissingProperty() {
        assertThat(analyze("tenantry.routing.tiers.free.database=shared").getDescription())
                .contains("Property: tenantry.routing.tiers.free.model");
        assertThat(analyze("tenantry.routing.tiers.free.model=collection").getDescription())
                .contains("Property: tenantry.routing.tiers.free.database").contains("shared database");
        assertThat(analyze("tenantry.routing.tiers.big.model=database", "tenantry.routing.tiers.big.prefix=Big")
                .getDescription()).contains("Property: tenantry.routing.tiers.big.prefix").contains("Lower case");
    }

    @Test
    void subdomainSourceWithoutBaseDomainAsksForIt() {
        FailureAnalysis analysis = analyze("tenantry.resolution.chain=subdomain");
        assertThat(analysis.getDescription()).contains("Property: tenantry.resolution.base-domain");
        assertThat(analysis.getAction()).isEqualTo("Set tenantry.resolution.base-domain.");
    }

    @Test
    void malformedTenantInTheCatalogueAndDuplicateIdsAreReported() {
        assertThat(analyze("tenantry.directory.tenants[0].id=acme", "tenantry.directory.tenants[1].id=a.b")
                .getDescription()).contains("Property: tenantry.directory.tenants[1].id").contains("'.'");
        assertThat(analyze("tenantry.directory.tenants[0].id=acme", "tenantry.directory.tenants[1].id=acme")
                .getDescription()).contains("listed twice");
    }

    @Test
    void badClusterConnectionStringIsReported() {
        FailureAnalysis analysis = analyze("tenantry.mongodb.clusters.main=localhost:27017");
        assertThat(analysis.getDescription()).contains("Property: tenantry.mongodb.clusters.main");
        assertThat(analysis.getAction()).contains("mongodb://host:27017");
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void isRegisteredSoThatSpringBootPrintsTheReportAtStartUp(CapturedOutput output) {
        SpringApplication application = new SpringApplicationBuilder(BareApplication.class)
                .web(WebApplicationType.NONE).properties("tenantry.resolution.default-tenant=Acme").build();
        assertThatThrownBy(application::run).hasRootCauseInstanceOf(InvalidTenantryConfigurationException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Tenantry is misconfigured: Invalid tenant id \"Acme\"")
                .contains("Property: tenantry.resolution.default-tenant");
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(TenantryAutoConfiguration.class)
    static class BareApplication {
    }

    private FailureAnalysis analyze(String... properties) {
        return analysisOf(runner.withPropertyValues(properties));
    }

    /** Starts the context, expects it to fail, and returns the analyzer's report of the failure. */
    static FailureAnalysis analysisOf(ApplicationContextRunner runner) {
        AtomicReference<FailureAnalysis> analysis = new AtomicReference<>();
        runner.run(context -> {
            assertThat(context).hasFailed();
            analysis.set(new TenantryConfigurationFailureAnalyzer().analyze(context.getStartupFailure()));
            assertThat(analysis.get()).as("analysis of %s", context.getStartupFailure()).isNotNull();
        });
        return analysis.get();
    }
}
