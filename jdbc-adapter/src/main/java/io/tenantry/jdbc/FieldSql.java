package io.tenantry.jdbc;

import io.tenantry.IsolationViolationException;
import io.tenantry.jdbc.SqlLexer.Kind;
import io.tenantry.jdbc.SqlLexer.Token;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns SQL that {@link SqlGuard} allowed into the text the parser of the FIELD model reads: comments
 * become a space, and every string constant a standard {@code '...'} one ({@code E'...'} escapes and
 * dollar quotes decoded). The parser and PostgreSQL then agree on where every literal ends, which they
 * would not on nested comments, escape strings or dollar quotes, and the rewritten text, printed from
 * the parser's tree, runs as read. Stateless.
 */
final class FieldSql {

    private static final Set<String> SEQUENCE_FUNCTIONS = Set.of("nextval", "currval", "setval", "lastval");

    /** The prefix of the stand-ins for quoted collation names, which the parser cannot read. */
    static final String COLLATION = "tenantry_collation_";

    private FieldSql() {
    }

    /**
     * SQL in the canonical form.
     *
     * @param text the text to parse
     * @param collations the quoted collation names, which {@code text} holds as {@code tenantry_collation_<n>}
     *     (the parser reads {@code COLLATE C} but not {@code COLLATE "C"}); {@link #restore} puts them back
     */
    record Canonical(String text, List<String> collations) {
    }

    /**
     * Refuses the sequence functions in any statement on the FIELD model, whether or not it names a
     * tenant table: every sequence of the shared schema is shared, and its numbers tell one tenant how
     * much the others write.
     */
    static void refuseSequenceFunctions(String sql, List<Token> tokens) {
        for (int i = 0; i + 1 < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.kind() == Kind.IDENTIFIER && SEQUENCE_FUNCTIONS.contains(token.value())
                    && tokens.get(i + 1).text().equals("(")) {
                throw refused(sql, token.value() + " reads or moves a sequence shared by every tenant, which tells"
                        + " one tenant how much the others write. Use uuid keys (gen_random_uuid())");
            }
        }
    }

    /**
     * Returns {@code sql} in the canonical form, and refuses what the FIELD model cannot confine at the
     * level of words: positional {@code $n} parameters and names Tenantry reserves.
     */
    static Canonical canonical(String sql, List<Token> tokens) {
        StringBuilder out = new StringBuilder(sql.length() + 16);
        List<String> collations = new java.util.ArrayList<>();
        int end = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.start() > end) {
                out.append(' ');
            }
            if ((token.kind() == Kind.IDENTIFIER || token.kind() == Kind.QUOTED_IDENTIFIER)
                    && token.value().startsWith(COLLATION)) {
                // the stand-ins below are put back by name: a name of the caller's own must not be taken for one
                throw refused(sql, "it uses the name " + token.value() + ", which Tenantry reserves. Rename it");
            }
            switch (token.kind()) {
                case STRING -> out.append(standardString(sql, token));
                case QUOTED_IDENTIFIER -> {
                    if (i > 0 && tokens.get(i - 1).is("collate")) {
                        out.append(COLLATION).append(collations.size());
                        collations.add(token.value());
                    } else {
                        out.append(JdbcNames.quote(token.value()));
                    }
                }
                case PARAMETER -> throw refused(sql, "it uses the positional parameter " + token.text() + ", which the"
                        + " JDBC driver does not bind. Use ? placeholders");
                default -> out.append(token.text());
            }
            end = token.start() + token.text().length();
        }
        return new Canonical(out.toString(), collations);
    }

    /** Puts the quoted collation names of {@code canonical} back into {@code printed}, the parser's output. */
    static String restore(String printed, Canonical canonical) {
        if (canonical.collations().isEmpty()) {
            return printed;
        }
        StringBuilder out = new StringBuilder(printed.length());
        int copied = 0;
        for (Token token : SqlLexer.tokens(printed)) {
            if (token.kind() == Kind.IDENTIFIER && token.value().startsWith(COLLATION)) {
                int n = Integer.parseInt(token.value().substring(COLLATION.length()));
                out.append(printed, copied, token.start()).append(JdbcNames.quote(canonical.collations().get(n)));
                copied = token.start() + token.text().length();
            }
        }
        return out.append(printed, copied, printed.length()).toString();
    }

    private static String standardString(String sql, Token token) {
        String text = token.text();
        char first = text.charAt(0);
        String value;
        if (first == '\'') {
            value = text.substring(1, text.length() - 1).replace("''", "'");
        } else if (first == '$') {
            int tag = text.indexOf('$', 1) + 1;
            value = text.substring(tag, text.length() - tag);
        } else if ((first == 'e' || first == 'E') && text.charAt(1) == '\'') {
            value = unescape(sql, text.substring(2, text.length() - 1));
        } else {
            value = null;
        }
        if (value != null) {
            if (value.contains("\\'")) {
                // JSqlParser ends a literal at a backslash and a quote, where PostgreSQL reads on
                throw refused(sql, "a string literal holds a backslash followed by a quote, which Tenantry's SQL parser"
                        + " reads differently from PostgreSQL. Bind the value as a ? parameter");
            }
            return quoteString(value);
        }
        throw refused(sql, "the FIELD model reads standard '...', E'...' and dollar-quoted strings only, not "
                + text.substring(0, Math.min(3, text.length())).toUpperCase(Locale.ROOT) + "... Write the string as"
                + " '...'");
    }

    private static String quoteString(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** Decodes the body of an {@code E'...'} string as PostgreSQL does. */
    private static String unescape(String sql, String body) {
        StringBuilder out = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\'' && i + 1 < body.length() && body.charAt(i + 1) == '\'') {
                out.append('\'');
                i++;
                continue;
            }
            if (c != '\\' || i + 1 == body.length()) {
                out.append(c);
                continue;
            }
            char next = body.charAt(++i);
            switch (next) {
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'x' -> i = number(body, i + 1, 2, 16, out, sql) - 1;
                case 'u' -> i = unicode(body, i + 1, 4, out, sql) - 1;
                case 'U' -> i = unicode(body, i + 1, 8, out, sql) - 1;
                default -> {
                    if (next >= '0' && next <= '7') {
                        i = number(body, i, 3, 8, out, sql) - 1;
                    } else {
                        out.append(next);
                    }
                }
            }
        }
        return out.toString();
    }

    private static int number(String body, int from, int maxDigits, int radix, StringBuilder out, String sql) {
        int at = from;
        while (at < body.length() && at - from < maxDigits && Character.digit(body.charAt(at), radix) >= 0) {
            at++;
        }
        if (at == from) {
            throw refused(sql, "an E'...' string holds \\x without hex digits. Write the character itself");
        }
        int value = Integer.parseInt(body.substring(from, at), radix);
        if (value == 0 || value > 0x7f) {
            throw refused(sql, "an E'...' string holds a byte escape outside ASCII, which depends on the server's"
                    + " encoding. Write the character itself");
        }
        out.append((char) value);
        return at;
    }

    private static int unicode(String body, int from, int digits, StringBuilder out, String sql) {
        if (from + digits > body.length()) {
            throw refused(sql, "an E'...' string holds an incomplete \\u escape. Write the character itself");
        }
        int code;
        try {
            code = Integer.parseInt(body.substring(from, from + digits), 16);
        } catch (NumberFormatException e) {
            throw refused(sql, "an E'...' string holds a malformed \\u escape. Write the character itself");
        }
        if (code == 0 || !Character.isValidCodePoint(code) || (code >= 0xD800 && code <= 0xDFFF)) {
            throw refused(sql, "an E'...' string escapes an invalid character. Write the character itself");
        }
        out.appendCodePoint(code);
        return from + digits;
    }

    /** Returns whether {@code tokens} (from {@link SqlLexer}) start with the unquoted keyword {@code word}. */
    static boolean startsWith(List<Token> tokens, String word) {
        return !tokens.isEmpty() && tokens.get(0).kind() == Kind.IDENTIFIER && tokens.get(0).value().equals(word);
    }

    static IsolationViolationException refused(String sql, String reason) {
        return SqlGuard.refused(sql, reason);
    }
}
