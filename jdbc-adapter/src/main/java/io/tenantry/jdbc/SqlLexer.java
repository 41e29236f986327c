package io.tenantry.jdbc;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into tokens the way PostgreSQL's own scanner ({@code scan.l}) does, so that
 * {@link SqlGuard} sees exactly the words PostgreSQL will execute: a guard that thought a
 * {@code ;} or a {@code pg_class} sat inside a literal while the server read it as code would be no
 * guard at all. It assumes {@code standard_conforming_strings = on} (PostgreSQL's default, and a
 * setting the guard does not let tenant code change).
 *
 * <p>Whitespace and comments are dropped. Where PostgreSQL's versions differ (numeric literals with
 * trailing letters, {@code 0x} integers), this scanner splits tokens like the older versions; the
 * newer ones reject such text outright, so the difference never hides code from the guard.
 *
 * <p>Stateless and thread-safe.
 */
final class SqlLexer {

    /** What a token is. Keywords are {@link #IDENTIFIER}s: PostgreSQL tells them apart only in its grammar. */
    enum Kind {
        /** An unquoted identifier or keyword; its value is folded to lower case. */
        IDENTIFIER,
        /** A {@code "quoted"} or {@code U&"quoted"} identifier; its value is the name, case kept. */
        QUOTED_IDENTIFIER,
        /** Any string constant: {@code '...'}, {@code E'...'}, {@code U&'...'}, {@code B'...'}, dollar-quoted. */
        STRING,
        NUMBER,
        /** A {@code $1} parameter. */
        PARAMETER,
        /** A JDBC {@code ?} placeholder, always a token of its own. */
        PLACEHOLDER,
        OPERATOR,
        /** A single character that is not part of an operator: {@code , ( ) [ ] . : { } \ $}. */
        PUNCTUATION,
        SEMICOLON
    }

    /**
     * One token.
     *
     * @param kind what it is
     * @param text the token as written, quotes and prefixes included
     * @param value for identifiers the name PostgreSQL resolves (unquoted ones folded to lower case,
     *     quoted ones unescaped), for everything else the text
     * @param start the offset of the token's first character in the SQL
     */
    record Token(Kind kind, String text, String value, int start) {

        /** Returns whether this is the unquoted keyword {@code word} (given in lower case). */
        boolean is(String word) {
            return kind == Kind.IDENTIFIER && value.equals(word);
        }
    }

    /** The SQL cannot be scanned: something is unterminated or malformed. PostgreSQL would refuse it too. */
    static final class LexException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        LexException(String message) {
            super(message);
        }
    }

    private final String sql;
    private final int length;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;

    private SqlLexer(String sql) {
        this.sql = sql;
        this.length = sql.length();
    }

    /**
     * Returns the tokens of {@code sql}, without whitespace and comments.
     *
     * @throws LexException if a string, quoted identifier, dollar quote or block comment is not
     *     closed, a Unicode escape is malformed, or the text contains a NUL character (which the
     *     wire protocol would silently cut the statement at)
     */
    static List<Token> tokens(String sql) {
        SqlLexer lexer = new SqlLexer(sql);
        lexer.scan();
        return lexer.tokens;
    }

    /** Returns whether {@code c} may continue an unquoted identifier: PostgreSQL's {@code ident_cont}. */
    static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || (c >= '0' && c <= '9') || c == '$';
    }

    /** Letters, {@code _} and every non-ASCII character, as PostgreSQL's {@code ident_start} (bytes 0x80-0xFF). */
    private static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
    }

    private static boolean isOperatorChar(char c) {
        return "~!@#^&|`?+-*/%<>=".indexOf(c) >= 0;
    }

    private char at(int i) {
        return i < length ? sql.charAt(i) : '\0';
    }

    private boolean startsWith(int i, char first, char second) {
        return at(i) == first && at(i + 1) == second;
    }

    private void scan() {
        if (sql.indexOf('\0') >= 0) {
            throw new LexException("contains a NUL character, at which PostgreSQL's wire protocol would cut the"
                    + " statement short. Remove it");
        }
        while (pos < length) {
            char c = sql.charAt(pos);
            char next = at(pos + 1);
            int start = pos;
            if (isSpace(c)) {
                pos++;
            } else if (c == '-' && next == '-') {
                lineComment();
            } else if (c == '/' && next == '*') {
                blockComment();
            } else if (c == '\'') {
                string(pos, pos, Quoting.STANDARD);
            } else if ((c == 'e' || c == 'E') && next == '\'') {
                string(pos, pos + 1, Quoting.ESCAPE);
            } else if ((c == 'b' || c == 'B' || c == 'x' || c == 'X') && next == '\'') {
                string(pos, pos + 1, Quoting.BIT);
            } else if ((c == 'n' || c == 'N') && next == '\'') {
                string(pos, pos + 1, Quoting.STANDARD);
            } else if ((c == 'u' || c == 'U') && next == '&' && at(pos + 2) == '\'') {
                string(pos, pos + 2, Quoting.STANDARD);
            } else if ((c == 'u' || c == 'U') && next == '&' && at(pos + 2) == '"') {
                quotedIdentifier(pos, pos + 2, true);
            } else if (c == '"') {
                quotedIdentifier(pos, pos, false);
            } else if (c == '$') {
                dollar();
            } else if (isIdentifierStart(c)) {
                identifier();
            } else if (isDigit(c) || (c == '.' && isDigit(next))) {
                number();
            } else if (c == '?') {
                pos++;
                add(Kind.PLACEHOLDER, start);
            } else if (c == ';') {
                pos++;
                add(Kind.SEMICOLON, start);
            } else if (isOperatorChar(c)) {
                operator();
            } else {
                pos++;
                add(Kind.PUNCTUATION, start);
            }
        }
    }

    private void add(Kind kind, int start) {
        String text = sql.substring(start, pos);
        tokens.add(new Token(kind, text, text, start));
    }

    private void lineComment() {
        while (pos < length && sql.charAt(pos) != '\n' && sql.charAt(pos) != '\r') {
            pos++;
        }
    }

    /** Block comments nest in PostgreSQL, as the SQL standard says and unlike in C. */
    private void blockComment() {
        int start = pos;
        int depth = 0;
        while (pos < length) {
            if (startsWith(pos, '/', '*')) {
                depth++;
                pos += 2;
            } else if (startsWith(pos, '*', '/')) {
                depth--;
                pos += 2;
                if (depth == 0) {
                    return;
                }
            } else {
                pos++;
            }
        }
        throw unterminated("block comment", start);
    }

    /** How a quoted string treats quotes and backslashes inside it. */
    private enum Quoting {
        /** {@code ''} is a quote; a backslash is an ordinary character. */
        STANDARD,
        /** {@code ''} and {@code \'} are quotes: a backslash escapes the character after it. */
        ESCAPE,
        /** Bit strings: the first quote ends them, {@code ''} included. */
        BIT
    }

    /**
     * Scans a string constant whose opening quote is at {@code quote}. A literal continued on another
     * line ({@code 'a'} newline {@code 'b'}) is one token; the continuation keeps the quoting of the
     * first part, which matters for {@code E'...'}: its later parts honour backslashes too.
     */
    private void string(int start, int quote, Quoting quoting) {
        pos = quote + 1;
        while (true) {
            if (pos >= length) {
                throw unterminated("string literal", start);
            }
            char c = sql.charAt(pos);
            if (c == '\\' && quoting == Quoting.ESCAPE) {
                if (pos + 1 >= length) {
                    throw unterminated("string literal", start);
                }
                pos += 2;
            } else if (c == '\'') {
                if (quoting != Quoting.BIT && at(pos + 1) == '\'') {
                    pos += 2;
                } else {
                    pos++;
                    int continued = continuation(pos);
                    if (continued < 0) {
                        add(Kind.STRING, start);
                        return;
                    }
                    pos = continued + 1;
                }
            } else {
                pos++;
            }
        }
    }

    /**
     * Returns the offset of the quote that continues a string ended just before {@code from}, or -1:
     * PostgreSQL's {@code quotecontinue}, whitespace and {@code --} comments holding at least one newline.
     */
    private int continuation(int from) {
        int i = from;
        boolean newline = false;
        while (i < length) {
            char c = sql.charAt(i);
            if (c == '\n' || c == '\r') {
                newline = true;
                i++;
            } else if (isSpace(c)) {
                i++;
            } else if (startsWith(i, '-', '-')) {
                while (i < length && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
                    i++;
                }
            } else {
                return newline && c == '\'' ? i : -1;
            }
        }
        return -1;
    }

    private void quotedIdentifier(int start, int quote, boolean unicode) {
        StringBuilder name = new StringBuilder();
        pos = quote + 1;
        while (true) {
            if (pos >= length) {
                throw unterminated("quoted identifier", start);
            }
            char c = sql.charAt(pos++);
            if (c == '"') {
                if (at(pos) != '"') {
                    break;
                }
                pos++;
            }
            name.append(c);
        }
        String value = unicode ? unescapeUnicode(name, start) : name.toString();
        tokens.add(new Token(Kind.QUOTED_IDENTIFIER, sql.substring(start, pos), value, start));
    }

    /**
     * Decodes the {@code \XXXX}, {@code \+XXXXXX} and {@code \\} escapes of a {@code U&"..."}
     * identifier, so that {@code U&"pg\005fclass"} is seen as {@code pg_class}. A {@code UESCAPE}
     * clause, which changes the escape character, is for {@link SqlGuard} to refuse.
     */
    private String unescapeUnicode(CharSequence name, int start) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (i + 1 < name.length() && name.charAt(i + 1) == '\\') {
                out.append('\\');
                i++;
                continue;
            }
            boolean wide = i + 1 < name.length() && name.charAt(i + 1) == '+';
            int digits = wide ? 6 : 4;
            int from = i + (wide ? 2 : 1);
            int codePoint = 0;
            for (int d = from; d < from + digits; d++) {
                int digit = d < name.length() ? Character.digit(name.charAt(d), 16) : -1;
                if (digit < 0 || name.charAt(d) > 'f') {
                    throw invalidEscape(start);
                }
                codePoint = codePoint * 16 + digit;
            }
            if (!Character.isValidCodePoint(codePoint)) {
                throw invalidEscape(start);
            }
            out.appendCodePoint(codePoint);
            i = from + digits - 1;
        }
        return out.toString();
    }

    /** {@code $1} is a parameter; {@code $$} and {@code $tag$} open a dollar quote; a lone {@code $} is punctuation. */
    private void dollar() {
        int start = pos;
        if (isDigit(at(pos + 1))) {
            pos++;
            while (isDigit(at(pos))) {
                pos++;
            }
            add(Kind.PARAMETER, start);
            return;
        }
        int end = pos + 1;
        if (isIdentifierStart(at(end))) {
            while (end < length && isIdentifierPart(sql.charAt(end)) && sql.charAt(end) != '$') {
                end++;
            }
        }
        if (at(end) != '$' || end >= length) {
            pos++;
            add(Kind.PUNCTUATION, start);
            return;
        }
        String delimiter = sql.substring(start, end + 1);
        int close = sql.indexOf(delimiter, end + 1);
        if (close < 0) {
            throw unterminated("dollar-quoted string " + delimiter, start);
        }
        pos = close + delimiter.length();
        add(Kind.STRING, start);
    }

    private void identifier() {
        int start = pos;
        while (pos < length && isIdentifierPart(sql.charAt(pos))) {
            pos++;
        }
        String text = sql.substring(start, pos);
        tokens.add(new Token(Kind.IDENTIFIER, text, foldCase(text), start));
    }

    /** PostgreSQL folds only ASCII letters of unquoted names (in UTF-8 databases), not the locale's. */
    private static String foldCase(String text) {
        char[] chars = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (chars == null) {
                    chars = text.toCharArray();
                }
                chars[i] = (char) (c + ('a' - 'A'));
            }
        }
        return chars == null ? text : new String(chars);
    }

    /**
     * Digits with {@code _} separators, a fraction and an exponent, or a {@code 0x}/{@code 0o}/{@code 0b}
     * integer. Letters after them start a new token: {@code 1e'x'} is {@code 1} then {@code e'x'}.
     */
    private void number() {
        int start = pos;
        char radix = Character.toLowerCase(at(pos + 1));
        if (at(pos) == '0' && (radix == 'x' || radix == 'o' || radix == 'b') && isRadixDigit(radix, at(pos + 2))) {
            pos += 2;
            while (isRadixDigit(radix, at(pos)) || (at(pos) == '_' && isRadixDigit(radix, at(pos + 1)))) {
                pos++;
            }
            add(Kind.NUMBER, start);
            return;
        }
        digits();
        if (at(pos) == '.' && at(pos + 1) != '.') {
            pos++;
            digits();
        }
        char sign = at(pos + 1);
        if ((at(pos) == 'e' || at(pos) == 'E')
                && (isDigit(sign) || ((sign == '+' || sign == '-') && isDigit(at(pos + 2))))) {
            pos += isDigit(sign) ? 1 : 2;
            digits();
        }
        add(Kind.NUMBER, start);
    }

    private void digits() {
        while (isDigit(at(pos)) || (at(pos) == '_' && isDigit(at(pos + 1)) && pos > 0 && isDigit(at(pos - 1)))) {
            pos++;
        }
    }

    private static boolean isRadixDigit(char radix, char c) {
        switch (radix) {
            case 'x':
                return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            case 'o':
                return c >= '0' && c <= '7';
            default:
                return c == '0' || c == '1';
        }
    }

    /** A run of operator characters, cut before {@code --} or {@code /*} (comment starts) and before a {@code ?}. */
    private void operator() {
        int start = pos;
        pos++;
        while (pos < length && isOperatorChar(sql.charAt(pos)) && sql.charAt(pos) != '?'
                && !startsWith(pos, '-', '-') && !startsWith(pos, '/', '*')) {
            pos++;
        }
        add(Kind.OPERATOR, start);
    }

    private static LexException invalidEscape(int start) {
        return new LexException("has an invalid Unicode escape in the identifier at offset " + start
                + ". Write escapes as \\XXXX or \\+XXXXXX");
    }

    private LexException unterminated(String what, int start) {
        return new LexException("has an unterminated " + what + " starting at offset " + start + ", after which"
                + " PostgreSQL could read the text differently. Close it");
    }
}
