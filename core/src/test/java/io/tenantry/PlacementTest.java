package io.tenantry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlacementTest {

    @Test
    void each_factory_gives_its_model_store_and_namespace() {
        Placement field = Placement.field("main", "cardvault");
        Placement collection = Placement.collection("main", "CardVault");
        Placement database = Placement.database("dedicated", "cv_");

        assertThat(field.model()).isEqualTo(IsolationModel.FIELD);
        assertThat(collection.model()).isEqualTo(IsolationModel.COLLECTION);
        assertThat(database.model()).isEqualTo(IsolationModel.DATABASE);
        assertThat(database.store()).isEqualTo("dedicated");
        assertThat(database.namespace()).isEqualTo("cv_");
        assertThat(collection.namespace()).isEqualTo("CardVault");
        assertThat(field).hasToString("field(main, cardvault)");
    }

    @Test
    void schema_is_the_sql_word_for_the_collection_model() {
        Placement schema = Placement.schema("pg", "app");

        assertThat(schema.model()).isEqualTo(IsolationModel.COLLECTION);
        assertThat(schema).isEqualTo(Placement.collection("pg", "app"));
        assertThatIllegalArgumentException().isThrownBy(() -> Placement.schema("pg", "app db"));
    }

    @Test
    void of_rebuilds_every_model_from_what_namespace_returns() {
        for (Placement placement : new Placement[] {Placement.field("main", "cv"), Placement.schema("pg", "app"),
                Placement.database("dedicated", "cv_")}) {
            assertThat(Placement.of(placement.model(), placement.store(), placement.namespace())).isEqualTo(placement);
        }
        assertThatIllegalArgumentException().isThrownBy(() -> Placement.of(IsolationModel.DATABASE, "main", "CV_"));
    }

    @Test
    void placements_are_equal_by_value() {
        assertThat(Placement.field("main", "cv")).isEqualTo(Placement.field("main", "cv"))
                .hasSameHashCodeAs(Placement.field("main", "cv"))
                .isNotEqualTo(Placement.collection("main", "cv"))
                .isNotEqualTo(Placement.field("other", "cv"))
                .isNotEqualTo(Placement.field("main", "cv2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "main db", "ma.in", "main/x", "m\u00e4in", "main$"})
    void store_and_database_names_outside_the_safe_alphabet_are_refused(String name) {
        assertThatIllegalArgumentException().isThrownBy(() -> Placement.field(name, "cardvault"))
                .withMessageContaining("A-Z, a-z, 0-9, '-' and '_'");
        assertThatIllegalArgumentException().isThrownBy(() -> Placement.collection("main", name));
        assertThatIllegalArgumentException().isThrownBy(() -> Placement.database(name, "cv_"));
    }

    @Test
    void names_may_have_up_to_63_characters() {
        assertThat(Placement.field("s".repeat(63), "d".repeat(63)).store()).hasSize(63);
        assertThatIllegalArgumentException().isThrownBy(() -> Placement.field("s".repeat(64), "cardvault"));
        assertThatIllegalArgumentException().isThrownBy(() -> Placement.field("main", "d".repeat(64)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "CV_", "cv.", "cv prefix", "x23456789012345678901234567890123"})
    void a_database_prefix_must_be_1_to_32_lower_case_safe_characters(String prefix) {
        assertThatIllegalArgumentException().isThrownBy(() -> Placement.database("dedicated", prefix))
                .withMessageContaining("1 to 32 characters of a-z, 0-9, '-' and '_'");
    }

    @Test
    void a_32_character_prefix_is_accepted_and_null_names_are_caller_mistakes() {
        assertThat(Placement.database("dedicated", "p".repeat(32)).namespace()).hasSize(32);
        assertThatNullPointerException().isThrownBy(() -> Placement.database("dedicated", null));
        assertThatNullPointerException().isThrownBy(() -> Placement.field(null, "cv"));
    }
}
