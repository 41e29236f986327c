package io.tenantry.jdbc;

import io.tenantry.jdbc.SqlLexer.Kind;
import io.tenantry.jdbc.SqlLexer.Token;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one statement can do to how many rows tables hold, read from its tokens wherever the words stand (the
 * statement itself, its {@code WITH} queries, under {@code EXPLAIN ANALYZE}): the tables it may add rows to
 * ({@code INSERT INTO}, {@code MERGE INTO}, {@code CREATE TABLE ... AS}), remove rows from ({@code DELETE FROM},
 * {@code MERGE INTO}) or empty ({@code TRUNCATE}, {@code DROP TABLE}), and whether it ends the transaction.
 * {@code COPY}, {@code SELECT ... INTO} and {@code DO} never get here: {@link SqlGuard} refuses them. A word
 * that only looks like one of these ({@code SELECT delete FROM t}, a column named {@code delete}) makes a
 * table look written, which costs a check and counts nothing wrong.
 *
 * <p>Immutable; {@link QuotaWrites} caches one per SQL text.
 */
final class RowChanges {

    /** A table as the statement names it: the schema it is qualified with, or null, and the table. */
    record Name(@Nullable String schema, String table) {
    }

    /** How a statement ends the transaction it runs in, if it does. */
    enum Ending {
        NONE, COMMIT, ROLLBACK
    }

    static final RowChanges NONE = new RowChanges(List.of(), List.of(), List.of(), Ending.NONE, false);

    /** Tables the statement may add rows to. */
    final List<Name> added;
    /** Tables the statement may remove rows from. */
    final List<Name> removed;
    /** Tables the statement empties or drops. */
    final List<Name> emptied;
    final Ending ending;
    /**
     * Whether the statement's update count is exactly what its one target gained (a plain {@code INSERT}, also
     * with {@code ON CONFLICT DO NOTHING}) or lost (a plain {@code DELETE}); otherwise (an upsert, whose count
     * adds updated rows to inserted ones, {@code RETURNING}, {@code MERGE}, writing {@code WITH} queries) only the
     * server's own per-transaction row counts tell.
     */
    final boolean counted;

    private RowChanges(List<Name> added, List<Name> removed, List<Name> emptied, Ending ending, boolean counted) {
        this.added = List.copyOf(added);
        this.removed = List.copyOf(removed);
        this.emptied = List.copyOf(emptied);
        this.ending = ending;
        this.counted = counted;
    }

    /** Whether the statement neither changes how many rows a table holds nor ends a transaction. */
    boolean none() {
        return added.isEmpty() && removed.isEmpty() && emptied.isEmpty() && ending == Ending.NONE;
    }

    /** Reads {@code sql}, one statement that {@link SqlGuard} allowed. */
    static RowChanges of(String sql) {
        List<Token> tokens = SqlLexer.tokens(sql);
        if (tokens.isEmpty()) {
            return NONE;
        }
        List<Name> added = new ArrayList<>();
        List<Name> removed = new ArrayList<>();
        List<Name> emptied = new ArrayList<>();
        boolean returning = false;
        boolean upsert = false;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.is("insert") && is(tokens, i + 1, "into")) {
                name(tokens, i + 2, added);
            } else if (token.is("merge") && is(tokens, i + 1, "into")) {
                name(tokens, i + 2, added);
                name(tokens, i + 2, removed);
            } else if (token.is("delete") && is(tokens, i + 1, "from")) {
                name(tokens, i + 2, removed);
            } else if (token.is("returning")) {
                returning = true;
            } else if (token.is("do") && is(tokens, i + 1, "update")) {
                upsert = true;
            }
        }
        Token first = tokens.get(0);
        if (first.is("truncate")) {
            names(tokens, is(tokens, 1, "table") ? 2 : 1, emptied);
        } else if (first.is("drop") && is(tokens, 1, "table")) {
            names(tokens, is(tokens, 2, "if") && is(tokens, 3, "exists") ? 4 : 2, emptied);
        } else if (first.is("create")) {
            createTableAs(tokens, added);
        }
        Ending ending = first.is("commit") || first.is("end") ? Ending.COMMIT
                : first.is("rollback") || first.is("abort") ? Ending.ROLLBACK : Ending.NONE;
        boolean single = added.size() + removed.size() == 1 && emptied.isEmpty() && !returning;
        boolean counted = single && (first.is("insert") && !added.isEmpty() && !upsert
                || first.is("delete") && !removed.isEmpty());
        return added.isEmpty() && removed.isEmpty() && emptied.isEmpty() && ending == Ending.NONE ? NONE
                : new RowChanges(added, removed, emptied, ending, counted);
    }

    /** {@code CREATE [UNLOGGED] TABLE [IF NOT EXISTS] name ... AS query}: AS outside parentheses. */
    private static void createTableAs(List<Token> tokens, List<Name> added) {
        int i = 1;
        while (is(tokens, i, "unlogged") || is(tokens, i, "global") || is(tokens, i, "local")) {
            i++;
        }
        if (!is(tokens, i, "table")) {
            return;
        }
        int at = is(tokens, i + 1, "if") && is(tokens, i + 2, "not") && is(tokens, i + 3, "exists") ? i + 4 : i + 1;
        int depth = 0;
        for (int j = at; j < tokens.size(); j++) {
            Token token = tokens.get(j);
            if (token.kind() == Kind.PUNCTUATION) {
                depth += token.text().equals("(") ? 1 : token.text().equals(")") ? -1 : 0;
            } else if (depth == 0 && token.is("as")) {
                name(tokens, at, added);
                return;
            }
        }
    }

    /** Reads the comma-separated names from {@code at} ({@code TRUNCATE a, ONLY b *}). */
    private static void names(List<Token> tokens, int at, List<Name> into) {
        int i = at;
        while (true) {
            i = name(tokens, i, into);
            while (i < tokens.size() && tokens.get(i).kind() == Kind.OPERATOR && tokens.get(i).text().equals("*")) {
                i++;
            }
            if (i >= tokens.size() || tokens.get(i).kind() != Kind.PUNCTUATION || !tokens.get(i).text().equals(",")) {
                return;
            }
            i++;
        }
    }

    /**
     * Reads the table name at {@code at} ({@code cards}, {@code "Cards"}, {@code s.cards}, after an
     * {@code ONLY}) into {@code into}; returns the index after it.
     */
    private static int name(List<Token> tokens, int at, List<Name> into) {
        int i = is(tokens, at, "only") ? at + 1 : at;
        List<String> parts = new ArrayList<>();
        while (identifier(tokens, i)) {
            parts.add(tokens.get(i).value());
            i++;
            if (i + 1 < tokens.size() && tokens.get(i).kind() == Kind.PUNCTUATION && tokens.get(i).text().equals(".")
                    && identifier(tokens, i + 1)) {
                i++;
            } else {
                break;
            }
        }
        if (!parts.isEmpty()) {
            into.add(new Name(parts.size() > 1 ? parts.get(parts.size() - 2) : null, parts.get(parts.size() - 1)));
        }
        return i;
    }

    private static boolean identifier(List<Token> tokens, int i) {
        return i < tokens.size() && (tokens.get(i).kind() == Kind.IDENTIFIER
                || tokens.get(i).kind() == Kind.QUOTED_IDENTIFIER);
    }

    private static boolean is(List<Token> tokens, int i, String keyword) {
        return i < tokens.size() && tokens.get(i).is(keyword);
    }

    @Override
    public String toString() {
        return "RowChanges{added=" + added + ", removed=" + removed + ", emptied=" + emptied + ", " + ending
                + (counted ? ", counted" : "") + "}";
    }
}
