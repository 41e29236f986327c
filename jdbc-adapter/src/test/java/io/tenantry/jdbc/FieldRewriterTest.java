package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.IsolationViolationException;
import io.tenantry.jdbc.FieldCatalogue.TenantTable;
import io.tenantry.tck.Trials;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The FIELD model's rewriting, statement by statement, without a server: what reaches the driver. */
class FieldRewriterTest {

    private static final String CARDS = "(SELECT \"id\", \"name\", \"team_id\" FROM \"public\".\"cards\" WHERE"
            + " \"tenant_id\" = CAST(NULLIF(current_setting('tenantry.tenant', true), '') AS text))";
    private static final String TEAMS = "(SELECT \"id\", \"name\" FROM \"public\".\"teams\" WHERE"
            + " \"tenant_id\" = CAST(NULLIF(current_setting('tenantry.tenant', true), '') AS uuid))";
    private static final String TEXT_TENANT = "CAST(NULLIF(current_setting('tenantry.tenant', true), '') AS text)";

    private final FieldRewriter rewriter = new FieldRewriter(new FieldCatalogue("public", "tenant_id", Map.of(
            "cards", new TenantTable("cards", List.of("id", "name", "team_id"), "text"),
            "teams", new TenantTable("teams", List.of("id", "name"), "uuid")), Set.of("countries")));

    private String rewrite(String sql) {
        return rewriter.rewrite(sql).sql();
    }

    @Test
    void aReadBecomesASubqueryOfTheTenantsRowsWithoutTheTenantColumn() {
        assertThat(rewrite("SELECT * FROM cards WHERE id = ?")).isEqualTo("SELECT * FROM " + CARDS + " cards WHERE id = ?");
    }

    @Test
    void theNullableSideOfAnOuterJoinIsFilteredBeforeTheJoinNotAfterIt() {
        assertThat(rewrite("SELECT c.name, t.name FROM cards c LEFT JOIN teams t ON t.id = c.team_id"))
                .isEqualTo("SELECT c.name, t.name FROM " + CARDS + " c LEFT JOIN " + TEAMS + " t ON t.id = c.team_id");
    }

    @Test
    void subqueriesAreConfinedWhereverTheyStand() {
        assertThat(rewrite("SELECT CASE WHEN EXISTS (SELECT 1 FROM teams) THEN 1 END,"
                + " coalesce((SELECT max(name) FROM cards), 'x') FROM countries WHERE code = ANY (SELECT name FROM cards)"))
                .isEqualTo("SELECT CASE WHEN EXISTS (SELECT 1 FROM " + TEAMS + " teams) THEN 1 END, coalesce((SELECT"
                        + " max(name) FROM " + CARDS + " cards), 'x') FROM countries WHERE code = ANY(SELECT name FROM "
                        + CARDS + " cards)");
    }

    @Test
    void insertsGetTheTenantColumnOnEveryRowAndConflictTargetsLeadWithIt() {
        assertThat(rewrite("INSERT INTO cards (id, name) VALUES (?, ?), (?, 'b') ON CONFLICT (id) DO UPDATE"
                + " SET name = excluded.name RETURNING *"))
                .isEqualTo("INSERT INTO cards (id, name, \"tenant_id\") VALUES (?, ?, " + TEXT_TENANT + "), (?, 'b', "
                        + TEXT_TENANT + ") ON CONFLICT (  \"tenant_id\", id )  DO UPDATE SET name = excluded.name"
                        + " RETURNING cards.\"id\", cards.\"name\", cards.\"team_id\"");
        assertThat(rewrite("INSERT INTO cards VALUES (?, ?, ?)")).isEqualTo("INSERT INTO cards (\"id\", \"name\","
                + " \"team_id\", \"tenant_id\") VALUES (?, ?, ?, " + TEXT_TENANT + ")");
    }

    @Test
    void updatesAndDeletesGetTheConditionOnTheirTargetAndTheirUsingTables() {
        assertThat(rewrite("UPDATE cards c SET name = ? FROM teams t WHERE t.id = c.team_id"))
                .isEqualTo("UPDATE cards c SET name = ? FROM " + TEAMS + " t WHERE (t.id = c.team_id) AND"
                        + " c.\"tenant_id\" = " + TEXT_TENANT);
        assertThat(rewrite("DELETE FROM cards USING teams WHERE cards.team_id = teams.id")).contains(
                "teams.\"tenant_id\" = CAST(NULLIF(current_setting('tenantry.tenant', true), '') AS uuid)",
                "cards.\"tenant_id\" = " + TEXT_TENANT);
    }

    @Test
    void returningStarTakesEveryItemsColumnsQualifiedAndNeverTheTenantColumn() {
        assertThat(rewrite("UPDATE cards c SET name = ? FROM teams t WHERE t.id = c.team_id RETURNING *"))
                .endsWith("RETURNING c.\"id\", c.\"name\", c.\"team_id\", t.\"id\", t.\"name\"");
        assertThat(rewrite("DELETE FROM cards c USING countries WHERE c.name = countries.code RETURNING c.*"))
                .endsWith("RETURNING c.\"id\", c.\"name\", c.\"team_id\"");
        assertThat(rewrite("DELETE FROM cards c USING countries WHERE c.name = countries.code RETURNING *"))
                .endsWith("RETURNING c.\"id\", c.\"name\", c.\"team_id\", countries.*");
    }

    @Test
    void theTextIsTheSameForEveryTenantSoPreparedStatementsAreShared() {
        assertThat(rewrite("SELECT name FROM cards WHERE id = ?")).doesNotContain("acme").contains("current_setting");
    }

    @Test
    void aTenantValueTheCallerGivesIsKeptForCheckingNotTrusted() {
        FieldRewriter.Rewrite rewrite = rewriter.rewrite("INSERT INTO cards (tenant_id, id) VALUES (?, ?), ('acme', ?)");
        assertThat(rewrite.tenantParameters()).containsExactly(1);
        assertThat(rewrite.tenantLiterals()).containsExactly("acme");
    }

    @Test
    void placeholdersKeepTheirOrderOrTheStatementIsRefused() {
        assertThat(rewrite("SELECT * FROM cards WHERE name = ? LIMIT ? OFFSET ?")).endsWith("name = ? LIMIT ? OFFSET ?");
        assertThatThrownBy(() -> rewrite("SELECT * FROM cards OFFSET ? LIMIT ?"))
                .isInstanceOf(IsolationViolationException.class).hasMessageContaining("LIMIT before OFFSET");
    }

    @Test
    void statementsThatNameNoTenantTablePassAsWritten() {
        String sql = "SELECT /* a comment */ now(), code FROM countries WHERE code = $$fr$$";
        assertThat(rewrite(sql)).isSameAs(sql);
    }

    @Test
    void quotedCollationsAndLiteralsSurviveTheParser() {
        assertThat(rewrite("SELECT name FROM cards WHERE name > E'a\\'b' ORDER BY name COLLATE \"C\""))
                .isEqualTo("SELECT name FROM " + CARDS + " cards WHERE name > 'a''b' ORDER BY name COLLATE \"C\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "UPDATE cards SET tenant_id = 'b'",
        "INSERT INTO cards (id) VALUES ('x') ON CONFLICT (id) DO UPDATE SET tenant_id = 'b'",
        "MERGE INTO cards c USING teams t ON c.id = t.id WHEN MATCHED THEN UPDATE SET tenant_id = 'b'",
        "WITH cards AS (SELECT 1) SELECT * FROM cards",
        "INSERT INTO countries VALUES ('x')",
        "TRUNCATE cards",
        "TABLE cards",
        "SELECT nextval('s') FROM cards",
        "INSERT INTO cards (tenant_id, id) SELECT tenant_id, id FROM cards",
        "SELECT FROM WHERE cards",
        "SELECT name FROM tenantry_collation_0 WHERE name > 'a' COLLATE \"cards\""
    })
    void whatCannotBeProvenConfinedIsRefused(String sql) {
        assertThatThrownBy(() -> rewrite(sql)).isInstanceOf(IsolationViolationException.class)
                .hasMessageStartingWith("Refused the SQL \"");
    }

    @Test
    void everyStringFormReachesTheParserAsTheValuePostgresqlReads() {
        Trials.forAll("a literal in any quoting keeps its value through the rewriting", Trials.defaultTries() * 2,
                random -> {
                    StringBuilder value = new StringBuilder();
                    String alphabet = "ab'\\$ ?;-/*\"\n";
                    for (int i = random.nextInt(8) + 1; i > 0; i--) {
                        value.append(alphabet.charAt(random.nextInt(alphabet.length())));
                    }
                    String text = value.toString();
                    String literal = switch (random.nextInt(3)) {
                        case 0 -> "'" + text.replace("'", "''") + "'";
                        case 1 -> "E'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'";
                        default -> "$q$" + text + "$q$";
                    };
                    return List.of(text, literal);
                }, input -> {
            String text = input.get(0);
            String literal = input.get(1);
            if (text.contains("\\'")) {
                assertThatThrownBy(() -> rewrite("SELECT name FROM cards WHERE name = " + literal))
                        .hasMessageContaining("a backslash followed by a quote");
                return;
            }
            String rewritten = rewrite("SELECT name FROM cards WHERE name = " + literal);
            List<SqlLexer.Token> strings = SqlLexer.tokens(rewritten).stream()
                    .filter(t -> t.kind() == SqlLexer.Kind.STRING && !t.text().startsWith("'tenantry") && !t.text().equals("''"))
                    .toList();
            assertThat(strings).hasSize(1);
            String read = strings.get(0).text();
            assertThat(read.substring(1, read.length() - 1).replace("''", "'")).isEqualTo(text);
        });
    }
}
