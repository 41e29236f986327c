package io.tenantry.jdbc;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The JDBC adapter imports no framework and no other adapter, and shows only the types a user names. */
class JdbcArchitectureTest {

    private static final JavaClasses ADAPTER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tenantry.jdbc");

    @Test
    void the_adapter_depends_on_no_framework_and_no_other_adapter() {
        assertThat(ADAPTER.contain(TenantJdbc.class)).isTrue();
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "io.tenantry.mongo..",
                "io.tenantry.spring..", "com.mongodb..", "org.bson..")
                .because("adapters never import Spring or each other (DESIGN.md, Modules)").check(ADAPTER);
    }

    @Test
    void the_public_surface_is_what_a_user_names() {
        Set<String> publicTypes = ADAPTER.stream().filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC))
                .map(JavaClass::getName).map(name -> name.substring("io.tenantry.jdbc.".length()))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        assertThat(publicTypes).containsExactlyInAnyOrder("TenantJdbc", "TenantJdbc$Builder", "JdbcStore",
                "JdbcStore$Builder", "JdbcTenantDirectory", "JdbcProvisioning", "ProvisioningListener",
                "ProvisioningProgress", "ProvisioningReport", "JdbcStoreHealth", "JdbcPoolUsage", "JdbcLifecycleJournal",
                "JdbcAuditLog", "JdbcUsageHistory", "JdbcQuotaLedger");
    }
}
