package io.tenantry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TenantIdTest {

    @Test
    void a_one_megabyte_id_is_rejected_without_echoing_it() {
        String huge = "a".repeat(1024 * 1024);

        assertThatIllegalArgumentException().isThrownBy(() -> TenantId.of(huge))
                .withMessageContaining("1048576 characters long")
                .withMessageContaining(TenantIdProperties.WHAT_IS_ALLOWED)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400).doesNotContain("a".repeat(81)));
    }

    @Test
    void control_characters_are_shown_escaped_in_the_message() {
        assertThatIllegalArgumentException().isThrownBy(() -> TenantId.of("ac\nme\u001b[31m"))
                .withMessageContaining("\"ac\\u000ame\\u001b[31m\"")
                .withMessageContaining("U+000A")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\u001b"));
    }

    @Test
    void upper_case_is_rejected_with_the_lower_case_suggestion_never_folded() {
        assertThatIllegalArgumentException().isThrownBy(() -> TenantId.of("ACME"))
                .withMessageContaining("did you mean \"acme\"?");
        assertThat(TenantId.isValid("ACME")).isFalse();
    }

    @Test
    void sixty_three_characters_are_accepted_and_sixty_four_are_not() {
        assertThat(TenantId.of("a".repeat(TenantId.MAX_LENGTH)).value()).hasSize(63);
        assertThat(TenantId.isValid("a".repeat(TenantId.MAX_LENGTH + 1))).isFalse();
    }

    @Test
    void null_is_a_caller_mistake_not_a_malformed_id() {
        assertThatNullPointerException().isThrownBy(() -> TenantId.of(null));
        assertThat(TenantId.isValid(null)).isFalse();
    }

    @Test
    void ids_order_by_their_text() {
        List<TenantId> sorted = Stream.of("b", "a-1", "a", "a0").map(TenantId::of).sorted().toList();

        assertThat(sorted).extracting(TenantId::value).containsExactly("a", "a-1", "a0", "b");
    }

    @Test
    void names_that_merely_contain_a_reserved_word_are_fine() {
        assertThat(Stream.of("admin1", "my-config", "systems", "public_x").allMatch(TenantId::isValid)).isTrue();
    }
}
