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
 * The writes of {@link SqlStatementGenerator}: INSERT (VALUES, SELECT, ON CONFLICT, RETURNING), UPDATE
 * (also FROM), DELETE (also USING), MERGE and data-modifying CTEs, and now and then a hostile statement
 * aimed at another tenant's rows or at the shared reference table. Their effects do not depend on the
 * plan: an UPDATE ... FROM joins a key, so that each target row meets at most one source row, and
 * unique values are rewritten with the statement's token, so never into one another.
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
    /** The output columns of the last RETURNING clause made, empty if none. */
    private List<Col> returned = List.of();

    SqlWriteGenerator(SqlStatementGenerator generator) {
        this.g = generator;
        this.ex = generator.expressions;
    }

    String write() {
        int roll = g.percent();
        Table table = g.pick(DifferentialSchema.TENANT_TABLES);
        if (roll < 24) {
            return insertValues(table, false);
        }
        if (roll < 31) {
            int with = g.percent();
            String clause = with < 20 ? g.withClause(1) : "";
            String insert = insertSelect(table);
            if (with < 8) {
                // WITH inside INSERT, before its SELECT: Tenantry wraps the rows to add the tenant column
                int select = insert.indexOf(") SELECT ") + 2;
                return insert.substring(0, select) + clause + insert.substring(select);
            }
            return clause + insert;
        }
        if (roll < 33) {
            return insertQuery();
        }
        if (roll < 34) {
            // both stars stand for the table's columns without the tenant column
            String source = g.alias();
            return "INSERT INTO " + g.written(table) + " SELECT * FROM " + table.name() + " " + source + " WHERE "
                    + ex.condition(SqlStatementGenerator.scopeOf(table, source), 1, null) + " ON CONFLICT DO NOTHING";
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

    private static boolean unique(Table table, Column column) {
        return column.name().equals("id") || (table == DifferentialSchema.TEAMS && column.name().equals("name"));
    }

    /** A value for {@code column} of a new row: mostly valid, sometimes a key that exists or a broken reference. */
    private String newValue(Table table, Column column) {
        if (column.nullable() && g.percent() < 12) {
            return g.percent() < 25 ? "DEFAULT" : "NULL";
        }
        if (column.name().equals("id")) {
            String prefix = column.domain().equals("trade") ? "x" : column.domain().substring(0, 1);
            return g.value(g.percent() < 30 ? ex.domainValue(column.domain()) : prefix + "n" + g.random.nextInt(6));
        }
        if (unique(table, column)) {
            return g.value(g.pick(DifferentialSchema.TEAM_NAMES));
        }
        if (column.name().equals("qty")) {
            return g.value(g.random.nextInt(0, 8));
        }
        if (column.domain() != null) {
            return g.value(ex.domainValue(column.domain()));
        }
        return g.value(ex.plainValue(column.type()));
    }

    /** INSERT ... VALUES of one to three rows, with or without a column list, ON CONFLICT and RETURNING. */
    String insertValues(Table table, boolean returning) {
        List<Column> columns = new ArrayList<>();
        boolean list = g.percent() < 80;
        for (Column column : table.columns()) {
            if (!list || !column.nullable() || g.percent() < 70) {
                columns.add(column);
            }
        }
        String alias = g.percent() < 30 ? g.alias() : null;
        StringBuilder sql = new StringBuilder("INSERT INTO " + g.written(table)
                + (alias == null ? "" : " AS " + alias));
        if (list) {
            sql.append(" (").append(String.join(", ", columns.stream().map(Column::name).toList())).append(")");
        }
        StringJoiner rows = new StringJoiner(", ", " VALUES ", "");
        int count = 1 + g.random.nextInt(3);
        for (int i = 0; i < count; i++) {
            StringJoiner row = new StringJoiner(", ", "(", ")");
            columns.forEach(c -> row.add(newValue(table, c)));
            rows.add(row.toString());
        }
        sql.append(rows);
        return sql + onConflict(table, alias) + returning(table, alias, returning);
    }

    /** INSERT ... SELECT from a tenant table: new keys made from the source's with the statement's token. */
    private String insertSelect(Table table) {
        Table sourceTable = g.percent() < 50 ? table : g.pick(DifferentialSchema.TENANT_TABLES);
        String source = g.alias();
        Scope scope = SqlStatementGenerator.scopeOf(sourceTable, source);
        List<String> items = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Column column : table.columns()) {
            if (column.nullable() && g.percent() < 20) {
                continue;
            }
            names.add(column.name());
            Col same = scope.columns.stream()
                    .filter(c -> c.name().equals(column.name()) && c.type() == column.type()).findFirst().orElse(null);
            List<Col> domain = scope.columns.stream()
                    .filter(c -> column.domain() != null && column.domain().equals(c.domain())).toList();
            if (unique(table, column)) {
                items.add(ex.ref(scope, same != null ? same : scope.columns.get(0)) + " || " + g.value(g.token));
            } else if (column.name().equals("qty")) {
                items.add("abs(" + ex.expr(scope, Type.INT, 1, null) + ") + 1");
            } else if (!domain.isEmpty() && g.percent() < 80) {
                items.add(ex.ref(scope, g.pick(domain)));
            } else if (column.domain() != null) {
                items.add(g.value(ex.domainValue(column.domain())));
            } else if (same != null && g.percent() < 60) {
                items.add(ex.ref(scope, same));
            } else {
                items.add(ex.expr(scope, column.type(), 1, null));
            }
        }
        String sql = "INSERT INTO " + g.written(table) + " (" + String.join(", ", names) + ") SELECT "
                + String.join(", ", items) + " FROM " + sourceTable.name() + " " + source;
        if (g.percent() < 70) {
            sql += " WHERE " + ex.condition(scope, 1, null);
        }
        if (g.percent() < 15) {
            StringJoiner order = new StringJoiner(", ", " ORDER BY ", " LIMIT " + g.value(1 + g.random.nextInt(3)));
            for (int i = 1; i <= items.size(); i++) {
                order.add(Integer.toString(i));
            }
            sql += order;
        }
        return sql + onConflict(table, null) + returning(table, null, false);
    }

    /** INSERT INTO teams from any query of three texts: a set operation, joins, a CTE. */
    private String insertQuery() {
        String query = g.queries.nested(null, 2, List.of(Type.TEXT, Type.TEXT, Type.TEXT)).sql();
        return "INSERT INTO " + g.written(DifferentialSchema.TEAMS) + " (id, name, city) " + query
                + onConflict(DifferentialSchema.TEAMS, null) + returning(DifferentialSchema.TEAMS, null, false);
    }

    private String onConflict(Table table, String alias) {
        int roll = g.percent();
        if (roll < 70) {
            return "";
        }
        if (roll < 76) {
            return " ON CONFLICT DO NOTHING";
        }
        if (roll < 80) {
            return " ON CONFLICT ON CONSTRAINT " + table.name() + "_pkey DO NOTHING";
        }
        String target = table == DifferentialSchema.TEAMS && g.percent() < 30 ? "name" : "id";
        if (roll < 86) {
            return " ON CONFLICT (" + target + ") DO NOTHING";
        }
        String qualifier = alias != null ? alias : table.name();
        // partial: EXCLUDED has the same column names, so every name must be qualified
        Scope scope = new Scope(SqlStatementGenerator.scopeOf(table, qualifier).columns, null, true);
        SqlStatementGenerator.scopeOf(table, "EXCLUDED").columns.forEach(scope.columns::add);
        List<String> sets = new ArrayList<>();
        for (Column column : table.columns()) {
            if (column.name().equals(target) || column.name().equals("id") || g.percent() < 50) {
                continue;
            }
            boolean plain = column.domain() == null && !unique(table, column) && !column.name().equals("qty");
            String value = plain && g.percent() < 25 ? ex.expr(scope, column.type(), 1, null) : switch (column.type()) {
                case INT -> column.name().equals("qty") ? qualifier + ".qty + EXCLUDED.qty"
                        : "coalesce(" + qualifier + "." + column.name() + ", 0) + 1";
                case NUM -> "EXCLUDED." + column.name() + " + 1";
                case TEXT -> unique(table, column) ? qualifier + ".name || " + g.value(g.token)
                        : "EXCLUDED." + column.name();
            };
            sets.add(column.name() + " = " + value);
        }
        if (sets.isEmpty()) {
            Column last = table.columns().get(table.columns().size() - 1);
            sets.add(last.name() + " = EXCLUDED." + last.name());
        }
        return " ON CONFLICT (" + target + ") DO UPDATE SET " + String.join(", ", sets)
                + (g.percent() < 30 ? " WHERE " + ex.condition(scope, 0, null) : "");
    }

    private String returning(Table table, String alias, boolean always) {
        return returning(table, alias, always, false);
    }

    /**
     * A RETURNING clause, or none. With {@code joined} (UPDATE ... FROM, DELETE ... USING) no star and
     * qualified columns only: Tenantry expands {@code *} and {@code t.*} there to the target's columns,
     * unqualified, where PostgreSQL adds the other tables' columns to {@code *} and qualifies {@code t.*}
     * (known difference, reported; put stars back here once it is fixed).
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
        if (roll < 2 && !joined) {
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
        if (targets.size() == 2 && targets.stream().noneMatch(c -> unique(table, c)) && g.percent() < 20) {
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
        if (unique(table, column)) {
            return g.percent() < 85 ? ref + " || " + g.value(g.token) : newValue(table, column);
        }
        if (column.domain() != null || g.percent() < 30) {
            return newValue(table, column);
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
            case 0 -> insertValues(table, true);
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
        return with + insertSelect(next);
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
