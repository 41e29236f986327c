package io.tenantry.jdbc;

import io.tenantry.IsolationViolationException;
import io.tenantry.jdbc.SqlLexer.Kind;
import io.tenantry.jdbc.SqlLexer.LexException;
import io.tenantry.jdbc.SqlLexer.Token;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The first wall around a tenant-confined PostgreSQL connection: it reads the SQL that tenant code
 * sends and refuses what could leave the tenant's schema or database, or leave state behind on a
 * pooled connection for the next tenant. PostgreSQL's privileges are the second wall; this one
 * exists because some things ignore privileges (the {@code pg_} catalogs list every tenant's
 * objects) and some outlive a checkout (roles, search paths, temporary tables, holdable cursors).
 *
 * <p>It fails closed: a statement must start with an allowed keyword, and anything it cannot read
 * with certainty (an unterminated literal, a second statement, a name it does not know in a
 * {@code SET}) is refused. It reads tokens from {@link SqlLexer}, never raw text, so words inside
 * literals and comments neither trigger nor hide anything.
 *
 * <p>Stateless and thread-safe; the adapter caches verdicts per SQL string.
 */
final class SqlGuard {

    /** What an allowed statement does to the session. */
    enum Verdict {
        /** Nothing that outlives the transaction. */
        PLAIN,
        /** An allowed {@code SET}: the connection needs {@code RESET ALL} before the next tenant gets it. */
        SETS_SESSION
    }

    private static final int EXCERPT_LENGTH = 100;

    private static final Set<String> PG_FUNCTIONS_ALLOWED = Set.of("pg_sleep", "pg_sleep_for", "pg_typeof",
            "pg_advisory_xact_lock", "pg_try_advisory_xact_lock", "pg_advisory_xact_lock_shared",
            "pg_try_advisory_xact_lock_shared", "pg_backend_pid", "pg_column_size", "pg_size_pretty");

    /** Settings a tenant may change: they affect only its own statements, and RESET ALL undoes them. */
    private static final Set<String> SETTINGS = Set.of("statement_timeout", "lock_timeout",
            "idle_in_transaction_session_timeout", "transaction_timeout", "timezone", "datestyle", "intervalstyle",
            "extra_float_digits", "client_min_messages", "application_name", "work_mem", "bytea_output", "jit",
            "enable_seqscan", "enable_indexscan", "enable_bitmapscan", "enable_hashjoin", "enable_mergejoin",
            "enable_nestloop", "random_page_cost", "default_transaction_isolation", "plan_cache_mode");

    private static final Set<String> OBJECT_KINDS = Set.of("table", "index", "view", "sequence", "type", "domain");

    private static final Set<String> TEMPORARY = Set.of("temp", "temporary", "global", "local");

    private static final Set<String> EXPLAINABLE = Set.of("select", "insert", "update", "delete", "merge", "values",
            "with", "table", "create", "declare");

    /**
     * Object-identifier types that print or resolve any object's name: prefixes, so that their arrays
     * ({@code _regclass}), I/O functions ({@code regclassout}) and the {@code to_reg*} functions count too.
     */
    private static final List<String> REG_PREFIXES = List.of("regclass", "regcollation", "regconfig",
            "regdictionary", "regnamespace", "regoper", "regproc", "regrole", "regtype", "_regclass", "_regcollation",
            "_regconfig", "_regdictionary", "_regnamespace", "_regoper", "_regproc", "_regrole", "_regtype", "to_reg");

    /** Functions that run SQL handed to them as a string, which this guard never sees. */
    private static final Set<String> RUNS_SQL_TEXT = Set.of("query_to_xml", "query_to_xmlschema",
            "query_to_xml_and_xmlschema", "query_to_json", "table_to_xml", "table_to_xmlschema",
            "table_to_xml_and_xmlschema", "cursor_to_xml", "cursor_to_xmlschema", "schema_to_xml",
            "schema_to_xmlschema", "schema_to_xml_and_xmlschema", "database_to_xml", "database_to_xmlschema",
            "database_to_xml_and_xmlschema", "ts_stat", "ts_rewrite", "connectby", "xpath_table");

    /** Functions that look any object up by OID and print its name or comment, whichever tenant owns it. */
    private static final Set<String> BY_OID = Set.of("format_type", "obj_description", "col_description",
            "shobj_description", "row_security_active", "makeaclitem", "aclexplode", "acldefault", "aclcontains",
            "aclinsert", "aclremove", "_aclitem");

    private final String sql;
    private final List<Token> tokens;

    private SqlGuard(String sql, List<Token> tokens) {
        this.sql = sql;
        this.tokens = tokens;
    }

    /**
     * Returns whether {@code sql}, one statement, may run on a tenant-confined connection, and what it
     * does to the session. Empty SQL and SQL of only comments are {@link Verdict#PLAIN}.
     *
     * @throws IsolationViolationException if the statement is refused; the message quotes the start of
     *     the SQL, says why, and what to do instead
     */
    static Verdict check(String sql) {
        List<Token> tokens;
        try {
            tokens = SqlLexer.tokens(sql);
        } catch (LexException e) {
            throw refused(sql, "it " + e.getMessage());
        }
        int end = 0;
        while (end < tokens.size() && tokens.get(end).kind() != Kind.SEMICOLON) {
            end++;
        }
        for (int i = end; i < tokens.size(); i++) {
            if (tokens.get(i).kind() != Kind.SEMICOLON) {
                throw refused(sql, "it holds more than one statement, and tenant code may send only one at a"
                        + " time. Send one statement per call; use addBatch for several");
            }
        }
        if (end == 0) {
            return Verdict.PLAIN;
        }
        SqlGuard guard = new SqlGuard(sql, tokens.subList(0, end));
        Verdict verdict = guard.statement(0);
        guard.checkWords();
        return verdict;
    }

    /** Checks every token, wherever it stands: names that ignore privileges, SELECT INTO, glued placeholders. */
    private void checkWords() {
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            switch (token.kind()) {
                case IDENTIFIER -> {
                    checkName(token.value());
                    if (token.is("into")) {
                        checkInto(i);
                    }
                }
                case QUOTED_IDENTIFIER -> {
                    checkName(token.value().toLowerCase(Locale.ROOT));
                    if (token.text().regionMatches(true, 0, "u&", 0, 2) && is(i + 1, "uescape")) {
                        throw refused("it changes the escape character of a Unicode identifier with UESCAPE."
                                + " Write the identifier with the default \\ escapes, or unescaped");
                    }
                }
                case PLACEHOLDER -> checkPlaceholder(token);
                case STRING -> checkDriverReadsAlike(token);
                default -> {
                }
            }
        }
    }

    private void checkName(String name) {
        String reason = forbidden(name);
        if (reason != null) {
            throw refused("it uses \"" + name + "\": " + reason);
        }
    }

    /**
     * Returns whether {@code sql}, already allowed by {@link #check}, asks for a read-write transaction
     * ({@code BEGIN READ WRITE}, {@code SET TRANSACTION READ WRITE}), which a read-only tenant may not.
     * Reads tokens, so comments between the words do not hide them and literals do not fake them.
     */
    static boolean asksReadWrite(String sql) {
        List<Token> tokens = SqlLexer.tokens(sql);
        for (int i = 1; i < tokens.size(); i++) {
            if (tokens.get(i).is("write") && tokens.get(i - 1).is("read")) {
                return true;
            }
        }
        return false;
    }

    private static @Nullable String forbidden(String name) {
        if ((name.startsWith("pg_") && !PG_FUNCTIONS_ALLOWED.contains(name)) || name.startsWith("_pg_")) {
            return "PostgreSQL's catalogs and administrative functions ignore privileges and list or measure every"
                    + " tenant's objects. Query information_schema instead, which PostgreSQL filters by privilege";
        }
        if (name.equals("set_config")) {
            return "set_config changes settings (the role or search_path among them) behind SET's back. Use SET"
                    + " with one of the settings a tenant may change";
        }
        for (String prefix : REG_PREFIXES) {
            if (name.startsWith(prefix)) {
                return "object-identifier types and to_reg functions name or confirm other tenants' objects."
                        + " Compare names as text, from information_schema";
            }
        }
        if (name.startsWith("dblink")) {
            return "dblink opens connections that Tenantry does not confine. Use the tenant's own connection";
        }
        if (name.startsWith("lo_") || name.equals("loread") || name.equals("lowrite")) {
            return "large objects are database-wide, shared by every tenant. Store the bytes in a bytea column";
        }
        if (RUNS_SQL_TEXT.contains(name) || name.startsWith("crosstab")) {
            return "it runs SQL given as a string, which this guard never sees. Write that query itself";
        }
        if (BY_OID.contains(name) || name.startsWith("aclitem")
                || (name.startsWith("has_") && name.endsWith("_privilege"))) {
            return "it looks objects up by OID or name across every tenant. Query information_schema instead";
        }
        return null;
    }

    /** {@code SELECT ... INTO} creates a table, and {@code INTO TEMP} one that outlives the tenant's checkout. */
    private void checkInto(int i) {
        if (!(is(i - 1, "insert") || is(i - 1, "merge"))) {
            throw refused("SELECT ... INTO creates a table. Use CREATE TABLE ... AS SELECT, or SELECT the rows");
        }
        if (TEMPORARY.contains(word(i + 1))) {
            throw refused("INTO TEMP would create a temporary table. If the table is really named \""
                    + word(i + 1) + "\", write the name in double quotes");
        }
    }

    /**
     * The JDBC driver scans the SQL too, to find placeholders, and where it sees code it rewrites
     * {@code ?}. It does not join an {@code E'...'} string continued on a new line the way PostgreSQL
     * does, nor open an {@code E'} or dollar quote glued to a number or name; there, the driver could
     * rewrite text that this guard and PostgreSQL read as a literal, and so end a dollar quote early.
     */
    private void checkDriverReadsAlike(Token token) {
        char first = token.text().charAt(0);
        boolean escapeString = first == 'e' || first == 'E';
        if ((escapeString || first == '$') && token.start() > 0
                && SqlLexer.isIdentifierPart(sql.charAt(token.start() - 1))) {
            throw refused("the literal at offset " + token.start() + " touches the number or name before it,"
                    + " where the JDBC driver does not see a literal. Put a space before it");
        }
        if (escapeString && (token.text().indexOf('\n') >= 0 || token.text().indexOf('\r') >= 0)) {
            throw refused("the E'...' string at offset " + token.start() + " spans lines; PostgreSQL joins string"
                    + " parts written on separate lines and the JDBC driver does not, so they would disagree on"
                    + " where it ends. Keep an E string on one line, with \\n for line breaks");
        }
    }

    /**
     * The driver sends {@code ?} as {@code $1}, {@code $2}...: glued to a name or {@code $} before it, that
     * text would read differently on the server ({@code x?$$} becomes the name {@code x$1$$}), so the
     * guard would not be checking what runs. {@code ??} (the driver's escaped question mark) is not rewritten.
     */
    private void checkPlaceholder(Token token) {
        int at = token.start();
        boolean escaped = at + 1 < sql.length() && sql.charAt(at + 1) == '?';
        if (at > 0 && SqlLexer.isIdentifierPart(sql.charAt(at - 1)) && !escaped) {
            throw refused("the ? placeholder at offset " + at + " touches the name or $ before it, and the driver's"
                    + " $n would merge with it. Put a space before the ?");
        }
    }

    private Verdict statement(int at) {
        if (at >= tokens.size()) {
            throw refused("the statement ends where a command should follow. Complete the statement");
        }
        Token first = tokens.get(at);
        if (first.kind() == Kind.PUNCTUATION && first.text().equals("(")) {
            return Verdict.PLAIN;
        }
        String command = first.kind() == Kind.IDENTIFIER ? first.value() : "";
        return switch (command) {
            case "select", "insert", "update", "delete", "merge", "with", "values", "table", "show", "begin",
                    "start", "savepoint", "release", "lock", "truncate", "analyze", "analyse", "vacuum", "call",
                    "fetch", "move", "close", "comment", "refresh" -> Verdict.PLAIN;
            case "commit", "end", "rollback", "abort" -> transactionEnd(at);
            case "explain" -> explain(at + 1);
            case "declare" -> declare(at);
            case "create", "alter", "drop" -> ddl(at);
            case "set" -> set(at + 1);
            default -> throw refused(refusal(command));
        };
    }

    private Verdict transactionEnd(int at) {
        if (is(at + 1, "prepared")) {
            throw refused("COMMIT/ROLLBACK PREPARED finishes two-phase transactions that may not be this tenant's."
                    + " Use the transaction manager's XA support");
        }
        return Verdict.PLAIN;
    }

    private Verdict declare(int at) {
        for (int i = at; i < tokens.size(); i++) {
            if (is(i, "with") && is(i + 1, "hold")) {
                throw refused("a cursor WITH HOLD outlives the transaction, and so the tenant's checkout. Declare"
                        + " it WITHOUT HOLD inside a transaction");
            }
        }
        return Verdict.PLAIN;
    }

    /** Why a command that is not allowed is refused, and what to do instead. */
    private static String refusal(String command) {
        String name = command.toUpperCase(Locale.ROOT);
        return switch (command) {
            case "reset", "discard" -> name + " would undo the session state that confines the connection to its"
                    + " tenant; Tenantry resets the connection when it goes back to the pool. To undo one of your"
                    + " settings, SET it TO DEFAULT";
            case "grant", "revoke", "reassign", "security" -> "privileges, ownership and security labels are set up"
                    + " by Tenantry's provisioning. Put them in the tenant's migrations";
            case "copy" -> "COPY can read and write files on the database server and bypasses JDBC statements. Use"
                    + " INSERT with addBatch, or SELECT";
            case "do" -> "DO runs a code block this guard cannot read. Define a function in a migration and CALL or"
                    + " SELECT it";
            case "listen", "notify", "unlisten" -> "notification channels are database-wide, shared by every tenant,"
                    + " and LISTEN outlives the checkout. Use a queue table in the tenant's schema";
            case "prepare", "execute", "deallocate" -> "server-side prepared statements outlive the tenant's checkout"
                    + " of a pooled connection. Use a PreparedStatement, which the driver prepares for you";
            default -> (command.isEmpty() ? "it does not start with a command" : name + " is not a statement tenant"
                    + " code may run") + ". Tenant code may query and change data, control transactions and run DDL"
                    + " on tables, indexes, views, sequences, types and domains; run the rest through provisioning"
                    + " or migrations";
        };
    }

    /** EXPLAIN ANALYZE runs the statement it explains, so that statement is checked like any other. */
    private Verdict explain(int at) {
        int i = at;
        if (punctuation(i, "(")) {
            int depth = 0;
            do {
                depth += punctuation(i, "(") ? 1 : punctuation(i, ")") ? -1 : 0;
                i++;
            } while (depth > 0 && i < tokens.size());
        } else {
            if (is(i, "analyze") || is(i, "analyse")) {
                i++;
            }
            if (is(i, "verbose")) {
                i++;
            }
        }
        if (!EXPLAINABLE.contains(word(i)) && !punctuation(i, "(")) {
            throw refused("EXPLAIN takes SELECT, INSERT, UPDATE, DELETE, MERGE, VALUES, CREATE TABLE AS or"
                    + " DECLARE. Explain one of those");
        }
        statement(i);
        return Verdict.PLAIN;
    }

    /** CREATE, ALTER and DROP of the tenant's own data objects; everything else belongs to provisioning. */
    private Verdict ddl(int at) {
        String command = word(at);
        int i = at + 1;
        if (command.equals("create") && is(i, "or") && is(i + 1, "replace")) {
            i += 2;
        }
        while (is(i, "unlogged") || is(i, "unique") || is(i, "recursive") || is(i, "materialized")) {
            i++;
        }
        String kind = word(i);
        if (command.equals("create") && TEMPORARY.contains(kind)) {
            throw refused("temporary objects outlive the tenant's checkout of a pooled connection, and the next"
                    + " tenant's names would resolve to them. Use a regular table, or a WITH query");
        }
        String what = (command + " " + kind).trim().toUpperCase(Locale.ROOT);
        if (!OBJECT_KINDS.contains(kind)) {
            throw refused(what + " is DDL outside the tenant's tables, indexes, views, sequences, types and"
                    + " domains. Run it through Tenantry's provisioning or the tenant's migrations");
        }
        if (command.equals("drop")) {
            return Verdict.PLAIN;
        }
        for (int j = i; j < tokens.size(); j++) {
            if (is(j, "tablespace")) {
                throw refused("tablespaces are shared by every tenant. Leave storage placement to provisioning");
            }
            if (command.equals("alter") && is(j, "owner") && is(j + 1, "to")) {
                throw refused("ALTER ... OWNER TO hands the object to another role. Ownership is set by"
                        + " provisioning; if \"owner\" is a column, write it in double quotes");
            }
            if (command.equals("alter") && is(j, "set") && is(j + 1, "schema")) {
                throw refused("ALTER ... SET SCHEMA moves the object out of the tenant's schema. Keep it where it is");
            }
        }
        return Verdict.PLAIN;
    }

    /** {@code SET [SESSION | LOCAL] name {TO | =} value} of an allowed setting, SET TRANSACTION or SET CONSTRAINTS. */
    private Verdict set(int at) {
        int i = at;
        boolean scoped = is(i, "session") || is(i, "local");
        if (is(i, "session") && (is(i + 1, "authorization") || is(i + 1, "characteristics"))) {
            throw refused(is(i + 1, "authorization")
                    ? "the connection's role confines it to the tenant. It already runs as the tenant; drop the SET"
                    : "SET SESSION CHARACTERISTICS outlives the tenant's checkout. Use Connection.setReadOnly and"
                            + " Connection.setTransactionIsolation");
        }
        if (scoped) {
            i++;
        }
        if (is(i, "transaction")) {
            for (int j = i; j < tokens.size(); j++) {
                if (is(j, "snapshot")) {
                    throw refused("SET TRANSACTION SNAPSHOT imports another session's snapshot. Start a normal"
                            + " transaction");
                }
            }
            return Verdict.PLAIN;
        }
        if (is(i, "constraints") && !scoped) {
            return Verdict.PLAIN;
        }
        if (is(i, "time") && is(i + 1, "zone")) {
            return Verdict.SETS_SESSION;
        }
        Token name = i < tokens.size() ? tokens.get(i) : null;
        String setting = name == null || (name.kind() != Kind.IDENTIFIER && name.kind() != Kind.QUOTED_IDENTIFIER)
                ? "" : name.value().toLowerCase(Locale.ROOT);
        boolean assigns = is(i + 1, "to") || (i + 1 < tokens.size() && tokens.get(i + 1).kind() == Kind.OPERATOR
                && tokens.get(i + 1).text().equals("="));
        if (SETTINGS.contains(setting) && assigns) {
            return Verdict.SETS_SESSION;
        }
        switch (setting) {
            case "role", "session_authorization" -> throw refused("the connection's role confines it to the tenant. It already runs as the tenant;"
                        + " drop the SET");
            case "search_path", "schema" -> throw refused("the search_path confines the connection to the tenant's schema. Leave it as"
                        + " Tenantry set it, or qualify names with the tenant's schema");
            case "default_transaction_read_only", "transaction_read_only" -> throw refused("read-only mode is Tenantry's to enforce. Use Connection.setReadOnly");
            default -> throw refused("SET is allowed only as SET [SESSION | LOCAL] name {TO | =} value for one of "
                        + String.join(", ", SETTINGS.stream().sorted().toList()) + ", and as SET TIME ZONE,"
                        + " SET TRANSACTION and SET CONSTRAINTS. Leave other settings as they are");
        }
    }

    /** Returns whether token {@code i} exists and is the unquoted keyword {@code keyword}. */
    private boolean is(int i, String keyword) {
        return i >= 0 && i < tokens.size() && tokens.get(i).is(keyword);
    }

    private boolean punctuation(int i, String text) {
        return i < tokens.size() && tokens.get(i).kind() == Kind.PUNCTUATION && tokens.get(i).text().equals(text);
    }

    /** Returns token {@code i}'s keyword, or "" if it is not an unquoted word. */
    private String word(int i) {
        return i < tokens.size() && tokens.get(i).kind() == Kind.IDENTIFIER ? tokens.get(i).value() : "";
    }

    private IsolationViolationException refused(String reason) {
        return refused(sql, reason);
    }

    static IsolationViolationException refused(String sql, String reason) {
        StringBuilder excerpt = new StringBuilder(Math.min(sql.length(), EXCERPT_LENGTH) + 3);
        for (int i = 0; i < Math.min(sql.length(), EXCERPT_LENGTH); i++) {
            char c = sql.charAt(i);
            excerpt.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (sql.length() > EXCERPT_LENGTH) {
            excerpt.append("...");
        }
        return new IsolationViolationException("Refused the SQL \"" + excerpt + "\": " + reason + ".");
    }
}
