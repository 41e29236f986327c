package io.tenantry.jdbc;

import io.tenantry.jdbc.DifferentialSchema.Column;
import io.tenantry.jdbc.DifferentialSchema.Table;
import io.tenantry.jdbc.DifferentialSchema.Type;
import io.tenantry.jdbc.SqlStatementGenerator.Col;
import io.tenantry.jdbc.SqlStatementGenerator.Cte;
import io.tenantry.jdbc.SqlStatementGenerator.Query;
import io.tenantry.jdbc.SqlStatementGenerator.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The writes of {@link SqlStatementGenerator}: INSERT ({@link SqlInsertGenerator}), UPDATE (also FROM
 * and row assignments), DELETE (also USING), RETURNING, MERGE and data-modifying CTEs, and now and
 * then a hostile statement aimed at another tenant's rows or at the shared reference table. Their
 * effects do not depend on the plan: an UPDATE ... FROM joins a key, so that each target row meets at
 * most one source row, and unique values are rewritten with the statement's token, so never into one
 * another.
 */
final class SqlWriteGenerator {

    /** A foreign key: the referencing table and column, and the table it references (by its first column). */
    private record Reference(String table, String column, String parent) {
    }

    private static final List<Reference> REFERENCES = List.of(new Reference("players", "team_id", "teams"),
            new Reference("players", "mentor_id", "players"), new Reference("cards", "player_id", "players"),
            new Reference("cards", "rarity", "rarities"), new Reference("trades", "card_id", "cards"));

    /** Per table, a derived table with one row per id of the table: what an UPDATE ... FROM may read. */
    private static final Map<String, String> SUMMARIES = Map.of(
            "teams", "(SELECT team_id AS k, count(*) AS n, max(score) AS m FROM players GROUP BY team_id)",
            "players", "(SELECT player_id AS k, count(*) AS n, sum(price) AS m FROM cards GROUP BY player_id)",
            "cards", "(SELECT card_id AS k, count(*) AS n, sum(qty) AS m FROM trades GROUP BY card_id)",
            "trades", "(SELECT id AS k, length(coalesce(note, '')) AS n, qty AS m FROM trades)");

    private final SqlStatementGenerator g;
    private final SqlExpressionGenerator ex;
    private final SqlInsertGenerator inserts;
    /** The output columns of the last RETURNING clause made, empty if none. */
    private List<Col> returned = List.of();

    SqlWriteGenerator(SqlStatementGenerator generator) {
        this.g = generator;
        this.ex = generator.expressions;
        this.inserts = new SqlInsertGenerator(generator, this);
    }

    String write() {
        int roll = g.percent();
        Table table = g.pick(DifferentialSchema.TENANT_TABLES);
        if (roll < 34) {
            return inserts.insert(table, roll);
        }
        if (roll < 56) {
            return update(table, false);
        }
        if (roll < 74) {
            return delete(table, false);
        }
        if (roll < 88) {
            return writableCte(table);
        }
        return merge();
    }

    private static Table table(String name) {
        return DifferentialSchema.ALL.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    String returning(Table table, String alias, boolean always) {
        return returning(table, alias, always, false);
    }

    /**
     * A RETURNING clause, or none. With {@code joined} (UPDATE ... FROM, DELETE ... USING) no bare star
     * (its output would take the other items' columns too, which {@link #returned} does not describe) and
     * qualified columns only.
     */
    private String returning(Table table, String alias, boolean always, boolean joined) {
        returned = List.of();
        if (!always && g.percent() < 70) {
            return "";
        }
        String qualifier = alias != null ? alias : table.name();
        List<Col> columns = new ArrayList<>();
        table.columns().forEach(c -> columns.add(new Col(null, c.name(), c.type(), c.domain())));
        int roll = g.random.nextInt(4);
        if (roll == 1 || (roll == 0 && !joined)) {
            returned = columns;
            return roll == 0 ? " RETURNING *" : " RETURNING " + qualifier + ".*";
        }
        returned = List.of(columns.get(0));
        String id = joined ? qualifier + ".id" : "id";
        if (roll < 3) {
            return " RETURNING " + id;
        }
        Column other = g.pick(table.columns());
        returned = List.of(columns.get(0), new Col(null, "r", other.type(), null));
        return " RETURNING " + id + ", " + (joined ? qualifier + "." + other.name()
                : ex.expr(SqlStatementGenerator.scopeOf(table, qualifier), other.type(), 1, null)) + " AS r";
    }

    /** UPDATE, sometimes FROM a parent table or a per-key summary, so that each row meets one source row. */
    String update(Table table, boolean returning) {
        String alias = g.percent() < 60 ? g.alias() : null;
        String qualifier = alias != null ? alias : table.name();
        Scope scope = SqlStatementGenerator.scopeOf(table, qualifier);
        String from = "";
        String join = null;
        if (g.percent() < 25) {
            String source = g.alias();
            List<Reference> parents = REFERENCES.stream().filter(r -> r.table().equals(table.name())).toList();
            if (!parents.isEmpty() && g.random.nextBoolean()) {
                Reference parent = g.pick(parents);
                Table parentTable = table(parent.parent());
                from = " FROM " + parentTable.name() + " " + source;
                SqlStatementGenerator.scopeOf(parentTable, source).columns.forEach(scope.columns::add);
                join = qualifier + "." + parent.column() + " = " + source + "." + parentTable.columns().get(0).name();
            } else {
                from = " FROM " + SUMMARIES.get(table.name()) + " AS " + source;
                scope.columns.add(new Col(source, "n", Type.INT, null));
                Type sum = table == DifferentialSchema.PLAYERS ? Type.NUM : Type.INT;
                scope.columns.add(new Col(source, "m", sum, null));
                join = source + ".k = " + qualifier + ".id";
            }
        }
        List<Column> targets = new ArrayList<>();
        List<Column> columns = new ArrayList<>(table.columns());
        int count = 1 + (g.percent() < 30 ? 1 : 0);
        for (int i = 0; i < count; i++) {
            Column column = columns.remove(g.random.nextInt(columns.size()));
            if (!column.name().equals("id") || g.percent() < 20) {
                targets.add(column);
            }
        }
        if (targets.isEmpty()) {
            targets.add(table.columns().get(table.columns().size() - 1));
        }
        List<String> sets = new ArrayList<>();
        boolean unique = targets.stream().anyMatch(c -> SqlInsertGenerator.unique(table, c));
        if (targets.size() == 2 && !unique && g.percent() < 20) {
            // SET (a, b) = (SELECT x, y ...): a row from a subquery, NULLs if it has none; never of a unique
            // column, where values moving between rows would make the outcome depend on the order of updates
            Query row = g.select(scope, 1, targets.stream().map(Column::type).toList(), false, true);
            sets.add("(" + targets.get(0).name() + ", " + targets.get(1).name() + ") = (" + row.sql() + ")");
        } else if (targets.size() == 2 && g.percent() < 25) {
            sets.add("(" + targets.get(0).name() + ", " + targets.get(1).name() + ") = ("
                    + assignment(table, targets.get(0), qualifier, scope) + ", "
                    + assignment(table, targets.get(1), qualifier, scope) + ")");
        } else {
            targets.forEach(c -> sets.add(c.name() + " = " + assignment(table, c, qualifier, scope)));
        }
        String where = g.percent() < 85 ? ex.condition(scope, 1, null) : null;
        return "UPDATE " + g.written(table) + (alias == null ? "" : " " + alias) + " SET " + String.join(", ", sets)
                + from + where(join, where) + returning(table, alias, returning, join != null);
    }

    private static String where(String join, String condition) {
        String both = join == null ? condition : condition == null ? join : join + " AND " + condition;
        return both == null ? "" : " WHERE " + both;
    }

    private String assignment(Table table, Column column, String qualifier, Scope scope) {
        String ref = ex.ref(scope, new Col(qualifier, column.name(), column.type(), column.domain()));
        if (SqlInsertGenerator.unique(table, column)) {
            return g.percent() < 85 ? ref + " || " + g.value(g.token) : inserts.newValue(table, column);
        }
        if (column.domain() != null || g.percent() < 30) {
            return inserts.newValue(table, column);
        }
        if (column.name().equals("qty")) {
            return ref + " + " + g.value(g.random.nextInt(-1, 3));
        }
        return ex.expr(scope, column.type(), 1, null);
    }

    /** DELETE, sometimes USING a parent or a child table; now and then of all the tenant's rows. */
    String delete(Table table, boolean returning) {
        String alias = g.percent() < 60 ? g.alias() : null;
        String qualifier = alias != null ? alias : table.name();
        Scope scope = SqlStatementGenerator.scopeOf(table, qualifier);
        String using = "";
        String join = null;
        List<Reference> references = REFERENCES.stream()
                .filter(r -> r.table().equals(table.name()) || r.parent().equals(table.name())).toList();
        if (g.percent() < 20 && !references.isEmpty()) {
            Reference reference = g.pick(references);
            String source = g.alias();
            boolean parent = reference.table().equals(table.name());
            Table other = table(parent ? reference.parent() : reference.table());
            using = " USING " + other.name() + " " + source;
            SqlStatementGenerator.scopeOf(other, source).columns.forEach(scope.columns::add);
            String key = other.columns().get(0).name();
            join = parent ? qualifier + "." + reference.column() + " = " + source + "." + key
                    : source + "." + reference.column() + " = " + qualifier + "." + table.columns().get(0).name();
        }
        String where = g.percent() < 88 ? ex.condition(scope, 1, null) : null;
        return "DELETE FROM " + g.written(table) + (alias == null ? "" : " " + alias) + using + where(join, where)
                + returning(table, alias, returning, join != null);
    }

    /** A data-modifying WITH query and a statement after it, which may read what it returned. */
    private String writableCte(Table table) {
        String body = switch (g.random.nextInt(3)) {
            case 0 -> inserts.insertValues(table, true);
            case 1 -> update(table, true);
            default -> delete(table, true);
        };
        String name = g.cteName();
        g.ctes.add(new Cte(name, returned));
        String with = "WITH " + name + " AS (" + body + ") ";
        int roll = g.percent();
        // PostgreSQL runs a WITH write and the statement after it in an order of its own, so the second
        // write must not meet the first one's rows, not even through a foreign key's check or action:
        // trades and teams or players never do (cascades from teams and players stop at cards)
        List<Table> unrelated = table == DifferentialSchema.TRADES
                ? List.of(DifferentialSchema.TEAMS, DifferentialSchema.PLAYERS)
                : table == DifferentialSchema.CARDS ? List.of() : List.of(DifferentialSchema.TRADES);
        if (roll < 55 || unrelated.isEmpty()) {
            return with + (g.percent() < 40 ? "SELECT count(*) FROM " + name : g.query(null, 2, null, true).sql());
        }
        Table next = g.pick(unrelated);
        if (roll < 75) {
            return with + update(next, false);
        }
        if (roll < 90) {
            return with + delete(next, false);
        }
        return with + inserts.insertSelect(next);
    }

    /** MERGE into teams or players from a VALUES list or a query. */
    private String merge() {
        boolean teams = g.random.nextBoolean();
        String target = g.alias();
        String source = g.alias();
        StringBuilder sql = new StringBuilder("MERGE INTO "
                + g.written(teams ? DifferentialSchema.TEAMS : DifferentialSchema.PLAYERS) + " " + target + " USING ");
        List<Object> ids = new ArrayList<>();
        if (teams) {
            if (g.percent() < 30) {
                // the source a tenant table too: its rows are the tenant's, each matching itself
                Scope scope = SqlStatementGenerator.scopeOf(DifferentialSchema.TEAMS, source);
                SqlStatementGenerator.scopeOf(DifferentialSchema.TEAMS, target).columns.forEach(scope.columns::add);
                return sql + "teams " + source + " ON " + target + ".id = " + source + ".id WHEN MATCHED AND "
                        + ex.condition(scope, 1, null) + " THEN UPDATE SET city = "
                        + ex.expr(scope, Type.TEXT, 1, null);
            }
            StringJoiner rows = new StringJoiner(", ", "(VALUES ", ") AS " + source + "(id, name, city)");
            for (int i = 1 + g.random.nextInt(3); i > 0; i--) {
                Object id = ex.domainValue("team");
                if (!ids.contains(id)) {
                    ids.add(id);
                    String name = g.pick(DifferentialSchema.TEAM_NAMES) + g.token + i;
                    rows.add("(" + g.value(id) + ", " + g.value(name) + ", " + g.value(ex.plainValue(Type.TEXT)) + ")");
                }
            }
            sql.append(rows).append(" ON ").append(target).append(".id = ").append(source).append(".id");
            sql.append(" WHEN MATCHED").append(g.percent() < 30 ? " AND " + target + ".city IS NOT NULL" : "")
                    .append(g.percent() < 25 ? " THEN DELETE" : " THEN UPDATE SET city = " + source + ".city");
            // not DO NOTHING: JSqlParser cannot read it, so Tenantry refuses it
            if (g.percent() < 75) {
                sql.append(" WHEN NOT MATCHED THEN INSERT (id, name, city) VALUES (").append(source).append(".id, ")
                        .append(source).append(".name, ").append(source).append(".city)");
            }
            return sql.toString();
        }
        if (g.random.nextBoolean()) {
            sql.append("(SELECT player_id AS id, count(*) AS n FROM cards WHERE player_id IS NOT NULL")
                    .append(" GROUP BY player_id) AS ").append(source);
        } else {
            StringJoiner rows = new StringJoiner(", ", "(VALUES ", ") AS " + source + "(id, n)");
            for (int i = 1 + g.random.nextInt(3); i > 0; i--) {
                Object id = ex.domainValue("player");
                if (!ids.contains(id)) {
                    ids.add(id);
                    rows.add("(" + g.value(id) + ", " + g.value(g.random.nextInt(5)) + ")");
                }
            }
            sql.append(rows);
        }
        Scope scope = SqlStatementGenerator.scopeOf(DifferentialSchema.PLAYERS, target);
        scope.columns.add(new Col(source, "n", Type.INT, null));
        sql.append(" ON ").append(target).append(".id = ").append(source).append(".id");
        sql.append(" WHEN MATCHED").append(g.percent() < 30 ? " AND " + ex.condition(scope, 0, null) : "")
                .append(" THEN UPDATE SET score = coalesce(").append(target).append(".score, 0) + ").append(source)
                .append(".n");
        if (g.percent() < 70) {
            sql.append(" WHEN NOT MATCHED THEN INSERT (id, team_id, name, score) VALUES (").append(source)
                    .append(".id, ")
                    .append(g.value(ex.domainValue("team"))).append(", 'New', ").append(source).append(".n)");
        }
        return sql.toString();
    }

    /** A statement aimed past the tenant: at another tenant's rows through the tenant column, or at shared data. */
    String hostile() {
        String other = g.pick(DifferentialSchema.TENANTS.subList(1, 3));
        String bound = DifferentialSchema.TENANTS.get(0);
        return switch (g.random.nextInt(9)) {
            case 0 -> "INSERT INTO teams (tenant_id, id, name) VALUES (" + g.value(other) + ", 'h1', 'Evil')";
            case 1 -> "UPDATE players SET tenant_id = " + g.value(other) + " WHERE id = 'p1'";
            case 2 -> "DELETE FROM cards WHERE tenant_id = " + g.value(other);
            case 3 -> "UPDATE teams SET city = 'Evil' WHERE tenant_id <> " + g.value(bound);
            case 4 -> "SELECT * FROM teams WHERE tenant_id = " + g.value(other);
            case 5 -> "INSERT INTO rarities (code, weight) VALUES ('mythic', 500)";
            case 6 -> "UPDATE rarities SET weight = weight + 1";
            case 7 -> "DELETE FROM rarities WHERE code = 'common'";
            default -> "SELECT count(*) FROM players p WHERE p.tenant_id IS DISTINCT FROM " + g.value(bound);
        };
    }
}
