package io.tenantry.jdbc;

import io.tenantry.jdbc.DifferentialSchema.Type;
import io.tenantry.jdbc.SqlStatementGenerator.Col;
import io.tenantry.jdbc.SqlStatementGenerator.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The expressions, conditions, aggregates and window functions of {@link SqlStatementGenerator}'s
 * statements, typed by {@link Type} family so that what it makes is valid PostgreSQL. An expression
 * in an aggregated query ({@code keys} not null) reads the grouping keys and aggregates only. Every
 * NUM has two decimals: 1.5 and 1.50 are equal to ORDER BY, DISTINCT and GROUP BY but print
 * differently, so mixed scales would make results depend on which of two equal rows the plan meets first.
 */
final class SqlExpressionGenerator {

    private static final List<String> WORDS = List.of("Ann", "Bob", "Oslo", "Bergen", "swap", "big", "Lions", "Owls",
            "t1", "p2", "c3", "common", "O'Neil", "");
    private static final int MAX_NESTING = 3;

    private final SqlStatementGenerator g;
    private int nesting;

    SqlExpressionGenerator(SqlStatementGenerator generator) {
        this.g = generator;
    }

    /** How the statement names {@code column}: qualified, or bare when no other column in scope has its name. */
    String ref(Scope scope, Col column) {
        if (column.qualifier() == null) {
            return column.name();
        }
        if (g.percent() < 30 && scope.unambiguous(column.name())) {
            return column.name();
        }
        return column.qualifier() + "." + column.name();
    }

    /** A value of {@code domain} (a key of some table): the tenant's, another tenant's only, or nobody's. */
    Object domainValue(String domain) {
        return switch (domain) {
            case "team" -> "t" + (1 + g.random.nextInt(6));
            case "player" -> "p" + (1 + g.random.nextInt(10));
            case "card" -> "c" + (1 + g.random.nextInt(14));
            case "trade" -> "x" + (1 + g.random.nextInt(14));
            case "rarity" -> g.percent() < 5 ? "mythic" : g.pick(DifferentialSchema.RARITY_CODES);
            default -> throw new IllegalArgumentException(domain);
        };
    }

    Object plainValue(Type type) {
        return switch (type) {
            case INT -> g.random.nextInt(-2, 41);
            case NUM -> SqlStatementGenerator.money(g.pick(List.of(0, 75, 150, 1200, 999, 3330, 4025, 25000, 5050)));
            case TEXT -> g.pick(WORDS);
        };
    }

    /** A literal (or placeholder) fit to be compared with {@code column}. */
    String valueLike(Col column) {
        return g.value(column.domain() != null && g.percent() < 80 ? domainValue(column.domain())
                : plainValue(column.type()));
    }

    private Col column(Scope scope, Type type) {
        List<Col> here = scope.columns.stream().filter(c -> c.type() == type).toList();
        List<Col> anywhere = scope.visible().stream().filter(c -> c.type() == type).toList();
        if (!anywhere.isEmpty() && (here.isEmpty() || g.percent() < 15)) {
            return g.pick(anywhere);
        }
        return here.isEmpty() ? null : g.pick(here);
    }

    /** An expression of {@code type}; with {@code keys}, one valid in a query grouped by them. */
    String expr(Scope scope, Type type, int depth, List<Col> keys) {
        int roll = g.percent();
        if (keys != null) {
            List<Col> sameType = keys.stream().filter(k -> k.type() == type).toList();
            if (roll < 45 || (roll < 70 && sameType.isEmpty())) {
                return aggregate(scope, type);
            }
            if (roll < 70) {
                return ref(scope, g.pick(sameType));
            }
            if (roll < 80) {
                return g.value(plainValue(type));
            }
            if (roll < 88 && depth > 0) {
                return scalarSubquery(new Scope(keys, scope.outer, true), type, depth);
            }
            return compound(scope, type, depth, keys);
        }
        Col column = column(scope, type);
        if (column != null && roll < 45) {
            return ref(scope, column);
        }
        if (roll < 60) {
            return column != null && g.random.nextBoolean() ? valueLike(column) : g.value(plainValue(type));
        }
        if (roll < 88 || depth <= 0) {
            return compound(scope, type, depth, null);
        }
        return scalarSubquery(scope, type, depth);
    }

    private String scalarSubquery(Scope scope, Type type, int depth) {
        return "(" + g.select(scope, depth - 1, List.of(type), false, true).sql() + ")";
    }

    private String compound(Scope scope, Type type, int depth, List<Col> keys) {
        if (nesting >= MAX_NESTING) {
            Col column = keys == null ? column(scope, type) : null;
            return column != null ? ref(scope, column) : g.value(plainValue(type));
        }
        if (type == Type.TEXT && keys == null && scope.wholeRows && !g.rlsAlone && g.percent() < 6) {
            return wholeRow(scope);
        }
        nesting++;
        try {
            String a = expr(scope, type, depth, keys);
            int roll = g.random.nextInt(8);
            if (roll == 0) {
                return "CASE WHEN " + condition(scope, depth, keys) + " THEN " + a + " ELSE "
                        + expr(scope, type, depth, keys) + " END";
            }
            if (roll == 1) {
                return "coalesce(" + a + ", " + g.value(plainValue(type)) + ")";
            }
            return switch (type) {
                case INT -> switch (roll) {
                    case 2 -> "(" + a + " + " + expr(scope, type, depth, keys) + ")";
                    case 3 -> "(" + a + " * " + g.value(g.random.nextInt(1, 4)) + ")";
                    case 4 -> "abs(" + a + ")";
                    case 5 -> "length(" + expr(scope, Type.TEXT, depth, keys) + ")";
                    case 6 -> "mod(" + a + ", 3)";
                    default -> "greatest(" + a + ", " + expr(scope, type, depth, keys) + ")";
                };
                case NUM -> switch (roll) {
                    case 2 -> "(" + a + " + " + expr(scope, type, depth, keys) + ")";
                    case 3 -> "(" + expr(scope, Type.INT, depth, keys) + " * 1.50)";
                    case 4 -> "round(" + a + " / 3, 2)";
                    case 5 -> g.random.nextBoolean()
                            ? "CAST(" + expr(scope, Type.INT, depth, keys) + " AS numeric(8, 2))"
                            : "(" + expr(scope, Type.INT, depth, keys) + ")::numeric(8, 2)";
                    case 6 -> "round(" + a + " / 4, 2)";
                    default -> "abs(" + a + ")";
                };
                case TEXT -> switch (roll) {
                    case 2 -> "upper(" + a + ")";
                    case 3 -> "(" + a + " || " + g.value(plainValue(type)) + ")";
                    case 4 -> "substr(" + a + ", 1, 2)";
                    case 5 -> "concat(" + a + ", '-', " + expr(scope, type, depth, keys) + ")";
                    case 6 -> g.random.nextBoolean() ? "CAST(" + expr(scope, Type.INT, depth, keys) + " AS text)"
                            : "(" + expr(scope, Type.INT, depth, keys) + ")::text";
                    default -> "lower(" + a + ")";
                };
            };
        } finally {
            nesting--;
        }
    }

    /** Mostly a column of the level, so that aggregates summarise rows rather than constants. */
    private String argument(Scope level, Type type) {
        Col column = column(level, type);
        return column != null && g.percent() < 65 ? ref(level, column) : expr(level, type, 0, null);
    }

    /**
     * A whole row of one FROM item as text: a tenant table's must not show the tenant column. (Not under
     * row-level security alone, where it does, as written; nor of a table whose columns an alias list
     * renames: PostgreSQL names its fields after the table's columns, the tenant's subquery after the alias
     * list, a known difference.)
     */
    private String wholeRow(Scope scope) {
        List<String> qualifiers = scope.columns.stream().map(Col::qualifier).filter(q -> !g.renamed.contains(q))
                .toList();
        if (qualifiers.isEmpty()) {
            return g.value(plainValue(Type.TEXT));
        }
        String qualifier = g.pick(qualifiers);
        return g.random.nextBoolean() ? "CAST(row_to_json(" + qualifier + ") AS text)"
                : "CAST(" + qualifier + " AS text)";
    }

    /** An aggregate over the current level's columns, of {@code type}. */
    String aggregate(Scope scope, Type type) {
        // arguments read this level only: an aggregate of outer columns alone would belong to the outer query
        Scope level = new Scope(scope.columns, null, scope.partial);
        int roll = g.random.nextInt(6);
        return switch (type) {
            case INT -> switch (roll) {
                case 0 -> "count(*)";
                case 1 -> "count(" + argument(level, g.pick(List.of(Type.values()))) + ")";
                case 2 -> "count(DISTINCT " + argument(level, g.pick(List.of(Type.values()))) + ")";
                case 3 -> "sum(" + argument(level, Type.INT) + ")";
                case 4 -> "count(*) FILTER (WHERE " + condition(level, 0, null) + ")";
                default -> (g.random.nextBoolean() ? "max(" : "min(") + argument(level, Type.INT) + ")";
            };
            case NUM -> switch (roll) {
                case 0, 1 -> "sum(" + argument(level, Type.NUM) + ")";
                case 2 -> "round(avg(" + argument(level, g.pick(List.of(Type.INT, Type.NUM))) + "), 2)";
                case 3 -> "round(avg(" + argument(level, Type.NUM) + "), 2)";
                case 4 -> "sum(" + argument(level, Type.NUM) + ") FILTER (WHERE " + condition(level, 0, null) + ")";
                default -> (g.random.nextBoolean() ? "max(" : "min(") + argument(level, Type.NUM) + ")";
            };
            case TEXT -> switch (roll) {
                case 0, 1 -> {
                    String text = argument(level, Type.TEXT);
                    yield "string_agg(" + text + ", ',' ORDER BY " + text + ")";
                }
                case 2 -> {
                    String text = "CAST(" + argument(level, Type.TEXT) + " AS text)";
                    yield "CAST(array_agg(" + text + " ORDER BY " + text + ") AS text)";
                }
                default -> (g.random.nextBoolean() ? "max(" : "min(") + argument(level, Type.TEXT) + ")";
            };
        };
    }

    /** A condition; with {@code keys}, one valid in the HAVING clause of a query grouped by them. */
    String condition(Scope scope, int depth, List<Col> keys) {
        int roll = g.percent();
        if (nesting < MAX_NESTING && roll < 14) {
            nesting++;
            try {
                String left = condition(scope, depth, keys);
                return switch (g.random.nextInt(5)) {
                    case 0, 1 -> "(" + left + " AND " + condition(scope, depth, keys) + ")";
                    case 2, 3 -> "(" + left + " OR " + condition(scope, depth, keys) + ")";
                    default -> "NOT (" + left + ")";
                };
            } finally {
                nesting--;
            }
        }
        List<Col> visible = scope.visible();
        Type type = visible.isEmpty() || g.percent() < 10 ? g.pick(List.of(Type.values())) : g.pick(visible).type();
        if (keys != null) {
            return expr(scope, type, depth, keys) + " " + comparison() + " " + expr(scope, type, depth, keys);
        }
        Col column = column(scope, type);
        if (column == null) {
            return expr(scope, type, depth, null) + " " + comparison() + " " + g.value(plainValue(type));
        }
        String ref = ref(scope, column);
        if (depth > 0 && roll >= 72) {
            return subqueryCondition(scope, depth, ref, column);
        }
        if (roll < 42) {
            String other = g.percent() < 60 ? valueLike(column) : expr(scope, type, depth, null);
            return ref + " " + comparison() + " " + other;
        }
        if (roll < 50) {
            return ref + (g.random.nextBoolean() ? " IS NULL" : " IS NOT NULL");
        }
        if (roll < 58) {
            StringJoiner list = new StringJoiner(", ", (g.percent() < 25 ? " NOT" : "") + " IN (", ")");
            int count = 1 + g.random.nextInt(3);
            for (int i = 0; i < count; i++) {
                list.add(valueLike(column));
            }
            return ref + list;
        }
        if (roll < 63 && type != Type.TEXT) {
            return ref + " BETWEEN " + g.value(plainValue(type)) + " AND " + g.value(plainValue(type));
        }
        if (roll < 66 && type == Type.TEXT) {
            return ref + (g.random.nextBoolean() ? " LIKE " : " NOT LIKE ")
                    + g.value(g.pick(List.of("t%", "p_", "%o%", "c1%", "L%", "%s")));
        }
        return ref + (g.random.nextBoolean() ? " IS DISTINCT FROM " : " IS NOT DISTINCT FROM ") + valueLike(column);
    }

    private String subqueryCondition(Scope scope, int depth, String ref, Col column) {
        int roll = g.random.nextInt(7);
        if (roll < 2) {
            String query = g.percent() < 30 ? g.queries.nested(scope, depth - 1, null).sql()
                    : g.select(scope, depth - 1, null, false, false).sql();
            return (roll == 0 ? "NOT " : "") + "EXISTS (" + query + ")";
        }
        Col second = g.pick(scope.columns.isEmpty() ? scope.visible() : scope.columns);
        if (roll == 2 && g.random.nextBoolean()) {
            // a row compared with the rows of a subquery
            String query = g.queries.nested(scope, depth - 1, List.of(column.type(), second.type())).sql();
            return "(" + ref + ", " + ref(scope, second) + ")" + (g.random.nextBoolean() ? " IN (" : " NOT IN (")
                    + query + ")";
        }
        String query = g.queries.nested(scope, depth - 1, List.of(column.type())).sql();
        return switch (roll) {
            case 2, 3 -> ref + " IN (" + query + ")";
            case 4 -> ref + " NOT IN (" + query + ")";
            case 5 -> ref + " " + comparison() + " ANY (" + query + ")";
            default -> ref + " " + comparison() + " ALL (" + query + ")";
        };
    }

    private String comparison() {
        return g.pick(List.of("=", "=", "<>", "<", "<=", ">", ">="));
    }

    /** {@code left.x = right.y} on a key and what references it if there is one; FULL JOIN takes equalities only. */
    String joinCondition(Scope scope, List<Col> left, List<Col> right, boolean extra) {
        List<String> keyed = new ArrayList<>();
        List<String> typed = new ArrayList<>();
        for (Col l : left) {
            for (Col r : right) {
                String equal = ref(scope, l) + " = " + ref(scope, r);
                if (l.domain() != null && l.domain().equals(r.domain())) {
                    keyed.add(equal);
                } else if (l.type() == r.type()) {
                    typed.add(equal);
                }
            }
        }
        String condition = !keyed.isEmpty() && g.percent() < 85 ? g.pick(keyed)
                : !typed.isEmpty() ? g.pick(typed) : "true";
        if (extra && g.percent() < 25) {
            condition += " AND " + condition(scope, 0, null);
        }
        return condition;
    }

    /**
     * A window function over the current level, its type in {@code type[0]}. An ORDER BY that decides the
     * result names every column in scope, so rows it cannot tell apart are equal.
     */
    String window(Scope scope, Type[] type) {
        StringJoiner all = new StringJoiner(", ", "ORDER BY ", "");
        scope.columns.forEach(c -> all.add(ref(scope, c) + (g.percent() < 20 ? " DESC" : "")));
        Col partition = g.pick(scope.columns);
        Col value = g.pick(scope.columns);
        String by = "PARTITION BY " + ref(scope, partition);
        type[0] = Type.INT;
        return switch (g.random.nextInt(9)) {
            case 0 -> "count(*) OVER (" + by + ")";
            case 1 -> "rank() OVER (ORDER BY " + ref(scope, value) + (g.random.nextBoolean() ? " DESC" : "") + ")";
            case 2 -> "dense_rank() OVER (" + by + " ORDER BY " + ref(scope, value) + ")";
            case 3 -> "row_number() OVER (" + all + ")";
            case 4 -> "row_number() OVER (" + by + " " + all + ")";
            case 5 -> {
                type[0] = value.type();
                yield "lag(" + ref(scope, value) + ") OVER (" + all + ")";
            }
            case 6 -> {
                type[0] = value.type();
                yield "first_value(" + ref(scope, value) + ") OVER (" + by + " " + all + ")";
            }
            case 7 -> {
                type[0] = value.type();
                yield "max(" + ref(scope, value) + ") OVER (" + (g.random.nextBoolean() ? by : "") + ")";
            }
            default -> {
                Col number = column(new Scope(scope.columns, null), Type.INT);
                if (number == null) {
                    yield "count(*) OVER ()";
                }
                yield "sum(" + ref(scope, number) + ") OVER (" + all + " ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)";
            }
        };
    }
}
