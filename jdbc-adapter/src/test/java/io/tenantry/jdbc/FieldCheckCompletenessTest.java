package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.IsolationViolationException;
import io.tenantry.jdbc.FieldCatalogue.TenantTable;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import net.sf.jsqlparser.schema.Table;
import org.junit.jupiter.api.Test;

/**
 * Completeness of the FIELD model by reflection over the parser's whole model: the check that refuses
 * unconfined tenant tables walks every field of every class of JSqlParser's syntax tree that could
 * hold a table, so a clause the rewriting does not know cannot carry a tenant table past it.
 */
class FieldCheckCompletenessTest {

    private final FieldRewriter rewriter = new FieldRewriter(new FieldCatalogue("public", "tenant_id",
            Map.of("cards", new TenantTable("cards", List.of("id", "name"), "text")), Set.of()));

    @Test
    void theCheckWalksEveryFieldOfTheParsersTreeThatCouldHoldATable() throws Exception {
        List<Class<?>> classes = parserModel();
        assertThat(classes).hasSizeGreaterThan(300);
        List<String> unwalked = new ArrayList<>();
        int walked = 0;
        for (Class<?> type : classes) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                Class<?> declared = field.getType();
                boolean cannotHoldATable = declared.isPrimitive() || declared == String.class || declared.isEnum()
                        || Number.class.isAssignableFrom(declared) || declared == Boolean.class
                        || declared.getName().startsWith("net.sf.jsqlparser.parser.");
                if (cannotHoldATable) {
                    continue;
                }
                walked++;
                if (!FieldCheck.walkedFields(type).contains(field)) {
                    unwalked.add(type.getName() + "." + field.getName());
                }
            }
        }
        assertThat(walked).isGreaterThan(400);
        assertThat(unwalked).isEmpty();
    }

    @Test
    void statementsOtherThanQueriesAndDataChangesAreRefused() {
        for (String sql : List.of("UPSERT INTO cards (id) VALUES ('x')", "REPLACE INTO cards (id) VALUES ('x')",
                "CREATE TABLE x AS SELECT * FROM cards", "ALTER TABLE cards ADD COLUMN x int", "EXEC cards",
                "COMMENT ON TABLE cards IS 'x'", "GRANT SELECT ON cards TO PUBLIC", "DROP TABLE cards")) {
            assertThatThrownBy(() -> rewriter.rewrite(sql)).as(sql).isInstanceOf(IsolationViolationException.class);
        }
    }

    @Test
    void aTenantTableInAPlaceTheRewritingDoesNotConfineIsRefusedByTheCheck() {
        // SELECT ... INTO holds its target in a list of tables, not a FROM item: nothing wraps it
        assertThatThrownBy(() -> rewriter.rewrite("SELECT 1 INTO cards FROM (SELECT 1) x"))
                .isInstanceOf(IsolationViolationException.class)
                .hasMessageContaining("could not confine its reference to the tenant table cards");
    }

    @Test
    void aColumnQualifierIsNotATableReference() {
        assertThat(rewriter.rewrite("SELECT cards.name, cards.* FROM cards FOR UPDATE OF cards").sql())
                .startsWith("SELECT cards.name, cards.* FROM (SELECT");
    }

    /** Every class of JSqlParser's syntax tree: its statement, expression and schema packages. */
    private static List<Class<?>> parserModel() throws IOException, URISyntaxException, ClassNotFoundException {
        Path jar = Path.of(Table.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> classes = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                boolean model = name.startsWith("net/sf/jsqlparser/statement/")
                        || name.startsWith("net/sf/jsqlparser/expression/") || name.startsWith("net/sf/jsqlparser/schema/");
                if (model && name.endsWith(".class")) {
                    classes.add(Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false,
                            Table.class.getClassLoader()));
                }
            }
        }
        return classes;
    }
}
