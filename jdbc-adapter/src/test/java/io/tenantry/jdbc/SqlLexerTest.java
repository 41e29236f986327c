package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.jdbc.SqlLexer.Kind;
import io.tenantry.jdbc.SqlLexer.LexException;
import io.tenantry.jdbc.SqlLexer.Token;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlLexerTest {

    private static List<String> texts(String sql) {
        return SqlLexer.tokens(sql).stream().map(Token::text).toList();
    }

    private static List<Kind> kinds(String sql) {
        return SqlLexer.tokens(sql).stream().map(Token::kind).toList();
    }

    private static Token only(String sql) {
        List<Token> tokens = SqlLexer.tokens(sql);
        assertThat(tokens).hasSize(1);
        return tokens.get(0);
    }

    @Test
    void whitespace_of_every_kind_separates_tokens_and_is_dropped() {
        assertThat(texts(" select\t1\r\n,\f2\u000B;")).containsExactly("select", "1", ",", "2", ";");
        assertThat(SqlLexer.tokens(" \n\t ")).isEmpty();
    }

    @Test
    void line_comments_run_to_the_end_of_the_line() {
        assertThat(texts("select 1 -- set role x; \nfrom t")).containsExactly("select", "1", "from", "t");
        assertThat(texts("select 1 -- to the end")).containsExactly("select", "1");
        assertThat(texts("a --x\rb")).containsExactly("a", "b");
    }

    @Test
    void block_comments_nest() {
        assertThat(texts("a /* /* */ still comment */ b")).containsExactly("a", "b");
        assertThat(texts("a /* x /* y /* z */ */ */ b")).containsExactly("a", "b");
        assertThat(texts("a /**/ b /***/ c")).containsExactly("a", "b", "c");
    }

    @Test
    void a_comment_start_inside_an_operator_ends_the_operator() {
        assertThat(texts("1 +/* c */ 2")).containsExactly("1", "+", "2");
        assertThat(texts("1 <-- c\n 2")).containsExactly("1", "<", "2");
        assertThat(texts("1 */* c */ 2")).containsExactly("1", "*", "2");
    }

    @Test
    void a_dash_or_slash_inside_a_block_comment_is_just_text() {
        assertThat(texts("a /* -- not a line comment */ b")).containsExactly("a", "b");
        assertThat(texts("a -- /* not a block comment\nb")).containsExactly("a", "b");
    }

    @Test
    void quotes_are_doubled_inside_standard_strings_and_backslashes_are_plain() {
        assertThat(only("'it''s'").kind()).isEqualTo(Kind.STRING);
        assertThat(texts("'a\\' ; 'b'")).containsExactly("'a\\'", ";", "'b'");
        assertThat(texts("'; set role x' x")).containsExactly("'; set role x'", "x");
    }

    @Test
    void escape_strings_honour_backslash_escapes_and_doubled_quotes() {
        assertThat(only("E'\\''").text()).isEqualTo("E'\\''");
        assertThat(only("e'a\\\\'").text()).isEqualTo("e'a\\\\'");
        assertThat(only("E'it''s'").text()).isEqualTo("E'it''s'");
        assertThat(texts("E'\\'; set role x; --' y")).containsExactly("E'\\'; set role x; --'", "y");
    }

    @Test
    void the_escape_prefix_counts_only_at_the_start_of_a_token() {
        assertThat(texts("be'x'")).containsExactly("be", "'x'");
        assertThat(texts("1e'\\''")).as("1e is the number 1, then an E string").containsExactly("1", "e'\\''");
    }

    @Test
    void a_string_continued_on_a_new_line_is_one_token_and_keeps_its_escapes() {
        assertThat(only("'a'\n'b'").text()).isEqualTo("'a'\n'b'");
        assertThat(only("'a' -- comment\n  'b'").text()).isEqualTo("'a' -- comment\n  'b'");
        assertThat(texts("'a' 'b'")).as("no newline, no continuation").containsExactly("'a'", "'b'");
        assertThat(texts("'a' /* c */\n'b'")).as("a block comment stops it").containsExactly("'a'", "'b'");
        // The second part of a continued E string honours backslashes, so there \'' is a quote and its end...
        assertThat(texts("E'x'\n'\\'' ; set role y; --'"))
                .containsExactly("E'x'\n'\\''", ";", "set", "role", "y", ";");
        // ...while in a continued standard string it is a backslash and a doubled quote.
        assertThat(texts("'x'\n'\\'' ; set role y; --'")).containsExactly("'x'\n'\\'' ; set role y; --'");
    }

    @Test
    void bit_strings_end_at_the_first_quote() {
        assertThat(texts("B'01'")).containsExactly("B'01'");
        assertThat(texts("x'1f''a'")).containsExactly("x'1f'", "'a'");
    }

    @Test
    void national_and_unicode_strings_are_strings() {
        assertThat(only("N'abc'").kind()).isEqualTo(Kind.STRING);
        assertThat(only("U&'d\\0061t''a'").kind()).isEqualTo(Kind.STRING);
        assertThat(texts("u&'\\' x")).as("backslash does not escape a quote in U& strings")
                .containsExactly("u&'\\'", "x");
        assertThat(texts("U & 'a'")).containsExactly("U", "&", "'a'");
    }

    @Test
    void dollar_quotes_hold_anything_up_to_the_same_tag() {
        assertThat(only("$$ it's; set role x $$").kind()).isEqualTo(Kind.STRING);
        assertThat(only("$fn$ select $$ ; $$ $fn$").text()).isEqualTo("$fn$ select $$ ; $$ $fn$");
        assertThat(texts("$a$ x $b$ y $a$ z")).containsExactly("$a$ x $b$ y $a$", "z");
        assertThat(texts("$a$x$b$a$")).containsExactly("$a$x$b$a$");
        assertThat(texts("$_1$ ' $_1$")).containsExactly("$_1$ ' $_1$");
    }

    @Test
    void a_dollar_digit_is_a_parameter_not_a_dollar_quote() {
        assertThat(kinds("$1 + $23")).containsExactly(Kind.PARAMETER, Kind.OPERATOR, Kind.PARAMETER);
        assertThat(texts("$1$$x$$")).containsExactly("$1", "$$x$$");
        assertThat(texts("$1a$")).containsExactly("$1", "a$");
    }

    @Test
    void a_dollar_inside_a_name_does_not_open_a_quote() {
        assertThat(only("a$$b$$").kind()).isEqualTo(Kind.IDENTIFIER);
        assertThat(texts("$a x")).as("a tag without its closing $ is a stray $").containsExactly("$", "a", "x");
    }

    @Test
    void quoted_identifiers_keep_their_case_and_unescape_doubled_quotes() {
        Token token = only("\"My \"\"Table\"\"\"");
        assertThat(token.kind()).isEqualTo(Kind.QUOTED_IDENTIFIER);
        assertThat(token.value()).isEqualTo("My \"Table\"");
        assertThat(only("\"a;--b\"").value()).isEqualTo("a;--b");
    }

    @Test
    void unicode_quoted_identifiers_are_decoded() {
        assertThat(only("U&\"pg\\005fclass\"").value()).isEqualTo("pg_class");
        assertThat(only("u&\"d\\+000061t\\\\a\"").value()).isEqualTo("dat\\a");
        assertThatThrownBy(() -> SqlLexer.tokens("U&\"a\\00g1\"")).isInstanceOf(LexException.class)
                .hasMessageContaining("Unicode escape");
    }

    @Test
    void unquoted_names_fold_ascii_letters_to_lower_case_only() {
        Token token = only("Pg_Class");
        assertThat(token.value()).isEqualTo("pg_class");
        assertThat(token.text()).isEqualTo("Pg_Class");
        assertThat(only("\u00c9T\u00c9").value()).isEqualTo("\u00c9t\u00c9");
        assertThat(only("_a1$b").kind()).isEqualTo(Kind.IDENTIFIER);
        assertThat(only("caf\u00e9").kind()).isEqualTo(Kind.IDENTIFIER);
    }

    @Test
    void numbers_of_every_form_are_one_token() {
        assertThat(kinds("1 1.5 .5 1. 1e10 1.5E-3 0x1F 0o17 0b101 1_000_000")).containsOnly(Kind.NUMBER).hasSize(10);
        assertThat(texts("1..5")).containsExactly("1", ".", ".5");
    }

    @Test
    void placeholders_are_tokens_of_their_own_even_inside_operator_runs() {
        assertThat(kinds("a = ? and b <> ?")).containsExactly(Kind.IDENTIFIER, Kind.OPERATOR, Kind.PLACEHOLDER,
                Kind.IDENTIFIER, Kind.IDENTIFIER, Kind.OPERATOR, Kind.PLACEHOLDER);
        assertThat(texts("j ?| array[?]")).containsExactly("j", "?", "|", "array", "[", "?", "]");
        assertThat(texts("'?' \"?\" $$?$$ /* ? */")).hasSize(3);
    }

    @Test
    void operators_and_punctuation() {
        assertThat(texts("a::int>=b||c")).containsExactly("a", ":", ":", "int", ">=", "b", "||", "c");
        assertThat(kinds("(a, b[1]).c;")).containsExactly(Kind.PUNCTUATION, Kind.IDENTIFIER, Kind.PUNCTUATION,
                Kind.IDENTIFIER, Kind.PUNCTUATION, Kind.NUMBER, Kind.PUNCTUATION, Kind.PUNCTUATION,
                Kind.PUNCTUATION, Kind.IDENTIFIER, Kind.SEMICOLON);
    }

    @Test
    void tokens_know_where_they_start() {
        assertThat(SqlLexer.tokens("select  x").get(1).start()).isEqualTo(8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"select 'abc", "select 'it''s", "select E'abc\\'", "select E'abc\\", "select B'01",
            "select U&'a", "select 'a'\n'b", "select \"abc", "select \"a\"\"", "select U&\"a",
            "select $$abc", "select $a$ abc $b$", "select $a$ abc $A$", "/* abc", "/* /* */ abc",
            "select 1 /* a /* b */"})
    void unterminated_constructs_are_reported(String sql) {
        assertThatThrownBy(() -> SqlLexer.tokens(sql)).isInstanceOf(LexException.class)
                .hasMessageContaining("unterminated");
    }

    @Test
    void a_nul_character_is_reported() {
        assertThatThrownBy(() -> SqlLexer.tokens("select 1\u0000; set role x")).isInstanceOf(LexException.class)
                .hasMessageContaining("NUL");
    }
}
