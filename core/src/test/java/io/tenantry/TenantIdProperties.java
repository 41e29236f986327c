package io.tenantry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TenantIdProperties {

    static final String WHAT_IS_ALLOWED =
            "A tenant id is 1 to 63 characters of a-z, 0-9, '-' and '_', starting and ending with a letter or digit.";

    /** A malformed id and a word its rejection message must contain. */
    record Malformed(String id, String because) {
        @Override
        public String toString() {
            StringBuilder shown = new StringBuilder();
            id.codePoints().limit(100).forEach(cp -> shown.append(cp < 0x21 || cp > 0x7e
                    ? String.format("\\u%04x", cp) : Character.toString(cp)));
            return "\"" + shown + "\"" + (id.length() > 100 ? "... (" + id.length() + " chars)" : "")
                    + " (expected: " + because + ")";
        }
    }

    @Test
    void every_id_of_the_documented_alphabet_round_trips() {
        List<String> edges = List.of("a", "0", "a-b", "a_b", "a--_-b", "x".repeat(63), "9" + "_".repeat(61) + "9",
                "admins", "pg_catalogs", "local1");
        Property.forAll(2_000, edges, Gens::validId, id -> {
            TenantId tenant = TenantId.of(id);
            assertThat(tenant.value()).isEqualTo(id);
            assertThat(tenant.toString()).isEqualTo(id);
            assertThat(TenantId.isValid(id)).isTrue();
            assertThat(TenantId.of(id)).isEqualTo(tenant).hasSameHashCodeAs(tenant);
            assertThat(TenantId.of(id)).isEqualByComparingTo(tenant);
        });
    }

    @Test
    void every_malformed_id_is_rejected_with_a_message_that_says_what_is_allowed() {
        List<Malformed> edges = new ArrayList<>();
        edges.add(new Malformed("", "empty"));
        edges.add(new Malformed("a".repeat(64), "64 characters long"));
        edges.add(new Malformed("a/b", "'/'"));
        edges.add(new Malformed("a\\b", "'\\'"));
        edges.add(new Malformed("a$b", "'$'"));
        edges.add(new Malformed("a.b", "'.'"));
        edges.add(new Malformed("\u0430cme", "U+0430"));
        edges.add(new Malformed("\uff41cme", "U+FF41"));
        edges.add(new Malformed("ac\u200bme", "U+200B"));
        edges.add(new Malformed("acme\u0000", "U+0000"));
        edges.add(new Malformed("Acme", "upper case"));
        edges.add(new Malformed("-acme", "start and end"));
        edges.add(new Malformed("acme_", "start and end"));
        TenantId.RESERVED.forEach(name -> edges.add(new Malformed(name, "reserved")));
        Property.forAll(3_000, edges, TenantIdProperties::malformed, bad -> {
            assertThat(TenantId.isValid(bad.id())).isFalse();
            assertThatIllegalArgumentException().isThrownBy(() -> TenantId.of(bad.id()))
                    .withMessageContaining(WHAT_IS_ALLOWED)
                    .withMessageContaining(bad.because())
                    .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
        });
    }

    /** One id that breaks exactly one rule, chosen at random. */
    static Malformed malformed(SplittableRandom random) {
        String valid = Gens.validId(random, Gens.length(random, 1, 40));
        int at = random.nextInt(valid.length() + 1);
        switch (random.nextInt(10)) {
            case 0:
                return new Malformed(Gens.idShaped(random, Gens.length(random, 64, 300)), "characters long");
            case 1: {
                char control = random.nextBoolean() ? (char) random.nextInt(0x20)
                        : Gens.pick(random, "\u007f\u0080\u0085\u009f");
                return new Malformed(insert(valid, at, control), String.format("U+%04X", (int) control));
            }
            case 2: {
                char c = Gens.pick(random, "/\\$.");
                return new Malformed(insert(valid, at, c), "'" + c + "'");
            }
            case 3: {
                char space = Gens.pick(random, " \t\n\r\u000b\u000c\u00a0\u1680\u2003\u2028\u2029\u3000");
                return new Malformed(insert(valid, at, space), String.format("U+%04X", (int) space));
            }
            case 4: {
                char upper = (char) ('A' + random.nextInt(26));
                return new Malformed(insert(valid, at, upper), "upper case '" + upper + "'");
            }
            case 5: {
                // look-alikes of the alphabet: Cyrillic, fullwidth, invisible, accented, dotless, long s, Kelvin
                char lookAlike = Gens.pick(random, "\u0430\u0435\u043e\u0440\u0441\u0445\u0456\uff41\uff5a\uff10"
                        + "\uff3f\uff0d\u200b\u200c\u200d\u2060\ufeff\u00e9\u0131\u017f\u212a\u2010\u2011\u2212");
                return new Malformed(insert(valid, at, lookAlike), String.format("U+%04X", (int) lookAlike));
            }
            case 6: {
                String edge = random.nextBoolean() ? "-" : "_";
                String id = valid.length() >= TenantId.MAX_LENGTH ? valid.substring(1) : valid;
                return new Malformed(random.nextBoolean() ? edge + id : id + edge, "start and end");
            }
            case 7:
                // a supplementary character (an emoji) as a surrogate pair
                return new Malformed(valid.substring(0, at) + "\ud83d\ude00" + valid.substring(at), "U+D83D");
            case 8:
                return new Malformed(Gens.pick(random, List.copyOf(TenantId.RESERVED)), "reserved");
            default:
                return new Malformed("", "empty");
        }
    }

    private static String insert(String text, int at, char c) {
        return text.substring(0, at) + c + text.substring(at);
    }
}
