package io.tenantry;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.tenantry.archfixture.ReachesForJdbc;
import io.tenantry.spi.archfixture.ReachesForDataSource;
import io.tenantry.spi.AuditSink;
import org.junit.jupiter.api.Test;

/** Core never imports an adapter, Spring or a store driver; the SPI neither. */
class CoreArchitectureTest {

    static final String[] ADAPTERS_FRAMEWORKS_AND_DRIVERS = {"io.tenantry.mongo..", "io.tenantry.jdbc..",
        "io.tenantry.spring..", "org.springframework..", "com.mongodb..", "org.bson..", "java.sql..", "javax.sql.."};

    /** Core's own main classes: test classes (the fixtures below among them) are left out. */
    static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tenantry");

    static final ArchRule CORE_IS_FREE_OF_ADAPTERS = noClasses().that().resideInAPackage("io.tenantry..")
            .should().dependOnClassesThat().resideInAnyPackage(ADAPTERS_FRAMEWORKS_AND_DRIVERS)
            .because("core is plain Java: store and Spring code belongs in an adapter or the starter");

    static final ArchRule SPI_IS_FREE_OF_ADAPTERS = noClasses().that().resideInAPackage("io.tenantry.spi..")
            .should().dependOnClassesThat().resideInAnyPackage(ADAPTERS_FRAMEWORKS_AND_DRIVERS)
            .because("adapters implement the SPI, so the SPI cannot know any of them");

    static final ArchRule CORE_USES_ONLY_ITS_DECLARED_DEPENDENCIES = classes().that().resideInAPackage("io.tenantry..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("io.tenantry..", "java..",
                    "org.slf4j..", "com.github.benmanes.caffeine..", "org.jspecify..")
            .because("core depends on the JDK, SLF4J, Caffeine and JSpecify only");

    @Test
    void the_rules_see_cores_own_classes_and_not_the_test_fixtures() {
        assertThat(CORE.contain(TenantContext.class)).isTrue();
        assertThat(CORE.contain(AuditSink.class)).isTrue();
        assertThat(CORE.stream().map(JavaClass::getName)).noneMatch(name -> name.contains("archfixture"))
                .noneMatch(name -> name.endsWith("Test"));
    }

    @Test
    void core_depends_on_no_adapter_framework_or_driver() {
        CORE_IS_FREE_OF_ADAPTERS.check(CORE);
    }

    @Test
    void the_spi_depends_on_no_adapter_framework_or_driver() {
        SPI_IS_FREE_OF_ADAPTERS.check(CORE);
    }

    @Test
    void core_uses_only_its_declared_dependencies() {
        CORE_USES_ONLY_ITS_DECLARED_DEPENDENCIES.check(CORE);
    }

    @Test
    void the_rules_catch_a_class_that_reaches_for_a_store() {
        JavaClasses offenders = new ClassFileImporter().importClasses(ReachesForJdbc.class, ReachesForDataSource.class);

        assertThatThrownBy(() -> CORE_IS_FREE_OF_ADAPTERS.check(offenders)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("java.sql.Connection").hasMessageContaining("javax.sql.DataSource");
        assertThatThrownBy(() -> SPI_IS_FREE_OF_ADAPTERS.check(offenders)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("javax.sql.DataSource")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("java.sql.Connection"));
        assertThatThrownBy(() -> CORE_USES_ONLY_ITS_DECLARED_DEPENDENCIES.check(offenders))
                .isInstanceOf(AssertionError.class).hasMessageContaining("javax.sql.DataSource");
    }
}
