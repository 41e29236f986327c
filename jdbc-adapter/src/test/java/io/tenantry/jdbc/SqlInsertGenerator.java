package io.tenantry.jdbc;

import io.tenantry.jdbc.DifferentialSchema.Column;
import io.tenantry.jdbc.DifferentialSchema.Table;
import io.tenantry.jdbc.DifferentialSchema.Type;
import io.tenantry.jdbc.SqlStatementGenerator.Col;
import io.tenantry.jdbc.SqlStatementGenerator.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The INSERTs of {@link SqlWriteGenerator}: VALUES rows with or without a column list (and DEFAULT),
 * INSERT ... SELECT from a tenant table or from any query, with a WITH before it or inside it, ON
 * CONFLICT (DO NOTHING, DO UPDATE with subqueries, ON CONSTRAINT) and RETURNING. New keys come from
 * the statement's token, so that rows copied in one statement never collide in an order of the plan's.
 */
final class SqlInsertGenerator {

    private final SqlStatementGenerator g;
    private final SqlExpressionGenerator ex;
    private final SqlWriteGenerator writes;

    SqlInsertGenerator(SqlStatementGenerator generator, SqlWriteGenerator writes) {
        this.g = generator;
        this.ex = generator.expressions;
        this.writes = writes;
    }

    /** One of the INSERTs, by {@code roll} (0 to 33) of the write's dice. */
    String insert(Table table, int roll) {
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
        // both stars stand for the table's columns without the tenant column
        String source = g.alias();
        return "INSERT INTO " + g.written(table) + " SELECT * FROM " + table.name() + " " + source + " WHERE "
                + ex.condition(SqlStatementGenerator.scopeOf(table, source), 1, null) + " ON CONFLICT DO NOTHING";
    }

    /** Whether the column's values are unique in the tenant's rows: a key, or a team's name. */
    static boolean unique(Table table, Column column) {
        return column.name().equals("id") || (table == DifferentialSchema.TEAMS && column.name().equals("name"));
    }

    /** A value for {@code column} of a new row: mostly valid, sometimes a key that exists or a broken reference. */
    String newValue(Table table, Column column) {
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
        return sql + onConflict(table, alias) + writes.returning(table, alias, returning);
    }

    /** INSERT ... SELECT from a tenant table: new keys made from the source's with the statement's token. */
    String insertSelect(Table table) {
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
        return sql + onConflict(table, null) + writes.returning(table, null, false);
    }

    /** INSERT INTO teams from any query of three texts: a set operation, joins, a CTE. */
    private String insertQuery() {
        String query = g.queries.nested(null, 2, List.of(Type.TEXT, Type.TEXT, Type.TEXT)).sql();
        return "INSERT INTO " + g.written(DifferentialSchema.TEAMS) + " (id, name, city) " + query
                + onConflict(DifferentialSchema.TEAMS, null) + writes.returning(DifferentialSchema.TEAMS, null, false);
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
}
