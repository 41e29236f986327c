package io.tenantry.jdbc;

import io.tenantry.IsolationViolationException;
import io.tenantry.jdbc.FieldCatalogue.TenantTable;
import io.tenantry.jdbc.SqlLexer.Kind;
import io.tenantry.jdbc.SqlLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.TableStatement;

/**
 * Rewrites one statement of tenant code on the FIELD model so that it can only read or write the
 * bound tenant's rows of the tenant tables, or refuses it. Thread-safe; {@link FieldStatements}
 * caches what it returns per SQL text.
 *
 * <p>How: every tenant table that a statement reads, wherever it stands (joins on either side of an
 * outer join, subqueries in any clause, CTEs, set operations, {@code LATERAL}), is replaced by a
 * subquery of the tenant's rows with the tenant column left out ({@code (SELECT "id", "name" FROM
 * "public"."cards" WHERE "tenant_id" = <tenant>) cards}); PostgreSQL pulls such subqueries up into
 * the outer query, so plans stay those of the raw statement. Writes add the tenant condition to their
 * own target ({@link FieldWrites}). The walk that wraps the reads ({@link FieldCheck}) visits every object of the parsed
 * tree and refuses the statement if any tenant table is left unconfined, so a clause the rewriting does
 * not know fails closed instead of passing through. The tenant is never a literal: {@code <tenant>} reads
 * a setting that each checkout sets, so the text is the same for every tenant and the driver's prepared
 * statements are shared.
 */
final class FieldRewriter {

    /**
     * A statement as it reaches the driver.
     *
     * @param sql the SQL to send
     * @param tenantParameters the 1-based indexes of {@code ?} placeholders whose value the caller gives for
     *     the tenant column: each bound value must equal the bound tenant
     * @param tenantLiterals literals the caller wrote for the tenant column: each must equal the bound tenant
     */
    record Rewrite(String sql, int[] tenantParameters, List<String> tenantLiterals) {

        Rewrite {
            tenantLiterals = List.copyOf(tenantLiterals);
        }

        static Rewrite unchanged(String sql) {
            return new Rewrite(sql, new int[0], List.of());
        }

        boolean checksTenantValues() {
            return tenantParameters.length > 0 || !tenantLiterals.isEmpty();
        }
    }

    /** Commands with no table in them; they pass as they are (SqlGuard has checked them). */
    private static final Set<String> NO_TABLES = Set.of("begin", "start", "commit", "end", "rollback", "abort",
            "savepoint", "release", "set", "show", "fetch", "move", "close");

    /** Commands the parser reads and this class rewrites. */
    private static final Set<String> REWRITTEN = Set.of("select", "with", "values", "table", "insert", "update",
            "delete", "merge");

    /**
     * Where JSqlParser parses, so that its time-out still bounds a pathological statement: its
     * one-argument {@code parse} starts a thread per call, which cost more than the parse itself for
     * short statements. Daemon threads, created on demand and ended after a minute idle.
     */
    private static final ExecutorService PARSER = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), task -> {
                Thread thread = new Thread(task, "tenantry-sql-parser");
                thread.setDaemon(true);
                return thread;
            });

    private static final Set<String> WRITES = Set.of("insert", "update", "delete", "merge");

    final FieldCatalogue catalogue;
    private final Map<String, Expression> tenantValues = new ConcurrentHashMap<>();

    FieldRewriter(FieldCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /**
     * Returns {@code sql}, which {@link SqlGuard} allowed, confined to the bound tenant's rows.
     *
     * @throws IsolationViolationException if it cannot be proven confined; the message says why and what
     *     to do instead
     */
    Rewrite rewrite(String sql) {
        List<Token> tokens = new ArrayList<>(SqlLexer.tokens(sql));
        while (!tokens.isEmpty() && tokens.get(tokens.size() - 1).kind() == Kind.SEMICOLON) {
            tokens.remove(tokens.size() - 1);
        }
        if (tokens.isEmpty()) {
            return Rewrite.unchanged(sql);
        }
        Token first = tokens.get(0);
        String command = first.kind() == Kind.IDENTIFIER ? first.value() : first.text();
        if (NO_TABLES.contains(command)) {
            return Rewrite.unchanged(sql);
        }
        if (!REWRITTEN.contains(command) && !command.equals("(")) {
            throw FieldSql.refused(sql, refusal(command));
        }
        FieldSql.refuseSequenceFunctions(sql, tokens);
        if (!namesTenantTable(tokens)) {
            // a statement reaches a table's rows only by naming it: nothing here to confine
            return Rewrite.unchanged(sql);
        }
        FieldSql.Canonical canonical = FieldSql.canonical(sql, tokens);
        Statement statement;
        try {
            statement = CCJSqlParserUtil.parse(canonical.text(), PARSER, null);
        } catch (JSQLParserException | RuntimeException e) {
            throw FieldSql.refused(sql, "it names a tenant table, and Tenantry's SQL parser (JSqlParser) cannot read"
                    + " it, so it cannot be confined to the tenant. Write it in standard PostgreSQL; quote column"
                    + " names that are keywords (\"value\", \"key\")");
        }
        if (!(statement instanceof Select) && !FieldWrites.isWrite(statement)) {
            throw FieldSql.refused(sql, "the FIELD model confines SELECT, INSERT, UPDATE, DELETE and MERGE only");
        }
        if (statement instanceof TableStatement) {
            throw FieldSql.refused(sql, "TABLE is not rewritten. Write SELECT * FROM the table");
        }
        FieldWrites writes = new FieldWrites(this, sql);
        writes.confine(statement);
        FieldCheck walk = new FieldCheck(this, sql, writes.confined());
        walk.confine(statement);
        return new Rewrite(FieldSql.restore(numberedToPlain(sql, statement, walk.parameters()), canonical),
                writes.tenantParameters(), writes.tenantLiterals());
    }

    /**
     * Returns whether any word of the statement is the name of a tenant table, or of a shared table in a
     * statement that writes somewhere.
     */
    private boolean namesTenantTable(List<Token> tokens) {
        boolean writes = false;
        boolean shared = false;
        for (Token token : tokens) {
            if (token.kind() == Kind.IDENTIFIER || token.kind() == Kind.QUOTED_IDENTIFIER) {
                if (catalogue.tenantTables().containsKey(token.value())) {
                    return true;
                }
                shared |= catalogue.sharedTables().contains(token.value());
                writes |= token.kind() == Kind.IDENTIFIER && WRITES.contains(token.value());
            }
        }
        return writes && shared;
    }

    /** The tenant table a name written in SQL ({@code cards}, {@code "Cards"}, {@code public.cards}) means, or null. */
    TenantTable tenantTable(net.sf.jsqlparser.schema.Table table) {
        return lookUp(table) instanceof TenantTable tenant ? tenant : null;
    }

    /** Returns the tenant table {@code table} names, {@code Boolean.TRUE} for a shared table of the schema, or null. */
    Object lookUp(net.sf.jsqlparser.schema.Table table) {
        if (table.getName() == null) {
            return null;
        }
        String schema = table.getSchemaName();
        if (schema != null && !name(schema).equals(catalogue.schema())) {
            return null;
        }
        String name = name(table.getName());
        boolean known = catalogue.tenantTables().containsKey(name) || catalogue.sharedTables().contains(name);
        if (known && table.getDatabaseName() != null && !table.getDatabaseName().isEmpty()) {
            // PostgreSQL reads database.schema.table as the current database's table
            throw new IsolationViolationException("Refused the table " + table.getFullyQualifiedName() + ", named with"
                    + " its database: PostgreSQL reads it as the current database's, where Tenantry would not confine"
                    + " it to the tenant. Drop the database name.");
        }
        TenantTable tenant = catalogue.tenantTable(name);
        if (tenant != null) {
            return tenant;
        }
        return catalogue.sharedTables().contains(name) ? Boolean.TRUE : null;
    }

    /** The name PostgreSQL resolves for an identifier as written: quoted ones as they are, others folded. */
    static String name(String written) {
        if (written.length() >= 2 && written.charAt(0) == '"' && written.endsWith("\"")) {
            return written.substring(1, written.length() - 1).replace("\"\"", "\"");
        }
        return written.toLowerCase(Locale.ROOT);
    }

    /** The bound tenant as a value of {@code table}'s tenant column, one parsed expression per column type. */
    Expression tenantValue(TenantTable table) {
        return tenantValues.computeIfAbsent(table.tenantType(), type -> {
            try {
                return CCJSqlParserUtil.parseExpression(FieldCatalogue.tenantValue(type));
            } catch (JSQLParserException e) {
                throw new IllegalStateException("Cannot parse the tenant value of type " + type, e);
            }
        });
    }

    /**
     * Prints the tree with numbered placeholders ({@code ?1}, {@code ?2}) and checks that they come out in
     * the order the caller wrote them, so that the indexes the caller binds still mean the same values
     * (the parser prints {@code OFFSET ? LIMIT ?} as {@code LIMIT ? OFFSET ?}, for one); then drops the
     * numbers.
     */
    private static String numberedToPlain(String sql, Statement statement, List<JdbcParameter> parameters) {
        for (JdbcParameter parameter : parameters) {
            parameter.setUseFixedIndex(true);
        }
        String printed = statement.toString();
        List<Token> tokens = SqlLexer.tokens(printed);
        StringBuilder out = new StringBuilder(printed.length());
        int copied = 0;
        int expected = 1;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.kind() != Kind.PLACEHOLDER) {
                continue;
            }
            Token number = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
            if (number == null || number.kind() != Kind.NUMBER || number.start() != token.start() + 1
                    || !number.text().equals(Integer.toString(expected))) {
                throw FieldSql.refused(sql, "rewriting it would move its ? placeholders out of the order they are"
                        + " bound in. Write the clauses in PostgreSQL's order (LIMIT before OFFSET)");
            }
            out.append(printed, copied, token.start() + 1);
            copied = number.start() + number.text().length();
            expected++;
        }
        if (expected - 1 != parameters.size()) {
            throw FieldSql.refused(sql, "rewriting it lost or added ? placeholders");
        }
        return out.append(printed, copied, printed.length()).toString();
    }

    private static String refusal(String command) {
        String name = command.toUpperCase(Locale.ROOT);
        return switch (command) {
            case "create", "alter", "drop", "comment", "refresh", "truncate", "analyze", "analyse", "vacuum" -> name
                    + " on the FIELD model would act on tables every tenant shares. Put schema changes in the"
                    + " migrations Tenantry runs for the shared schema, and delete a tenant's rows with DELETE";
            case "lock" -> "LOCK TABLE would lock a table every tenant shares. Lock the tenant's rows with SELECT ..."
                    + " FOR UPDATE";
            case "explain" -> "EXPLAIN shows the planner's row estimates for shared tables, which count every"
                    + " tenant's rows. Explain the statement as an operator, outside the tenant's scope";
            case "call" -> "a procedure's SQL runs without the tenant condition Tenantry adds. Run the statements"
                    + " themselves";
            case "declare" -> "a cursor's query is not rewritten. Use a PreparedStatement with setFetchSize inside a"
                    + " transaction to stream rows";
            default -> name + " is not a statement tenant code may run on the FIELD model";
        };
    }
}
