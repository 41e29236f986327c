package io.tenantry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PhysicalNamingTest {

    static final TenantId ACME = TenantId.of("acme");
    static final PhysicalNaming MONGO_DB = PhysicalNaming.of(NameLimits.MONGODB_DATABASE);
    static final PhysicalNaming POSTGRES = PhysicalNaming.of(NameLimits.POSTGRESQL_IDENTIFIER);
    static final PhysicalNaming COLLECTIONS = PhysicalNaming.of(NameLimits.mongodbCollection("cardvault"));

    @Test
    void short_names_are_prefix_tenant_separator_logical() {
        assertThat(MONGO_DB.name("cv_", ACME)).isEqualTo("cv_acme");
        assertThat(POSTGRES.name("t_", ACME, "work_orders")).isEqualTo("t_acme~work_orders");
        assertThat(COLLECTIONS.name("", ACME, "cards")).isEqualTo("acme.cards");
        assertThat(COLLECTIONS.name("", ACME, "Cards.Archive")).isEqualTo("acme.Cards.Archive");
    }

    @Test
    void a_name_that_would_reach_the_limit_is_shortened_to_exactly_the_limit_with_a_readable_head() {
        TenantId longest = TenantId.of("a".repeat(61) + "-z");

        String name = POSTGRES.name("t_", longest, "work_orders");

        assertThat(name).hasSize(63).startsWith("t_aaaa").matches(".*-[a-z2-7]{16}");
        assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(NameLimits.POSTGRESQL_IDENTIFIER.maxBytes());
        assertThat(POSTGRES.name("t_", longest, "work_orders")).as("deterministic").isEqualTo(name);
        assertThat(POSTGRES.name("t_", longest, "work_order")).isNotEqualTo(name);
    }

    @Test
    void a_name_of_exactly_the_limit_is_shortened_too_so_unshortened_names_are_always_shorter() {
        TenantId tenant = TenantId.of("b".repeat(60));

        String name = MONGO_DB.name("cv_", tenant);

        assertThat(("cv_" + tenant).length()).isEqualTo(63);
        assertThat(name).hasSize(63).isNotEqualTo("cv_" + tenant).matches("cv_b+-[a-z2-7]{16}");
    }

    @Test
    void multi_byte_logical_names_are_measured_in_utf8_bytes_and_shortened_to_ascii() {
        String logical = "\u00e9".repeat(130);

        String name = COLLECTIONS.name("", ACME, logical);

        assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(245);
        assertThat(name).hasSize(245).startsWith("acme.___");
        assertThat(COLLECTIONS.name("", ACME, "\u00e9".repeat(10))).isEqualTo("acme." + "\u00e9".repeat(10));
    }

    @Test
    void logical_of_reads_back_an_unshortened_name_of_the_same_tenant_only() {
        String name = COLLECTIONS.name("x_", ACME, "cards.archive");

        assertThat(COLLECTIONS.logicalOf("x_", ACME, name)).isEqualTo("cards.archive");
        assertThat(COLLECTIONS.logicalOf("x_", TenantId.of("acm"), name)).isNull();
        assertThat(COLLECTIONS.logicalOf("x_", TenantId.of("acme-1"), COLLECTIONS.name("x_", ACME, "1.cards")))
                .isNull();
        assertThat(COLLECTIONS.logicalOf("y_", ACME, name)).isNull();
        String shortened = COLLECTIONS.name("x_", ACME, "c".repeat(300));
        assertThat(COLLECTIONS.logicalOf("x_", ACME, shortened)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.b", "a b", "a$b", "a/b", "a\\b", "a\"b", "a*b", "a<b", "a>b", "a:b", "a|b", "a?b",
            "a\u0000b", "a\tb"})
    void logical_names_with_characters_a_mongodb_database_name_forbids_are_refused(String logical) {
        assertThatIllegalArgumentException().isThrownBy(() -> MONGO_DB.name("cv_", ACME, logical))
                .withMessageContaining("may not contain");
    }

    @Test
    void collection_names_refuse_dollar_and_nul_but_allow_dots_and_upper_case() {
        assertThatIllegalArgumentException().isThrownBy(() -> COLLECTIONS.name("", ACME, "$cmd"));
        assertThatIllegalArgumentException().isThrownBy(() -> COLLECTIONS.name("", ACME, "a\u0000"));
        assertThat(COLLECTIONS.name("", ACME, "Cards")).isNotEqualTo(COLLECTIONS.name("", ACME, "cards"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Cards", "cardS", "\u212aelvin", "\u017ftore", "d\u0131sk", "\u03c3\u03bf\u03c2"})
    void on_stores_that_ignore_case_logical_names_that_could_meet_another_ignoring_case_are_refused(String logical) {
        assertThatIllegalArgumentException().isThrownBy(() -> POSTGRES.name("t_", ACME, logical))
                .withMessageContaining("compared case-insensitively");
        assertThatIllegalArgumentException().isThrownBy(() -> MONGO_DB.name("cv_", ACME, logical));
    }

    @Test
    void the_refusal_suggests_the_name_to_use() {
        assertThatIllegalArgumentException().isThrownBy(() -> POSTGRES.name("t_", ACME, "Work_\u017forders"))
                .withMessageContaining("use \"work_sorders\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\ud800", "\udc00a", "a\udc00\ud800b"})
    void unpaired_surrogates_are_refused_as_they_have_no_utf8_form(String logical) {
        assertThatIllegalArgumentException().isThrownBy(() -> COLLECTIONS.name("", ACME, logical))
                .withMessageContaining("unpaired surrogate");
        assertThat(COLLECTIONS.name("", ACME, "a\ud83d\ude00")).isEqualTo("acme.a\ud83d\ude00");
    }

    @Test
    void an_empty_logical_name_is_refused() {
        assertThatIllegalArgumentException().isThrownBy(() -> COLLECTIONS.name("", ACME, ""))
                .withMessageContaining("must not be empty");
    }

    @Test
    void a_prefix_is_held_to_the_same_rules_and_may_not_contain_the_separator() {
        assertThatIllegalArgumentException().isThrownBy(() -> COLLECTIONS.name("x.", ACME, "cards"))
                .withMessageContaining("separator");
        assertThatIllegalArgumentException().isThrownBy(() -> POSTGRES.name("t~", ACME))
                .withMessageContaining("separator");
        assertThatIllegalArgumentException().isThrownBy(() -> MONGO_DB.name("CV_", ACME));
        assertThatIllegalArgumentException().isThrownBy(() -> MONGO_DB.name("cv.", ACME));
    }

    @Test
    void collection_limits_leave_the_namespace_room_of_the_database() {
        assertThat(NameLimits.mongodbCollection("cardvault").maxBytes()).isEqualTo(255 - 9 - 1);
        assertThat(NameLimits.mongodbCollection("\u00e9".repeat(10)).maxBytes()).isEqualTo(255 - 20 - 1);
        assertThat(NameLimits.mongodbCollection("cardvault").separator()).isEqualTo('.');
        assertThat(NameLimits.mongodbCollection("cardvault").caseInsensitive()).isFalse();
    }

    @Test
    void limits_refuse_too_little_room_and_separators_that_could_be_part_of_a_tenant_id() {
        assertThatIllegalArgumentException().isThrownBy(() -> new NameLimits("tiny", 31, "", false, '~'))
                .withMessageContaining("at least 32");
        for (char separator : new char[] {'-', '_', 'a', '0', ' ', '\n', '\u00e9'}) {
            assertThatIllegalArgumentException().as("separator '%s'", separator)
                    .isThrownBy(() -> new NameLimits("store", 63, "", false, separator));
        }
        assertThatIllegalArgumentException().isThrownBy(() -> new NameLimits("store", 63, "~", false, '~'));
        assertThat(new NameLimits("store", 32, "", false, '+').maxBytes()).isEqualTo(32);
    }
}
