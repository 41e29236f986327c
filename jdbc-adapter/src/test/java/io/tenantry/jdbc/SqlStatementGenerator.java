package io.tenantry.jdbc;

import io.tenantry.jdbc.DifferentialSchema.Column;
import io.tenantry.jdbc.DifferentialSchema.Table;
import io.tenantry.jdbc.DifferentialSchema.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Random SQL over {@link DifferentialSchema} for {@link FieldDifferentialProperties}: queries with
 * joins of every kind, subqueries in every clause, aggregates, windows, set operations and CTEs
 * (here), built from expressions and conditions ({@link SqlExpressionGenerator}), and writes
 * ({@link SqlWriteGenerator}). Every statement is valid PostgreSQL for the plain schema, and its
 * result does not depend on the plan: a LIMIT comes with an ORDER BY over every output column, and
 * an ordered window with an ORDER BY over every column in scope. One instance per sequence of
 * statements; it draws only from its random source, so a seed replays it.
 */
final class SqlStatementGenerator {

    /** READ and WRITE are compared with the plain database; HOSTILE ones aim at other tenants' rows. */
    enum Kind { READ, WRITE, HOSTILE }

    /**
     * One statement, with the values of its {@code ?} placeholders.
     *
     * @param prepared whether to run it as a PreparedStatement, as one with parameters must be
     * @param ordered whether its ORDER BY orders its rows totally, so that their order must be the same
     */
    record GeneratedStatement(String sql, List<Object> parameters, Kind kind, boolean prepared, boolean ordered) {

        @Override
        public String toString() {
            return kind + (prepared ? " (prepared)" : "") + (ordered ? " (ordered)" : "") + ": " + sql
                    + (parameters.isEmpty() ? "" : "   -- parameters " + parameters);
        }
    }

    /** A column in scope: qualified by a table alias, or null for output columns and CTE columns. */
    record Col(String qualifier, String name, Type type, String domain) {

        Col as(String newQualifier) {
            return new Col(newQualifier, name, type, domain);
        }
    }

    /** The columns of one level of a query's FROM items, with the levels around it. */
    static final class Scope {

        final List<Col> columns = new ArrayList<>();
        final Scope outer;
        /** Whether PostgreSQL sees more columns here than {@code columns} (a grouped level shows its keys only). */
        final boolean partial;

        Scope(Scope outer) {
            this(List.of(), outer, false);
        }

        Scope(List<Col> columns, Scope outer) {
            this(columns, outer, false);
        }

        Scope(List<Col> columns, Scope outer, boolean partial) {
            this.outer = outer;
            this.partial = partial;
            this.columns.addAll(columns);
        }

        /** Whether {@code name} alone names one column: no other in scope has it, and no level hides columns. */
        boolean unambiguous(String name) {
            int count = 0;
            for (Scope at = this; at != null; at = at.outer) {
                if (at.partial) {
                    return false;
                }
                count += (int) at.columns.stream().filter(c -> c.name().equals(name)).count();
            }
            return count == 1;
        }

        List<Col> visible() {
            List<Col> all = new ArrayList<>();
            for (Scope at = this; at != null; at = at.outer) {
                all.addAll(at.columns);
            }
            return all;
        }

        boolean usesQualifier(String qualifier) {
            return visible().stream().anyMatch(c -> qualifier.equals(c.qualifier()));
        }
    }

    /** A query's text and its output columns; {@code columns} is null when they are not known by name. */
    record Query(String sql, List<Col> columns, boolean ordered) {

        List<Type> shape() {
            return columns.stream().map(Col::type).toList();
        }
    }

    record Cte(String name, List<Col> columns) {
    }

    private static final Pattern MARKER = Pattern.compile("\u0001(\\d+)\u0001");

    final SplittableRandom random;
    final boolean rlsAlone;
    final SqlExpressionGenerator expressions;
    final SqlWriteGenerator writes;
    private final List<Object> values = new ArrayList<>();
    /** The CTEs the FROM clause being generated may name. */
    List<Cte> ctes = new ArrayList<>();
    /** Unique in the sequence, so that values made from it (name || token) never meet older ones. */
    String token = "";
    private int aliases;
    /** Whether the last top-level query ends with an ORDER BY over all its columns. */
    private boolean ordered;

    SqlStatementGenerator(SplittableRandom random, boolean rlsAlone) {
        this.random = random;
        this.rlsAlone = rlsAlone;
        this.expressions = new SqlExpressionGenerator(this);
        this.writes = new SqlWriteGenerator(this);
    }

    /** A sequence of statements, about one in three a write. */
    static List<GeneratedStatement> sequence(SplittableRandom random, boolean rlsAlone, int size) {
        // split: Trials steps its seeds by SplittableRandom's own increment, so the sources it hands
        // successive tries are one stream shifted by one value, and would make near-identical sequences
        SqlStatementGenerator generator = new SqlStatementGenerator(random.split(), rlsAlone);
        List<GeneratedStatement> statements = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            statements.add(generator.next(i));
        }
        return statements;
    }

    GeneratedStatement next(int index) {
        values.clear();
        ctes = new ArrayList<>();
        aliases = 0;
        ordered = false;
        token = "_" + index + (char) ('a' + random.nextInt(26));
        int roll = random.nextInt(100);
        Kind kind = roll < 2 ? Kind.HOSTILE : roll < 34 ? Kind.WRITE : Kind.READ;
        String sql = switch (kind) {
            case READ -> topQuery();
            case WRITE -> writes.write();
            case HOSTILE -> writes.hostile();
        };
        boolean prepared = !values.isEmpty() && random.nextInt(100) < 60;
        List<Object> parameters = new ArrayList<>();
        Matcher m = MARKER.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object value = values.get(Integer.parseInt(m.group(1)));
            if (prepared) {
                parameters.add(value);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(prepared ? "?" : DifferentialSchema.literal(value)));
        }
        m.appendTail(out);
        return new GeneratedStatement(out.toString(), parameters, kind, prepared || random.nextBoolean(),
                kind == Kind.READ && ordered);
    }

    /** A value that becomes a {@code ?} placeholder or a literal when the statement is finished. */
    String value(Object value) {
        if (value == null) {
            return "NULL";
        }
        values.add(value);
        return "\u0001" + (values.size() - 1) + "\u0001";
    }

    String alias() {
        return "a" + (++aliases);
    }

    int percent() {
        return random.nextInt(100);
    }

    <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    /** A top-level query, sometimes with CTEs (also recursive ones) before it. */
    String topQuery() {
        int roll = percent();
        if (roll < 8) {
            return recursive();
        }
        String with = roll < 25 ? withClause(2) : "";
        return with + top();
    }

    /** {@code WITH name AS (query), ...} naming one or two queries that what follows may read. */
    String withClause(int depth) {
        StringJoiner items = new StringJoiner(", ", "WITH ", " ");
        int count = 1 + random.nextInt(2);
        for (int i = 0; i < count; i++) {
            Query body = query(null, depth, null, false);
            String name = "w" + (ctes.size() + 1);
            List<Col> columns = body.columns();
            if (percent() < 25) {
                // a column list renames the outputs
                List<Col> renamed = new ArrayList<>();
                for (int c = 0; c < columns.size(); c++) {
                    renamed.add(new Col(null, "k" + c, columns.get(c).type(), columns.get(c).domain()));
                }
                columns = renamed;
                name += "(" + String.join(", ", columns.stream().map(Col::name).toList()) + ")";
            }
            items.add(name + " AS " + (percent() < 10 ? "MATERIALIZED " : "") + "(" + body.sql() + ")");
            ctes.add(new Cte("w" + (ctes.size() + 1), columns));
        }
        return items.toString();
    }

    /** WITH RECURSIVE over the mentor tree or along trades, then a query that reads it. */
    private String recursive() {
        String name = "r" + (ctes.size() + 1);
        String with;
        List<Col> columns;
        if (random.nextBoolean()) {
            String start = random.nextBoolean() ? "mentor_id IS NULL" : "id = " + value(expressions.domainValue("player"));
            with = "WITH RECURSIVE " + name + "(id, name, lvl) AS (SELECT id, name, 1 FROM players WHERE " + start
                    + " UNION ALL SELECT p.id, p.name, " + name + ".lvl + 1 FROM players p JOIN " + name + " ON p.mentor_id = "
                    + name + ".id WHERE " + name + ".lvl < " + (2 + random.nextInt(4)) + ") ";
            columns = List.of(new Col(null, "id", Type.TEXT, "player"), new Col(null, "name", Type.TEXT, null),
                    new Col(null, "lvl", Type.INT, null));
        } else {
            with = "WITH RECURSIVE " + name + "(card_id, total, steps) AS (SELECT id, CAST(price AS numeric), 0 FROM cards"
                    + " WHERE "
                    + expressions.condition(scopeOf(DifferentialSchema.CARDS, "cards"), 0, null)
                    + " UNION ALL SELECT " + name + ".card_id, " + name + ".total + t.qty, " + name + ".steps + 1 FROM "
                    + name + " JOIN trades t ON t.card_id = " + name + ".card_id WHERE " + name + ".steps < 2) ";
            columns = List.of(new Col(null, "card_id", Type.TEXT, "card"), new Col(null, "total", Type.NUM, null),
                    new Col(null, "steps", Type.INT, null));
        }
        ctes.add(new Cte(name, columns));
        return with + top();
    }

    private String top() {
        Query query = query(null, 3, null, true);
        ordered = query.ordered();
        return query.sql();
    }

    static Scope scopeOf(Table table, String qualifier) {
        Scope scope = new Scope(null);
        for (Column column : table.columns()) {
            scope.columns.add(new Col(qualifier, column.name(), column.type(), column.domain()));
        }
        return scope;
    }

    /** A SELECT, or now and then a set operation of two or three with the same shape. */
    Query query(Scope outer, int depth, List<Type> shape, boolean top) {
        if (depth > 0 && percent() < 15) {
            return setOperation(outer, depth, shape, top);
        }
        return select(outer, depth, shape, top, false);
    }

    private Query setOperation(Scope outer, int depth, List<Type> shape, boolean top) {
        Query first = select(outer, depth - 1, shape, false, false);
        StringBuilder sql = new StringBuilder(branch(first));
        int branches = 1 + random.nextInt(2);
        for (int i = 0; i < branches; i++) {
            String operator = pick(List.of("UNION", "UNION ALL", "INTERSECT", "INTERSECT ALL", "EXCEPT", "EXCEPT ALL",
                    "UNION"));
            sql.append(' ').append(operator).append(' ')
                    .append(branch(select(outer, depth - 1, first.shape(), false, false)));
        }
        boolean ordered = false;
        if (percent() < 30) {
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
        String from = from(scope, depth);
        String where = percent() < 55 ? " WHERE " + expressions.condition(scope, depth - 1, null) : "";
        String correlation = outer == null || percent() < 50 ? null : correlation(scope);
        if (correlation != null) {
            where = where.isEmpty() ? " WHERE " + correlation : where + " AND " + correlation;
        }
        boolean aggregate = single ? random.nextBoolean() : percent() < 25;
        List<String> items = new ArrayList<>();
        List<Col> columns = new ArrayList<>();
        Set<String> names = new HashSet<>();
        String tail = "";
        if (aggregate) {
            List<Col> keys = new ArrayList<>();
            if (!single && percent() < 75) {
                keys.add(pick(scope.columns));
                if (percent() < 30) {
                    Col second = pick(scope.columns);
                    if (!second.equals(keys.get(0))) {
                        keys.add(second);
                    }
                }
                StringJoiner groupBy = new StringJoiner(", ", " GROUP BY ", "");
                keys.forEach(k -> groupBy.add(expressions.ref(scope, k)));
                tail = groupBy.toString();
                if (percent() < 35) {
                    tail += " HAVING " + expressions.condition(scope, depth - 1, keys);
                }
            }
            List<Type> types = shape != null ? shape : aggregateShape(keys);
            for (int i = 0; i < types.size(); i++) {
                Type type = types.get(i);
                List<Col> sameType = keys.stream().filter(k -> k.type() == type).toList();
                if (shape == null && i < keys.size()) {
                    item(scope, keys.get(i), items, columns, names, top);
                } else if (!sameType.isEmpty() && percent() < 30) {
                    item(scope, pick(sameType), items, columns, names, top);
                } else if (single) {
                    // an aggregate without GROUP BY returns one row; a constant alone would not aggregate
                    expression(expressions.aggregate(scope, type), type, items, columns, names, top);
                } else {
                    expression(expressions.expr(scope, type, depth - 1, keys), type, items, columns, names, top);
                }
            }
        } else if (shape != null) {
            for (Type type : shape) {
                List<Col> sameType = scope.columns.stream().filter(c -> c.type() == type).toList();
                if (!sameType.isEmpty() && percent() < 50) {
                    item(scope, pick(sameType), items, columns, names, top);
                } else {
                    expression(expressions.expr(scope, type, depth - 1, null), type, items, columns, names, top);
                }
            }
        } else if (top && percent() < 20) {
            return new Query("SELECT " + star(scope) + from + where, null, false);
        } else {
            int count = 1 + random.nextInt(4);
            for (int i = 0; i < count; i++) {
                int roll = percent();
                if (roll < 55) {
                    item(scope, pick(scope.columns), items, columns, names, top);
                } else if (roll < 70 && depth > 0) {
                    Type[] type = new Type[1];
                    expression(expressions.window(scope, type), type[0], items, columns, names, top);
                } else {
                    Type type = pick(List.of(Type.values()));
                    expression(expressions.expr(scope, type, depth - 1, null), type, items, columns, names, top);
                }
            }
        }
        String distinct = !single && percent() < 10 ? "DISTINCT " : "";
        String sql = "SELECT " + distinct + String.join(", ", items) + from + where + tail;
        boolean ordered = false;
        if (single && !aggregate) {
            sql += orderAndLimit(columns.size(), false) + " LIMIT 1";
            ordered = true;
        } else if (percent() < (top ? 25 : 12)) {
            sql += orderAndLimit(columns.size(), true);
            ordered = true;
        }
        return new Query(sql, columns, ordered);
    }

    /** {@code inner.x = outer.y} on columns of one domain, for a subquery that reads its context; or null. */
    private String correlation(Scope scope) {
        List<String> pairs = new ArrayList<>();
        for (Col inner : scope.columns) {
            for (Col outer : scope.outer.visible()) {
                if (inner.domain() != null && inner.domain().equals(outer.domain())) {
                    pairs.add(expressions.ref(scope, inner) + " = " + expressions.ref(scope, outer));
                }
            }
        }
        return pairs.isEmpty() ? null : pick(pairs);
    }

    private List<Type> aggregateShape(List<Col> keys) {
        List<Type> types = new ArrayList<>(keys.stream().map(Col::type).toList());
        int aggregates = 1 + random.nextInt(2);
        for (int i = 0; i < aggregates; i++) {
            types.add(pick(List.of(Type.values())));
        }
        return types;
    }

    /** {@code *} or {@code alias.*}, now and then with more columns after it. */
    private String star(Scope scope) {
        if (percent() < 50) {
            return "*";
        }
        StringJoiner list = new StringJoiner(", ");
        scope.columns.stream().map(Col::qualifier).distinct().filter(q -> random.nextBoolean())
                .forEach(q -> list.add(q + ".*"));
        if (list.length() == 0 || random.nextBoolean()) {
            list.add(expressions.ref(scope, pick(scope.columns)));
        }
        return list.toString();
    }

    private void item(Scope scope, Col column, List<String> items, List<Col> columns, Set<String> names, boolean top) {
        String ref = expressions.ref(scope, column);
        if (names.add(column.name())) {
            items.add(ref + (percent() < 30 ? " AS " + column.name() : ""));
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
        boolean unnamed = top && percent() < 25;
        items.add(sql + (unnamed ? "" : " AS " + name));
        columns.add(new Col(null, name, type, null));
    }

    /** ORDER BY every output column, so that what a LIMIT keeps does not depend on the plan. */
    private String orderAndLimit(int columns, boolean limit) {
        StringJoiner order = new StringJoiner(", ", " ORDER BY ", "");
        for (int i = 1; i <= columns; i++) {
            order.add(i + (percent() < 30 ? " DESC" : "") + (percent() < 15 ? " NULLS FIRST" : ""));
        }
        if (!limit) {
            return order.toString();
        }
        String sql = order + " LIMIT " + value(random.nextInt(6));
        if (percent() < 30) {
            sql += " OFFSET " + value(random.nextInt(4));
        }
        return sql;
    }

    /** The FROM clause: one to three items joined, adding their columns to {@code scope}. */
    private String from(Scope scope, int depth) {
        StringBuilder sql = new StringBuilder(" FROM ");
        sql.append(fromItem(scope, depth, false));
        int joins = percent() < 45 ? 1 + (percent() < 25 ? 1 : 0) : 0;
        for (int i = 0; i < joins; i++) {
            int roll = percent();
            if (roll < 10 && i == joins - 1) {
                sql.append(", ").append(fromItem(scope, depth, false));
                continue;
            }
            if (roll < 20 && depth > 0) {
                String join = random.nextBoolean() ? " CROSS JOIN LATERAL " : " LEFT JOIN LATERAL ";
                String item = fromItem(scope, depth, true);
                sql.append(join).append(item).append(join.contains("LEFT") ? " ON true" : "");
                continue;
            }
            if (roll < 27) {
                sql.append(" CROSS JOIN ").append(fromItem(scope, depth, false));
                continue;
            }
            String type = pick(List.of(" JOIN ", " INNER JOIN ", " LEFT JOIN ", " LEFT OUTER JOIN ", " RIGHT JOIN ",
                    " FULL JOIN ", " FULL OUTER JOIN ", " JOIN "));
            List<Col> left = List.copyOf(scope.columns);
            String item = fromItem(scope, depth, false);
            List<Col> right = scope.columns.subList(left.size(), scope.columns.size());
            sql.append(type).append(item).append(" ON ")
                    .append(expressions.joinCondition(scope, left, right, !type.contains("FULL")));
        }
        return sql.toString();
    }

    /** One FROM item; a LATERAL one may read the items before it. */
    private String fromItem(Scope scope, int depth, boolean lateral) {
        String alias = alias();
        int roll = percent();
        if (lateral) {
            Scope before = new Scope(List.copyOf(scope.columns), scope.outer);
            Query query = select(before, depth - 1, null, false, false);
            return derived(scope, query, alias);
        }
        if (roll < 12 && depth > 0) {
            Query query = query(scope.outer, depth - 1, null, false);
            return derived(scope, query, alias);
        }
        if (roll < 20 && !ctes.isEmpty()) {
            Cte cte = pick(ctes);
            cte.columns().forEach(c -> scope.columns.add(c.as(alias)));
            return cte.name() + (random.nextBoolean() ? " AS " : " ") + alias;
        }
        if (roll < 24) {
            return values(scope, alias);
        }
        Table table = percent() < 12 ? DifferentialSchema.RARITIES : pick(DifferentialSchema.TENANT_TABLES);
        String qualifier = alias;
        String sql = table.name() + (random.nextBoolean() ? " AS " : " ") + alias;
        if (percent() < 15 && !scope.usesQualifier(table.name())) {
            qualifier = table.name();
            sql = table.name();
        }
        for (Column column : table.columns()) {
            scope.columns.add(new Col(qualifier, column.name(), column.type(), column.domain()));
        }
        return sql;
    }

    private String derived(Scope scope, Query query, String alias) {
        query.columns().forEach(c -> scope.columns.add(c.as(alias)));
        return "(" + query.sql() + ") AS " + alias;
    }

    /** {@code (VALUES (...), ...) AS alias(id, n)}: keys of some table, half of them the tenant's. */
    private String values(Scope scope, String alias) {
        String domain = pick(List.of("team", "player", "card", "rarity"));
        StringJoiner rows = new StringJoiner(", ", "(VALUES ", ")");
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            rows.add("(" + value(expressions.domainValue(domain)) + ", " + value(random.nextInt(10)) + ")");
        }
        scope.columns.add(new Col(alias, "vid", Type.TEXT, domain));
        scope.columns.add(new Col(alias, "vn", Type.INT, null));
        return rows + " AS " + alias + "(vid, vn)";
    }

    static BigDecimal money(int cents) {
        return BigDecimal.valueOf(cents, 2);
    }
}
