package io.tenantry.jdbc;

import io.tenantry.jdbc.DifferentialSchema.Column;
import io.tenantry.jdbc.DifferentialSchema.Table;
import io.tenantry.jdbc.DifferentialSchema.Type;
import io.tenantry.jdbc.SqlStatementGenerator.Col;
import io.tenantry.jdbc.SqlStatementGenerator.Cte;
import io.tenantry.jdbc.SqlStatementGenerator.Query;
import io.tenantry.jdbc.SqlStatementGenerator.Scope;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The queries of {@link SqlStatementGenerator}: SELECTs with FROM clauses of joined tables (inner,
 * outer, cross, NATURAL, USING, LATERAL), subqueries, CTEs, VALUES lists and table functions; grouping
 * (also ROLLUP, CUBE, GROUPING SETS), windows, DISTINCT (ON), ORDER BY, LIMIT and FETCH, FOR UPDATE;
 * and set operations. A LIMIT or DISTINCT ON comes with an ORDER BY over every output column, so what
 * it keeps does not depend on the plan.
 */
final class SqlQueryGenerator {

    private final SqlStatementGenerator g;
    private final SqlExpressionGenerator ex;
    /** Whether the FROM clause made last has an outer join, which rules out FOR UPDATE. */
    private boolean outerJoin;
    /** The aliases of the tenant tables in the FROM clause made last: what FOR UPDATE OF may name. */
    private List<String> lockable = List.of();

    SqlQueryGenerator(SqlStatementGenerator generator) {
        this.g = generator;
        this.ex = generator.expressions;
    }

    /** A SELECT, or now and then a set operation of two or three with the same shape. */
    Query query(Scope outer, int depth, List<Type> shape, boolean top) {
        if (depth > 0 && g.percent() < 15) {
            return setOperation(outer, depth, shape);
        }
        return select(outer, depth, shape, top, false);
    }

    private Query setOperation(Scope outer, int depth, List<Type> shape) {
        Query first = select(outer, depth - 1, shape, false, false);
        StringBuilder sql = new StringBuilder(branch(first));
        int branches = 1 + g.random.nextInt(2);
        for (int i = 0; i < branches; i++) {
            String operator = g.pick(List.of("UNION", "UNION ALL", "INTERSECT", "INTERSECT ALL", "EXCEPT", "EXCEPT ALL",
                    "UNION"));
            sql.append(' ').append(operator).append(' ')
                    .append(branch(select(outer, depth - 1, first.shape(), false, false)));
        }
        boolean ordered = false;
        if (g.percent() < 30) {
            sql.append(orderAndLimit(first.columns().size(), true));
            ordered = true;
        }
        return new Query(sql.toString(), first.columns(), ordered);
    }

    private static String branch(Query query) {
        return query.ordered() ? "(" + query.sql() + ")" : query.sql();
    }

    /**
     * One SELECT.
     *
     * @param shape the types of its output columns, or null for any
     * @param top whether it is the statement itself: {@code *} and unnamed expressions allowed
     * @param single whether it must return at most one row (a scalar subquery)
     */
    Query select(Scope outer, int depth, List<Type> shape, boolean top, boolean single) {
        Scope scope = new Scope(outer);
        scope.wholeRows = true;
        String from = from(scope, depth);
        List<String> lockable = top && !outerJoin ? this.lockable : List.of();
        String where = g.percent() < 55 ? " WHERE " + ex.condition(scope, depth - 1, null) : "";
        String correlation = outer == null || g.percent() < 50 ? null : correlation(scope);
        if (correlation != null) {
            where = where.isEmpty() ? " WHERE " + correlation : where + " AND " + correlation;
        }
        boolean aggregate = single ? g.random.nextBoolean() : g.percent() < 25;
        List<String> items = new ArrayList<>();
        List<Col> columns = new ArrayList<>();
        Set<String> names = new HashSet<>();
        String tail = "";
        if (aggregate) {
            List<Col> keys = new ArrayList<>();
            if (!single && g.percent() < 75) {
                keys.add(g.pick(scope.columns));
                if (g.percent() < 30) {
                    Col second = g.pick(scope.columns);
                    if (!second.equals(keys.get(0))) {
                        keys.add(second);
                    }
                }
                StringJoiner groupBy = new StringJoiner(", ");
                keys.forEach(k -> groupBy.add(ex.ref(scope, k)));
                tail = " GROUP BY " + switch (g.random.nextInt(20)) {
                    case 0 -> "ROLLUP (" + groupBy + ")";
                    case 1 -> "CUBE (" + groupBy + ")";
                    case 2 -> "GROUPING SETS ((" + groupBy + "), ())";
                    default -> groupBy.toString();
                };
                if (g.percent() < 35) {
                    tail += " HAVING " + ex.condition(scope, depth - 1, keys);
                }
            }
            List<Type> types = shape != null ? shape : aggregateShape(keys);
            for (int i = 0; i < types.size(); i++) {
                Type type = types.get(i);
                List<Col> sameType = keys.stream().filter(k -> k.type() == type).toList();
                if (shape == null && i < keys.size()) {
                    item(scope, keys.get(i), items, columns, names, top);
                } else if (!sameType.isEmpty() && g.percent() < 30) {
                    item(scope, g.pick(sameType), items, columns, names, top);
                } else if (single) {
                    // an aggregate without GROUP BY returns one row; a constant alone would not aggregate
                    expression(ex.aggregate(scope, type), type, items, columns, names, top);
                } else {
                    expression(ex.expr(scope, type, depth - 1, keys), type, items, columns, names, top);
                }
            }
        } else if (shape != null) {
            for (Type type : shape) {
                List<Col> sameType = scope.columns.stream().filter(c -> c.type() == type).toList();
                if (!sameType.isEmpty() && g.percent() < 50) {
                    item(scope, g.pick(sameType), items, columns, names, top);
                } else {
                    expression(ex.expr(scope, type, depth - 1, null), type, items, columns, names, top);
                }
            }
        } else if (top && g.percent() < 20) {
            return new Query("SELECT " + star(scope) + from + where + locking(lockable), null, false);
        } else {
            int count = 1 + g.random.nextInt(4);
            for (int i = 0; i < count; i++) {
                int roll = g.percent();
                if (roll < 55) {
                    item(scope, g.pick(scope.columns), items, columns, names, top);
                } else if (roll < 70 && depth > 0) {
                    lockable = List.of();
                    Type[] type = new Type[1];
                    expression(ex.window(scope, type), type[0], items, columns, names, top);
                } else {
                    Type type = g.pick(List.of(Type.values()));
                    expression(ex.expr(scope, type, depth - 1, null), type, items, columns, names, top);
                }
            }
        }
        int roll = single ? 100 : g.percent();
        // DISTINCT ON keeps the first row of each group, so an ORDER BY of every column must decide it
        String distinct = roll < 10 ? "DISTINCT " : roll < 14 ? "DISTINCT ON (1) " : "";
        String sql = "SELECT " + distinct + String.join(", ", items) + from + where + tail;
        boolean ordered = false;
        if (distinct.contains("ON")) {
            sql += orderAndLimit(columns.size(), g.random.nextBoolean());
            ordered = true;
        } else if (single && !aggregate) {
            sql += orderAndLimit(columns.size(), false) + " LIMIT 1";
            ordered = true;
        } else if (g.percent() < (top ? 25 : 12)) {
            sql += orderAndLimit(columns.size(), true);
            ordered = true;
        }
        if (!aggregate && distinct.isEmpty()) {
            sql += locking(lockable);
        }
        return new Query(sql, columns, ordered);
    }

    /** {@code inner.x = outer.y} on columns of one domain, for a subquery that reads its context; or null. */
    private String correlation(Scope scope) {
        List<String> pairs = new ArrayList<>();
        for (Col inner : scope.columns) {
            for (Col outer : scope.outer.visible()) {
                if (inner.domain() != null && inner.domain().equals(outer.domain())) {
                    pairs.add(ex.ref(scope, inner) + " = " + ex.ref(scope, outer));
                }
            }
        }
        return pairs.isEmpty() ? null : g.pick(pairs);
    }

    private List<Type> aggregateShape(List<Col> keys) {
        List<Type> types = new ArrayList<>(keys.stream().map(Col::type).toList());
        int aggregates = 1 + g.random.nextInt(2);
        for (int i = 0; i < aggregates; i++) {
            types.add(g.pick(List.of(Type.values())));
        }
        return types;
    }

    /** {@code *} or {@code alias.*}, now and then with more columns after it. */
    private String star(Scope scope) {
        if (g.percent() < 50) {
            return "*";
        }
        StringJoiner list = new StringJoiner(", ");
        scope.columns.stream().map(Col::qualifier).distinct().filter(q -> g.random.nextBoolean())
                .forEach(q -> list.add(q + ".*"));
        if (list.length() == 0 || g.random.nextBoolean()) {
            list.add(ex.ref(scope, g.pick(scope.columns)));
        }
        return list.toString();
    }

    private void item(Scope scope, Col column, List<String> items, List<Col> columns, Set<String> names, boolean top) {
        String ref = ex.ref(scope, column);
        if (names.add(column.name())) {
            items.add(ref + (g.percent() < 30 ? " AS " + column.name() : ""));
            columns.add(new Col(null, column.name(), column.type(), column.domain()));
        } else {
            String name = freshName(names);
            items.add(ref + " AS " + name);
            columns.add(new Col(null, name, column.type(), column.domain()));
        }
    }

    private static String freshName(Set<String> names) {
        for (int i = names.size() + 1; ; i++) {
            if (names.add("o" + i)) {
                return "o" + i;
            }
        }
    }

    private void expression(String sql, Type type, List<String> items, List<Col> columns, Set<String> names,
            boolean top) {
        String name = freshName(names);
        // the statement's own unnamed columns get PostgreSQL's names, which the rewriting must keep
        boolean unnamed = top && g.percent() < 25;
        items.add(sql + (unnamed ? "" : " AS " + name));
        columns.add(new Col(null, name, type, null));
    }

    /**
     * Now and then a locking clause, OF tenant tables only: locking reference rows takes UPDATE rights,
     * which tenants do not have on shared tables.
     */
    private String locking(List<String> aliases) {
        if (aliases.isEmpty() || g.percent() >= 8) {
            return "";
        }
        String strength = g.pick(List.of(" FOR UPDATE", " FOR SHARE", " FOR NO KEY UPDATE", " FOR KEY SHARE"));
        return strength + " OF " + g.pick(aliases) + (g.percent() < 20 ? " SKIP LOCKED" : "");
    }

    /** ORDER BY every output column, so that what a LIMIT keeps does not depend on the plan. */
    private String orderAndLimit(int columns, boolean limit) {
        StringJoiner order = new StringJoiner(", ", " ORDER BY ", "");
        for (int i = 1; i <= columns; i++) {
            order.add(i + (g.percent() < 30 ? " DESC" : "") + (g.percent() < 15 ? " NULLS FIRST" : ""));
        }
        if (!limit) {
            return order.toString();
        }
        if (g.percent() < 15) {
            return order + (g.random.nextBoolean() ? " OFFSET " + g.value(g.random.nextInt(4)) + " ROWS" : "")
                    + " FETCH FIRST " + g.value(1 + g.random.nextInt(5)) + " ROWS ONLY";
        }
        String sql = order + " LIMIT " + g.value(g.random.nextInt(6));
        if (g.percent() < 30) {
            sql += " OFFSET " + g.value(g.random.nextInt(4));
        }
        return sql;
    }

    /** The FROM clause: one to three items joined, adding their columns to {@code scope}. */
    private String from(Scope scope, int depth) {
        boolean outer = false;
        List<String> tenantAliases = new ArrayList<>();
        StringBuilder sql = new StringBuilder(" FROM ");
        sql.append(fromItem(scope, depth, false, tenantAliases));
        int joins = g.percent() < 45 ? 1 + (g.percent() < 25 ? 1 : 0) : 0;
        for (int i = 0; i < joins; i++) {
            int roll = g.percent();
            if (roll < 10 && i == joins - 1) {
                sql.append(", ").append(fromItem(scope, depth, false, tenantAliases));
                continue;
            }
            if (roll < 20 && depth > 0) {
                String join = g.random.nextBoolean() ? " CROSS JOIN LATERAL " : " LEFT JOIN LATERAL ";
                outer |= join.contains("LEFT");
                String item = fromItem(scope, depth, true, tenantAliases);
                sql.append(join).append(item).append(join.contains("LEFT") ? " ON true" : "");
                continue;
            }
            if (roll < 27) {
                sql.append(" CROSS JOIN ").append(fromItem(scope, depth, false, tenantAliases));
                continue;
            }
            if (roll < 33) {
                String type = g.random.nextBoolean() ? " JOIN " : " LEFT JOIN ";
                outer |= type.contains("LEFT");
                List<Col> left = List.copyOf(scope.columns);
                String item = fromItem(scope, depth, false, tenantAliases);
                List<Col> right = scope.columns.subList(left.size(), scope.columns.size());
                List<String> common = commonColumns(left, right);
                if (common == null || common.isEmpty()) {
                    sql.append(type).append(item).append(" ON ").append(ex.joinCondition(scope, left, right, true));
                } else if (g.random.nextBoolean()) {
                    sql.append(" NATURAL").append(type).append(item);
                } else {
                    sql.append(type).append(item).append(" USING (").append(String.join(", ", common)).append(")");
                }
                continue;
            }
            String type = g.pick(List.of(" JOIN ", " INNER JOIN ", " LEFT JOIN ", " LEFT OUTER JOIN ", " RIGHT JOIN ",
                    " FULL JOIN ", " FULL OUTER JOIN ", " JOIN "));
            outer |= !type.contains("INNER") && !type.equals(" JOIN ");
            List<Col> left = List.copyOf(scope.columns);
            String item = fromItem(scope, depth, false, tenantAliases);
            List<Col> right = scope.columns.subList(left.size(), scope.columns.size());
            sql.append(type).append(item).append(" ON ")
                    .append(ex.joinCondition(scope, left, right, !type.contains("FULL")));
        }
        outerJoin = outer;
        lockable = tenantAliases;
        return sql.toString();
    }

    /**
     * The names that both sides of a NATURAL join have, each once on each side and of one type; null if
     * some name they share breaks that, which PostgreSQL would refuse.
     */
    private static List<String> commonColumns(List<Col> left, List<Col> right) {
        List<String> common = new ArrayList<>();
        for (Col r : right) {
            List<Col> same = left.stream().filter(l -> l.name().equals(r.name())).toList();
            long twice = right.stream().filter(c -> c.name().equals(r.name())).count();
            if (same.isEmpty()) {
                continue;
            }
            if (same.size() > 1 || twice > 1 || same.get(0).type() != r.type()) {
                return null;
            }
            common.add(r.name());
        }
        return common;
    }

    /** One FROM item; a LATERAL one may read the items before it. Adds a tenant table's alias to {@code tenants}. */
    private String fromItem(Scope scope, int depth, boolean lateral, List<String> tenants) {
        String alias = g.alias();
        int roll = g.percent();
        if (lateral) {
            Scope before = new Scope(List.copyOf(scope.columns), scope.outer);
            Query query = select(before, depth - 1, null, false, false);
            return derived(scope, query, alias);
        }
        if (roll < 12 && depth > 0) {
            return derived(scope, nested(scope.outer, depth - 1, null), alias);
        }
        if (roll < 20 && !g.ctes.isEmpty()) {
            Cte cte = g.pick(g.ctes);
            cte.columns().forEach(c -> scope.columns.add(c.as(alias)));
            return cte.name() + (g.random.nextBoolean() ? " AS " : " ") + alias;
        }
        if (roll < 24) {
            return values(scope, alias);
        }
        if (roll < 26) {
            scope.columns.add(new Col(alias, "gs", Type.INT, null));
            // the bound may count a tenant table's rows: a subquery among a table function's arguments
            String to = g.percent() < 30
                    ? "(SELECT count(*) FROM " + g.pick(DifferentialSchema.TENANT_TABLES).name() + ")" : "3";
            return "generate_series(" + g.value(g.random.nextInt(3)) + ", " + to + ") AS " + alias + "(gs)";
        }
        Table table = g.percent() < 12 ? DifferentialSchema.RARITIES : g.pick(DifferentialSchema.TENANT_TABLES);
        String qualifier = alias;
        String sql = g.written(table) + (g.random.nextBoolean() ? " AS " : " ") + alias;
        if (g.percent() < 15 && !scope.usesQualifier(table.name())) {
            qualifier = table.name();
            sql = g.written(table);
        }
        if (table.tenant()) {
            tenants.add(qualifier);
        }
        if (qualifier.equals(alias) && !g.rlsAlone && g.percent() < 6) {
            // a column alias list renames the table's columns, which the tenant's subquery must keep in order
            // (as written, without rewriting, it would rename the tenant column too)
            g.renamed.add(alias);
            StringJoiner names = new StringJoiner(", ", "(", ")");
            for (Column column : table.columns()) {
                names.add(alias + "_" + column.name());
                scope.columns.add(new Col(alias, alias + "_" + column.name(), column.type(), column.domain()));
            }
            return sql + names;
        }
        for (Column column : table.columns()) {
            scope.columns.add(new Col(qualifier, column.name(), column.type(), column.domain()));
        }
        return sql;
    }

    /** A query for a subquery, now and then with WITH queries of its own, which only it sees. */
    Query nested(Scope outer, int depth, List<Type> shape) {
        if (depth <= 0 || g.percent() >= 12) {
            return query(outer, depth, shape, false);
        }
        int visible = g.ctes.size();
        String with = g.withClause(depth - 1);
        Query query = query(outer, depth, shape, false);
        g.ctes.subList(visible, g.ctes.size()).clear();
        return new Query(with + query.sql(), query.columns(), query.ordered());
    }

    private String derived(Scope scope, Query query, String alias) {
        query.columns().forEach(c -> scope.columns.add(c.as(alias)));
        return "(" + query.sql() + ") AS " + alias;
    }

    /** {@code (VALUES (...), ...) AS alias(id, n)}: keys of some table, half of them the tenant's. */
    private String values(Scope scope, String alias) {
        String domain = g.pick(List.of("team", "player", "card", "rarity"));
        StringJoiner rows = new StringJoiner(", ", "(VALUES ", ")");
        int count = 1 + g.random.nextInt(3);
        for (int i = 0; i < count; i++) {
            rows.add("(" + g.value(ex.domainValue(domain)) + ", " + g.value(g.random.nextInt(10)) + ")");
        }
        scope.columns.add(new Col(alias, "vid", Type.TEXT, domain));
        scope.columns.add(new Col(alias, "vn", Type.INT, null));
        return rows + " AS " + alias + "(vid, vn)";
    }
}
