package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tenantry.IsolationViolationException;
import io.tenantry.tck.Trials;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The guard's verdict depends on what PostgreSQL executes, not on how the text looks: comments and
 * whitespace never change it, words inside literals and comments never trigger it, and text that
 * ends inside a literal or comment is always refused.
 */
class SqlGuardProperties {

    /** Refused statements. Their spaces separate tokens or stand inside literals that hold no newline. */
    static final List<String> REFUSED = List.of(
            "set role admin",
            "SET SESSION AUTHORIZATION admin",
            "reset all",
            "discard all",
            "set search_path = other",
            "SeT \"search_path\" TO other",
            "set local \"role\" = 'admin'",
            "set myapp.tenant = 'other'",
            "select set_config('role','x',false)",
            "select * from pg_catalog.pg_namespace",
            "select \"pg_class\".relname from \"pg_class\"",
            "select 'x'::regclass",
            "select to_regclass('other.t')",
            "select lo_import('/etc/passwd')",
            "select query_to_xml('select 1',true,false,'')",
            "do $$begin$$",
            "copy t to stdout",
            "grant all on t to public",
            "create role x",
            "create schema other",
            "create temp table t (id int)",
            "select * into t2 from t",
            "select 1 as insert into temp foo",
            "alter table t owner to x",
            "alter table t set schema other",
            "declare c cursor with hold for select 1",
            "listen events",
            "prepare p as select 1",
            "checkpoint",
            "explain analyze create temp table t as select 1",
            "select 1 ; set role x",
            "select 1 ; ; reset all",
            "select 1 as x?$a$ union select 1 from t --$a$",
            "select 'abc",
            "select $a$ abc",
            "select 1 /* /* */",
            "select \"abc",
            "select E'x\\' ; set role y");

    /** Text that PostgreSQL reads as whitespace; it holds no quote, dollar or backslash. */
    static final List<String> NOISE = List.of(" ", "  ", "\n", "\t", "\r\n", "\f", "\u000B", "/**/", "/* c */",
            "/* /* nested */ still comment */", "/*/ odd start */", "/* -- not a line comment */", "-- line\n",
            "--\r", "-- ; set role x\n", "/* ; reset all */", "/***/");

    /** Things no tenant may run, and characters that end or start literals and comments. */
    static final List<String> FORBIDDEN_TEXT = List.of("; set role x", "reset all", "pg_class", "set_config('role',"
            + "'x',false)", "'; drop table t; --", "\"", "'", "''", "$$", "$a$", "*/", "/*", "--", "\n", ";", "\\",
            "E'", "?", "x?", "select * into t2 from t", "do $$ begin end $$", "copy t to stdout", "regclass",
            "discard all", "create temp table t (id int)", "\u00e9", "$1");

    /** The alphabet of the fuzzing property: fragments that open, close and escape. */
    static final List<String> FRAGMENTS = List.of("'", "\"", "$$", "$a$", "/*", "*/", "--", "\n", ";", "select",
            "set role x", "E'", "\\", " ");

    @Test
    void comments_and_whitespace_around_and_between_tokens_never_change_a_refusal() {
        Trials.forAll("a refused statement wrapped in noise is refused for the same reason", Trials.defaultTries() * 2,
                random -> {
                    String statement = pick(random, REFUSED);
                    String[] parts = statement.split(" ", -1);
                    StringBuilder noisy = new StringBuilder(noise(random, 0)).append(parts[0]);
                    for (int i = 1; i < parts.length; i++) {
                        noisy.append(noise(random, 1)).append(parts[i]);
                    }
                    return new Noisy(statement, noisy.append(noise(random, 0)).toString());
                },
                sample -> {
                    String clean = reason(sample.statement());
                    assertThat(reason(sample.noisy())).isEqualTo(clean);
                });
    }

    @Test
    void forbidden_text_inside_literals_and_comments_never_triggers_a_refusal() {
        Trials.forAll("an allowed statement with forbidden text in literals or comments is plain",
                Trials.defaultTries() * 2,
                random -> {
                    String[] templates = {"select %s as x from t", "select id from t where note = %s or note = %s",
                            "select 1 %s from t %s", "insert into t (a, b) values (%s, ?) returning id",
                            "update t set a = %s where id = ? %s", "with w as (select %s) select * from w;"};
                    String template = templates[random.nextInt(templates.length)];
                    Object[] parts = new Object[2];
                    for (int i = 0; i < parts.length; i++) {
                        parts[i] = template.startsWith("select 1 %s") || (template.startsWith("update") && i == 1)
                                ? comment(random) : literal(random);
                    }
                    return String.format(template, parts);
                },
                sql -> assertThat(SqlGuard.check(sql)).isEqualTo(SqlGuard.Verdict.PLAIN));
    }

    @Test
    void random_fragments_are_refused_whenever_they_end_inside_a_literal_or_comment() {
        Trials.forAll("the guard throws only IsolationViolationException, and always for unterminated text",
                Trials.defaultTries() * 5,
                random -> {
                    StringBuilder sql = new StringBuilder();
                    int length = 1 + random.nextInt(14);
                    for (int i = 0; i < length; i++) {
                        sql.append(pick(random, FRAGMENTS));
                    }
                    return sql.toString();
                },
                sql -> {
                    boolean unterminated = ReferenceScanner.endsInsideLiteralOrComment(sql);
                    IsolationViolationException refusal;
                    try {
                        SqlGuard.Verdict verdict = SqlGuard.check(sql);
                        assertThat(unterminated).as("returned %s for unterminated text", verdict).isFalse();
                        return;
                    } catch (IsolationViolationException e) {
                        refusal = e;
                    }
                    assertThat(refusal.getMessage().contains("unterminated"))
                            .as("refused as unterminated: %s", refusal.getMessage()).isEqualTo(unterminated);
                });
    }

    record Noisy(String statement, String noisy) {
        @Override
        public String toString() {
            return escape(noisy) + " (from " + escape(statement) + ")";
        }
    }

    private static String escape(String text) {
        return "\"" + text.replace("\n", "\\n").replace("\r", "\\r").replace("\u000B", "\\v").replace("\f", "\\f")
                .replace("\t", "\\t") + "\"";
    }

    /** Returns what the refusal of {@code sql} says after the quoted SQL, with offsets blanked. */
    private static String reason(String sql) {
        IsolationViolationException refusal = catchThrowableOfType(IsolationViolationException.class,
                () -> SqlGuard.check(sql));
        assertThat(refusal).as("refusal of %s", escape(sql)).isNotNull();
        String message = refusal.getMessage();
        return message.substring(message.indexOf("\": ") + 3).replaceAll("offset \\d+", "offset N");
    }

    private static String pick(SplittableRandom random, List<String> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    /** Between {@code minimum} and three pieces of noise. */
    private static String noise(SplittableRandom random, int minimum) {
        int pieces = minimum + random.nextInt(4 - minimum);
        StringBuilder noise = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            noise.append(pick(random, NOISE));
        }
        return noise.toString();
    }

    private static String forbiddenText(SplittableRandom random) {
        StringBuilder text = new StringBuilder();
        int pieces = 1 + random.nextInt(4);
        for (int i = 0; i < pieces; i++) {
            text.append(pick(random, FORBIDDEN_TEXT));
        }
        return text.toString();
    }

    /** A string constant holding forbidden text, escaped as its kind requires. */
    private static String literal(SplittableRandom random) {
        String text = forbiddenText(random);
        switch (random.nextInt(5)) {
            case 0:
                return "'" + text.replace("'", "''") + "'";
            case 1:
                return "E'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'";
            case 2:
                return "'" + text.replace("'", "''") + "'\n  -- continued\n'" + forbiddenText(random).replace("'", "''")
                        + "'";
            case 3:
                return "U&'" + text.replace("'", "''") + "'";
            default:
                for (int attempt = 0; ; attempt++) {
                    String delimiter = attempt == 0 ? "$$" : "$q" + attempt + "$";
                    if ((text + delimiter).indexOf(delimiter) == text.length()) {
                        return delimiter + text + delimiter;
                    }
                }
        }
    }

    /** A comment holding forbidden text: line comments lose their line breaks, block comments their stars. */
    private static String comment(SplittableRandom random) {
        String text = forbiddenText(random);
        return random.nextBoolean()
                ? "-- " + text.replace("\n", " ").replace("\r", " ") + "\n"
                : "/* " + text.replace("*", "") + " */";
    }

    /**
     * A second, deliberately plain reading of PostgreSQL's rules for the fragment alphabet (quotes, E
     * strings with their continuation, quoted identifiers, dollar quotes, nested comments), written
     * apart from {@link SqlLexer} so that the fuzzing property checks one against the other.
     */
    static final class ReferenceScanner {

        private ReferenceScanner() {
        }

        static boolean endsInsideLiteralOrComment(String s) {
            int i = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (s.startsWith("--", i)) {
                    int end = s.indexOf('\n', i);
                    if (end < 0) {
                        return false;
                    }
                    i = end + 1;
                } else if (s.startsWith("/*", i)) {
                    int depth = 1;
                    i += 2;
                    while (depth > 0) {
                        int open = s.indexOf("/*", i);
                        int close = s.indexOf("*/", i);
                        if (close < 0) {
                            return true;
                        }
                        if (open >= 0 && open < close) {
                            depth++;
                            i = open + 2;
                        } else {
                            depth--;
                            i = close + 2;
                        }
                    }
                } else if (c == '"') {
                    i = s.indexOf('"', i + 1);
                    while (i >= 0 && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        i = s.indexOf('"', i + 2);
                    }
                    if (i < 0) {
                        return true;
                    }
                    i++;
                } else if (c == '\'' || ((c == 'E' || c == 'e') && s.startsWith("'", i + 1))) {
                    i = endOfString(s, c == '\'' ? i + 1 : i + 2, c != '\'');
                    if (i < 0) {
                        return true;
                    }
                } else if (c == '$') {
                    int tagEnd = i + 1;
                    while (tagEnd < s.length() && Character.isLetter(s.charAt(tagEnd))) {
                        tagEnd++;
                    }
                    if (tagEnd < s.length() && s.charAt(tagEnd) == '$') {
                        String delimiter = s.substring(i, tagEnd + 1);
                        int close = s.indexOf(delimiter, tagEnd + 1);
                        if (close < 0) {
                            return true;
                        }
                        i = close + delimiter.length();
                    } else {
                        i++;
                    }
                } else if (Character.isLetter(c) || c == '_') {
                    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_'
                            || s.charAt(i) == '$')) {
                        i++;
                    }
                } else {
                    i++;
                }
            }
            return false;
        }

        /** Returns the offset after the string whose body starts at {@code i}, or -1 if it never ends. */
        private static int endOfString(String s, int i, boolean backslashes) {
            while (true) {
                if (i >= s.length()) {
                    return -1;
                }
                char c = s.charAt(i);
                if (backslashes && c == '\\') {
                    i += 2;
                } else if (c == '\'' && s.startsWith("'", i + 1)) {
                    i += 2;
                } else if (c == '\'') {
                    int after = i + 1;
                    int j = after;
                    boolean newline = false;
                    while (j < s.length()) {
                        if (s.charAt(j) == '\n') {
                            newline = true;
                            j++;
                        } else if (s.charAt(j) == ' ') {
                            j++;
                        } else if (s.startsWith("--", j)) {
                            int end = s.indexOf('\n', j);
                            j = end < 0 ? s.length() : end;
                        } else {
                            break;
                        }
                    }
                    if (newline && j < s.length() && s.charAt(j) == '\'') {
                        i = j + 1;
                    } else {
                        return after;
                    }
                } else {
                    i++;
                }
            }
        }
    }
}
