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
 * Random SQL over {@link DifferentialSchema} for {@link FieldDifferentialProperties}: CTEs (also
 * recursive ones) here, queries with joins of every kind, subqueries in every clause, aggregates,
 * windows and set operations ({@link SqlQueryGenerator}), built from expressions and conditions
 * ({@link SqlExpressionGenerator}), and writes ({@link SqlWriteGenerator}); values as {@code ?}
 * placeholders or literals, written in the ways PostgreSQL reads them. Statements are meant to be
 * valid for the plain schema, and their results not to depend on the plan: a LIMIT comes with an
 * ORDER BY over every output column, an ordered window with an ORDER BY over every column in scope.
 * One instance per sequence of statements; it draws only from its random source, so a seed replays it.
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
        /** Whether its qualifiers name whole rows a query may read ({@code row_to_json(a1)}): not a write's target. */
        boolean wholeRows;
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
    final SqlQueryGenerator queries;
    final SqlWriteGenerator writes;
    private final List<Object> values = new ArrayList<>();
    /** The CTEs the FROM clause being generated may name. */
    List<Cte> ctes = new ArrayList<>();
    /** Aliases of tables whose columns an alias list renames ({@code teams a1(x, y, z)}). */
    final Set<String> renamed = new HashSet<>();
    /** Unique in the sequence, so that values made from it (name || token) never meet older ones. */
    String token = "";
    private int aliases;
    private int cteNames;
    /** Whether the last top-level query ends with an ORDER BY over all its columns. */
    private boolean ordered;

    SqlStatementGenerator(SplittableRandom random, boolean rlsAlone) {
        this.random = random;
        this.rlsAlone = rlsAlone;
        this.expressions = new SqlExpressionGenerator(this);
        this.queries = new SqlQueryGenerator(this);
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
        renamed.clear();
        aliases = 0;
        cteNames = 0;
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
            m.appendReplacement(out, Matcher.quoteReplacement(prepared ? "?" : literal(value)));
        }
        m.appendTail(out);
        return new GeneratedStatement(spelled(out.toString()), parameters, kind, prepared || random.nextBoolean(),
                kind == Kind.READ && ordered);
    }

    /** A literal, now and then as an escape string or a dollar-quoted one, which Tenantry's parser reads too. */
    private String literal(Object value) {
        if (value instanceof String text && !text.contains("\\") && !text.contains("$") && percent() < 10) {
            return random.nextBoolean() ? "E'" + text.replace("'", "\\'") + "'" : "$$" + text + "$$";
        }
        return DifferentialSchema.literal(value);
    }

    /** The statement as people also write it: a lower-case first word, comments, a final semicolon. */
    private String spelled(String sql) {
        int roll = percent();
        int space = sql.indexOf(' ');
        if (roll < 8) {
            return sql.substring(0, space).toLowerCase(java.util.Locale.ROOT) + sql.substring(space);
        }
        if (roll < 12) {
            return sql.substring(0, space) + " /* a comment; with 'quotes' */" + sql.substring(space);
        }
        if (roll < 15) {
            return sql + (random.nextBoolean() ? ";" : " -- a trailing comment");
        }
        return sql;
    }

    /** A value that becomes a {@code ?} placeholder or a literal when the statement is finished. */
    String value(Object value) {
        if (value == null) {
            return "NULL";
        }
        values.add(value);
        return "\u0001" + (values.size() - 1) + "\u0001";
    }

    /** The table's name as a statement may write it: plain, schema-qualified or quoted. */
    String written(Table table) {
        int roll = percent();
        return roll < 6 ? "public." + table.name() : roll < 10 ? "\"" + table.name() + "\"" : table.name();
    }

    /** A WITH query's name, unique in the statement, so that a nested one never hides another. */
    String cteName() {
        return "w" + (++cteNames);
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
        return with + top(percent() < 35 ? 3 : 2);
    }

    /** {@code WITH name AS (query), ...} naming one or two queries that what follows may read. */
    String withClause(int depth) {
        StringJoiner items = new StringJoiner(", ", "WITH ", " ");
        int count = 1 + random.nextInt(2);
        for (int i = 0; i < count; i++) {
            Query body = query(null, depth, null, false);
            String cte = cteName();
            String name = cte;
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
            ctes.add(new Cte(cte, columns));
        }
        return items.toString();
    }

    /** WITH RECURSIVE over the mentor tree or along trades, then a query that reads it. */
    private String recursive() {
        String name = "r" + (ctes.size() + 1);
        String with;
        List<Col> columns;
        if (random.nextBoolean()) {
            String start = random.nextBoolean() ? "mentor_id IS NULL"
                    : "id = " + value(expressions.domainValue("player"));
            with = "WITH RECURSIVE " + name + "(id, name, lvl) AS (SELECT id, name, 1 FROM players WHERE " + start
                    + " UNION ALL SELECT p.id, p.name, " + name + ".lvl + 1 FROM players p JOIN " + name
                    + " ON p.mentor_id = " + name + ".id WHERE " + name + ".lvl < " + (2 + random.nextInt(4)) + ") ";
            columns = List.of(new Col(null, "id", Type.TEXT, "player"), new Col(null, "name", Type.TEXT, null),
                    new Col(null, "lvl", Type.INT, null));
        } else {
            with = "WITH RECURSIVE " + name + "(card_id, total, steps) AS (SELECT id, CAST(price AS numeric), 0"
                    + " FROM cards WHERE "
                    + expressions.condition(scopeOf(DifferentialSchema.CARDS, "cards"), 0, null)
                    + " UNION ALL SELECT " + name + ".card_id, " + name + ".total + t.qty, " + name + ".steps + 1 FROM "
                    + name + " JOIN trades t ON t.card_id = " + name + ".card_id WHERE " + name + ".steps < 2) ";
            columns = List.of(new Col(null, "card_id", Type.TEXT, "card"), new Col(null, "total", Type.NUM, null),
                    new Col(null, "steps", Type.INT, null));
        }
        ctes.add(new Cte(name, columns));
        return with + top(2);
    }

    private String top(int depth) {
        Query query = query(null, depth, null, true);
        ordered = query.ordered();
        return percent() < 3 ? "(" + query.sql() + ")" : query.sql();
    }

    static Scope scopeOf(Table table, String qualifier) {
        Scope scope = new Scope(null);
        for (Column column : table.columns()) {
            scope.columns.add(new Col(qualifier, column.name(), column.type(), column.domain()));
        }
        return scope;
    }

    Query query(Scope outer, int depth, List<Type> shape, boolean top) {
        return queries.query(outer, depth, shape, top);
    }

    Query select(Scope outer, int depth, List<Type> shape, boolean top, boolean single) {
        return queries.select(outer, depth, shape, top, single);
    }

    static BigDecimal money(int cents) {
        return BigDecimal.valueOf(cents, 2);
    }
}
